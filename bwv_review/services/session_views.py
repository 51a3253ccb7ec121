"""What a chair reads of a review session: its summary counts for the sessions list and
its detail (members, cases and who reviews each) for the set-up screen.

Kept apart from the use cases that change a session so the reading side stays small and
every caller builds these views the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import ReviewStatus
from bwv_review.services.review_access import member_labels
from bwv_review.store.models import (
    Assignment,
    Case,
    PanelOutcome,
    Review,
    ReviewSession,
    SessionCase,
    SessionMember,
    User,
)


@dataclass(frozen=True)
class SessionSummary:
    id: int
    name: str
    quarter: str
    meeting_date: date | None
    status: str
    members: int
    cases: int
    reviews_submitted: int
    assignments: int
    # Cases whose panel outcome has a grade: the report counts cases by the agreed grade,
    # so notes saved without one leave the case out as surely as no outcome at all.
    cases_with_outcome: int

    @property
    def cases_without_outcome(self) -> int:
        return self.cases - self.cases_with_outcome


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    username: str
    display_name: str
    label: str
    attended: bool | None


@dataclass(frozen=True)
class SessionCaseRow:
    case_id: int
    force_reference: str
    source: str
    reason: str | None
    discussed: bool
    reviewer_ids: tuple[int, ...]


@dataclass(frozen=True)
class SessionDetail:
    summary: SessionSummary
    rubric_id: str
    rubric_version: str
    reveal_after_all_submitted: bool
    show_member_names: bool
    sample_draw_id: int | None
    members: tuple[MemberRow, ...]
    cases: tuple[SessionCaseRow, ...]
    on_panel: bool  # the reader created the session or sits on it, so may read its cases


def session_summary(session: Session, review_session: ReviewSession) -> SessionSummary:
    sid = review_session.id

    def count(query: Select[int]) -> int:
        return int(session.scalar(query) or 0)

    return SessionSummary(
        id=sid,
        name=review_session.name,
        quarter=review_session.quarter,
        meeting_date=review_session.meeting_date,
        status=review_session.status.value,
        members=count(
            select(func.count()).select_from(SessionMember).where(SessionMember.session_id == sid)
        ),
        cases=count(
            select(func.count()).select_from(SessionCase).where(SessionCase.session_id == sid)
        ),
        reviews_submitted=count(
            select(func.count())
            .select_from(Review)
            .join(Assignment, Assignment.id == Review.assignment_id)
            .where(Assignment.session_id == sid, Review.status == ReviewStatus.SUBMITTED)
        ),
        assignments=count(
            select(func.count()).select_from(Assignment).where(Assignment.session_id == sid)
        ),
        cases_with_outcome=count(
            select(func.count())
            .select_from(PanelOutcome)
            .join(
                SessionCase,
                (SessionCase.session_id == PanelOutcome.session_id)
                & (SessionCase.case_id == PanelOutcome.case_id),
            )
            .where(PanelOutcome.session_id == sid, PanelOutcome.consensus_grade.is_not(None))
        ),
    )


def session_detail(
    session: Session, review_session: ReviewSession, *, on_panel: bool
) -> SessionDetail:
    session_id = review_session.id
    labels = member_labels(session, review_session)
    members = session.execute(
        select(User.id, User.username, User.display_name, SessionMember.attended)
        .join(SessionMember, SessionMember.user_id == User.id)
        .where(SessionMember.session_id == session_id)
        .order_by(User.id)
    ).all()
    assignees: dict[int, list[int]] = {}
    for case_id, reviewer_id in session.execute(
        select(Assignment.case_id, Assignment.reviewer_id)
        .where(Assignment.session_id == session_id)
        .order_by(Assignment.reviewer_id)
    ):
        assignees.setdefault(case_id, []).append(reviewer_id)
    cases = session.execute(
        select(SessionCase, Case.force_reference)
        .join(Case, Case.id == SessionCase.case_id)
        .where(SessionCase.session_id == session_id)
        .order_by(Case.force_reference)
    ).all()
    return SessionDetail(
        summary=session_summary(session, review_session),
        rubric_id=review_session.rubric_id,
        rubric_version=review_session.rubric_version,
        reveal_after_all_submitted=review_session.reveal_after_all_submitted,
        show_member_names=review_session.show_member_names,
        sample_draw_id=review_session.sample_draw_id,
        members=tuple(
            MemberRow(uid, username, name, labels[uid], attended)
            for uid, username, name, attended in members
        ),
        cases=tuple(
            SessionCaseRow(
                sc.case_id,
                reference,
                sc.source,
                sc.reason,
                sc.discussed,
                tuple(assignees.get(sc.case_id, ())),
            )
            for sc, reference in cases
        ),
        on_panel=on_panel,
    )
