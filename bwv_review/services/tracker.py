"""The organisational learning tracker: recommendations to the force followed across
sessions (theme, owner, status, the force's response, dates) until closed.

Items outlive the session that raised them, so they are not locked by finalising; like
panel outcomes they carry a version, and a save based on a stale read is refused with who
changed the item and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.services.review_access import find_session
from bwv_review.services.text_input import typed_name, typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent, LearningTrackerItem
from bwv_review.store.types import utc_now


@dataclass(frozen=True)
class TrackerEntry:
    """What a tracker item says; the same shape to add one and to change one."""

    recommendation: str
    theme: str
    owner: str
    status: TrackerStatus = TrackerStatus.OPEN
    force_response: str = ""
    due_on: date | None = None


@dataclass(frozen=True)
class TrackerItemView:
    id: int
    entry: TrackerEntry
    raised_in_session_id: int | None
    raised_on: date
    closed_on: date | None
    version: int


class TrackerService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def items(self, actor: Actor, *, status: TrackerStatus | None = None) -> list[TrackerItemView]:
        require(actor, Permission.RECORD_OUTCOMES)
        with self._db.transaction() as session:
            query = select(LearningTrackerItem).order_by(
                LearningTrackerItem.raised_on, LearningTrackerItem.id
            )
            if status is not None:
                query = query.where(LearningTrackerItem.status == status)
            return [_view(item) for item in session.scalars(query)]

    def add(
        self,
        actor: Actor,
        entry: TrackerEntry,
        *,
        raised_in_session_id: int | None,
        raised_on: date,
        purpose: str,
    ) -> TrackerItemView:
        require(actor, Permission.RECORD_OUTCOMES)
        clean = _clean(entry)
        with self._db.transaction() as session:
            if raised_in_session_id is not None:
                find_session(session, raised_in_session_id)
            item = LearningTrackerItem(
                raised_in_session_id=raised_in_session_id, raised_on=raised_on
            )
            _apply(item, clean, today=raised_on)
            session.add(item)
            session.flush()
            _audit(session, actor, "tracker.added", item, purpose)
            return _view(item)

    def update(
        self,
        actor: Actor,
        item_id: int,
        entry: TrackerEntry,
        *,
        expected_version: int,
        purpose: str,
    ) -> TrackerItemView:
        """Replace what the item says; closing it stamps today's date, reopening clears it."""
        require(actor, Permission.RECORD_OUTCOMES)
        clean = _clean(entry)
        with self._db.transaction() as session:
            query = select(LearningTrackerItem).where(LearningTrackerItem.id == item_id)
            item = session.scalar(query.with_for_update())
            if item is None:
                raise NotFound(f"there is no tracker item {item_id}")
            if item.version != expected_version:
                who, when = _last_change(session, item)
                raise ConcurrentEdit("tracker item", who, when, item.version)
            if _view(item).entry == clean:
                return _view(item)
            _apply(item, clean, today=utc_now().date())
            session.flush()
            _audit(session, actor, "tracker.changed", item, purpose)
            return _view(item)


def _clean(entry: TrackerEntry) -> TrackerEntry:
    """The entry as it would be stored: free text as typed (line endings LF), the theme and
    owner trimmed; a recommendation of only spaces is no recommendation."""
    recommendation = typed_text(entry.recommendation, "recommendation")
    theme = typed_name(entry.theme, "theme")
    owner = typed_name(entry.owner, "owner")
    response = typed_text(entry.force_response, "force's response")
    if is_blank(recommendation) or not (theme and owner):
        raise BadInput("a tracker item needs a recommendation, a theme and an owner")
    return TrackerEntry(
        recommendation, theme, owner, TrackerStatus(entry.status), response, entry.due_on
    )


def _apply(item: LearningTrackerItem, entry: TrackerEntry, *, today: date) -> None:
    if entry.status == TrackerStatus.CLOSED and item.status != TrackerStatus.CLOSED:
        item.closed_on = today
    elif entry.status != TrackerStatus.CLOSED:
        item.closed_on = None
    item.recommendation, item.theme, item.owner = entry.recommendation, entry.theme, entry.owner
    item.status, item.force_response, item.due_on = entry.status, entry.force_response, entry.due_on


def _last_change(session: Session, item: LearningTrackerItem) -> tuple[str, datetime]:
    """Tracker rows keep no editor column, so the audit log says who changed it last."""
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "tracker_item", AuditEvent.entity_id == str(item.id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if event is None:  # a row written outside the app
        return "another user", utc_now()
    return event.actor, event.occurred_at


def _view(item: LearningTrackerItem) -> TrackerItemView:
    return TrackerItemView(
        id=item.id,
        entry=TrackerEntry(
            item.recommendation,
            item.theme,
            item.owner,
            item.status,
            item.force_response,
            item.due_on,
        ),
        raised_in_session_id=item.raised_in_session_id,
        raised_on=item.raised_on,
        closed_on=item.closed_on,
        version=item.version,
    )


def _audit(
    session: Session, actor: Actor, action: str, item: LearningTrackerItem, purpose: str
) -> None:
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="tracker_item",
        entity_id=item.id,
        detail={"status": item.status.value, "version": item.version},
    )
