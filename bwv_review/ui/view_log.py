"""The player's ViewLog written to the real audit log, so every clip a reviewer opens or
plays is recorded with who, when and why (UK DPA 2018 Part 3, s.62).

The player only knows clip keys; this adapter knows they are clip ids and which case and
assignment the view belongs to, so the audit event names the clip and says why it was seen.
"""

from __future__ import annotations

from bwv_review.services.actor import Actor
from bwv_review.services.audit import AuditService


def view_purpose(session_name: str) -> str:
    """Why a clip was seen, naming the review session: the data protection officer reads
    each view against the session it was for, not a generic "review"."""
    return f"panel review of a case in session {session_name!r}"


def clip_key(clip_id: int) -> str:
    """The key the player uses for a clip: its id, as text."""
    return str(clip_id)


class AuditViewLog:
    """Writes clip.opened / clip.played; raising (database gone) makes the player refuse."""

    def __init__(
        self, audit: AuditService, actor: Actor, *, assignment_id: int, session_name: str
    ) -> None:
        self._audit = audit
        self._actor = actor
        self._assignment_id = assignment_id
        self._purpose = view_purpose(session_name)

    def clip_opened(self, clip_key: str) -> None:
        self._audit.record(
            self._actor,
            "clip.opened",
            purpose=self._purpose,
            entity_type="clip",
            entity_id=int(clip_key),
            detail={"assignment": self._assignment_id},
        )

    def playback_started(self, clip_key: str, position_ms: int) -> None:
        self._audit.record(
            self._actor,
            "clip.played",
            purpose=self._purpose,
            entity_type="clip",
            entity_id=int(clip_key),
            detail={"assignment": self._assignment_id, "position_ms": position_ms},
        )
