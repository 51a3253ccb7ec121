"""The audit service: recording events that are not part of another change (a clip
viewed, a report printed) and checking the chain. Changes made by other services write
their event inside their own transaction through `store.audit.append_event`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bwv_review.services.actor import Actor
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import ChainReport, append_event, verify_chain
from bwv_review.store.db import Database


@dataclass(frozen=True)
class RecordedEvent:
    seq: int
    hash: str


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

    def verify(self, actor: Actor, *, purpose: str) -> ChainReport:
        """Check the whole chain, then record that it was checked and what was found.

        Recording after checking means a broken chain is still reported truthfully: the new
        event links to the current head, it does not repair anything.
        """
        require(actor, Permission.VERIFY_AUDIT)
        with self._db.transaction() as session:
            report = verify_chain(session)
        broken = report.first_break
        self.record(
            actor,
            "audit.verified",
            purpose=purpose,
            detail={
                "events_checked": report.events_checked,
                "intact": report.intact,
                "first_break_seq": broken.seq if broken else None,
            },
        )
        return report
