"""Which rubric a session is graded by: the one it was created with, kept after the shipped
default moves on to a new version, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from bwv_review.domain.vocab import LearningKind
from bwv_review.services.errors import BadInput
from bwv_review.services.review_access import installed_rubric
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import ReviewSession
from tests.services.review_fixtures import PURPOSE, Panel, build_panel


def _made_on(workspace: Workspace, session_id: int, version: str) -> None:
    """The row an installation shipping that version wrote when the chair created it."""
    with workspace.db.transaction() as session:
        session.execute(
            update(ReviewSession)
            .where(ReviewSession.id == session_id)
            .values(rubric_id="default", rubric_version=version)
        )


@pytest.fixture
def panel(workspace: Workspace) -> Panel:
    return build_panel(workspace)


def test_new_sessions_are_created_with_the_current_default(
    workspace: Workspace, panel: Panel
) -> None:
    detail = workspace.review_sessions.detail(panel.chair, panel.session_id)
    assert (detail.rubric_id, detail.rubric_version) == ("default", "2026.2")
    later = workspace.review_sessions.create(
        panel.chair, "2026 Q4 panel", "2026-Q4", date(2027, 1, 10), ["alice"], purpose=PURPOSE
    )
    assert workspace.review_sessions.detail(panel.chair, later).rubric_version == "2026.2"


def test_a_session_made_on_2026_1_still_opens_with_its_own_rubric(
    workspace: Workspace, panel: Panel
) -> None:
    _made_on(workspace, panel.session_id, "2026.1")
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])

    view = workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE)

    assert (view.rubric.version, view.rubric.source) == ("2026.1", "default-2026.1.toml")
    assert "receipt_offered" not in {tag.id for tag in view.rubric.tags}
    assert view.form.total == len(view.rubric.checks)  # the form asks 2026.1's checks
    assert installed_rubric("default", "2026.1") is view.rubric


def test_a_session_on_a_rubric_this_installation_lacks_is_refused_by_name(
    workspace: Workspace, panel: Panel
) -> None:
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    _made_on(workspace, panel.session_id, "2031.4")
    with pytest.raises(BadInput) as refused:
        workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    assert str(refused.value) == (
        "this session uses rubric 'default' version 2031.4, which this installation does not"
        " have (it has 'default' version 2026.2, 'default' version 2026.1)"
    )


def test_a_session_on_2026_1_checks_tags_by_2026_1(workspace: Workspace, panel: Panel) -> None:
    """2026.1 marked no tag as good practice, so its good-practice points keep any of its
    tags; the tags 2026.2 added are unknown there."""
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    _made_on(workspace, panel.session_id, "2026.1")
    clip_id = workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(
        clip_id, 5_000, 125, 0, LearningKind.GOOD_PRACTICE, ("de_escalation_communication",), ""
    )

    workspace.reviews.add_learning_point(panel.alice, assignment, stamp, purpose=PURPOSE)

    with pytest.raises(BadInput, match=r"unknown learning tag\(s\): de_escalation_calm"):
        workspace.reviews.add_learning_point(
            panel.alice, assignment, replace(stamp, tags=("de_escalation_calm",)), purpose=PURPOSE
        )
