"""Which review sessions a report covers, and the facts about that choice every part of the
report shares: the canonical scope key narrative sections are stored under, the period the
cover prints, whether it is a draft, and the date it carries.

A scope is chosen by session names or by meeting dates (from/to, both inclusive). The key
is the sorted session ids, so the same sessions chosen either way are one scope and find
the same narrative. The date is the latest moment anything the report states was recorded
(a finalisation, a panel outcome or the force's answer, an amendment, a narrative edit),
never the clock: the same workspace gives the same report, whenever and wherever it is
built.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.store.models import Amendment, PanelOutcome, ReportNarrative, ReviewSession

SCOPE_KEY_CHARS = 200  # report_narratives.scope_key and issued_reports.scope_key


@dataclass(frozen=True)
class ReportScope:
    """What the chair asked for: session names, or a range of meeting dates."""

    session_names: tuple[str, ...] = ()
    meetings_from: date | None = None
    meetings_to: date | None = None

    @classmethod
    def of_sessions(cls, *names: str) -> ReportScope:
        return cls(session_names=tuple(names))

    @classmethod
    def of_meetings(cls, meetings_from: date, meetings_to: date) -> ReportScope:
        return cls(meetings_from=meetings_from, meetings_to=meetings_to)


@dataclass(frozen=True)
class ScopeSession:
    id: int
    name: str
    quarter: str
    meeting_date: date | None
    status: ReviewSessionStatus
    finalised_at: datetime | None
    sample_draw_id: int | None
    rubric_id: str
    rubric_version: str

    @property
    def finalised(self) -> bool:
        return self.status is ReviewSessionStatus.FINALISED


@dataclass(frozen=True)
class ResolvedScope:
    """The sessions in scope, by meeting date (undated last), then name."""

    sessions: tuple[ScopeSession, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.sessions)

    @property
    def key(self) -> str:
        return scope_key(self.ids)

    @property
    def draft(self) -> bool:
        """A report of sessions not all finalised may be previewed, never issued."""
        return not all(s.finalised for s in self.sessions)

    @property
    def period(self) -> str:
        """The quarters covered: "2018-Q1", or "2018-Q1 to 2018-Q2"."""
        quarters = sorted({s.quarter for s in self.sessions})
        return quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"

    @property
    def span(self) -> tuple[date, date] | None:
        """The first and last day of the quarters covered; None when a session's quarter
        is not written as YYYY-Qn (it is free text), so no period can be matched."""
        spans = [quarter_span(s.quarter) for s in self.sessions]
        if any(found is None for found in spans):
            return None
        known = [found for found in spans if found is not None]
        return min(start for start, _ in known), max(end for _, end in known)

    @property
    def meeting_dates(self) -> tuple[date, ...]:
        return tuple(sorted({s.meeting_date for s in self.sessions if s.meeting_date}))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)


def quarter_span(quarter: str) -> tuple[date, date] | None:
    """ "2018-Q1" -> 1 January to 31 March 2018."""
    found = _QUARTER.fullmatch(quarter.strip())
    if found is None:
        return None
    year, number = int(found[1]), int(found[2])
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, end - timedelta(days=1)


def long_date(day: date) -> str:
    """ "19 April 2018", the same under any locale (strftime's %B follows the machine's)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    """ "January 2018", in English whatever the machine's locale."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def scope_key(session_ids: Sequence[int]) -> str:
    """The canonical name of a set of sessions: "sessions:3,7". A set too long for the
    column is named by the SHA-256 of that text instead, still one name per set."""
    text = "sessions:" + ",".join(str(i) for i in sorted(set(session_ids)))
    if len(text) <= SCOPE_KEY_CHARS:
        return text
    return "sessions-sha256:" + hashlib.sha256(text.encode()).hexdigest()


def resolve_scope(session: Session, scope: ReportScope) -> ResolvedScope:
    """The sessions a scope names; a name that matches no session, or dates that hold no
    meeting, are refused in words."""
    by_dates = scope.meetings_from is not None or scope.meetings_to is not None
    if bool(scope.session_names) == by_dates:
        raise BadInput("choose the report's sessions by name, or by meeting dates from and to")
    query = select(ReviewSession)
    if scope.session_names:
        names = tuple(dict.fromkeys(scope.session_names))
        found = list(session.scalars(query.where(ReviewSession.name.in_(names))))
        missing = sorted(set(names) - {s.name for s in found})
        if missing:
            raise NotFound("there is no review session called " + ", ".join(map(repr, missing)))
    else:
        start, end = scope.meetings_from, scope.meetings_to
        if start is None or end is None:
            raise BadInput("give both dates: meetings from and meetings to")
        if start > end:
            raise BadInput(f"the meetings run from {start:%d %B %Y}, after {end:%d %B %Y}")
        found = list(
            session.scalars(
                query.where(ReviewSession.meeting_date >= start, ReviewSession.meeting_date <= end)
            )
        )
        if not found:
            raise NotFound(f"no review session met from {start:%d %B %Y} to {end:%d %B %Y}")
    found.sort(key=lambda s: (s.meeting_date is None, s.meeting_date or date.min, s.name))
    return ResolvedScope(
        tuple(
            ScopeSession(
                s.id,
                s.name,
                s.quarter,
                s.meeting_date,
                s.status,
                s.finalised_at,
                s.sample_draw_id,
                s.rubric_id,
                s.rubric_version,
            )
            for s in found
        )
    )


def scope_dated(session: Session, resolved: ResolvedScope) -> datetime:
    """The latest recorded change the report rests on. With nothing recorded yet (a new
    session's preview) it is when the last of the sessions was created: still a fact of
    the workspace, not of the clock."""
    ids = resolved.ids
    moments = [s.finalised_at for s in resolved.sessions if s.finalised_at]
    for query in (
        select(func.max(PanelOutcome.updated_at)).where(PanelOutcome.session_id.in_(ids)),
        select(func.max(Amendment.amended_at)).where(Amendment.session_id.in_(ids)),
        select(func.max(ReportNarrative.updated_at)).where(
            ReportNarrative.scope_key == resolved.key
        ),
    ):
        latest = session.scalar(query)
        if latest is not None:
            moments.append(latest)
    if not moments:
        created = session.scalar(
            select(func.max(ReviewSession.created_at)).where(ReviewSession.id.in_(ids))
        )
        assert created is not None  # a resolved scope holds at least one session
        moments.append(created)
    return max(moments)
