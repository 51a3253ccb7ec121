"""A reviewer accepts the confidentiality statement before any case is listed; declining
signs them out; accepting is recorded once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.main_window import MainWindow
from tests.services.review_fixtures import Panel, build_panel


@pytest.fixture
def panel(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(sqlite_url)
    yield ws, build_panel(ws, cases=1)
    ws.close()


def _window(qtbot: QtBot, ws: Workspace, team: Panel) -> MainWindow:
    window = MainWindow(ws, team.alice)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.reviews.confidentiality_dialog is not None)
    dialog = window.reviews.confidentiality_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isActiveWindow())
    return window


def test_the_queue_waits_for_acceptance(qtbot: QtBot, panel: tuple[Workspace, Panel]) -> None:
    ws, team = panel
    window = _window(qtbot, ws, team)
    screen = window.reviews
    dialog = screen.confidentiality_dialog
    assert dialog is not None
    assert screen.currentWidget() is screen.gate_page  # no case reference shown yet
    assert "Data Protection Act 2018" in dialog.text.toPlainText()
    dialog.accept_button.setFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert screen.currentWidget() is screen.queue
    assert not ws.users.needs_confidentiality(team.alice)
    with ws.db.transaction() as session:
        accepted = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.confidentiality_accepted")
        ).all()
    assert [event.actor for event in accepted] == ["alice"]


def test_declining_signs_out(qtbot: QtBot, panel: tuple[Workspace, Panel]) -> None:
    ws, team = panel
    window = _window(qtbot, ws, team)
    dialog = window.reviews.confidentiality_dialog
    assert dialog is not None
    dialog.sign_out_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.signed_out)
    assert ws.users.needs_confidentiality(team.alice)
