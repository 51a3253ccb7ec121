"""A finalised panel session worth reporting on: twelve fictional cases that differ in
ethnicity, age, type and outcome, a random draw from them, two members' submitted reviews,
attendance, discussion, agreed outcomes (one amended after finalising) and learning points.
Built through the services as the screens would, on whichever backend the test runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.sampling import SampleSpec
from bwv_review.domain.vocab import CaseType, LearningKind, Role
from bwv_review.services.actor import Actor
from bwv_review.services.amendments import OutcomeField
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Assignment, Case, Clip, Review, SessionCase, User
from tests.services.review_fixtures import PURPOSE, answer_all, make_case, make_person

SESSION = "2026 Q3 report panel"
DRAW = "2026 Q3 draw"
# reference, type, self-defined ethnicity, officer-defined, age band, strip search
CASES = (
    (
        "RPT-01",
        CaseType.STOP_AND_SEARCH,
        "Black/African/Caribbean/Black British - African",
        "Black",
        "10-17",
        True,
    ),
    ("RPT-02", CaseType.STOP_AND_SEARCH, "White - Irish", "White", "18-24", False),
    ("RPT-03", CaseType.STOP_AND_SEARCH, "Asian/Asian British - Indian", "Asian", "25-34", False),
    (
        "RPT-04",
        CaseType.STOP_AND_SEARCH,
        "Other ethnic group - Not stated",
        "White",
        "over 34",
        None,
    ),
    ("RPT-05", CaseType.USE_OF_FORCE, None, "Black", "18-24", False),
    ("RPT-06", CaseType.TASER, "White - Any other White background", "White", "25-34", False),
    (
        "RPT-07",
        CaseType.STOP_AND_SEARCH,
        "Black/African/Caribbean/Black British - Caribbean",
        "Black",
        "18-24",
        False,
    ),
    (
        "RPT-08",
        CaseType.STOP_AND_SEARCH,
        "Mixed/Multiple ethnic groups - White and Asian",
        None,
        "10-17",
        True,
    ),
    ("RPT-09", CaseType.VEHICLE_STOP_S163, "White - Irish", "White", "over 34", False),
    ("RPT-10", CaseType.STOP_AND_SEARCH, "White - Irish", "White", "18-24", False),
    (
        "RPT-11",
        CaseType.STOP_AND_SEARCH,
        "Asian/Asian British - Pakistani",
        "Asian",
        "18-24",
        False,
    ),
    (
        "RPT-12",
        CaseType.STOP_AND_SEARCH,
        "Black/African/Caribbean/Black British - African",
        "Black",
        None,
        False,
    ),
)
# What each member answers on every check, per drawn case (by reference), and the outcome.
ANSWERS = {"RPT-01": "not_met", "RPT-05": "partly_met", "RPT-06": "not_met"}
OUTCOMES = {
    "RPT-01": (
        "concern",
        (OutcomeAction.QUESTION_TO_FORCE, OutcomeAction.REFER_TO_PROFESSIONAL_STANDARDS),
    ),
    "RPT-05": ("adequate", (OutcomeAction.FEEDBACK_TO_OFFICER,)),
    "RPT-06": ("concern", (OutcomeAction.QUESTION_TO_FORCE,)),
}
GOOD = ("good_practice", (OutcomeAction.COMMEND_OFFICER,))
NAMES = {
    "admin": "Dev Patel",
    "chair": "Ruth Okoro",
    "alice": "Alice Brown",
    "bob": "Bob Nowak",
    "carol": "Carol Jones",
}


@dataclass(frozen=True)
class ReportPanel:
    chair: Actor
    members: tuple[Actor, ...]
    session_id: int
    references: tuple[str, ...]  # the drawn cases, in draw order
    added_by_hand: str  # a case outside the draw the chair added


def build_report_panel(
    ws: Workspace, *, finalise: bool = True, session_name: str = SESSION, draw_name: str = DRAW
) -> ReportPanel:
    make_person(ws, "admin", Role.ADMIN)
    chair = make_person(ws, "chair", Role.CHAIR)
    alice = make_person(ws, "alice", Role.REVIEWER)
    bob = make_person(ws, "bob", Role.REVIEWER)
    carol = make_person(ws, "carol", Role.REVIEWER)
    with ws.db.transaction() as session:  # names as people have them, not role words
        for username, name in NAMES.items():
            session.execute(update(User).where(User.username == username).values(display_name=name))
    for reference, kind, self_defined, officer_defined, age, strip in CASES:
        case_id = make_case(ws, reference, kind)
        with ws.db.transaction() as session:
            session.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(
                    subject_self_defined_ethnicity=self_defined,
                    subject_officer_defined_ethnicity=officer_defined,
                    subject_age_band=age,
                    strip_search=strip,
                    officer_pseudonym=f"OFF-{reference}",
                    taser_highest_level="red_dotted" if kind is CaseType.TASER else None,
                )
            )
            session.execute(
                update(Clip).where(Clip.case_id == case_id).values(duration_ms=60_000 + case_id)
            )
    spec = SampleSpec.parse([], ["strip_search=true:all", "rest:6"], None)
    ws.sampling.draw(chair, draw_name, "seed-2026", spec, purpose=PURPOSE)
    session_id = ws.review_sessions.create(
        chair,
        session_name,
        "2026-Q3",
        date(2026, 10, 1),
        ["alice", "bob", "carol"],
        purpose=PURPOSE,
    )
    ws.review_sessions.adopt_draw(chair, session_id, draw_name, purpose=PURPOSE)
    drawn = {c.force_reference for c in ws.sampling.get(chair, draw_name).cases}
    added_by_hand = next(ref for ref, *_ in CASES if ref not in drawn)
    ws.review_sessions.add_case(chair, session_id, added_by_hand, "theme: Taser", purpose=PURPOSE)
    ws.review_sessions.open(chair, session_id, purpose=PURPOSE)
    detail = ws.review_sessions.detail(chair, session_id)
    references = tuple(c.force_reference for c in detail.cases)
    ids = {c.force_reference: c.case_id for c in detail.cases}
    for member in (alice, bob):
        for item in ws.reviews.queue(member):
            answer = ANSWERS.get(item.force_reference, "met")
            if member is bob and item.force_reference == "RPT-05":
                answer = "met"  # the members disagree here
            answer_all(ws, member, item.assignment_id, answer)
            if answer != "met" and member is alice:
                view = ws.reviews.open_case(member, item.assignment_id, purpose=PURPOSE)
                clip = view.clips[0]
                point = LearningPointInput(
                    clip.clip_id, 1000, 25, 0, LearningKind.LEARNING, ("bwv_late_start",), "late"
                )
                ws.reviews.add_learning_point(member, item.assignment_id, point, purpose=PURPOSE)
            ws.reviews.submit(member, item.assignment_id, purpose=PURPOSE)
    for name, attended in (("alice", True), ("bob", True), ("carol", False)):
        ws.review_sessions.record_attendance(chair, session_id, name, attended, purpose=PURPOSE)
    outcome_versions = {}
    for reference in references:
        grade, actions = OUTCOMES.get(reference, GOOD)
        if reference == added_by_hand:
            continue  # no agreed grade for the case added by hand
        case_id = ids[reference]
        ws.review_sessions.set_discussed(
            chair, session_id, case_id, reference in OUTCOMES, purpose=PURPOSE
        )
        draft = OutcomeDraft(
            grade,
            actions,
            f"Vignette for {reference}, officer OFF-{reference}, seen by Alice Brown on "
            "1 July 2026.",
            "Why was the camera late?" if OutcomeAction.QUESTION_TO_FORCE in actions else "",
        )
        outcome = ws.consensus.save_outcome(
            chair, session_id, case_id, draft, expected_version=None, purpose=PURPOSE
        )
        outcome_versions[case_id] = outcome.version
    if finalise:
        ws.review_sessions.finalise(chair, session_id, purpose=PURPOSE)
        # After the meeting: the force answers, and the chair corrects one grade.
        first = ids["RPT-01"]
        ws.consensus.record_force_response(
            chair,
            session_id,
            first,
            "The officer has been reminded of the activation policy.",
            expected_version=outcome_versions[first],
            purpose=PURPOSE,
        )
        corrected = next(r for r in references if r not in OUTCOMES and r != added_by_hand)
        ws.amendments.amend_outcome(
            chair,
            session_id,
            ids[corrected],
            OutcomeField.CONSENSUS_GRADE,
            "adequate",
            reason="typed the wrong grade",
            purpose=PURPOSE,
        )
    return ReportPanel(chair, (alice, bob, carol), session_id, references, added_by_hand)


@dataclass(frozen=True)
class SessionCounts:
    """A session's cases as a report must count them, by plain queries of the tables (not
    the report's own), for the tests of the report model and of the files."""

    sampled: int  # drawn at random, not added by hand
    discussed: int
    reviewed: frozenset[int]  # ids of cases with at least one member's review submitted


def count_session(session: Session, session_id: int) -> SessionCounts:
    sampled = session.scalar(
        select(func.count())
        .select_from(SessionCase)
        .where(SessionCase.session_id == session_id, SessionCase.source == "sample")
    )
    discussed = session.scalar(
        select(func.count())
        .select_from(SessionCase)
        .where(SessionCase.session_id == session_id, SessionCase.discussed.is_(True))
    )
    reviewed = session.scalars(
        select(Assignment.case_id)
        .join(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.session_id == session_id, Review.status == "submitted")
    )
    return SessionCounts(int(sampled or 0), int(discussed or 0), frozenset(reviewed))
