"""Retention: removing the personal data of cases whose encounter is older than the panel
keeps it, while keeping what the panel's findings rest on.

What goes, per case: the officer's grounds as recorded, the officer's pseudonym, the
links to its clips (path, fingerprint, size, times, the force's deletion date: each can
find or date the footage), the time of the encounter (kept to its month, which the
statistics use), and every free text people wrote about it (reviewers' notes, reasons
and learning-point notes, the chair's vignette, questions and the force's response, why
the case was added, amendment texts). What stays: answers, grades, learning-point kinds,
tags and positions, training descriptions (written to be anonymous), the case's
public-record fields, and issued reports' hashes, so a report issued before the purge
still verifies.

Cases in an open session are left alone and named: their reviewers are still working on
them. A dry run computes the same plan and changes nothing. One audit event records a
purge, with counts only: the log is kept for ever and cannot be corrected, so it must
not hold the references or texts the purge removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import ClipStatus, ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.permissions import Permission, require
from bwv_review.services.workspace_settings import WORKSPACE_SETTINGS_ID, check_retention_days
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Amendment,
    Answer,
    Assignment,
    Case,
    Clip,
    DimensionGrade,
    LearningPoint,
    PanelOutcome,
    Review,
    ReviewSession,
    SessionCase,
    WorkspaceSettings,
)

_Row = TypeVar("_Row")

# Amendment fields whose values are free text; grades and answer values stay.
FREE_TEXT_AMENDMENT_FIELDS = frozenset({"vignette", "questions_to_force", "reason"})
# How far ahead the Sessions page warns that a session's case is due for purge.
PURGE_WARNING_DAYS = 30


# The names a plan uses for what goes, in the order a person reads them.
GROUNDS = "grounds text"
PSEUDONYM = "officer pseudonym"
TIME_OF_DAY = "encounter date and time (month kept)"
CLIP_LINKS = "clip links"
REVIEW_TEXT = "reviewers' notes and reasons"
POINT_NOTES = "learning-point notes"
OUTCOME_TEXT = "panel outcome texts"
ADDED_REASON = "reasons the case was added"
AMENDMENT_TEXT = "amendment texts"
ORDER = (
    GROUNDS,
    PSEUDONYM,
    TIME_OF_DAY,
    CLIP_LINKS,
    REVIEW_TEXT,
    POINT_NOTES,
    OUTCOME_TEXT,
    ADDED_REASON,
    AMENDMENT_TEXT,
)


@dataclass(frozen=True)
class CasePurge:
    """One case's personal data that goes: how many values under each heading."""

    reference: str
    encounter_on: date
    removed: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        return ", ".join(f"{name} ({count})" for name, count in self.removed)


@dataclass(frozen=True)
class PurgeReport:
    older_than_days: int
    encounters_before: date
    dry_run: bool
    cases: tuple[CasePurge, ...]
    skipped_open: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DuePurge:
    """A case of a session whose personal data the retention period will soon remove."""

    reference: str
    due_on: date
    days_left: int  # 0 or less: the period has passed, `purge` takes it now


def purge_due_on(encounter: datetime, retention_days: int) -> date:
    """The first day on which `purge --older-than retention_days` takes the case."""
    return encounter.astimezone(UTC).date() + timedelta(days=retention_days + 1)


def month_start(moment: datetime) -> datetime:
    utc = moment.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def purged_path(clip_id: int) -> str:
    """What stands for a clip's path after a purge: unique (the path column is) and
    locating nothing."""
    return f"purged/{clip_id}"


class _CaseText:
    """Collects and clears one case's personal values; `apply` False only counts."""

    def __init__(self, session: Session, case: Case, apply: bool) -> None:
        self._session = session
        self._case = case
        self._apply = apply
        self.removed: Counter[str] = Counter()

    def _clear(self, name: str, row: object, attribute: str, empty: str | None) -> None:
        if getattr(row, attribute) not in (None, ""):
            self.removed[name] += 1
            if self._apply:
                setattr(row, attribute, empty)

    def run(self) -> None:
        case = self._case
        self._clear(GROUNDS, case, "grounds_text", None)
        self._clear(PSEUDONYM, case, "officer_pseudonym", None)
        if case.occurred_at != month_start(case.occurred_at):
            self.removed[TIME_OF_DAY] += 1
            if self._apply:
                case.occurred_at = month_start(case.occurred_at)
        for clip in case.clips:
            self._clip(clip)
        reviews = self._session.scalars(
            select(Review).join(Assignment).where(Assignment.case_id == case.id)
        ).all()
        review_ids = [review.id for review in reviews]
        for review in reviews:
            for attribute in ("general_note", "question_to_force", "overall_grade_override_reason"):
                self._clear(REVIEW_TEXT, review, attribute, None)
        for answer in self._rows(Answer, Answer.review_id.in_(review_ids)):
            self._clear(REVIEW_TEXT, answer, "reason", None)
        for grade in self._rows(DimensionGrade, DimensionGrade.review_id.in_(review_ids)):
            self._clear(REVIEW_TEXT, grade, "override_reason", None)
        for point in self._rows(LearningPoint, LearningPoint.review_id.in_(review_ids)):
            self._clear(POINT_NOTES, point, "note", "")
        for outcome in self._rows(PanelOutcome, PanelOutcome.case_id == case.id):
            for attribute in ("vignette", "questions_to_force", "force_response"):
                self._clear(OUTCOME_TEXT, outcome, attribute, "")
        for added in self._rows(SessionCase, SessionCase.case_id == case.id):
            self._clear(ADDED_REASON, added, "reason", None)
        for amendment in self._rows(Amendment, Amendment.case_id == case.id):
            self._clear(AMENDMENT_TEXT, amendment, "reason", "")
            if amendment.field in FREE_TEXT_AMENDMENT_FIELDS:
                self._clear(AMENDMENT_TEXT, amendment, "original_value", None)
                self._clear(AMENDMENT_TEXT, amendment, "amended_value", None)

    def _rows(self, model: type[_Row], condition: ColumnElement[bool]) -> Sequence[_Row]:
        return self._session.scalars(select(model).where(condition)).all()

    def _clip(self, clip: Clip) -> None:
        link = (clip.sha256, clip.size_bytes, clip.mtime_ns, clip.recorded_at, clip.deletion_due_on)
        if clip.relative_path == purged_path(clip.id) and link == (None,) * len(link):
            return
        self.removed[CLIP_LINKS] += 1
        if not self._apply:
            return
        clip.relative_path = purged_path(clip.id)
        clip.sha256 = None
        clip.size_bytes = None
        clip.mtime_ns = None
        clip.recorded_at = None
        clip.deletion_due_on = None
        clip.status = ClipStatus.MISSING
        clip.last_verified_at = None


def _open_case_ids(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(SessionCase.case_id)
            .join(ReviewSession, ReviewSession.id == SessionCase.session_id)
            .where(ReviewSession.status == ReviewSessionStatus.OPEN)
        )
    )


class RetentionService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def purge(
        self,
        actor: Actor,
        older_than_days: int,
        *,
        dry_run: bool,
        purpose: str,
        today: date | None = None,
    ) -> PurgeReport:
        """Remove (or, with `dry_run`, list) the personal data of every case whose
        encounter date is more than `older_than_days` days before `today`."""
        require(actor, Permission.PURGE_PERSONAL_DATA)
        check_retention_days(older_than_days, "--older-than")
        today = today or datetime.now(UTC).date()
        before = today - timedelta(days=older_than_days)
        cutoff = datetime(before.year, before.month, before.day, tzinfo=UTC)
        with self._db.transaction() as session:
            open_ids = _open_case_ids(session)
            cases = session.scalars(
                select(Case).where(Case.occurred_at < cutoff).order_by(Case.force_reference)
            ).all()
            planned: list[CasePurge] = []
            skipped: list[str] = []
            totals: Counter[str] = Counter()
            for case in cases:
                encounter_on = case.occurred_at.astimezone(UTC).date()
                collector = _CaseText(session, case, apply=False)
                collector.run()
                if not collector.removed:
                    continue  # purged before: nothing personal is left
                if case.id in open_ids:
                    skipped.append(case.force_reference)
                    continue
                if not dry_run:
                    _CaseText(session, case, apply=True).run()
                removed = tuple((n, collector.removed[n]) for n in ORDER if collector.removed[n])
                planned.append(CasePurge(case.force_reference, encounter_on, removed))
                totals.update(collector.removed)
            counts = {name: totals[name] for name in ORDER if totals[name]}
            if not dry_run:
                append_event(
                    session,
                    actor=actor.username,
                    action="retention.purged",
                    purpose=purpose,
                    detail={
                        "older_than_days": older_than_days,
                        "encounters_before": before.isoformat(),
                        "cases": len(planned),
                        "skipped_in_open_sessions": len(skipped),
                        "values_removed": counts,
                    },
                )
        return PurgeReport(older_than_days, before, dry_run, tuple(planned), tuple(skipped), counts)


def purges_due_in_session(session: Session, session_id: int, today: date) -> tuple[DuePurge, ...]:
    """The review session's cases whose personal data the panel's retention period takes
    within PURGE_WARNING_DAYS of `today` (or has already passed), still holding some; none
    when the panel set no period. Read inside the Sessions page's footage transaction."""
    settings = session.get(WorkspaceSettings, WORKSPACE_SETTINGS_ID)
    retention_days = settings.retention_days if settings is not None else None
    if retention_days is None:
        return ()
    cases = session.scalars(
        select(Case)
        .join(SessionCase, SessionCase.case_id == Case.id)
        .where(SessionCase.session_id == session_id)
        .order_by(Case.force_reference)
    ).all()
    due: list[DuePurge] = []
    for case in cases:
        due_on = purge_due_on(case.occurred_at, retention_days)
        if due_on > today + timedelta(days=PURGE_WARNING_DAYS):
            continue
        collector = _CaseText(session, case, apply=False)
        collector.run()
        if collector.removed:
            due.append(DuePurge(case.force_reference, due_on, (due_on - today).days))
    return tuple(due)
