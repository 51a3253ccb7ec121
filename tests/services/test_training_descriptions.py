"""Training descriptions: written by the chair or a training lead, saved as typed under the
text rule, versioned, audited without their words, and refused when they name someone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, TrainingDescription
from tests.services.learning_fixtures import LearningPanel, build_learning_panel
from tests.services.review_fixtures import PURPOSE


@pytest.fixture
def learning(workspace: Workspace) -> LearningPanel:
    return build_learning_panel(workspace)


def _events(ws: Workspace, action: str) -> list[AuditEvent]:
    with ws.db.transaction() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        session.expunge_all()
        return list(rows)


def test_a_description_is_written_changed_and_removed_with_versions_and_audit(
    workspace: Workspace, learning: LearningPanel
) -> None:
    service = workspace.training_descriptions
    point = learning.point_ids[0]
    text = "  The camera starts after the first words.\r\nStart it before approaching. "
    first = service.save(learning.lead, point, text, expected_version=None, purpose=PURPOSE)
    assert first.text == text.replace("\r\n", "\n")  # as typed, line endings LF
    assert first.version == 1
    same = service.save(learning.lead, point, text, expected_version=1, purpose=PURPOSE)
    assert same.version == 1  # nothing changed, nothing written
    second = service.save(
        learning.panel.chair, point, "Start the camera early.", expected_version=1, purpose=PURPOSE
    )
    assert second.version == 2
    written = _events(workspace, "training_description.written")
    assert [(e.actor, e.entity_id) for e in written] == [
        ("lead", str(point)),
        ("chair", str(point)),
    ]
    assert json.loads(written[0].detail_json) == {"chars": len(first.text), "version": 1}
    assert all("camera" not in e.detail_json for e in written)  # the words stay out of the log

    removed = service.save(learning.lead, point, "   ", expected_version=2, purpose=PURPOSE)
    assert removed.version is None and removed.text == ""
    assert len(_events(workspace, "training_description.removed")) == 1
    with workspace.db.transaction() as session:
        assert session.get(TrainingDescription, point) is None


def test_a_save_from_a_stale_read_is_refused_naming_who_changed_it(
    workspace: Workspace, learning: LearningPanel
) -> None:
    service = workspace.training_descriptions
    point = learning.point_ids[1]
    service.save(learning.lead, point, "Grounds given well.", expected_version=None, purpose="t")
    with pytest.raises(ConcurrentEdit, match="Lead changed this training description"):
        service.save(learning.panel.chair, point, "Mine", expected_version=None, purpose="t")
    with pytest.raises(BadInput, match="removed while you were editing"):
        service.save(learning.lead, learning.point_ids[2], "x", expected_version=3, purpose="t")


@pytest.mark.parametrize("named", ["case-001", "OFF-7", "Alice", "p-bob"])
def test_a_description_naming_a_reference_officer_or_person_is_refused(
    workspace: Workspace, learning: LearningPanel, named: str
) -> None:
    with pytest.raises(BadInput, match=r"names .* without names or references"):
        workspace.training_descriptions.save(
            learning.lead,
            learning.point_ids[0],
            f"As seen with {named}, start early.",
            expected_version=None,
            purpose=PURPOSE,
        )
    # A word that merely contains a name is no name: "Alicent" is not "Alice".
    workspace.training_descriptions.save(
        learning.lead, learning.point_ids[0], "Alicent", expected_version=None, purpose=PURPOSE
    )


def test_reviewers_may_not_describe_and_unsubmitted_points_are_not_found(
    workspace: Workspace, learning: LearningPanel
) -> None:
    service = workspace.training_descriptions
    with pytest.raises(PermissionDenied, match="alice may not write the training description"):
        service.save(
            learning.panel.alice, learning.point_ids[0], "x", expected_version=None, purpose=PURPOSE
        )
    with pytest.raises(NotFound, match="no submitted learning point"):
        service.save(
            learning.lead,
            learning.unsubmitted_point_id,
            "x",
            expected_version=None,
            purpose=PURPOSE,
        )
    with pytest.raises(BadInput, match="training description"):
        service.save(
            learning.lead, learning.point_ids[0], "bell\x07", expected_version=None, purpose=PURPOSE
        )
