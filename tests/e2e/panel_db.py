"""What the app has stored, read straight from the SQLite file it writes, between steps of
the walk. Read-only, and each read on a fresh connection, so the walk never holds a lock the
app could wait on and never sees a cached value."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bwv_review.store.models import (
    Answer,
    Assignment,
    AuditEvent,
    Case,
    Clip,
    PanelOutcome,
    PoliceRecord,
    RecordImport,
    Review,
    ReviewSession,
    SampleDraw,
    SampleDrawCase,
    SessionCase,
    User,
    UserRole,
)

T = TypeVar("T")


@dataclass(frozen=True)
class StoredReview:
    status: str
    answers: dict[str, tuple[str, str | None]]  # check id: (answer id, reason)
    general_note: str | None
    question_to_force: str | None
    case_grade: str | None


@dataclass(frozen=True)
class StoredSession:
    status: str
    cases: dict[str, str]  # force reference: sample | manual
    reviewers: dict[str, set[str]]  # force reference: usernames assigned


class PanelDatabase:
    def __init__(self, db_file: Path) -> None:
        self.engine = create_engine(f"sqlite:///{db_file}", poolclass=NullPool)

    def _read(self, query: Callable[[Session], T]) -> T:
        with Session(self.engine) as session:
            return query(session)

    def wait_for(
        self, what: str, query: Callable[[], T], ok: Callable[[T], bool], timeout_s: float = 10
    ) -> T:
        """Poll until the stored value is what the walk expects; the value, or a failure
        that shows what was stored instead."""
        deadline = time.monotonic() + timeout_s
        value = query()
        while not ok(value) and time.monotonic() < deadline:
            time.sleep(0.2)
            value = query()
        assert ok(value), f"{what}: after {timeout_s} s the database holds {value!r}"
        return value

    def close(self) -> None:
        self.engine.dispose()

    # --- accounts and imports -----------------------------------------------------------

    def roles(self) -> dict[str, set[str]]:
        def query(session: Session) -> dict[str, set[str]]:
            found: dict[str, set[str]] = {}
            for user in session.scalars(select(User)):
                found[user.username] = set()
            for username, role in session.execute(
                select(User.username, UserRole.role).join(UserRole, UserRole.user_id == User.id)
            ):
                found[username].add(str(getattr(role, "value", role)))
            return found

        return self._read(query)

    def temporary_pins(self) -> dict[str, bool]:
        """Whose PIN is still the temporary one an administrator set."""

        def query(session: Session) -> dict[str, bool]:
            rows = session.execute(select(User.username, User.pin_is_temporary))
            return {username: temporary for username, temporary in rows}

        return self._read(query)

    def active(self) -> dict[str, bool]:
        """Who may sign in: an administrator disables an account rather than delete it."""

        def query(session: Session) -> dict[str, bool]:
            rows = session.execute(select(User.username, User.is_active))
            return {username: active for username, active in rows}

        return self._read(query)

    def audit_actions(self, action: str) -> list[tuple[str, str | None]]:
        """Who did it and to what (the entity's id), each time `action` was audited."""

        def query(session: Session) -> list[tuple[str, str | None]]:
            rows = session.execute(
                select(AuditEvent.actor, AuditEvent.entity_id)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            )
            return [(actor, entity) for actor, entity in rows]

        return self._read(query)

    def record_imports(self) -> dict[str, int]:
        """File name: rows stored from it."""

        def query(session: Session) -> dict[str, int]:
            rows = session.execute(
                select(RecordImport.file_name, func.count(PoliceRecord.id))
                .join(PoliceRecord, PoliceRecord.import_id == RecordImport.id)
                .group_by(RecordImport.file_name)
            )
            return {Path(name).name: count for name, count in rows}

        return self._read(query)

    def cases(self) -> dict[str, list[tuple[str, str | None]]]:
        """Force reference: its clips as (relative path, SHA-256 once registered)."""

        def query(session: Session) -> dict[str, list[tuple[str, str | None]]]:
            found: dict[str, list[tuple[str, str | None]]] = {
                ref: [] for ref in session.scalars(select(Case.force_reference))
            }
            for ref, path, sha in session.execute(
                select(Case.force_reference, Clip.relative_path, Clip.sha256).join(
                    Clip, Clip.case_id == Case.id
                )
            ):
                found[ref].append((path, sha))
            return found

        return self._read(query)

    # --- the draw and the session -------------------------------------------------------

    def draw(self, name: str) -> list[str]:
        """The force references drawn, in rank order."""

        def query(session: Session) -> list[str]:
            return list(
                session.scalars(
                    select(Case.force_reference)
                    .join(SampleDrawCase, SampleDrawCase.case_id == Case.id)
                    .join(SampleDraw, SampleDraw.id == SampleDrawCase.draw_id)
                    .where(SampleDraw.name == name)
                    .order_by(SampleDrawCase.rank)
                )
            )

        return self._read(query)

    def draw_strata(self, name: str) -> dict[str, str]:
        """Force reference: the stored label of the group it was drawn from."""

        def query(session: Session) -> dict[str, str]:
            rows = session.execute(
                select(Case.force_reference, SampleDrawCase.stratum)
                .join(SampleDrawCase, SampleDrawCase.case_id == Case.id)
                .join(SampleDraw, SampleDraw.id == SampleDrawCase.draw_id)
                .where(SampleDraw.name == name)
            )
            return {ref: stratum for ref, stratum in rows}

        return self._read(query)

    def clip_statuses(self) -> dict[str, str]:
        """Force reference: its clip's status as the last check left it (one clip a case
        in the walk)."""

        def query(session: Session) -> dict[str, str]:
            rows = session.execute(
                select(Case.force_reference, Clip.status).join(Clip, Clip.case_id == Case.id)
            )
            return {ref: str(getattr(status, "value", status)) for ref, status in rows}

        return self._read(query)

    def session(self, name: str) -> StoredSession | None:
        def query(session: Session) -> StoredSession | None:
            found = session.scalar(select(ReviewSession).where(ReviewSession.name == name))
            if found is None:
                return None
            cases = {
                ref: source
                for ref, source in session.execute(
                    select(Case.force_reference, SessionCase.source)
                    .join(SessionCase, SessionCase.case_id == Case.id)
                    .where(SessionCase.session_id == found.id)
                )
            }
            reviewers: dict[str, set[str]] = {ref: set() for ref in cases}
            for ref, username in session.execute(
                select(Case.force_reference, User.username)
                .join(Assignment, Assignment.case_id == Case.id)
                .join(User, User.id == Assignment.reviewer_id)
                .where(Assignment.session_id == found.id)
            ):
                reviewers[ref].add(username)
            status = str(getattr(found.status, "value", found.status))
            return StoredSession(status, cases, reviewers)

        return self._read(query)

    # --- reviews and outcomes -----------------------------------------------------------

    def review(self, username: str, force_reference: str) -> StoredReview | None:
        def query(session: Session) -> StoredReview | None:
            review = session.scalar(
                select(Review)
                .join(Assignment, Assignment.id == Review.assignment_id)
                .join(User, User.id == Assignment.reviewer_id)
                .join(Case, Case.id == Assignment.case_id)
                .where(User.username == username, Case.force_reference == force_reference)
            )
            if review is None:
                return None
            answers = {
                a.check_id: (a.value, a.reason)
                for a in session.scalars(select(Answer).where(Answer.review_id == review.id))
            }
            grade = review.overall_grade
            return StoredReview(
                str(getattr(review.status, "value", review.status)),
                answers,
                review.general_note,
                review.question_to_force,
                None if grade is None else str(getattr(grade, "value", grade)),
            )

        return self._read(query)

    def outcome(self, session_name: str, force_reference: str) -> PanelOutcome | None:
        def query(session: Session) -> PanelOutcome | None:
            outcome = session.scalar(
                select(PanelOutcome)
                .join(ReviewSession, ReviewSession.id == PanelOutcome.session_id)
                .join(Case, Case.id == PanelOutcome.case_id)
                .where(ReviewSession.name == session_name, Case.force_reference == force_reference)
            )
            if outcome is not None:
                session.expunge(outcome)
            return outcome

        return self._read(query)
