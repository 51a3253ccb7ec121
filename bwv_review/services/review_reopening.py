"""The chair reopens a member's submitted review so they can change it and submit again.

Submitting locks a review; a member who pressed Submit too soon, or who finds a mistake
before the meeting, asks the chair. Reopening needs a reason and is audited, and it is
possible only while the session is open: once finalised, changes are amendments.

Submitting fixed the suggested grades as the member's grades. Reopening lets those follow
the answers again (a grade the member chose over the suggestion, or explained, is kept),
so a corrected answer is not left under a stale grade.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import GradeChoice, evaluate_form
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import ReviewSessionStatus, ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.review_access import (
    RubricLookup,
    applicable_checks,
    chaired_session,
    installed_rubric,
    member_labels,
    require_status,
)
from bwv_review.services.review_views import answers_of
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Assignment, Case, DimensionGrade, Review, User
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmittedReview:
    assignment_id: int
    case_id: int
    force_reference: str
    username: str
    member: str  # the label the panel knows them by (Member A, or their name)
    submitted_at: datetime | None


class ReviewReopeningService:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics

    def submitted(self, actor: Actor, session_id: int) -> list[SubmittedReview]:
        """The session's submitted reviews, by case then member: what may be reopened."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id)
            labels = member_labels(session, review_session)
            rows = session.execute(
                select(Assignment, Case.force_reference, User.username, Review.submitted_at)
                .join(Review, Review.assignment_id == Assignment.id)
                .join(Case, Case.id == Assignment.case_id)
                .join(User, User.id == Assignment.reviewer_id)
                .where(
                    Assignment.session_id == session_id,
                    Review.status == ReviewStatus.SUBMITTED,
                )
                .order_by(Case.force_reference, Assignment.reviewer_id)
            ).all()
            return [
                SubmittedReview(
                    a.id,
                    a.case_id,
                    reference,
                    username,
                    labels.get(a.reviewer_id, username),
                    submitted_at,
                )
                for a, reference, username, submitted_at in rows
            ]

    def reopen(
        self, actor: Actor, session_id: int, assignment_id: int, *, reason: str, purpose: str
    ) -> None:
        """Unlock one submitted review of the session for its member."""
        why = typed_text(reason, "reason for reopening")
        if is_blank(why):
            raise BadInput("say why the review is reopened (the member and the record see it)")
        with self._db.transaction() as session:
            # Session row first, then the assignment, as reviewers' saves lock them.
            review_session = chaired_session(session, actor, session_id, lock=True)
            assignment = session.scalar(
                select(Assignment).where(Assignment.id == assignment_id).with_for_update()
            )
            if assignment is None or assignment.session_id != session_id:
                raise NotFound(f"assignment {assignment_id} is not in this session")
            require_status(review_session, ReviewSessionStatus.OPEN)
            review = session.scalar(select(Review).where(Review.assignment_id == assignment_id))
            if review is None or review.status != ReviewStatus.SUBMITTED:
                raise BadInput("this review is not submitted, so there is nothing to reopen")
            rubric = self._rubrics(review_session.rubric_id, review_session.rubric_version)
            _release_suggested_grades(session, review, rubric, assignment)
            review.status = ReviewStatus.IN_PROGRESS
            review.submitted_at = None
            review.updated_at = utc_now()
            labels = member_labels(session, review_session)
            append_event(
                session,
                actor=actor.username,
                action="review.reopened",
                purpose=purpose,
                entity_type="review",
                entity_id=review.id,
                detail={
                    "session": review_session.name,
                    "case": assignment.case_id,
                    "member": labels.get(assignment.reviewer_id),
                    "reason": why,
                },
            )
            log.info("review %s reopened by %s", review.id, actor.username)


def _release_suggested_grades(
    session: Session, review: Review, rubric: Rubric, assignment: Assignment
) -> None:
    """Drop the grades submission copied from the suggestions (unexplained and equal to
    what the answers suggest), so they follow the answers again."""
    applicable = applicable_checks(rubric, session.get_one(Case, assignment.case_id))
    answers = answers_of(session, review.id)
    suggested = evaluate_form(rubric, answers, applicable, {}, None).dimension_suggestions
    kept: dict[str, GradeChoice] = {}
    for row in session.scalars(select(DimensionGrade).where(DimensionGrade.review_id == review.id)):
        suggestion = suggested.get(row.dimension_id)
        if is_blank(row.override_reason) and suggestion and row.grade.value == suggestion.grade_id:
            session.delete(row)
        else:
            kept[row.dimension_id] = GradeChoice(row.grade.value, row.override_reason)
    case_suggestion = evaluate_form(rubric, answers, applicable, kept, None).case_suggestion
    if (
        review.overall_grade is not None
        and is_blank(review.overall_grade_override_reason)
        and review.overall_grade.value == case_suggestion.grade_id
    ):
        review.overall_grade = None
    session.flush()
