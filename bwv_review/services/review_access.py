"""Who may reach which review session, assignment and rubric: the checks every review
service makes before it reads or writes, in one place so they cannot drift apart.

Every chair runs every session (a panel may have a chair and a vice-chair, and either may
finalise); a session's case content (members' answers, outcomes) is for its own panel: the
chair who created it and its members. Another chair joins as a member first, which is
audited. A reviewer reaches only their own assignments. Refusals are PermissionDenied even
when the row exists, so a reviewer cannot probe for other people's work by id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import applicable_check_ids, case_conditions, member_label
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.rubric_catalogue import bundled_rubrics, find_rubric
from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.permissions import Permission, require
from bwv_review.store.models import Assignment, Case, ReviewSession, SessionMember, User

RubricLookup = Callable[[str, str], Rubric]
"""(rubric id, version) -> the rubric a session was created with."""


@cache
def _shipped_rubrics() -> tuple[Rubric, ...]:
    """The shipped rubrics, current first, read once per process."""
    return bundled_rubrics()


def default_rubric() -> Rubric:
    """The rubric new sessions are created with."""
    return _shipped_rubrics()[0]


def installed_rubric(rubric_id: str, version: str) -> Rubric:
    """The rubric a session uses: the shipped rubric of that id and version, the current one
    or a frozen earlier one. A session made with a rubric or version this installation lacks
    must not be graded with different rules, so it is refused."""
    shipped = _shipped_rubrics()
    rubric = find_rubric(shipped, rubric_id, version)
    if rubric is None:
        has = ", ".join(f"{r.id!r} version {r.version}" for r in shipped)
        raise BadInput(
            f"this session uses rubric {rubric_id!r} version {version}, which this "
            f"installation does not have (it has {has})"
        )
    return rubric


def find_session(session: Session, session_id: int, *, lock: bool = False) -> ReviewSession:
    query = select(ReviewSession).where(ReviewSession.id == session_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"there is no review session {session_id}")
    return found


def is_member(session: Session, session_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(SessionMember.user_id).where(
                SessionMember.session_id == session_id, SessionMember.user_id == user_id
            )
        )
        is not None
    )


def chaired_session(
    session: Session,
    actor: Actor,
    session_id: int,
    permission: Permission = Permission.MANAGE_SESSIONS,
    *,
    lock: bool = False,
) -> ReviewSession:
    """The session, for anyone holding `permission`: its set-up, meeting and finalising
    are every chair's."""
    require(actor, permission)
    return find_session(session, session_id, lock=lock)


def on_panel(session: Session, actor: Actor, review_session: ReviewSession) -> bool:
    """Whether the actor created the session or sits on it."""
    return review_session.created_by == actor.user_id or is_member(
        session, review_session.id, actor.user_id
    )


def panel_session(
    session: Session,
    actor: Actor,
    session_id: int,
    permission: Permission = Permission.RECORD_OUTCOMES,
    *,
    lock: bool = False,
) -> ReviewSession:
    """The session, if the actor holds `permission` and is on its panel: its members'
    answers and its outcomes are case content, read only by the people reviewing it."""
    found = chaired_session(session, actor, session_id, permission, lock=lock)
    if not on_panel(session, actor, found):
        raise PermissionDenied(
            f"{actor.username} is not on the panel of {found.name!r}: join it as a panel "
            "member to read its cases' answers and record outcomes"
        )
    return found


def require_status(review_session: ReviewSession, *allowed: ReviewSessionStatus) -> None:
    if review_session.status not in allowed:
        raise BadInput(
            f"the session {review_session.name!r} is {review_session.status.value}; "
            f"this needs it {' or '.join(s.value for s in allowed)}"
        )


def own_assignment(
    session: Session, actor: Actor, assignment_id: int, *, lock: bool = False
) -> Assignment:
    """The actor's own assignment.

    With `lock`, the session row is share-locked and then the assignment row locked for
    update (PostgreSQL; SQLite has one writer at a time anyway). The share lock makes
    finalising wait for saves in flight, and a save that starts after it see the session
    finalised; the assignment lock queues two laptops writing the same review. Locks are
    always taken session first, as the chair's calls do, so the two can never deadlock.
    """
    require(actor, Permission.REVIEW)
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.reviewer_id != actor.user_id:
        raise PermissionDenied(f"{actor.username} has no assignment {assignment_id}")
    if lock:
        session.execute(
            select(ReviewSession.id)
            .where(ReviewSession.id == assignment.session_id)
            .with_for_update(read=True)
        )
        session.execute(
            select(Assignment.id).where(Assignment.id == assignment_id).with_for_update()
        )
    return assignment


def member_labels(session: Session, review_session: ReviewSession) -> dict[int, str]:
    """How members appear to each other and in the consensus view: Member A, B ... or their
    names when the chair has turned names on. Letters follow the order members were first
    assigned a case (then user id), so someone joining later takes the next letter instead
    of renaming everyone after them."""
    first = (
        select(Assignment.reviewer_id, func.min(Assignment.id).label("first_id"))
        .where(Assignment.session_id == review_session.id)
        .group_by(Assignment.reviewer_id)
        .subquery()
    )
    rows = session.execute(
        select(User.id, User.display_name)
        .join(SessionMember, SessionMember.user_id == User.id)
        .outerjoin(first, first.c.reviewer_id == User.id)
        .where(SessionMember.session_id == review_session.id)
        .order_by(first.c.first_id.is_(None), first.c.first_id, User.id)
    ).all()
    if review_session.show_member_names:
        return {user_id: name for user_id, name in rows}
    return {user_id: member_label(index) for index, (user_id, _) in enumerate(rows)}


def applicable_checks(rubric: Rubric, case: Case) -> frozenset[str]:
    conditions = case_conditions(
        case.case_type.value,
        strip_search=case.strip_search,
        taser_level=case.taser_highest_level,
        age_band=case.subject_age_band,
    )
    return applicable_check_ids(rubric, case.case_type.value, conditions)
