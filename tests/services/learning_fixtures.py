"""A panel whose reviews hold learning points, for the training description and learning
export tests: Alice submits points on both cases, with raw notes that name the case, the
officer and a member (what must never leave); Bob's point stays unsubmitted."""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.domain.vocab import CaseType, LearningKind, Role
from bwv_review.services.actor import Actor
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel, make_person

RAW_NOTES = (
    "CASE-001: OFF-7 starts the camera late; Chair saw it too",
    '=HYPERLINK("http://x") officer OFF-7 explains grounds clearly',
    "Bob thinks CASE-002 needed a receipt",
)


@dataclass(frozen=True)
class LearningPanel:
    panel: Panel
    lead: Actor
    point_ids: tuple[int, ...]  # Alice's submitted points, in RAW_NOTES order
    unsubmitted_point_id: int


def _stamp(ws: Workspace, reviewer: Actor, assignment: int, point: LearningPointInput) -> int:
    return ws.reviews.add_learning_point(reviewer, assignment, point, purpose=PURPOSE)


def build_learning_panel(ws: Workspace) -> LearningPanel:
    panel = build_panel(ws)
    lead = make_person(ws, "lead", Role.TRAINING_LEAD)
    with ws.db.transaction() as session:
        session.get_one(Case, panel.case_ids[1]).case_type = CaseType.USE_OF_FORCE
    first, second = (panel.assignment(ws, panel.alice, case) for case in panel.case_ids)
    clip_of = {
        a: ws.reviews.open_case(panel.alice, a, purpose=PURPOSE).clips[0].clip_id
        for a in (first, second)
    }
    ids = (
        _stamp(
            ws,
            panel.alice,
            first,
            LearningPointInput(
                clip_of[first],
                42_040,
                1051,
                2,
                LearningKind.LEARNING,
                ("bwv_late_start",),
                RAW_NOTES[0],
            ),
        ),
        _stamp(
            ws,
            panel.alice,
            first,
            LearningPointInput(
                clip_of[first],
                65_000,
                1625,
                0,
                LearningKind.GOOD_PRACTICE,
                ("grounds_explained_clearly", "gowisely_in_full"),
                RAW_NOTES[1],
            ),
        ),
        _stamp(
            ws,
            panel.alice,
            second,
            LearningPointInput(
                clip_of[second],
                3_500,
                None,
                0,
                LearningKind.LEARNING,
                ("receipt_not_offered",),
                RAW_NOTES[2],
            ),
        ),
    )
    for assignment in (first, second):
        answer_all(ws, panel.alice, assignment)
        ws.reviews.submit(panel.alice, assignment, purpose=PURPOSE)
    bobs = panel.assignment(ws, panel.bob, panel.case_ids[0])
    bob_clip = ws.reviews.open_case(panel.bob, bobs, purpose=PURPOSE).clips[0].clip_id
    unsubmitted = _stamp(
        ws,
        panel.bob,
        bobs,
        LearningPointInput(
            bob_clip, 1_000, 25, 0, LearningKind.LEARNING, ("bwv_early_stop",), "Bob's own"
        ),
    )
    return LearningPanel(panel, lead, ids, unsubmitted)
