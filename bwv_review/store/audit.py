"""The append-only, hash-chained audit log (UK DPA 2018 Part 3, s.62: who, when, why).

Each event stores the SHA-256 of its predecessor and its own hash over a canonical
serialisation, so editing, deleting or reordering an event breaks the chain at that point.
Someone with the database owner's rights can still drop the append-only triggers, edit and
recompute every hash, or delete the newest events; a checkpoint (the head, signed with a key
kept off the database) is what shows that afterwards.

Appends are serialised: SQLite transactions already begin IMMEDIATE (one writer at a time);
on PostgreSQL a transaction-scoped advisory lock queues writers from every laptop, and the
unique `prev_hash` makes a fork impossible even if that lock were skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bwv_review.store.models import AuditEvent
from bwv_review.store.types import utc_now

GENESIS_HASH = "0" * 64
# Any fixed 64-bit number; it names "the audit chain" among PostgreSQL advisory locks.
AUDIT_LOCK_KEY = 0x6277_7661_7564_6974  # "bwvaudit"
VERIFY_BATCH = 1000


def canonical_detail(detail: Mapping[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    purpose: str,
    entity_type: str | None,
    entity_id: str | None,
    detail_json: str,
    prev_hash: str,
) -> str:
    stamp = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [seq, stamp, actor, action, purpose, entity_type, entity_id, detail_json, prev_hash]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash `event` should carry, from its stored fields."""
    return event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        purpose=event.purpose,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        detail_json=event.detail_json,
        prev_hash=event.prev_hash,
    )


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    purpose: str,
    entity_type: str | None = None,
    entity_id: str | int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the chain inside the caller's transaction, so the change and its
    record commit together or not at all."""
    _lock_chain(session)
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        occurred_at=utc_now(),
        actor=actor,
        action=action,
        purpose=purpose,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        detail_json=canonical_detail(detail or {}),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = hash_of(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a full check of the hashes. Deleting events from the very end, or
    recomputing every hash after an edit, leaves no break inside the chain; a checkpoint
    of the head (`Checkpoint`) is what catches those."""

    events_checked: int
    last_seq: int
    last_hash: str
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole log in order and name the first event that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    stream = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=VERIFY_BATCH)
    )
    for event in stream:
        problem = None
        if event.seq != expected_seq:
            problem = f"sequence jumps from {expected_seq - 1} to {event.seq} (events missing)"
        elif event.prev_hash != prev_hash:
            problem = "does not point at the event before it (an event was removed or replaced)"
        elif hash_of(event) != event.hash:
            problem = "its contents no longer match its hash (edited after it was written)"
        if problem:
            return ChainReport(
                checked, expected_seq - 1, prev_hash, ChainBreak(event.seq, event.id, problem)
            )
        checked += 1
        expected_seq = event.seq + 1
        prev_hash = event.hash
    return ChainReport(checked, expected_seq - 1, prev_hash, None)


# ---------------------------------------------------------------------------------------
# Protection in the database itself: the append-only triggers
# ---------------------------------------------------------------------------------------

# What migrations 0001 and 0005 create, as each backend reports it back (PostgreSQL: the
# trigger's definition, then its function's body).
_REFUSAL = "'audit events are append-only'"
EXPECTED_TRIGGERS = {
    "sqlite": {
        f"audit_events_no_{verb.lower()}": (
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, {_REFUSAL}); END"
        )
        for verb in ("UPDATE", "DELETE")
    },
    "postgresql": {
        name: (
            f"CREATE TRIGGER {name} BEFORE {event} ON audit_events FOR EACH {scope} "
            f"EXECUTE FUNCTION audit_events_append_only() BEGIN RAISE EXCEPTION {_REFUSAL}; END"
        )
        for name, event, scope in (
            ("audit_events_append_only", "DELETE OR UPDATE", "ROW"),
            ("audit_events_no_truncate", "TRUNCATE", "STATEMENT"),
        )
    },
}


def _squeezed(sql: str | None) -> str:
    return " ".join((sql or "").split())


def _triggers_found(session: Session) -> dict[str, tuple[bool, str]]:
    """Each trigger on audit_events: whether it fires, and what it is."""
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
            )
        )
        return {name: (True, _squeezed(sql)) for name, sql in rows}
    rows = session.execute(
        text(
            "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid), p.prosrc "
            "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = 'audit_events'::regclass AND NOT t.tgisinternal"
        )
    )
    return {
        # tgenabled D: disabled; R: fires only on replicas.
        name: (
            enabled in ("O", "A"),
            re.sub(r" ON \S+\.audit_events ", " ON audit_events ", _squeezed(f"{sql} {body}")),
        )
        for name, enabled, sql, body in rows
    }


def append_only_problems(session: Session) -> list[str]:
    """What is missing, disabled or altered of the triggers that refuse changing and
    deleting events.

    Someone with the database owner's rights can drop them, edit events, recompute every
    hash and put them back, so triggers found intact prove little on their own (that is
    what checkpoints are for); triggers found missing prove that someone tried.
    """
    found = _triggers_found(session)
    problems = []
    for name, expected in EXPECTED_TRIGGERS[session.get_bind().dialect.name].items():
        if name not in found:
            problems.append(f"trigger {name} is missing (events could be changed)")
        elif not found[name][0]:
            problems.append(f"trigger {name} is disabled (events could be changed)")
        elif found[name][1] != expected:
            problems.append(f"trigger {name} has been altered")
    return problems


# ---------------------------------------------------------------------------------------
# Checkpoints: the head of the chain, signed with a key the database never sees
# ---------------------------------------------------------------------------------------

CHECKPOINT_FORMAT = "bwv-review audit checkpoint 1"
_CHECKPOINT_FIELDS = ("format", "event_id", "seq", "count", "hash", "written_at")


@dataclass(frozen=True)
class ChainHead:
    event_id: int
    seq: int
    count: int
    hash: str


def chain_head(session: Session) -> ChainHead | None:
    last = session.execute(
        select(AuditEvent.id, AuditEvent.seq, AuditEvent.hash)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    count = session.scalar(select(func.count()).select_from(AuditEvent))
    return ChainHead(last.id, last.seq, int(count or 0), last.hash)


class CheckpointRefused(ValueError):
    """The file is not a checkpoint, or its signature does not verify (`forged`)."""

    def __init__(self, message: str, *, forged: bool) -> None:
        super().__init__(message)
        self.forged = forged


def _signature(key: bytes, fields: Mapping[str, Any]) -> str:
    payload = canonical_detail({name: fields[name] for name in _CHECKPOINT_FIELDS})
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as it stood at `written_at`. An edit at or before that event, even
    with every hash recomputed, changes the event's hash; deleting the newest events removes
    it or lowers the count. Only the HMAC key, kept off the database, can vouch for it."""

    head: ChainHead
    written_at: datetime

    def _fields(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "event_id": self.head.event_id,
            "seq": self.head.seq,
            "count": self.head.count,
            "hash": self.head.hash,
            "written_at": self.written_at.astimezone(UTC).isoformat(timespec="seconds"),
        }

    def signed_document(self, key: bytes) -> str:
        fields = self._fields()
        fields["signature"] = _signature(key, fields)
        return json.dumps(fields, indent=2) + "\n"

    @classmethod
    def from_signed_document(cls, document: str, key: bytes) -> Checkpoint:
        try:
            fields = json.loads(document)
        except json.JSONDecodeError as exc:
            raise CheckpointRefused(f"not a checkpoint (not JSON: {exc})", forged=False) from exc
        if not isinstance(fields, dict) or fields.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointRefused(
                f'not a checkpoint (no "format": "{CHECKPOINT_FORMAT}")', forged=False
            )
        missing = [name for name in (*_CHECKPOINT_FIELDS, "signature") if name not in fields]
        if missing:
            raise CheckpointRefused(f"not a checkpoint (no {', '.join(missing)})", forged=False)
        signature = fields["signature"]
        if not isinstance(signature, str) or not hmac.compare_digest(
            signature, _signature(key, fields)
        ):
            raise CheckpointRefused(
                "FORGED: its signature does not verify under this machine's audit key "
                "(it was altered, or signed with another key)",
                forged=True,
            )
        head = ChainHead(
            int(fields["event_id"]), int(fields["seq"]), int(fields["count"]), fields["hash"]
        )
        return cls(head, datetime.fromisoformat(fields["written_at"]))


@dataclass(frozen=True)
class CheckpointMismatch:
    """How the log now differs from a checkpoint: `rewritten` or `truncated`."""

    kind: str
    reason: str


def compare_with_checkpoint(session: Session, head: ChainHead) -> CheckpointMismatch | None:
    """None when the checkpoint's event is still there with the same hash and no fewer
    events lead up to it; otherwise what happened since, naming the event."""
    event = session.execute(
        select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.seq == head.seq)
    ).first()
    now = chain_head(session)
    where = f"event #{head.seq} (id {head.event_id})"
    if event is None:
        ends = f"#{now.seq}, {now.count} events" if now else "no events at all"
        return CheckpointMismatch(
            "truncated",
            f"{where} is gone: the log now ends at {ends}; the checkpoint counted {head.count}",
        )
    if event.id != head.event_id or event.hash != head.hash:
        return CheckpointMismatch(
            "rewritten",
            f"{where} is not what the checkpoint recorded (hash {head.hash[:12]}..., now "
            f"id {event.id}, hash {event.hash[:12]}...): the log was rewritten at or before it",
        )
    leading = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= head.seq)
    )
    if leading != head.count:
        return CheckpointMismatch(
            "truncated",
            f"{leading} events now lead up to {where}; the checkpoint counted {head.count}",
        )
    return None
