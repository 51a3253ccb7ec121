"""What reviews look like when read: the reviewer's case view and another member's
submitted review, built from rows in one place so the reviewer's screen, the independence
check and the chair's consensus view show the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import AnswerEntry, FormState, GradeChoice, evaluate_form
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.vocab import ReviewSessionStatus, ReviewStatus
from bwv_review.store.models import (
    Answer,
    Assignment,
    Case,
    DimensionGrade,
    LearningPoint,
    Review,
    ReviewSession,
)


@dataclass(frozen=True)
class CaseRecord:
    """The record as a reviewer sees it: no names (the officer appears by pseudonym)."""

    case_id: int
    force_reference: str
    case_type: str
    occurred_at: datetime
    area: str | None
    power: str | None
    object_of_search: str | None
    grounds_text: str | None
    outcome: str | None
    outcome_linked: bool | None
    subject_age_band: str | None
    subject_gender: str | None
    subject_self_defined_ethnicity: str | None
    subject_officer_defined_ethnicity: str | None
    strip_search: bool | None
    taser_highest_level: str | None
    officer_pseudonym: str | None


@dataclass(frozen=True)
class ClipRef:
    clip_id: int
    label: str
    duration_ms: int | None
    frame_count: int | None
    deletion_due_on: date | None
    status: str


@dataclass(frozen=True)
class LearningPointView:
    id: int
    clip_id: int
    position_ms: int
    frame_index: int | None
    frame_uncertainty: int
    kind: str
    tags: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ReviewView:
    assignment_id: int
    session_name: str
    rubric: Rubric
    status: str
    locked: bool
    case: CaseRecord
    clips: tuple[ClipRef, ...]
    applicable: frozenset[str]
    answers: Mapping[str, AnswerEntry]
    dimension_choices: Mapping[str, GradeChoice]
    case_choice: GradeChoice | None
    general_note: str | None
    question_to_force: str | None
    form: FormState
    learning_points: tuple[LearningPointView, ...]


@dataclass(frozen=True)
class MemberReview:
    """Another member's submitted review, under their label (Member A ...)."""

    label: str
    answers: Mapping[str, AnswerEntry]
    dimension_grades: Mapping[str, str]
    case_grade: str | None
    case_grade_reason: str | None
    general_note: str | None
    question_to_force: str | None


def submitted_reviews(session: Session, session_id: int, case_id: int) -> dict[int, Review]:
    """Submitted reviews of a case in a session, by reviewer id."""
    rows = session.execute(
        select(Assignment.reviewer_id, Review)
        .join(Review, Review.assignment_id == Assignment.id)
        .where(
            Assignment.session_id == session_id,
            Assignment.case_id == case_id,
            Review.status == ReviewStatus.SUBMITTED,
        )
        .order_by(Assignment.reviewer_id)
    ).all()
    return {reviewer_id: review for reviewer_id, review in rows}


def all_submitted(session: Session, session_id: int, case_id: int) -> bool:
    pending = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(
            Assignment.session_id == session_id,
            Assignment.case_id == case_id,
            (Review.id.is_(None)) | (Review.status != ReviewStatus.SUBMITTED),
        )
    )
    return not pending


def answers_of(session: Session, review_id: int) -> dict[str, AnswerEntry]:
    return {
        a.check_id: AnswerEntry(a.value, a.reason)
        for a in session.scalars(select(Answer).where(Answer.review_id == review_id))
    }


def member_review(session: Session, review: Review, label: str) -> MemberReview:
    return MemberReview(
        label=label,
        answers=answers_of(session, review.id),
        dimension_grades={
            g.dimension_id: g.grade.value
            for g in session.scalars(
                select(DimensionGrade).where(DimensionGrade.review_id == review.id)
            )
        },
        case_grade=review.overall_grade.value if review.overall_grade else None,
        case_grade_reason=review.overall_grade_override_reason,
        general_note=review.general_note,
        question_to_force=review.question_to_force,
    )


def is_locked(review_session: ReviewSession, review: Review | None) -> bool:
    return review_session.status != ReviewSessionStatus.OPEN or (
        review is not None and review.status == ReviewStatus.SUBMITTED
    )


def grade_choices(
    session: Session, review: Review
) -> tuple[dict[str, GradeChoice], GradeChoice | None]:
    dimension_choices = {
        g.dimension_id: GradeChoice(g.grade.value, g.override_reason)
        for g in session.scalars(
            select(DimensionGrade).where(DimensionGrade.review_id == review.id)
        )
    }
    case_choice = (
        GradeChoice(review.overall_grade.value, review.overall_grade_override_reason)
        if review.overall_grade
        else None
    )
    return dimension_choices, case_choice


def review_view(
    session: Session,
    assignment: Assignment,
    review_session: ReviewSession,
    case: Case,
    review: Review | None,
    rubric: Rubric,
    applicable: frozenset[str],
) -> ReviewView:
    if review is None:
        answers: dict[str, AnswerEntry] = {}
        dimension_choices: dict[str, GradeChoice] = {}
        case_choice = None
        points: list[LearningPoint] = []
    else:
        answers = answers_of(session, review.id)
        dimension_choices, case_choice = grade_choices(session, review)
        points = list(
            session.scalars(
                select(LearningPoint)
                .where(LearningPoint.review_id == review.id)
                .order_by(LearningPoint.clip_id, LearningPoint.position_ms, LearningPoint.id)
            )
        )
    return ReviewView(
        assignment_id=assignment.id,
        session_name=review_session.name,
        rubric=rubric,
        status=review.status.value if review else "not_started",
        locked=is_locked(review_session, review),
        case=_record(case),
        clips=tuple(
            ClipRef(c.id, c.label, c.duration_ms, c.frame_count, c.deletion_due_on, c.status.value)
            for c in case.clips
        ),
        applicable=applicable,
        answers=answers,
        dimension_choices=dimension_choices,
        case_choice=case_choice,
        general_note=review.general_note if review else None,
        question_to_force=review.question_to_force if review else None,
        form=evaluate_form(rubric, answers, applicable, dimension_choices, case_choice),
        learning_points=tuple(point_view(p) for p in points),
    )


def point_view(point: LearningPoint) -> LearningPointView:
    """A stored point as the reviewer's screen and the chair's comparison both read it."""
    return LearningPointView(
        point.id,
        point.clip_id,
        point.position_ms,
        point.frame_index,
        point.frame_uncertainty,
        point.kind.value,
        tuple(json.loads(point.tags_json)),
        point.note,
    )


def _record(case: Case) -> CaseRecord:
    return CaseRecord(
        case_id=case.id,
        force_reference=case.force_reference,
        case_type=case.case_type.value,
        occurred_at=case.occurred_at,
        area=case.area,
        power=case.power,
        object_of_search=case.object_of_search,
        grounds_text=case.grounds_text,
        outcome=case.outcome,
        outcome_linked=case.outcome_linked,
        subject_age_band=case.subject_age_band,
        subject_gender=case.subject_gender,
        subject_self_defined_ethnicity=case.subject_self_defined_ethnicity,
        subject_officer_defined_ethnicity=case.subject_officer_defined_ethnicity,
        strip_search=case.strip_search,
        taser_highest_level=case.taser_highest_level,
        officer_pseudonym=case.officer_pseudonym,
    )
