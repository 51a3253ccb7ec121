"""The chair reopens a submitted review on both backends: with a reason, audited, only
while the session is open; the member then changes it and submits again, and the grades
follow the corrected answers instead of the ones fixed at the first submission."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from tests.services.review_fixtures import PURPOSE, RUBRIC, answer_all, build_panel, make_person


def test_a_reopened_review_can_be_changed_and_submitted_again(workspace: Workspace) -> None:
    panel = build_panel(workspace)
    case_id = panel.case_ids[0]
    alice = panel.assignment(workspace, panel.alice, case_id)
    answer_all(workspace, panel.alice, alice, "met")
    first = workspace.reviews.submit(panel.alice, alice, purpose=PURPOSE)
    with pytest.raises(BadInput, match="submitted and locked"):
        workspace.reviews.save_answer(panel.alice, alice, "courtesy", "not_met", "x", purpose="t")

    reopening = workspace.reopening
    [listed] = reopening.submitted(panel.chair, panel.session_id)
    assert (listed.assignment_id, listed.force_reference, listed.member) == (
        alice,
        "CASE-001",
        "Member A",
    )
    with pytest.raises(BadInput, match="say why"):
        reopening.reopen(panel.chair, panel.session_id, alice, reason="  ", purpose=PURPOSE)
    with pytest.raises(PermissionDenied):
        reopening.reopen(panel.alice, panel.session_id, alice, reason="mine", purpose=PURPOSE)
    vice = make_person(workspace, "vice", Role.CHAIR)  # any chair, as for finalising
    reopening.reopen(
        vice, panel.session_id, alice, reason="Alice pressed Submit too soon", purpose=PURPOSE
    )
    assert reopening.submitted(panel.chair, panel.session_id) == []
    [item] = [i for i in workspace.reviews.queue(panel.alice) if i.assignment_id == alice]
    assert (item.status, item.locked) == ("in_progress", False)
    assert workspace.consensus.compare_case(
        panel.chair, panel.session_id, case_id, purpose=PURPOSE
    ).pending == ("Member A", "Member B")
    with workspace.db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.reopened")
        ).one()
        assert event.actor == "vice"
        assert json.loads(event.detail_json)["reason"] == "Alice pressed Submit too soon"
    with pytest.raises(BadInput, match="nothing to reopen"):
        reopening.reopen(panel.chair, panel.session_id, alice, reason="again", purpose=PURPOSE)

    # Alice corrects an answer; the grades follow it rather than the first submission's.
    check = next(c for c in RUBRIC.checks if c.applies("stop_and_search", ()))
    workspace.reviews.save_answer(
        panel.alice, alice, check.id, "not_met", "seen at 00:12", purpose=PURPOSE
    )
    again = workspace.reviews.submit(panel.alice, alice, purpose=PURPOSE)
    assert again.submittable
    assert again.dimension_grades == {d: s.grade_id for d, s in again.dimension_suggestions.items()}
    assert again.dimension_grades != first.dimension_grades
    compare = workspace.consensus.compare_case(
        panel.chair, panel.session_id, case_id, purpose=PURPOSE
    )
    assert compare.reviews[0].answers[check.id].answer_id == "not_met"


def test_only_an_open_sessions_reviews_reopen(workspace: Workspace) -> None:
    panel = build_panel(workspace)
    alice = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    answer_all(workspace, panel.alice, alice)
    workspace.reviews.submit(panel.alice, alice, purpose=PURPOSE)
    other = workspace.review_sessions.create(
        panel.chair, "Another panel", "2026-Q4", None, ["alice"], purpose=PURPOSE
    )
    with pytest.raises(NotFound, match="not in this session"):
        workspace.reopening.reopen(panel.chair, other, alice, reason="x", purpose=PURPOSE)
    workspace.review_sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE)
    with pytest.raises(BadInput, match="finalised"):
        workspace.reopening.reopen(
            panel.chair, panel.session_id, alice, reason="late", purpose=PURPOSE
        )
