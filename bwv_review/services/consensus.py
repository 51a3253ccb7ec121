"""The chair's consensus data: every member's submitted answers and learning points side
by side, agreement across the session, what changed since the last look, and the panel
outcome.

Answers and outcomes are for the session's own panel (its creator and members); another
chair joins first. Members appear as Member A, B, C unless the chair turned names on. A
chair who also reviews a case sees the others' answers and the outcome only after
submitting their own, as any member, and then records the outcome like any chair. The
panel outcome carries a version: a save names the version it was based on, and a save
based on an older one is refused with who changed it and when, so two chairs' laptops
never silently overwrite each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bwv_review.domain.agreement import Agreement, ordinal_agreement
from bwv_review.domain.review_rules import (
    AnswerEntry,
    OutcomeAction,
    ReviewRuleError,
    check_grade,
    is_disagreement,
)
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.vocab import CaseGrade, ReviewSessionStatus, ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.member_points import MemberPoint, PointMoment, member_points, moments
from bwv_review.services.permissions import Permission
from bwv_review.services.review_access import (
    RubricLookup,
    chaired_session,
    installed_rubric,
    member_labels,
    panel_session,
    require_status,
)
from bwv_review.services.review_views import MemberReview, member_review, submitted_reviews
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Answer,
    Assignment,
    AuditEvent,
    Case,
    PanelOutcome,
    Review,
    ReviewSession,
    SessionCase,
    User,
)
from bwv_review.store.types import utc_now


class ConcurrentEdit(BadInput):
    """Someone saved the same record since it was read; nothing was changed."""

    def __init__(self, what: str, changed_by: str, changed_at: datetime, version: int) -> None:
        super().__init__(
            f"{changed_by} changed this {what} at {changed_at:%H:%M:%S} UTC while you were "
            "editing; reload to see their change, then make yours again"
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.version = version


class OwnReviewPending(PermissionDenied):
    """The chair is also reviewing this case and has not submitted: independence keeps the
    others' answers and the outcome from them until they do. `assignment_id` is their own
    assignment, so a screen can take them straight to it."""

    def __init__(self, force_reference: str, assignment_id: int) -> None:
        super().__init__(
            f"You are also reviewing case {force_reference}. Submit your own review of it "
            "first (under My reviews); then the other members' answers and the panel "
            "outcome open here."
        )
        self.force_reference = force_reference
        self.assignment_id = assignment_id


@dataclass(frozen=True)
class CheckRow:
    check_id: str
    answers: Mapping[str, AnswerEntry]  # member label -> answer
    disagreement: bool


@dataclass(frozen=True)
class OutcomeDraft:
    """What the chair records for a case after discussion."""

    consensus_grade: str | None
    actions: tuple[OutcomeAction, ...]
    vignette: str
    questions_to_force: str


@dataclass(frozen=True)
class OutcomeView:
    consensus_grade: str | None
    actions: tuple[str, ...]
    vignette: str
    questions_to_force: str
    force_response: str
    updated_by: str
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class CaseComparison:
    case_id: int
    force_reference: str
    discussed: bool
    members: tuple[str, ...]  # labels of members whose review is submitted
    pending: tuple[str, ...]  # labels of assigned members who have not submitted
    checks: tuple[CheckRow, ...]  # in rubric order
    reviews: tuple[MemberReview, ...]
    outcome: OutcomeView | None
    learning_points: tuple[MemberPoint, ...]  # by clip, then time
    moments: tuple[PointMoment, ...]  # the same points, those close in time together


@dataclass(frozen=True)
class SessionAgreement:
    """Krippendorff's alpha over the session's submitted reviews: per check (units are
    cases), per dimension (units are a case's checks in it) and for the case grade."""

    per_check: Mapping[str, Agreement]
    per_dimension: Mapping[str, Agreement]
    case_grade: Agreement


@dataclass(frozen=True)
class ChangeEvent:
    seq: int
    occurred_at: datetime
    action: str
    case_id: int
    member: str | None  # label of the reviewer whose review changed; None for outcomes


@dataclass(frozen=True)
class SessionChanges:
    cursor: int  # pass back as `since` next time
    events: tuple[ChangeEvent, ...]


class ConsensusService:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics

    def compare_case(
        self, actor: Actor, session_id: int, case_id: int, *, purpose: str
    ) -> CaseComparison:
        with self._db.transaction() as session:
            review_session = panel_session(session, actor, session_id)
            session_case = _session_case(session, session_id, case_id)
            reviews = submitted_reviews(session, session_id, case_id)
            assigned = session.scalars(
                select(Assignment.reviewer_id).where(
                    Assignment.session_id == session_id, Assignment.case_id == case_id
                )
            ).all()
            _require_own_review(session, actor, review_session, case_id)
            labels = member_labels(session, review_session)
            members = [member_review(session, r, labels[uid]) for uid, r in reviews.items()]
            rubric = self._rubric(review_session)
            rows = tuple(
                CheckRow(
                    check.id,
                    {m.label: m.answers[check.id] for m in members if check.id in m.answers},
                    is_disagreement(
                        m.answers[check.id].answer_id for m in members if check.id in m.answers
                    ),
                )
                for check in rubric.checks
            )
            append_event(
                session,
                actor=actor.username,
                action="consensus.viewed",
                purpose=purpose,
                entity_type="case",
                entity_id=case_id,
                detail={"session": session_id, "reviews": len(members)},
            )
            outcome = _find_outcome(session, session_id, case_id)
            points = member_points(session, reviews, labels)
            return CaseComparison(
                case_id=case_id,
                force_reference=session.get_one(Case, case_id).force_reference,
                discussed=session_case.discussed,
                members=tuple(m.label for m in members),
                pending=tuple(labels[uid] for uid in sorted(assigned) if uid not in reviews),
                checks=rows,
                reviews=tuple(members),
                outcome=_outcome_view(session, outcome) if outcome else None,
                learning_points=points,
                moments=moments(points),
            )

    def agreement(self, actor: Actor, session_id: int) -> SessionAgreement:
        with self._db.transaction() as session:
            review_session = panel_session(session, actor, session_id)
            return session_agreement(session, session_id, self._rubric(review_session))

    def changes_since(self, actor: Actor, session_id: int, since: int = 0) -> SessionChanges:
        """Review and outcome changes in the session after cursor `since` (0: from the
        start). Cheap enough to poll every few seconds: it reads the audit log's index."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, Permission.RECORD_OUTCOMES)
            labels = member_labels(session, review_session)
            head = session.scalar(select(func.max(AuditEvent.seq))) or 0
            reviews = {
                str(review_id): (case_id, labels.get(reviewer_id))
                for review_id, case_id, reviewer_id in session.execute(
                    select(Review.id, Assignment.case_id, Assignment.reviewer_id)
                    .join(Assignment, Assignment.id == Review.assignment_id)
                    .where(Assignment.session_id == session_id)
                )
            }
            outcomes: dict[str, tuple[int, str | None]] = {
                str(outcome_id): (case_id, None)
                for outcome_id, case_id in session.execute(
                    select(PanelOutcome.id, PanelOutcome.case_id).where(
                        PanelOutcome.session_id == session_id
                    )
                )
            }
            rows = session.execute(
                select(
                    AuditEvent.seq,
                    AuditEvent.occurred_at,
                    AuditEvent.action,
                    AuditEvent.entity_type,
                    AuditEvent.entity_id,
                )
                .where(
                    AuditEvent.seq > since,
                    AuditEvent.seq <= head,
                    or_(
                        and_(AuditEvent.entity_type == "review", AuditEvent.entity_id.in_(reviews)),
                        and_(
                            AuditEvent.entity_type == "panel_outcome",
                            AuditEvent.entity_id.in_(outcomes),
                        ),
                    ),
                )
                .order_by(AuditEvent.seq)
            ).all()
            events = []
            for seq, occurred_at, action, entity_type, entity_id in rows:
                assert entity_id is not None  # the query matched it against these ids
                case_id, member = (reviews if entity_type == "review" else outcomes)[entity_id]
                events.append(ChangeEvent(seq, occurred_at, action, case_id, member))
            return SessionChanges(max(head, since), tuple(events))

    def outcome(self, actor: Actor, session_id: int, case_id: int) -> OutcomeView | None:
        with self._db.transaction() as session:
            review_session = panel_session(session, actor, session_id)
            _require_own_review(session, actor, review_session, case_id)
            outcome = _find_outcome(session, session_id, case_id)
            return _outcome_view(session, outcome) if outcome else None

    def save_outcome(
        self,
        actor: Actor,
        session_id: int,
        case_id: int,
        draft: OutcomeDraft,
        *,
        expected_version: int | None,
        purpose: str,
    ) -> OutcomeView:
        """Record the panel's outcome. `expected_version` is the version read before
        editing (None when there was no outcome yet); if it is stale, ConcurrentEdit."""
        actions, vignette, questions = _clean_draft(draft)
        with self._db.transaction() as session:
            # Locking the session row queues outcome saves in this session on every laptop,
            # so the version read below cannot change before the write.
            review_session = panel_session(session, actor, session_id, lock=True)
            require_status(review_session, ReviewSessionStatus.OPEN)
            grade = _grade(self._rubric(review_session), draft.consensus_grade)
            _session_case(session, session_id, case_id)
            _require_own_review(session, actor, review_session, case_id)
            outcome = _versioned_outcome(session, session_id, case_id, expected_version)
            actions_json = json.dumps([a.value for a in actions])
            if outcome is not None and _says(outcome) == (grade, actions_json, vignette, questions):
                return _outcome_view(session, outcome)
            if outcome is None:
                outcome = PanelOutcome(session_id=session_id, case_id=case_id)
                session.add(outcome)
            outcome.consensus_grade = grade
            outcome.actions_json = actions_json
            outcome.vignette, outcome.questions_to_force = vignette, questions
            outcome.updated_by, outcome.updated_at = actor.user_id, utc_now()
            session.flush()
            _audit_outcome(
                session,
                actor,
                "outcome.saved",
                outcome,
                purpose,
                grade=draft.consensus_grade,
                actions=[a.value for a in actions],
            )
            return _outcome_view(session, outcome)

    def record_force_response(
        self,
        actor: Actor,
        session_id: int,
        case_id: int,
        response: str,
        *,
        expected_version: int,
        purpose: str,
    ) -> OutcomeView:
        """The force's written answer arrives after the meeting, so it is recorded even
        once the session is finalised (it is not the panel's judgement)."""
        text = typed_text(response, "force's response")
        with self._db.transaction() as session:
            review_session = panel_session(session, actor, session_id, lock=True)
            _require_own_review(session, actor, review_session, case_id)
            outcome = _versioned_outcome(session, session_id, case_id, expected_version)
            if outcome is None:
                raise NotFound("record the panel outcome before the force's response")
            if outcome.force_response == text:
                return _outcome_view(session, outcome)
            outcome.force_response = text
            outcome.updated_by, outcome.updated_at = actor.user_id, utc_now()
            session.flush()
            _audit_outcome(
                session, actor, "outcome.force_response", outcome, purpose, chars=len(text)
            )
            return _outcome_view(session, outcome)

    def _rubric(self, review_session: ReviewSession) -> Rubric:
        return self._rubrics(review_session.rubric_id, review_session.rubric_version)


def _grade(rubric: Rubric, grade_id: str | None) -> CaseGrade | None:
    try:
        return CaseGrade(check_grade(rubric, grade_id)) if grade_id else None
    except ReviewRuleError as exc:
        raise BadInput(str(exc)) from None


def _clean_draft(draft: OutcomeDraft) -> tuple[tuple[OutcomeAction, ...], str, str]:
    try:
        actions = tuple(OutcomeAction(a) for a in dict.fromkeys(draft.actions))
    except ValueError as exc:  # an action that does not exist
        raise BadInput(str(exc)) from None
    vignette = typed_text(draft.vignette, "vignette")
    questions = typed_text(draft.questions_to_force, "questions to the force")
    return actions, vignette, questions


def _says(outcome: PanelOutcome) -> tuple[CaseGrade | None, str, str, str]:
    """What a save would set, to tell an unchanged save (which writes nothing) apart."""
    return (
        outcome.consensus_grade,
        outcome.actions_json,
        outcome.vignette,
        outcome.questions_to_force,
    )


def _require_own_review(
    session: Session, actor: Actor, review_session: ReviewSession, case_id: int
) -> None:
    """While the session is open, a chair assigned the case sees its answers and outcome
    only after submitting their own review, as any member. Once it is finalised nothing
    can be submitted any more, so the refusal would lock them out for good."""
    if review_session.status != ReviewSessionStatus.OPEN:
        return
    pending = session.execute(
        select(Assignment.id, Case.force_reference)
        .join(Case, Case.id == Assignment.case_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(
            Assignment.session_id == review_session.id,
            Assignment.case_id == case_id,
            Assignment.reviewer_id == actor.user_id,
            or_(Review.id.is_(None), Review.status != ReviewStatus.SUBMITTED),
        )
    ).first()
    if pending is not None:
        assignment_id, reference = pending
        raise OwnReviewPending(reference, assignment_id)


def _session_case(session: Session, session_id: int, case_id: int) -> SessionCase:
    found = session.get(SessionCase, (session_id, case_id))
    if found is None:
        raise NotFound(f"case {case_id} is not in this session")
    return found


def _find_outcome(session: Session, session_id: int, case_id: int) -> PanelOutcome | None:
    return session.scalar(
        select(PanelOutcome).where(
            PanelOutcome.session_id == session_id, PanelOutcome.case_id == case_id
        )
    )


def _versioned_outcome(
    session: Session, session_id: int, case_id: int, expected_version: int | None
) -> PanelOutcome | None:
    """The outcome as it stands, refused if it is not at the version the editor read."""
    outcome = _find_outcome(session, session_id, case_id)
    current = outcome.version if outcome else None
    if current != expected_version:
        if outcome is None:
            raise NotFound("this outcome no longer exists; reload")
        raise ConcurrentEdit(
            "outcome", _name(session, outcome.updated_by), outcome.updated_at, outcome.version
        )
    return outcome


def _name(session: Session, user_id: int) -> str:
    return session.get_one(User, user_id).display_name


def _outcome_view(session: Session, outcome: PanelOutcome) -> OutcomeView:
    return OutcomeView(
        consensus_grade=outcome.consensus_grade.value if outcome.consensus_grade else None,
        actions=tuple(json.loads(outcome.actions_json)),
        vignette=outcome.vignette,
        questions_to_force=outcome.questions_to_force,
        force_response=outcome.force_response,
        updated_by=_name(session, outcome.updated_by),
        updated_at=outcome.updated_at,
        version=outcome.version,
    )


def session_agreement(session: Session, session_id: int, rubric: Rubric) -> SessionAgreement:
    """Agreement over the session's submitted reviews, for the consensus view and the
    report alike (the report states these figures in words)."""
    submitted = (
        select(Review.id, Review.overall_grade, Assignment.case_id, Assignment.reviewer_id)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .where(Assignment.session_id == session_id, Review.status == ReviewStatus.SUBMITTED)
    )
    reviews = submitted.subquery()
    answers = session.execute(
        select(reviews.c.case_id, reviews.c.reviewer_id, Answer.check_id, Answer.value)
        .select_from(reviews)
        .join(Answer, Answer.review_id == reviews.c.id)
    ).all()
    grades = session.execute(submitted).all()
    return _agreement(rubric, answers, grades)


def _agreement(
    rubric: Rubric,
    answers: Iterable[tuple[int, int, str, str]],
    grades: Iterable[tuple[int, CaseGrade | None, int, int]],
) -> SessionAgreement:
    by_check: dict[str, dict[int, dict[int, int | None]]] = {c.id: {} for c in rubric.checks}
    by_dimension: dict[str, dict[tuple[int, str], dict[int, int | None]]] = {
        d.id: {} for d in rubric.dimensions
    }
    dimension_of = {c.id: c.dimension_id for c in rubric.checks}
    ranks = {a.id: a.rank for a in rubric.answers}
    for case_id, reviewer_id, check_id, value in answers:
        if check_id not in dimension_of:
            continue
        rank = ranks.get(value)
        by_check[check_id].setdefault(case_id, {})[reviewer_id] = rank
        by_dimension[dimension_of[check_id]].setdefault((case_id, check_id), {})[reviewer_id] = rank
    severity = {g.id: g.severity for g in rubric.grades}
    by_case: dict[int, dict[int, int | None]] = {}
    for _review_id, grade, case_id, reviewer_id in grades:
        by_case.setdefault(case_id, {})[reviewer_id] = severity.get(grade.value) if grade else None
    return SessionAgreement(
        per_check={check: ordinal_agreement(units) for check, units in by_check.items()},
        per_dimension={dim: ordinal_agreement(units) for dim, units in by_dimension.items()},
        case_grade=ordinal_agreement(by_case),
    )


def _audit_outcome(
    session: Session,
    actor: Actor,
    action: str,
    outcome: PanelOutcome,
    purpose: str,
    **detail: object,
) -> None:
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="panel_outcome",
        entity_id=outcome.id,
        detail={"case": outcome.case_id, "version": outcome.version, **detail},
    )
