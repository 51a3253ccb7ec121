"""The reviewer's side: a queue of assigned cases, one case's record and form, answers,
grades, notes and learning points saved as they are made, submission, and, once allowed,
the other members' answers.

Each save is one small transaction with its audit event, so a crash loses nothing a
reviewer saw saved. Writes lock the assignment row first: two laptops signed in as the
same reviewer queue up instead of interleaving, and a submitted review stays locked.
Independence is enforced here, not in the GUI: others' answers are refused until the
reviewer has submitted (and, if the chair chose, until everyone assigned the case has).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import (
    FormState,
    ReviewRuleError,
    check_answer,
)
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import CaseGrade, LearningKind, ReviewSessionStatus, ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied, Problem
from bwv_review.services.review_access import (
    RubricLookup,
    applicable_checks,
    installed_rubric,
    member_labels,
    own_assignment,
    require_status,
)
from bwv_review.services.review_views import (
    MemberReview,
    ReviewView,
    all_submitted,
    is_locked,
    member_review,
    review_view,
    submitted_reviews,
)
from bwv_review.services.review_writing import (
    audit_review,
    check_position,
    find_review,
    form_state,
    grade_input,
    point_content,
    start_review,
    writable_review,
)
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Answer,
    Assignment,
    Case,
    Clip,
    DimensionGrade,
    LearningPoint,
    Review,
    ReviewSession,
)
from bwv_review.store.types import utc_now


class SubmissionRefused(BadInput):
    """Submission is blocked; `problems` names every unanswered check and missing reason."""


class ReviewText(StrEnum):
    GENERAL_NOTE = "general_note"
    QUESTION_TO_FORCE = "question_to_force"

    @property
    def label(self) -> str:
        """The field as a refusal names it."""
        return self.value.replace("_", " ").replace(" force", " the force")


@dataclass(frozen=True)
class QueueItem:
    assignment_id: int
    session_id: int
    session_name: str
    case_id: int
    force_reference: str
    case_type: str
    status: str  # not_started | in_progress | submitted
    answered: int
    total: int
    locked: bool


@dataclass(frozen=True)
class LearningPointInput:
    """A stamp from the player: the settled position, its frame and how sure that is."""

    clip_id: int
    position_ms: int
    frame_index: int | None
    frame_uncertainty: int
    kind: LearningKind
    tags: tuple[str, ...]
    note: str


class ReviewsService:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics

    def queue(self, actor: Actor) -> list[QueueItem]:
        """The actor's assigned cases in opened sessions, with progress."""
        with self._db.transaction() as session:
            answered = (
                select(Answer.review_id, func.count().label("n"))
                .group_by(Answer.review_id)
                .subquery()
            )
            rows = session.execute(
                select(Assignment, ReviewSession, Case, Review, answered.c.n)
                .join(ReviewSession, ReviewSession.id == Assignment.session_id)
                .join(Case, Case.id == Assignment.case_id)
                .outerjoin(Review, Review.assignment_id == Assignment.id)
                .outerjoin(answered, answered.c.review_id == Review.id)
                .where(
                    Assignment.reviewer_id == actor.user_id,
                    ReviewSession.status != ReviewSessionStatus.DRAFT,
                )
                .order_by(ReviewSession.created_at.desc(), Case.force_reference)
            ).all()
            items = []
            for assignment, review_session, case, review, count in rows:
                rubric = self._rubric(review_session)
                status = review.status.value if review else "not_started"
                if review is None:
                    # Opening presets the checks that do not apply (Not applicable); count
                    # them now so the queue shows the number the case opens with.
                    applicable = applicable_checks(rubric, case)
                    count = sum(1 for check in rubric.checks if check.id not in applicable)
                items.append(
                    QueueItem(
                        assignment_id=assignment.id,
                        session_id=review_session.id,
                        session_name=review_session.name,
                        case_id=case.id,
                        force_reference=case.force_reference,
                        case_type=case.case_type.value,
                        status=status,
                        answered=count or 0,
                        total=len(rubric.checks),
                        locked=is_locked(review_session, review),
                    )
                )
            return items

    def open_case(self, actor: Actor, assignment_id: int, *, purpose: str) -> ReviewView:
        """The record, clips and form. Opening is logged (personal data consulted) and
        starts the review, filling checks that do not apply with Not applicable."""
        with self._db.transaction() as session:
            assignment = own_assignment(session, actor, assignment_id, lock=True)
            review_session = session.get_one(ReviewSession, assignment.session_id)
            require_status(review_session, ReviewSessionStatus.OPEN, ReviewSessionStatus.FINALISED)
            case = session.get_one(Case, assignment.case_id)
            rubric = self._rubric(review_session)
            applicable = applicable_checks(rubric, case)
            review = find_review(session, assignment.id)
            if review is None and review_session.status == ReviewSessionStatus.OPEN:
                review = start_review(session, assignment, rubric, applicable)
            append_event(
                session,
                actor=actor.username,
                action="case.viewed",
                purpose=purpose,
                entity_type="case",
                entity_id=case.id,
                detail={"assignment": assignment.id},
            )
            return review_view(
                session, assignment, review_session, case, review, rubric, applicable
            )

    def save_answer(
        self,
        actor: Actor,
        assignment_id: int,
        check_id: str,
        answer_id: str,
        reason: str | None = None,
        *,
        purpose: str,
    ) -> FormState:
        """Save one answer (and its reason) now. A missing reason is allowed while
        working and refused only at submission."""
        with self._writable(actor, assignment_id) as (session, review, rubric, applicable):
            try:
                check = check_answer(rubric, check_id, answer_id)
            except ReviewRuleError as exc:
                raise BadInput(str(exc)) from None
            why = typed_text(reason, f"reason for “{check.text}”") or None
            answer = session.scalar(
                select(Answer).where(Answer.review_id == review.id, Answer.check_id == check_id)
            )
            if answer is not None and (answer.value, answer.reason) == (answer_id, why):
                return form_state(session, review, rubric, applicable)
            if answer is None:
                answer = Answer(review_id=review.id, check_id=check_id)
                session.add(answer)
            answer.value, answer.reason, answer.updated_at = answer_id, why, utc_now()
            audit_review(
                session,
                actor,
                "review.answer_saved",
                review,
                purpose,
                check=check_id,
                answer=answer_id,
                has_reason=not is_blank(why),
            )
            return form_state(session, review, rubric, applicable)

    def set_dimension_grade(
        self,
        actor: Actor,
        assignment_id: int,
        dimension_id: str,
        grade_id: str | None,
        reason: str | None = None,
        *,
        purpose: str,
    ) -> FormState:
        """Choose a dimension's grade over the suggestion (None: take the suggestion)."""
        with self._writable(actor, assignment_id) as (session, review, rubric, applicable):
            try:
                label = rubric.dimension(dimension_id).label
            except KeyError:
                raise BadInput(f"the rubric has no dimension {dimension_id!r}") from None
            grade, why = grade_input(rubric, grade_id, reason, f"reason for the {label} grade")
            row = session.scalar(
                select(DimensionGrade).where(
                    DimensionGrade.review_id == review.id,
                    DimensionGrade.dimension_id == dimension_id,
                )
            )
            now = (row.grade, row.override_reason) if row is not None else (None, None)
            if now == (grade, why):
                return form_state(session, review, rubric, applicable)
            if grade is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(
                    DimensionGrade(
                        review_id=review.id,
                        dimension_id=dimension_id,
                        grade=grade,
                        override_reason=why,
                    )
                )
            else:
                row.grade, row.override_reason = grade, why
            audit_review(
                session,
                actor,
                "review.dimension_graded",
                review,
                purpose,
                dimension=dimension_id,
                grade=grade_id,
            )
            session.flush()
            return form_state(session, review, rubric, applicable)

    def set_case_grade(
        self,
        actor: Actor,
        assignment_id: int,
        grade_id: str | None,
        reason: str | None = None,
        *,
        purpose: str,
    ) -> FormState:
        """Choose the case grade over the suggestion (None: take the suggestion)."""
        with self._writable(actor, assignment_id) as (session, review, rubric, applicable):
            grade, why = grade_input(rubric, grade_id, reason, "reason for the case grade")
            if (review.overall_grade, review.overall_grade_override_reason) == (grade, why):
                return form_state(session, review, rubric, applicable)
            review.overall_grade, review.overall_grade_override_reason = grade, why
            audit_review(session, actor, "review.case_graded", review, purpose, grade=grade_id)
            return form_state(session, review, rubric, applicable)

    def set_text(
        self, actor: Actor, assignment_id: int, field: ReviewText, text: str, *, purpose: str
    ) -> None:
        """The general note or the suggested question to the force."""
        with self._writable(actor, assignment_id) as (session, review, _rubric, _applicable):
            value = typed_text(text, field.label) or None
            if getattr(review, field.value) == value:
                return
            setattr(review, field.value, value)
            audit_review(
                session,
                actor,
                f"review.{field.value}_saved",
                review,
                purpose,
                chars=len(value or ""),
            )

    def add_learning_point(
        self, actor: Actor, assignment_id: int, point: LearningPointInput, *, purpose: str
    ) -> int:
        with self._writable(actor, assignment_id) as (session, review, rubric, _applicable):
            clip = session.get(Clip, point.clip_id)
            assignment = session.get_one(Assignment, review.assignment_id)
            if clip is None or clip.case_id != assignment.case_id:
                raise BadInput(f"clip {point.clip_id} is not one of this case's clips")
            check_position(clip, point)
            tags, note = point_content(rubric, LearningKind(point.kind), point.tags, point.note)
            row = LearningPoint(
                review_id=review.id,
                clip_id=clip.id,
                position_ms=point.position_ms,
                frame_index=point.frame_index,
                frame_uncertainty=point.frame_uncertainty,
                kind=LearningKind(point.kind),
                tags_json=json.dumps(tags),
                note=note,
            )
            session.add(row)
            session.flush()
            audit_review(
                session,
                actor,
                "review.learning_point_added",
                review,
                purpose,
                point=row.id,
                clip=clip.id,
                position_ms=point.position_ms,
            )
            return row.id

    def update_learning_point(
        self,
        actor: Actor,
        point_id: int,
        *,
        kind: LearningKind,
        tags: Iterable[str],
        note: str,
        purpose: str,
    ) -> None:
        """Change what a point says; its place in the clip stays as stamped."""
        assignment_id = self._point_assignment(actor, point_id)
        with self._writable(actor, assignment_id) as (session, review, rubric, _applicable):
            row = session.get_one(LearningPoint, point_id)
            clean_tags, clean_note = point_content(rubric, LearningKind(kind), tags, note)
            content = (LearningKind(kind), json.dumps(clean_tags), clean_note)
            if (row.kind, row.tags_json, row.note) == content:
                return
            row.kind, row.tags_json, row.note = content
            row.updated_at = utc_now()
            audit_review(
                session, actor, "review.learning_point_changed", review, purpose, point=point_id
            )

    def delete_learning_point(self, actor: Actor, point_id: int, *, purpose: str) -> None:
        assignment_id = self._point_assignment(actor, point_id)
        with self._writable(actor, assignment_id) as (session, review, _rubric, _applicable):
            session.delete(session.get_one(LearningPoint, point_id))
            audit_review(
                session, actor, "review.learning_point_deleted", review, purpose, point=point_id
            )

    def submit(self, actor: Actor, assignment_id: int, *, purpose: str) -> FormState:
        """Lock the review. Refused, naming each gap, while a check is unanswered, a
        required reason is missing or an override is unexplained."""
        with self._writable(actor, assignment_id) as (session, review, rubric, applicable):
            state = form_state(session, review, rubric, applicable)
            if not state.submittable:
                count = len(state.problems)
                raise SubmissionRefused(
                    f"cannot submit yet: {count} thing{'s' if count != 1 else ''} to finish",
                    [Problem(p) for p in state.problems],
                )
            chosen = set(
                session.scalars(
                    select(DimensionGrade.dimension_id).where(DimensionGrade.review_id == review.id)
                )
            )
            session.add_all(
                DimensionGrade(review_id=review.id, dimension_id=dim, grade=CaseGrade(grade))
                for dim, grade in state.dimension_grades.items()
                if grade is not None and dim not in chosen
            )
            review.overall_grade = CaseGrade(state.case_grade) if state.case_grade else None
            review.status = ReviewStatus.SUBMITTED
            review.submitted_at = utc_now()
            audit_review(
                session, actor, "review.submitted", review, purpose, grade=state.case_grade
            )
            return state

    def others_reviews(
        self, actor: Actor, assignment_id: int, *, purpose: str
    ) -> list[MemberReview]:
        """Other members' submitted reviews of this case, once independence allows."""
        with self._db.transaction() as session:
            assignment = own_assignment(session, actor, assignment_id)
            review_session = session.get_one(ReviewSession, assignment.session_id)
            own = find_review(session, assignment.id)
            if own is None or own.status != ReviewStatus.SUBMITTED:
                raise PermissionDenied("submit your own review before seeing other members'")
            reviews = submitted_reviews(session, assignment.session_id, assignment.case_id)
            if review_session.reveal_after_all_submitted and not all_submitted(
                session, assignment.session_id, assignment.case_id
            ):
                raise PermissionDenied(
                    "the chair has asked that answers stay hidden until every member "
                    "assigned this case has submitted"
                )
            labels = member_labels(session, review_session)
            append_event(
                session,
                actor=actor.username,
                action="review.others_viewed",
                purpose=purpose,
                entity_type="case",
                entity_id=assignment.case_id,
                detail={"session": assignment.session_id, "reviews": len(reviews) - 1},
            )
            return [
                member_review(session, review, labels[reviewer_id])
                for reviewer_id, review in reviews.items()
                if reviewer_id != actor.user_id
            ]

    # --- helpers that need the service's state ---------------------------------------------

    def _rubric(self, review_session: ReviewSession) -> Rubric:
        return self._rubrics(review_session.rubric_id, review_session.rubric_version)

    def _writable(
        self, actor: Actor, assignment_id: int
    ) -> AbstractContextManager[tuple[Session, Review, Rubric, frozenset[str]]]:
        return writable_review(self._db, self._rubric, actor, assignment_id)

    def _point_assignment(self, actor: Actor, point_id: int) -> int:
        with self._db.transaction() as session:
            found = session.scalar(
                select(Review.assignment_id)
                .join(LearningPoint, LearningPoint.review_id == Review.id)
                .where(LearningPoint.id == point_id)
            )
            if found is None:
                raise NotFound(f"there is no learning point {point_id}")
            return int(found)
