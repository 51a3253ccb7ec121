"""The writing side of one reviewer's review: the locked transaction every save runs in,
starting a review, and checking what a save carries before it is stored.

Split from reviews.py, which keeps the service's methods; these helpers are what those
methods share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import (
    FormState,
    ReviewRuleError,
    check_grade,
    check_tags,
    evaluate_form,
)
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.vocab import CaseGrade, LearningKind, ReviewSessionStatus, ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.review_access import applicable_checks, own_assignment, require_status
from bwv_review.services.review_views import answers_of, grade_choices
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Answer, Assignment, Case, Clip, Review, ReviewSession
from bwv_review.store.types import utc_now

if TYPE_CHECKING:
    from bwv_review.services.reviews import LearningPointInput


@contextmanager
def writable_review(
    db: Database, rubric_of: Callable[[ReviewSession], Rubric], actor: Actor, assignment_id: int
) -> Iterator[tuple[Session, Review, Rubric, frozenset[str]]]:
    """One transaction holding the assignment's lock, on a review that may still change:
    the session is open and the review not submitted."""
    with db.transaction() as session:
        assignment = own_assignment(session, actor, assignment_id, lock=True)
        review_session = session.get_one(ReviewSession, assignment.session_id)
        require_status(review_session, ReviewSessionStatus.OPEN)
        rubric = rubric_of(review_session)
        applicable = applicable_checks(rubric, session.get_one(Case, assignment.case_id))
        review = find_review(session, assignment.id) or start_review(
            session, assignment, rubric, applicable
        )
        if review.status == ReviewStatus.SUBMITTED:
            raise BadInput("this review is submitted and locked")
        yield session, review, rubric, applicable


def find_review(session: Session, assignment_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.assignment_id == assignment_id))


def start_review(
    session: Session, assignment: Assignment, rubric: Rubric, applicable: frozenset[str]
) -> Review:
    """A new review; checks that do not apply start at Not applicable, as the rubric says."""
    review = Review(assignment_id=assignment.id, status=ReviewStatus.IN_PROGRESS)
    session.add(review)
    session.flush()
    session.add_all(
        Answer(review_id=review.id, check_id=check.id, value=rubric.not_applicable_answer_id)
        for check in rubric.checks
        if check.id not in applicable
    )
    session.flush()
    return review


def form_state(
    session: Session, review: Review, rubric: Rubric, applicable: frozenset[str]
) -> FormState:
    session.flush()
    dimension_choices, case_choice = grade_choices(session, review)
    return evaluate_form(
        rubric, answers_of(session, review.id), applicable, dimension_choices, case_choice
    )


def grade_input(
    rubric: Rubric, grade_id: str | None, reason: str | None, field: str
) -> tuple[CaseGrade | None, str | None]:
    """The chosen grade and its reason as stored (None for no reason); no grade, no reason."""
    if grade_id is None:
        return None, None
    try:
        grade = CaseGrade(check_grade(rubric, grade_id))
    except ReviewRuleError as exc:
        raise BadInput(str(exc)) from None
    return grade, typed_text(reason, field) or None


def check_position(clip: Clip, point: LearningPointInput) -> None:
    if point.position_ms < 0 or (
        clip.duration_ms is not None and point.position_ms > clip.duration_ms
    ):
        raise BadInput(f"{point.position_ms} ms is outside the clip")
    if point.frame_uncertainty < 0 or (point.frame_index is not None and point.frame_index < 0):
        raise BadInput("a frame index and its uncertainty are never negative")


def point_content(
    rubric: Rubric, kind: LearningKind, tags: Iterable[str], note: str
) -> tuple[tuple[str, ...], str]:
    try:
        clean_tags = check_tags(rubric, tags, kind)
    except ReviewRuleError as exc:
        raise BadInput(str(exc)) from None
    return clean_tags, typed_text(note, "learning point's note")


def audit_review(
    session: Session, actor: Actor, action: str, review: Review, purpose: str, **detail: object
) -> None:
    """Every change to a review is audited, so this is also where it is stamped updated: a
    save that changes nothing calls neither."""
    review.updated_at = utc_now()
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="review",
        entity_id=review.id,
        detail=detail,
    )
