"""The append-only, hash-chained audit log (UK DPA 2018 Part 3, s.62: who, when, why).

Each event stores the SHA-256 of its predecessor and its own hash over a canonical
serialisation, so editing, deleting or reordering an event breaks the chain at that point.
Appends are serialised: SQLite transactions already begin IMMEDIATE (one writer at a time);
on PostgreSQL a transaction-scoped advisory lock queues writers from every laptop, and the
unique `prev_hash` makes a fork impossible even if that lock were skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
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


def _hash_of(event: AuditEvent) -> str:
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
    event.hash = _hash_of(event)
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
    """The outcome of a full check. `last_hash` lets an administrator note the head of
    the chain on paper: deleting events from the very end leaves no break inside the
    chain, but it does change the head."""

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
        elif _hash_of(event) != event.hash:
            problem = "its contents no longer match its hash (edited after it was written)"
        if problem:
            return ChainReport(
                checked, expected_seq - 1, prev_hash, ChainBreak(event.seq, event.id, problem)
            )
        checked += 1
        expected_seq = event.seq + 1
        prev_hash = event.hash
    return ChainReport(checked, expected_seq - 1, prev_hash, None)
