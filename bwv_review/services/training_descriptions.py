"""Training descriptions: the words about a learning point that may leave the workspace.

A reviewer's note is written for the panel and can hold names, places and references; it is
never exported. The chair or a training lead reads it and writes (or approves, by saving a
copy they have checked) a description fit for training. Each change is audited, and a save
based on a stale read is refused with who changed it and when, as for panel outcomes.

A description that names the point's case reference, its officer's pseudonym or anyone who
signs in here (by name or pseudonym) is refused: it would carry personal data into every
export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Assignment,
    Case,
    LearningPoint,
    Review,
    TrainingDescription,
    User,
)
from bwv_review.store.types import utc_now

FIELD = "training description"


@dataclass(frozen=True)
class DescriptionState:
    """A point's description as stored; `version` None means it has none yet, which is
    also what a save expects when writing the first one."""

    point_id: int
    text: str
    version: int | None


class TrainingDescriptionsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(
        self,
        actor: Actor,
        point_id: int,
        text: str,
        *,
        expected_version: int | None,
        purpose: str,
    ) -> DescriptionState:
        """Store `text` as the point's description (saved as typed); blank removes it. A
        save that changes nothing writes nothing."""
        require(actor, Permission.DESCRIBE_LEARNING)
        clean = typed_text(text, FIELD)
        with self._db.transaction() as session:
            case = _submitted_point_case(session, point_id)
            stored = session.scalar(
                select(TrainingDescription)
                .where(TrainingDescription.learning_point_id == point_id)
                .with_for_update()
            )
            current = None if stored is None else stored.version
            if current != expected_version:
                _refuse_stale(session, stored)
            if is_blank(clean):
                if stored is None:
                    return DescriptionState(point_id, "", None)
                session.delete(stored)
                _audit(session, actor, "training_description.removed", point_id, purpose)
                return DescriptionState(point_id, "", None)
            if stored is not None and stored.text == clean:
                return DescriptionState(point_id, clean, stored.version)
            _refuse_identifiers(clean, _identifiers(session, case))
            if stored is None:
                stored = TrainingDescription(learning_point_id=point_id, text=clean)
                session.add(stored)
            else:
                stored.text = clean
            stored.written_by, stored.written_at = actor.user_id, utc_now()
            session.flush()
            _audit(
                session,
                actor,
                "training_description.written",
                point_id,
                purpose,
                version=stored.version,
                chars=len(clean),
            )
            return DescriptionState(point_id, clean, stored.version)


def _submitted_point_case(session: Session, point_id: int) -> Case:
    """The case of a point in a submitted review; points still being written are the
    reviewer's own until they submit."""
    row = session.execute(
        select(Review.status, Case)
        .select_from(LearningPoint)
        .join(Review, Review.id == LearningPoint.review_id)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .join(Case, Case.id == Assignment.case_id)
        .where(LearningPoint.id == point_id)
    ).first()
    if row is None or row[0] != ReviewStatus.SUBMITTED:
        raise NotFound(f"there is no submitted learning point {point_id}")
    return row[1]


def _identifiers(session: Session, case: Case) -> list[str]:
    people = session.execute(select(User.display_name, User.pseudonym)).all()
    found = [case.force_reference, case.officer_pseudonym or ""]
    for name, pseudonym in people:
        found.extend((name, pseudonym))
    return [value for value in found if value.strip()]


def _refuse_identifiers(text: str, identifiers: Iterable[str]) -> None:
    for value in identifiers:
        if re.search(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, re.IGNORECASE):
            raise BadInput(
                f"the {FIELD} names {value.strip()!r} (a case reference, officer pseudonym "
                "or person in this workspace): descriptions leave the workspace, so write "
                "it without names or references"
            )


def _refuse_stale(session: Session, stored: TrainingDescription | None) -> None:
    if stored is None:
        raise BadInput(
            f"this point's {FIELD} was removed while you were editing; reload to see it, "
            "then make your change again"
        )
    writer = session.get(User, stored.written_by)
    who = writer.display_name if writer else "another user"
    raise ConcurrentEdit(FIELD, who, stored.written_at, stored.version)


def _audit(
    session: Session, actor: Actor, action: str, point_id: int, purpose: str, **detail: int
) -> None:
    """The event names the point and the text's length, never the text: the log is kept
    for ever and cannot be corrected."""
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="learning_point",
        entity_id=point_id,
        detail=detail,
    )
