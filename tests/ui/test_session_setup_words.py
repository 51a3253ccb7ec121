"""The Sessions tab's first words send a chair where the draw really is: File > Draw a
sample of cases (Ctrl+Shift+D), not a "(Library)" that has no such button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.main_window import MainWindow
from tests.services.review_fixtures import make_person
from tests.ui.test_review_screen import show_window


@pytest.fixture
def chair_alone(sqlite_url: str) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    yield ws, make_person(ws, "chair", Role.CHAIR)
    ws.close()


def test_no_sessions_yet_names_the_menu_item_and_shortcut_that_draw_a_sample(
    qtbot: QtBot, chair_alone: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_alone
    window = show_window(qtbot, MainWindow(ws, chair), active=False)
    heading = window.sessions.setup.heading.text()
    assert "(Library)" not in heading
    item = window.sample_action.text().replace("&", "").rstrip("\u2026")
    assert f"File > {item}" in heading
    shortcut = window.sample_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert shortcut in heading
