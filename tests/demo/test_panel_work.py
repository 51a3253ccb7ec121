"""What the demo's chair records follows the concerns the footage shows: a finding that
is Met (a Taser use shown justified) asks nothing of the force and brings no feedback, and
a case the panel finds a concern is not also commended."""

from __future__ import annotations

from bwv_review.demo.cases import CASES
from bwv_review.demo.panel_work import force_response_for, outcome_for
from bwv_review.domain.review_rules import OutcomeAction

BY_REFERENCE = {case.reference: case for case in CASES}


def test_a_finding_that_is_met_draws_no_question_and_no_feedback() -> None:
    justified = BY_REFERENCE["DEMO-TS-001"]
    assert justified.findings["taser_justified"][0] == "met"
    outcome = outcome_for(justified, ["good_practice"] * 4)
    assert outcome.actions == (OutcomeAction.COMMEND_OFFICER,)
    assert outcome.questions_to_force == ""
    assert force_response_for(justified) is None


def test_a_concern_asks_the_force_and_is_not_commended() -> None:
    child = BY_REFERENCE["DEMO-SS-002"]
    outcome = outcome_for(child, ["concern", "concern", "good_practice", "concern"])
    assert outcome.consensus_grade == "concern"
    assert OutcomeAction.COMMEND_OFFICER not in outcome.actions
    assert {OutcomeAction.FEEDBACK_TO_OFFICER, OutcomeAction.QUESTION_TO_FORCE} <= set(
        outcome.actions
    )
    assert "appropriate adult" in outcome.questions_to_force
    assert force_response_for(child)
