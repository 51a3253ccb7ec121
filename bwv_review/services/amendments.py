"""Corrections after a session is finalised: an amendment with a reason, kept beside the
original, which is never overwritten.

A reviewer corrects an answer of their own review; the chair corrects the panel outcome.
Each amendment records the value it replaces (the original, or the previous amendment), so
the history reads in order and the latest amendment of a field is what now holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import (
    OutcomeAction,
    ReviewRuleError,
    check_answer,
    check_grade,
)
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission
from bwv_review.services.review_access import (
    RubricLookup,
    installed_rubric,
    own_assignment,
    panel_session,
    require_status,
)
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Amendment, Answer, PanelOutcome, Review, ReviewSession, User


class OutcomeField(StrEnum):
    CONSENSUS_GRADE = "consensus_grade"
    ACTIONS = "actions"
    VIGNETTE = "vignette"
    QUESTIONS_TO_FORCE = "questions_to_force"


@dataclass(frozen=True)
class AmendmentView:
    id: int
    case_id: int
    target: str  # answer | panel_outcome
    target_id: int
    field: str
    original_value: str | None
    amended_value: str | None
    reason: str
    amended_by: str
    amended_at: datetime


class AmendmentsService:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics

    def amend_answer(
        self,
        actor: Actor,
        assignment_id: int,
        check_id: str,
        answer_id: str,
        *,
        reason: str,
        purpose: str,
    ) -> AmendmentView:
        """Correct one answer of the actor's own review in a finalised session."""
        why = _reason(reason)
        with self._db.transaction() as session:
            assignment = own_assignment(session, actor, assignment_id, lock=True)
            review_session = session.get_one(ReviewSession, assignment.session_id)
            require_status(review_session, ReviewSessionStatus.FINALISED)
            rubric = self._rubrics(review_session.rubric_id, review_session.rubric_version)
            try:
                check_answer(rubric, check_id, answer_id)
            except ReviewRuleError as exc:
                raise BadInput(str(exc)) from None
            answer = session.scalar(
                select(Answer)
                .join(Review, Review.id == Answer.review_id)
                .where(Review.assignment_id == assignment.id, Answer.check_id == check_id)
            )
            if answer is None:
                raise NotFound(f"your review has no answer to {check_id!r} to correct")
            return _record(
                session,
                actor,
                review_session,
                assignment.case_id,
                ("answer", answer.id, "value"),
                answer.value,
                answer_id,
                why,
                purpose,
            )

    def amend_outcome(
        self,
        actor: Actor,
        session_id: int,
        case_id: int,
        field: OutcomeField,
        value: str,
        *,
        reason: str,
        purpose: str,
    ) -> AmendmentView:
        """Correct the panel outcome of a finalised session. Actions are given as
        comma-separated action ids."""
        why = _reason(reason)
        with self._db.transaction() as session:
            review_session = panel_session(
                session, actor, session_id, Permission.RECORD_OUTCOMES, lock=True
            )
            require_status(review_session, ReviewSessionStatus.FINALISED)
            rubric = self._rubrics(review_session.rubric_id, review_session.rubric_version)
            outcome = session.scalar(
                select(PanelOutcome).where(
                    PanelOutcome.session_id == session_id, PanelOutcome.case_id == case_id
                )
            )
            if outcome is None:
                raise NotFound("this case has no panel outcome to correct")
            try:
                amended = _outcome_value(rubric, field, value)
            except ReviewRuleError as exc:
                raise BadInput(str(exc)) from None
            return _record(
                session,
                actor,
                review_session,
                case_id,
                ("panel_outcome", outcome.id, field.value),
                _stored(outcome, field),
                amended,
                why,
                purpose,
            )

    def amendments(self, actor: Actor, session_id: int, case_id: int) -> list[AmendmentView]:
        """Every correction of a case's reviews and outcome in the session, oldest first."""
        with self._db.transaction() as session:
            panel_session(session, actor, session_id, Permission.RECORD_OUTCOMES)
            rows = session.execute(
                select(Amendment, User.display_name)
                .join(User, User.id == Amendment.amended_by)
                .where(Amendment.session_id == session_id, Amendment.case_id == case_id)
                .order_by(Amendment.id)
            ).all()
            return [_view(row, name) for row, name in rows]


def _reason(reason: str) -> str:
    why = typed_text(reason, "reason for the amendment")
    if is_blank(why):
        raise BadInput("an amendment needs a reason")
    return why


def _outcome_value(rubric: Rubric, field: OutcomeField, value: str) -> str | None:
    """The amended value as the outcome row would store it (actions as a JSON list)."""
    if field is OutcomeField.ACTIONS:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        try:
            return json.dumps([OutcomeAction(p).value for p in dict.fromkeys(parts)])
        except ValueError as exc:
            raise ReviewRuleError(str(exc)) from None
    if field is OutcomeField.CONSENSUS_GRADE:
        return check_grade(rubric, value.strip()) if value.strip() else None
    label = "questions to the force" if field is OutcomeField.QUESTIONS_TO_FORCE else field.value
    return typed_text(value, label)


def _stored(outcome: PanelOutcome, field: OutcomeField) -> str | None:
    if field is OutcomeField.ACTIONS:
        return outcome.actions_json
    if field is OutcomeField.CONSENSUS_GRADE:
        return outcome.consensus_grade.value if outcome.consensus_grade else None
    return str(getattr(outcome, field.value))


def _record(
    session: Session,
    actor: Actor,
    review_session: ReviewSession,
    case_id: int,
    where: tuple[str, int, str],
    stored_value: str | None,
    amended_value: str | None,
    reason: str,
    purpose: str,
) -> AmendmentView:
    target, target_id, field = where
    latest = session.scalar(
        select(Amendment)
        .where(
            Amendment.target == target, Amendment.target_id == target_id, Amendment.field == field
        )
        .order_by(Amendment.id.desc())
        .limit(1)
    )
    row = Amendment(
        session_id=review_session.id,
        case_id=case_id,
        target=target,
        target_id=target_id,
        field=field,
        original_value=latest.amended_value if latest else stored_value,
        amended_value=amended_value,
        reason=reason,
        amended_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    append_event(
        session,
        actor=actor.username,
        action="amendment.made",
        purpose=purpose,
        entity_type=target,
        entity_id=target_id,
        detail={"session": review_session.id, "case": case_id, "field": field, "amendment": row.id},
    )
    return _view(row, actor.display_name)


def _view(row: Amendment, amended_by: str) -> AmendmentView:
    return AmendmentView(
        id=row.id,
        case_id=row.case_id,
        target=row.target,
        target_id=row.target_id,
        field=row.field,
        original_value=row.original_value,
        amended_value=row.amended_value,
        reason=row.reason,
        amended_by=amended_by,
        amended_at=row.amended_at,
    )
