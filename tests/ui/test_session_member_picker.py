"""Issue 11: New session lists the people who may sit on it by name and role, so a chair
who is not an administrator ticks members instead of typing user names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.sessions_screen import SessionsScreen

PIN = "975310"


@pytest.fixture
def panel(sqlite_url: str) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("ada", "Ada Admin", PIN, purpose="test")
    chair = ws.auth.create_user(admin, "cy", "Cy Chair", PIN, [Role.CHAIR], purpose="test")
    for username, name in (("kim", "Kim Keys"), ("mo", "Mo Clicks")):
        ws.auth.create_user(admin, username, name, PIN, [Role.REVIEWER], purpose="test")
    ws.auth.create_user(admin, "tia", "Tia Trainer", PIN, [Role.TRAINING_LEAD], purpose="test")
    yield ws, chair
    ws.close()


def test_a_chair_ticks_members_by_name_and_role(
    qtbot: QtBot, panel: tuple[Workspace, Actor]
) -> None:
    ws, chair = panel
    screen = SessionsScreen(ws, chair, today=lambda: date(2026, 12, 1))
    qtbot.addWidget(screen)
    dialog = screen.setup.new_session_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    offered = [dialog.members.item(r).text() for r in range(dialog.members.count())]
    assert offered == [
        "Ada Admin (ada) \u2014 Administrator, Panel chair",
        "Cy Chair (cy) \u2014 Panel chair",
        "Kim Keys (kim) \u2014 Reviewer",
        "Mo Clicks (mo) \u2014 Reviewer",
    ]
    assert dialog.members.accessibleName()
    qtbot.keyClicks(dialog.name, "Winter panel")
    dialog.members.setFocus()
    dialog.members.setCurrentRow(2)
    qtbot.keyClick(dialog.members, Qt.Key.Key_Space)  # Kim
    qtbot.keyClick(dialog.members, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.members, Qt.Key.Key_Space)  # Mo
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible(), dialog.error.text()
    session = ws.review_sessions.list_sessions(chair)[0]
    members = ws.review_sessions.detail(chair, session.id).members
    assert sorted(m.username for m in members) == ["kim", "mo"]
