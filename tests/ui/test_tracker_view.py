"""The learning tracker on a real SQLite workspace: add an item, edit it to closed, and a
stale save refused with who changed it, the typed text kept until Reload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import Role, TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.ui.tracker_view import TrackerView
from tests.services.review_fixtures import PURPOSE, make_person
from tests.ui.test_sessions_screen import unnamed_controls

TODAY = date(2026, 10, 2)


@pytest.fixture
def chair(sqlite_url: str) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    yield ws, make_person(ws, "chair", Role.CHAIR)
    ws.close()


def test_add_edit_and_a_stale_save_refused(qtbot: QtBot, chair: tuple[Workspace, Actor]) -> None:
    ws, actor = chair
    view = TrackerView(ws.tracker, actor, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    assert unnamed_controls(view) == []

    view.save_button.click()
    assert "needs a recommendation" in view.error.text()
    qtbot.keyClicks(view.recommendation, "Brief officers on explaining GOWISELY in plain words")
    qtbot.keyClicks(view.theme, "GOWISELY incomplete")
    qtbot.keyClicks(view.owner, "Training lead, North")
    view.save_button.click()
    (item,) = ws.tracker.items(actor)
    assert item.entry.owner == "Training lead, North" and item.raised_on == TODAY
    assert view.table.rowCount() == 1 and view.table.item(0, 3).text() == "Open"

    view.table.selectRow(0)
    view.status.setCurrentIndex(view.status.findData(TrackerStatus.CLOSED.value))
    view.force_response.setPlainText("Included in the spring refresher.")
    view.save_button.click()
    (item,) = ws.tracker.items(actor)
    assert item.entry.status == TrackerStatus.CLOSED and item.closed_on is not None
    assert view.table.item(0, 3).text() == "Closed"

    # Someone else reopens it; this screen's edit from the old version is refused.
    reopened = TrackerEntry(item.entry.recommendation, "GOWISELY", "Inspector Grey")
    ws.tracker.update(actor, item.id, reopened, expected_version=item.version, purpose=PURPOSE)
    view.owner.setText("Mine")
    view.save_button.click()
    assert "chair changed this tracker item" in view.error.text()
    assert view.owner.text() == "Mine"
    assert ws.tracker.items(actor)[0].entry.owner == "Inspector Grey"
    view.reload_button.click()
    assert view.owner.text() == "Inspector Grey" and view.status.currentText() == "Open"
