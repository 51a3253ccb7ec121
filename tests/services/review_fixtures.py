"""A small panel for review tests: a chair, three reviewers and fictional cases put in with
the ORM (the case importer is another area's work and not needed to test reviewing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bwv_review.domain.rubric_catalogue import load_default_rubric
from bwv_review.domain.vocab import CaseType, Role
from bwv_review.services.actor import Actor
from bwv_review.services.auth import actor_for
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case, Clip, FootageRoot, User, UserRole

PURPOSE = "test"
RUBRIC = load_default_rubric()


@dataclass(frozen=True)
class Panel:
    admin: Actor
    chair: Actor
    alice: Actor
    bob: Actor
    outsider: Actor
    session_id: int
    case_ids: tuple[int, ...]

    def assignment(self, ws: Workspace, reviewer: Actor, case_id: int) -> int:
        return next(
            item.assignment_id
            for item in ws.reviews.queue(reviewer)
            if item.case_id == case_id and item.session_id == self.session_id
        )


def make_case(ws: Workspace, reference: str, case_type: CaseType = CaseType.STOP_AND_SEARCH) -> int:
    with ws.db.transaction() as session:
        root = session.query(FootageRoot).filter_by(name="force-store").one_or_none()
        if root is None:
            root = FootageRoot(name="force-store", description="")
            session.add(root)
            session.flush()
        case = Case(
            force_reference=reference,
            case_type=case_type,
            occurred_at=datetime(2026, 7, 1, 14, 30, tzinfo=UTC),
            area="Fictional North",
            power="Misuse of Drugs Act 1971 s.23",
            object_of_search="Controlled drugs",
            grounds_text="Smell of cannabis from the person (fictional)",
            outcome="A no further action disposal",
            subject_age_band="18-24",
            officer_pseudonym="OFF-7",
        )
        session.add(case)
        session.flush()
        session.add(
            Clip(
                case_id=case.id,
                position=0,
                label="Officer 1",
                footage_root_id=root.id,
                relative_path=f"{reference}/officer1.mp4",
                duration_ms=120_000,
                frame_count=3000,
            )
        )
        return case.id


def make_person(ws: Workspace, username: str, *roles: Role) -> Actor:
    """An account put in directly: hashing a PIN costs a second per person, and these
    tests are about reviewing, not signing in."""
    with ws.db.transaction() as session:
        user = User(
            username=username,
            display_name=username.title(),
            pseudonym=f"P-{username}",
            secret_hash="not-a-hash",
            is_active=True,
            failed_sign_ins=0,
            roles=[UserRole(role=role) for role in roles],
        )
        session.add(user)
        session.flush()
        return actor_for(user)


def build_panel(ws: Workspace, *, cases: int = 2, open_it: bool = True) -> Panel:
    admin = make_person(ws, "admin", Role.ADMIN)
    people = {
        name: make_person(ws, name, role)
        for name, role in (
            ("chair", Role.CHAIR),
            ("alice", Role.REVIEWER),
            ("bob", Role.REVIEWER),
            ("outsider", Role.REVIEWER),
        )
    }
    chair = people["chair"]
    session_id = ws.review_sessions.create(
        chair, "2026 Q3 panel", "2026-Q3", date(2026, 10, 1), ["alice", "bob"], purpose=PURPOSE
    )
    case_ids = tuple(make_case(ws, f"CASE-{n:03d}") for n in range(1, cases + 1))
    for case_id in case_ids:
        reference = f"CASE-{case_ids.index(case_id) + 1:03d}"
        ws.review_sessions.add_case(chair, session_id, reference, "theme: drugs", purpose=PURPOSE)
    if open_it:
        ws.review_sessions.open(chair, session_id, purpose=PURPOSE)
    return Panel(
        admin, chair, people["alice"], people["bob"], people["outsider"], session_id, case_ids
    )


def answer_all(
    ws: Workspace, reviewer: Actor, assignment_id: int, answer: str = "met", *, skip: int = 0
) -> None:
    """Answer every check the form asks (all but the last `skip`), giving reasons where the
    rubric needs them."""
    view = ws.reviews.open_case(reviewer, assignment_id, purpose=PURPOSE)
    asked = [c for c in RUBRIC.checks if c.id in view.applicable]
    for check in asked[: len(asked) - skip]:
        reason = "seen at 00:42" if check.requires_reason(answer) else None
        ws.reviews.save_answer(reviewer, assignment_id, check.id, answer, reason, purpose=PURPOSE)


def give_own_pin(ws: Workspace, admin: Actor, person: Actor, pin: str) -> None:
    """As a person does at first sign-in: the administrator's temporary PIN, then their
    own, so commands run `--as` them without being asked for a new one."""
    temporary = "864213" if pin != "864213" else "864214"
    ws.users.reset_secret(admin, person.username, temporary, purpose=PURPOSE)
    ws.auth.change_own_secret(person, temporary, pin, purpose=PURPOSE)
