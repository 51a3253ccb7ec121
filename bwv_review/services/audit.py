"""The audit service: recording events that are not part of another change (a clip
viewed, a report printed), checking the chain, and signing checkpoints of its head.
Changes made by other services write their event inside their own transaction through
`store.audit.append_event`.

The checkpoint key is a file on one machine (the administrator's, or the data protection
officer's), never in the database or its backups: whoever can rewrite the database cannot
then sign a checkpoint that vouches for the rewrite.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bwv_review.config import Settings
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import (
    ChainReport,
    Checkpoint,
    CheckpointRefused,
    append_event,
    append_only_problems,
    chain_head,
    compare_with_checkpoint,
    verify_chain,
)
from bwv_review.store.db import Database
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)

CHECKPOINT_KEY_BYTES = 32


def create_checkpoint_key(path: Path) -> bool:
    """Put a new random key at `path`, readable by its owner only, unless one is there
    already: replacing it would make every checkpoint signed so far read as forged."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(CHECKPOINT_KEY_BYTES) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    log.info("created the audit checkpoint key at %s", path)
    return True


def read_checkpoint_key(path: Path | None) -> bytes:
    """The key, refused with a reason if it is missing, readable by others or damaged."""
    if path is None or not path.is_file():
        raise BadInput(
            f"this machine holds no audit checkpoint key{f' (none at {path})' if path else ''}: "
            "checkpoints are written and checked on the machine where `bwv-review init` "
            "created it"
        )
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise BadInput(
            f"{path}: the audit checkpoint key can be read by other users "
            f"(mode {path.stat().st_mode & 0o777:o}); make it 0600 (chmod 600 {path})"
        )
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"{path}: not an audit checkpoint key ({exc})") from exc
    if len(key) != CHECKPOINT_KEY_BYTES:
        raise BadInput(f"{path}: not an audit checkpoint key (wrong length)")
    return key


def held_checkpoint_key(settings: Settings) -> bytes | None:
    """This machine's checkpoint key when it holds a usable one; None when it holds none
    (an administrator's machine usually does, a chair's laptop usually not). A key that
    is there but unsafe or damaged is refused, never silently skipped. The command line
    and the Reports tab both ask this, from the machine's settings."""
    path = settings.audit_key_file()
    if path is None or not path.is_file():
        return None
    return read_checkpoint_key(path)


@dataclass(frozen=True)
class RecordedEvent:
    seq: int
    hash: str


@dataclass(frozen=True)
class CheckpointFinding:
    """What one checkpoint says about the log now. `status` is `holds`, `rewritten`,
    `truncated`, `forged` or `unreadable`; `seq` and `event_id` name its event when the
    file could be trusted that far."""

    source: str
    status: str
    message: str
    seq: int | None = None
    event_id: int | None = None

    @property
    def holds(self) -> bool:
        return self.status == "holds"


@dataclass(frozen=True)
class AuditVerification:
    chain: ChainReport
    protection_problems: tuple[str, ...]
    checkpoints: tuple[CheckpointFinding, ...]

    @property
    def intact(self) -> bool:
        return (
            self.chain.intact
            and not self.protection_problems
            and all(finding.holds for finding in self.checkpoints)
        )


class AuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        actor: Actor,
        action: str,
        *,
        purpose: str,
        entity_type: str | None = None,
        entity_id: str | int | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> RecordedEvent:
        with self._db.transaction() as session:
            event = append_event(
                session,
                actor=actor.username,
                action=action,
                purpose=purpose,
                entity_type=entity_type,
                entity_id=entity_id,
                detail=detail,
            )
            return RecordedEvent(event.seq, event.hash)

    def verify(
        self,
        actor: Actor,
        *,
        purpose: str,
        checkpoints: Sequence[tuple[str, str]] = (),
        key: bytes | None = None,
    ) -> AuditVerification:
        """Check the triggers, every hash, and each checkpoint (name, document) against
        the log; then record that it was checked and what was found.

        Recording after checking means a broken chain is still reported truthfully: the new
        event links to the current head, it does not repair anything.
        """
        require(actor, Permission.VERIFY_AUDIT)
        if checkpoints and key is None:
            raise BadInput("checking a checkpoint needs this machine's audit checkpoint key")
        with self._db.transaction() as session:
            report = verify_chain(session)
            problems = tuple(append_only_problems(session))
            findings = tuple(
                self._check_checkpoint(session, source, document, key or b"")
                for source, document in checkpoints
            )
        result = AuditVerification(report, problems, findings)
        broken = report.first_break
        self.record(
            actor,
            "audit.verified",
            purpose=purpose,
            detail={
                "events_checked": report.events_checked,
                "intact": result.intact,
                "first_break_seq": broken.seq if broken else None,
                "append_only_problems": list(problems),
                "checkpoints": [[Path(f.source).name, f.status] for f in findings],
            },
        )
        return result

    @staticmethod
    def _check_checkpoint(
        session: Session, source: str, document: str, key: bytes
    ) -> CheckpointFinding:
        try:
            checkpoint = Checkpoint.from_signed_document(document, key)
        except CheckpointRefused as exc:
            return CheckpointFinding(source, "forged" if exc.forged else "unreadable", str(exc))
        head = checkpoint.head
        mismatch = compare_with_checkpoint(session, head)
        if mismatch is None:
            message = (
                f"holds: event #{head.seq} (id {head.event_id}) unchanged, {head.count} "
                f"events up to it, as at {checkpoint.written_at:%Y-%m-%d %H:%M} UTC"
            )
            return CheckpointFinding(source, "holds", message, head.seq, head.event_id)
        message = f"{mismatch.kind.upper()} since {checkpoint.written_at:%Y-%m-%d %H:%M} UTC: "
        return CheckpointFinding(
            source, mismatch.kind, message + mismatch.reason, head.seq, head.event_id
        )

    def checkpoint(self, actor: Actor, key: bytes, *, purpose: str) -> tuple[Checkpoint, str]:
        """Sign the head of an intact chain; the head is this checkpoint's own audit event,
        so the log records that a checkpoint was taken and the checkpoint covers it.

        A broken chain, or one whose append-only triggers are gone, is refused: the
        signature would vouch for whatever was done to it.
        """
        require(actor, Permission.VERIFY_AUDIT)
        with self._db.transaction() as session:
            report = verify_chain(session)
            broken = report.first_break
            damage = [f"event #{broken.seq}: {broken.reason}"] if broken else []
            damage += append_only_problems(session)
            if damage:
                raise BadInput(
                    f"no checkpoint written: {'; '.join(damage)}. The log may have been "
                    "changed; restore the database from a backup you trust"
                )
            append_event(session, actor=actor.username, action="audit.checkpoint", purpose=purpose)
            head = chain_head(session)
        assert head is not None
        checkpoint = Checkpoint(head, utc_now())
        return checkpoint, checkpoint.signed_document(key)


def ensure_checkpoint_key(settings: Settings, default: Path) -> tuple[Path, bool]:
    """The key this machine signs checkpoints with, made (and its path saved in the
    settings) the first time; True when it was made just now."""
    path = settings.audit_key_file() or default
    created = create_checkpoint_key(path)
    if settings.audit_key_file() != path:
        settings.set("audit.checkpoint_key_file", str(path))
    return path, created
