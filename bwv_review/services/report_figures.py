"""The cases a report counts and the summary figures over them, read in the report's one
transaction.

The unit is a case in a session: a case reviewed again in a later session counts once for
each, as the panel judged it each time. The panel's outcome is read as it now holds, with
any amendment after finalising applied (amendments are kept beside the original; the latest
of a field wins), so the report states what the panel corrected, not what it first typed.
Field values are those `services.stats` counts cases by, labelled by the same domain code,
so a table in the report and `bwv-review stats --source cases` never disagree on a group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.police_vocab import display_label
from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.stats import Breakdown, label_stored, tabulate
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import CaseType, ReviewStatus
from bwv_review.services.report_scope import ResolvedScope
from bwv_review.services.stats import CASE_FIELDS
from bwv_review.store.models import (
    Amendment,
    Assignment,
    Case,
    Clip,
    PanelOutcome,
    Review,
    SampleDraw,
    SessionCase,
)

NO_AGREED_GRADE = "No agreed grade"
MS_PER_HOUR = 3_600_000


@dataclass(frozen=True)
class ScopeCase:
    """One case as one session judged it. `number` (1, 2 ...) is how the published report
    names it: by its place in the scope, never by anything the force or the public knows."""

    number: int
    session_id: int
    case_id: int
    reference: str
    officer_pseudonym: str | None
    occurred_at: datetime
    source: str  # sample | manual
    discussed: bool
    reviews_submitted: int
    footage_ms: int
    values: Mapping[str, object]  # stored value per services.stats CASE_FIELDS name
    grade: str | None  # the agreed grade as it now holds
    actions: tuple[str, ...]
    vignette: str
    questions: str
    response: str

    @property
    def reviewed(self) -> bool:
        return self.reviews_submitted > 0

    @property
    def asks_force(self) -> bool:
        return OutcomeAction.QUESTION_TO_FORCE.value in self.actions or not is_blank(self.questions)


@dataclass(frozen=True)
class SummaryFigures:
    frame: int | None  # cases in the draws' frames; None when no session used a draw
    sampled: int
    in_scope: int
    reviewed: int
    discussed: int
    footage_ms: int
    graded: Mapping[str, int]  # grade label -> cases, every rubric grade and NO_AGREED_GRADE
    commendations: int
    questions_to_force: int
    referrals: int

    @property
    def footage_hours(self) -> float:
        return self.footage_ms / MS_PER_HOUR


def load_cases(session: Session, scope: ResolvedScope) -> tuple[ScopeCase, ...]:
    """Every case of every session in scope, sessions in scope order, cases by reference."""
    ids = scope.ids
    order = {session_id: index for index, session_id in enumerate(ids)}
    submitted = {
        (session_id, case_id): int(count)
        for session_id, case_id, count in session.execute(
            select(Assignment.session_id, Assignment.case_id, func.count())
            .join(Review, Review.assignment_id == Assignment.id)
            .where(Assignment.session_id.in_(ids), Review.status == ReviewStatus.SUBMITTED)
            .group_by(Assignment.session_id, Assignment.case_id)
        )
    }
    footage = {
        case_id: int(total or 0)
        for case_id, total in session.execute(
            select(Clip.case_id, func.sum(Clip.duration_ms))
            .where(
                Clip.case_id.in_(select(SessionCase.case_id).where(SessionCase.session_id.in_(ids)))
            )
            .group_by(Clip.case_id)
        )
    }
    rows = list(
        session.execute(
            select(SessionCase, Case, PanelOutcome)
            .join(Case, Case.id == SessionCase.case_id)
            .outerjoin(
                PanelOutcome,
                (PanelOutcome.session_id == SessionCase.session_id)
                & (PanelOutcome.case_id == SessionCase.case_id),
            )
            .where(SessionCase.session_id.in_(ids))
        ).all()
    )
    rows.sort(key=lambda row: (order[row[0].session_id], row[1].force_reference))
    amended = _outcome_amendments(session, [o.id for _, _, o in rows if o is not None])
    cases = []
    for number, (session_case, case, outcome) in enumerate(rows, start=1):
        now = _outcome_as_amended(outcome, amended.get(outcome.id, {}) if outcome else {})
        cases.append(
            ScopeCase(
                number=number,
                session_id=session_case.session_id,
                case_id=case.id,
                reference=case.force_reference,
                officer_pseudonym=case.officer_pseudonym,
                occurred_at=case.occurred_at,
                source=session_case.source,
                discussed=session_case.discussed,
                reviews_submitted=submitted.get((session_case.session_id, case.id), 0),
                footage_ms=footage.get(case.id, 0),
                values={name: getattr(case, spec.column.key) for name, spec in CASE_FIELDS.items()},
                grade=now.grade,
                actions=now.actions,
                vignette=now.vignette,
                questions=now.questions,
                response=now.response,
            )
        )
    return tuple(cases)


def _outcome_amendments(
    session: Session, outcome_ids: Sequence[int]
) -> dict[int, dict[str, str | None]]:
    """The latest amended value of each field of each outcome (oldest first, so the last
    one read wins)."""
    latest: dict[int, dict[str, str | None]] = {}
    if not outcome_ids:
        return latest
    for target_id, field, value in session.execute(
        select(Amendment.target_id, Amendment.field, Amendment.amended_value)
        .where(Amendment.target == "panel_outcome", Amendment.target_id.in_(outcome_ids))
        .order_by(Amendment.id)
    ):
        latest.setdefault(target_id, {})[field] = value
    return latest


@dataclass(frozen=True)
class _Outcome:
    grade: str | None = None
    actions: tuple[str, ...] = ()
    vignette: str = ""
    questions: str = ""
    response: str = ""


def _outcome_as_amended(
    outcome: PanelOutcome | None, amended: Mapping[str, str | None]
) -> _Outcome:
    if outcome is None:
        return _Outcome()
    grade = outcome.consensus_grade.value if outcome.consensus_grade else None
    actions_json = outcome.actions_json
    if "consensus_grade" in amended:
        grade = amended["consensus_grade"]
    if "actions" in amended:
        actions_json = amended["actions"] or "[]"
    return _Outcome(
        grade=grade,
        actions=tuple(json.loads(actions_json)),
        vignette=amended.get("vignette", outcome.vignette) or "",
        questions=amended.get("questions_to_force", outcome.questions_to_force) or "",
        response=outcome.force_response,
    )


def grade_label(rubric: Rubric, grade_id: str | None) -> str:
    return rubric.grade(grade_id).label if grade_id else NO_AGREED_GRADE


def grade_labels(rubric: Rubric) -> tuple[str, ...]:
    """Every grade a table shows, in the rubric's order, and the cases with none last."""
    return (*(g.label for g in rubric.grades), NO_AGREED_GRADE)


def summary_figures(
    session: Session, scope: ResolvedScope, cases: Sequence[ScopeCase], rubric: Rubric
) -> SummaryFigures:
    draw_ids = sorted({s.sample_draw_id for s in scope.sessions if s.sample_draw_id})
    frame = None
    if draw_ids:
        frame = int(
            session.scalar(
                select(func.sum(SampleDraw.frame_size)).where(SampleDraw.id.in_(draw_ids))
            )
            or 0
        )
    graded = dict.fromkeys(grade_labels(rubric), 0)
    for case in cases:
        graded[grade_label(rubric, case.grade)] += 1
    return SummaryFigures(
        frame=frame,
        sampled=sum(1 for c in cases if c.source == "sample"),
        in_scope=len(cases),
        reviewed=sum(1 for c in cases if c.reviewed),
        discussed=sum(1 for c in cases if c.discussed),
        footage_ms=sum(c.footage_ms for c in cases if c.reviewed),
        graded=graded,
        commendations=_with_action(cases, OutcomeAction.COMMEND_OFFICER),
        questions_to_force=sum(1 for c in cases if c.asks_force),
        referrals=_with_action(cases, OutcomeAction.REFER_TO_PROFESSIONAL_STANDARDS),
    )


def _with_action(cases: Iterable[ScopeCase], action: OutcomeAction) -> int:
    return sum(1 for c in cases if action.value in c.actions)


def value_label(field: str, value: str) -> str:
    """A group as a reader sees it: "Stop and search", "Black", "Not recorded"."""
    if field == "case_type" and value in {t.value for t in CaseType}:
        return CaseType(value).label
    if field == "taser_highest_level":
        return value.replace("_", " ").capitalize()
    text = display_label(value)
    return text[:1].upper() + text[1:]


def by_grade(cases: Sequence[ScopeCase], field: str, rubric: Rubric) -> Breakdown:
    """Cases by one field's groups (report order, labelled as services.stats labels them)
    and the agreed grade."""
    spec = CASE_FIELDS[field]
    grouped = [((case.values[field], grade_label(rubric, case.grade)), 1) for case in cases]
    return tabulate(
        (field, "grade"), grouped, (spec.labeller, label_stored), (spec.order, grade_labels(rubric))
    )
