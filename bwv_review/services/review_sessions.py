"""The chair's side of a review session: members, cases, assignments, opening, the meeting
(attendance, cases discussed) and finalising.

Every member is assigned every case unless the chair narrows it, because a panel usually
has each member review the whole sample. A session moves draft -> open -> finalised; once
finalised, its reviews and outcomes change only through amendments with a reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, allowed, require
from bwv_review.services.review_access import (
    chaired_session,
    default_rubric,
    on_panel,
    require_status,
)
from bwv_review.services.session_views import (
    SessionDetail,
    SessionSummary,
    session_detail,
    session_summary,
)
from bwv_review.services.text_input import typed_name, typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Assignment,
    Case,
    Review,
    ReviewSession,
    SampleDraw,
    SampleDrawCase,
    SessionCase,
    SessionMember,
    User,
)
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)

QUARTER_CHARS = 16

_EDITABLE = (ReviewSessionStatus.DRAFT, ReviewSessionStatus.OPEN)


class ReviewSessionsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        actor: Actor,
        name: str,
        quarter: str,
        meeting_date: date | None,
        member_usernames: Iterable[str],
        *,
        rubric: Rubric | None = None,
        purpose: str,
    ) -> int:
        """A draft session; its rubric id and version are fixed now so every review in it
        is graded by the same rules."""
        require(actor, Permission.MANAGE_SESSIONS)
        name = typed_name(name, "session's name")
        if not name:
            raise BadInput("give the session a name")
        quarter = typed_name(quarter, "quarter", limit=QUARTER_CHARS)
        if not quarter:
            raise BadInput(f"give the quarter in up to {QUARTER_CHARS} characters, e.g. 2026-Q3")
        rubric = rubric or default_rubric()
        with self._db.transaction() as session:
            if session.scalar(select(ReviewSession.id).where(ReviewSession.name == name)):
                raise BadInput(f"there is already a session called {name!r}")
            members = _users(session, member_usernames)
            review_session = ReviewSession(
                name=name,
                quarter=quarter,
                meeting_date=meeting_date,
                status=ReviewSessionStatus.DRAFT,
                rubric_id=rubric.id,
                rubric_version=rubric.version,
                reveal_after_all_submitted=False,
                show_member_names=False,
                created_by=actor.user_id,
            )
            session.add(review_session)
            session.flush()
            session.add_all(
                SessionMember(session_id=review_session.id, user_id=u.id) for u in members
            )
            _audit(
                session,
                actor,
                "session.created",
                review_session,
                purpose,
                quarter=quarter,
                members=[u.username for u in members],
            )
            return review_session.id

    def session_id(self, actor: Actor, name: str) -> int:
        """The id of the session called `name`, among those the actor may reach."""
        with self._db.transaction() as session:
            found = session.scalar(select(ReviewSession.id).where(ReviewSession.name == name))
            if found is None:
                raise NotFound(f"there is no session called {name!r}")
            chaired_session(session, actor, found)
            return found

    def list_sessions(self, actor: Actor) -> list[SessionSummary]:
        """Every session, for a chair (any state: sessions are the panel's, not one
        chair's); for a reviewer, the opened sessions they sit on."""
        with self._db.transaction() as session:
            query = select(ReviewSession).order_by(ReviewSession.created_at.desc())
            if not allowed(actor, Permission.MANAGE_SESSIONS):
                mine = select(SessionMember.session_id).where(
                    SessionMember.user_id == actor.user_id
                )
                query = query.where(
                    ReviewSession.id.in_(mine), ReviewSession.status != ReviewSessionStatus.DRAFT
                )
            return [session_summary(session, s) for s in session.scalars(query)]

    def detail(self, actor: Actor, session_id: int) -> SessionDetail:
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id)
            return session_detail(
                session, review_session, on_panel=on_panel(session, actor, review_session)
            )

    def join(self, actor: Actor, session_id: int, *, purpose: str) -> None:
        """A chair not on the session's panel joins it as a member, so they may read its
        cases' answers and record outcomes. They are assigned no cases: a chair joining to
        run the meeting is not asked to review (they can assign themselves a case)."""
        require(actor, Permission.RECORD_OUTCOMES)
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            if session.get(SessionMember, (session_id, actor.user_id)) is not None:
                raise BadInput(f"you are already a member of {review_session.name!r}")
            session.add(SessionMember(session_id=session_id, user_id=actor.user_id))
            _audit(session, actor, "session.member_joined", review_session, purpose)
            log.info("%s joined session %s as a panel member", actor.username, session_id)

    def add_members(
        self, actor: Actor, session_id: int, usernames: Iterable[str], *, purpose: str
    ) -> None:
        """New members are assigned every case already in the session."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            existing = set(_member_ids(session, session_id))
            added = [u for u in _users(session, usernames) if u.id not in existing]
            session.add_all(SessionMember(session_id=session_id, user_id=u.id) for u in added)
            case_ids = session.scalars(
                select(SessionCase.case_id).where(SessionCase.session_id == session_id)
            ).all()
            session.add_all(
                Assignment(session_id=session_id, case_id=case_id, reviewer_id=u.id)
                for u in added
                for case_id in case_ids
            )
            _audit(
                session,
                actor,
                "session.members_added",
                review_session,
                purpose,
                members=[u.username for u in added],
            )

    def adopt_draw(self, actor: Actor, session_id: int, draw_name: str, *, purpose: str) -> int:
        """Add every case of a sample draw (in draw order); returns how many were new."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            draw = session.scalar(select(SampleDraw).where(SampleDraw.name == draw_name))
            if draw is None:
                raise NotFound(f"there is no sample draw called {draw_name!r}")
            case_ids = session.scalars(
                select(SampleDrawCase.case_id)
                .where(SampleDrawCase.draw_id == draw.id)
                .order_by(SampleDrawCase.rank)
            ).all()
            review_session.sample_draw_id = draw.id
            added = _add_cases(session, session_id, case_ids, source="sample", reason=None)
            _audit(
                session,
                actor,
                "session.draw_adopted",
                review_session,
                purpose,
                draw=draw.name,
                added=len(added),
            )
            return len(added)

    def add_case(
        self, actor: Actor, session_id: int, force_reference: str, reason: str, *, purpose: str
    ) -> int:
        """A case chosen by hand, outside the sample; the reason goes in the report's
        sampling method, so it is required."""
        why = typed_text(reason, "reason for adding the case")
        if is_blank(why):
            raise BadInput("say why this case is added by hand (it is outside the sample)")
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            case_id = session.scalar(select(Case.id).where(Case.force_reference == force_reference))
            if case_id is None:
                raise NotFound(f"there is no case with force reference {force_reference!r}")
            if not _add_cases(session, session_id, [case_id], source="manual", reason=why):
                raise BadInput(f"case {force_reference} is already in this session")
            _audit(
                session,
                actor,
                "session.case_added",
                review_session,
                purpose,
                case_id=case_id,
                reason=why,
            )
            return case_id

    def set_assignees(
        self,
        actor: Actor,
        session_id: int,
        case_id: int,
        usernames: Iterable[str],
        *,
        purpose: str,
    ) -> None:
        """Narrow (or widen) who reviews one case. A reviewer who has started the case
        keeps it: taking it away would hide work they have saved."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            _session_case(session, session_id, case_id)
            wanted = {u.id for u in _users(session, usernames)}
            members = set(_member_ids(session, session_id))
            if not wanted or not wanted <= members:
                raise BadInput("assign the case to one or more members of this session")
            current = {
                a.reviewer_id: a
                for a in session.scalars(
                    select(Assignment).where(
                        Assignment.session_id == session_id, Assignment.case_id == case_id
                    )
                )
            }
            for reviewer_id in set(current) - wanted:
                started = session.scalar(
                    select(Review.id).where(Review.assignment_id == current[reviewer_id].id)
                )
                if started is not None:
                    raise BadInput("a member who has started this case cannot be taken off it")
                session.delete(current[reviewer_id])
            session.add_all(
                Assignment(session_id=session_id, case_id=case_id, reviewer_id=uid)
                for uid in wanted - set(current)
            )
            _audit(
                session,
                actor,
                "session.assigned",
                review_session,
                purpose,
                case_id=case_id,
                reviewers=sorted(wanted),
            )

    def set_visibility(
        self,
        actor: Actor,
        session_id: int,
        *,
        reveal_after_all_submitted: bool | None = None,
        show_member_names: bool | None = None,
        purpose: str,
    ) -> None:
        """Whether reviewers wait for everyone before seeing others' answers, and whether
        the consensus view names members instead of Member A, B, C."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            if reveal_after_all_submitted is not None:
                review_session.reveal_after_all_submitted = reveal_after_all_submitted
            if show_member_names is not None:
                review_session.show_member_names = show_member_names
            _audit(
                session,
                actor,
                "session.visibility_changed",
                review_session,
                purpose,
                reveal_after_all_submitted=review_session.reveal_after_all_submitted,
                show_member_names=review_session.show_member_names,
            )

    def open(self, actor: Actor, session_id: int, *, purpose: str) -> None:
        """Reviewers see the session's cases from now on."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, ReviewSessionStatus.DRAFT)
            if not session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.session_id == session_id)
            ):
                raise BadInput("add members and cases before opening the session")
            review_session.status = ReviewSessionStatus.OPEN
            review_session.opened_at = utc_now()
            _audit(session, actor, "session.opened", review_session, purpose)

    def record_attendance(
        self, actor: Actor, session_id: int, username: str, attended: bool | None, *, purpose: str
    ) -> None:
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, *_EDITABLE)
            (user,) = _users(session, [username])
            member = session.get(SessionMember, (session_id, user.id))
            if member is None:
                raise BadInput(f"{username} is not a member of this session")
            member.attended = attended
            _audit(
                session,
                actor,
                "session.attendance",
                review_session,
                purpose,
                member=user.username,
                attended=attended,
            )

    def set_discussed(
        self, actor: Actor, session_id: int, case_id: int, discussed: bool, *, purpose: str
    ) -> None:
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, ReviewSessionStatus.OPEN)
            _session_case(session, session_id, case_id).discussed = discussed
            _audit(
                session,
                actor,
                "session.discussed",
                review_session,
                purpose,
                case_id=case_id,
                discussed=discussed,
            )

    def finalise(self, actor: Actor, session_id: int, *, purpose: str) -> int:
        """Lock the session's reviews and outcomes; returns how many assignments were never
        submitted (they stay as they are, visible to the chair, and locked)."""
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, ReviewSessionStatus.OPEN)
            review_session.status = ReviewSessionStatus.FINALISED
            review_session.finalised_at = utc_now()
            summary = session_summary(session, review_session)
            unsubmitted = summary.assignments - summary.reviews_submitted
            _audit(
                session,
                actor,
                "session.finalised",
                review_session,
                purpose,
                unsubmitted=unsubmitted,
                without_outcome=summary.cases_without_outcome,
            )
            return unsubmitted


def _users(session: Session, usernames: Iterable[str]) -> list[User]:
    wanted = list(dict.fromkeys(u.strip().lower() for u in usernames if u.strip()))
    found = {
        u.username.lower(): u
        for u in session.scalars(select(User).where(func.lower(User.username).in_(wanted)))
    }
    missing = [name for name in wanted if name not in found]
    if missing:
        raise NotFound(f"no account called {', '.join(missing)}")
    inactive = [u.username for u in found.values() if not u.is_active]
    if inactive:
        raise BadInput(f"disabled account(s): {', '.join(inactive)}")
    return [found[name] for name in wanted]


def _member_ids(session: Session, session_id: int) -> list[int]:
    return list(
        session.scalars(
            select(SessionMember.user_id)
            .where(SessionMember.session_id == session_id)
            .order_by(SessionMember.user_id)
        )
    )


def _session_case(session: Session, session_id: int, case_id: int) -> SessionCase:
    found = session.get(SessionCase, (session_id, case_id))
    if found is None:
        raise NotFound(f"case {case_id} is not in this session")
    return found


def _add_cases(
    session: Session, session_id: int, case_ids: Iterable[int], *, source: str, reason: str | None
) -> list[int]:
    present = set(
        session.scalars(select(SessionCase.case_id).where(SessionCase.session_id == session_id))
    )
    new = [case_id for case_id in dict.fromkeys(case_ids) if case_id not in present]
    members = _member_ids(session, session_id)
    session.add_all(
        SessionCase(session_id=session_id, case_id=c, source=source, reason=reason, discussed=False)
        for c in new
    )
    session.add_all(
        Assignment(session_id=session_id, case_id=c, reviewer_id=m) for c in new for m in members
    )
    session.flush()
    return new


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    review_session: ReviewSession,
    purpose: str,
    **detail: object,
) -> None:
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="review_session",
        entity_id=review_session.id,
        detail={"session": review_session.name, **detail},
    )
