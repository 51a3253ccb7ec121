"""The learning tracker on a real SQLite workspace: add an item, edit it to closed, and a
stale save refused with who changed it, the typed text kept until Reload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from bwv_review.domain.vocab import Role, TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.tracker_view import TrackerView
from tests.services.review_fixtures import PURPOSE, make_person
from tests.support.tab_walk import walk_tab
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


def test_saving_an_untouched_item_keeps_its_version(
    qtbot: QtBot, chair: tuple[Workspace, Actor]
) -> None:
    """Written with CR LF and U+2028 (pasted, or from another machine), an item came back
    from the edit boxes with LF and was stored anew at each Save, its version bumped and
    audited though nobody changed it (issue 9, defect 8)."""
    ws, actor = chair
    entry = TrackerEntry("\ufeffBrief officers\r\non GOWISELY\u2028in plain words ", "BWV", "Lead")
    item = ws.tracker.add(actor, entry, raised_in_session_id=None, raised_on=TODAY, purpose="t")
    events = _events(ws)
    view = TrackerView(ws.tracker, actor, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    view.table.selectRow(0)
    assert view.recommendation.toPlainText() == "Brief officers\non GOWISELY\nin plain words "
    view.save_button.click()
    assert not view.error.isVisible()
    (saved,) = ws.tracker.items(actor)
    assert saved.version == item.version
    assert saved.entry.recommendation == "Brief officers\non GOWISELY\nin plain words "
    assert _events(ws) == events


def _events(ws: Workspace) -> int:
    with ws.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_tab_leaves_the_table_and_the_empty_due_date(
    qtbot: QtBot, chair: tuple[Workspace, Actor]
) -> None:
    """The view opens in its table, whose cells Tab used to cycle, and a due date of "none"
    (no sections to step through) kept Tab for ever: Save and Close were never reached."""
    ws, actor = chair
    entry = TrackerEntry("Brief officers", "GOWISELY", "Training lead", TrackerStatus.OPEN)
    ws.tracker.add(actor, entry, raised_in_session_id=None, raised_on=TODAY, purpose=PURPOSE)
    view = TrackerView(ws.tracker, actor, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    assert view.table.rowCount() == 1 and view.due.text() == "none"
    seen = walk_tab(qtbot, view, view.table)
    assert view.save_button in seen
    view.due.setFocus()
    qtbot.keyClicks(view.due, "20261224")  # digits typed over "none" make a date
    assert view.due.date() == QDate(2026, 12, 24)
