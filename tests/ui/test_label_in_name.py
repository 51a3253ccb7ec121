"""Every window's controls are named starting with the words they show (issue 15 fault
7, WCAG 2.5.3), checked over real windows of the demo workspace and a case with footage."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from bwv_review.services.workspace import Workspace
from bwv_review.ui.main_window import REVIEWS, MainWindow
from bwv_review.ui.review_screen import ReviewScreen
from bwv_review.ui.sampling_dialog import SamplingDialog
from tests.conftest import BuiltDemo
from tests.media.fixtures import clip_paths
from tests.services.review_fixtures import PURPOSE, Panel
from tests.support.label_in_name import label_in_name_problems
from tests.ui.test_review_screen import open_case_with_footage, panel, show_window

__all__ = ["clip_paths", "panel"]


@pytest.fixture
def demo_copy(demo_home: BuiltDemo, tmp_path: Path) -> Iterator[Workspace]:
    """The demo's database copied, so signing in and opening windows leave it as it was."""
    assert demo_home.exit_code == 0, demo_home.output
    copy = tmp_path / "demo.sqlite"
    shutil.copy(Paths.under(demo_home.home).default_db_file, copy)
    ws = Workspace.open(f"sqlite:///{copy}")
    yield ws
    ws.close()


def _problems_in_dialog(qtbot: QtBot, action: QAction) -> list[str]:
    """The problems of the dialog `action` opens (modal, so looked at while it runs)."""
    found: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, f"{action.text()} opened no dialog"
        found.extend(f"{dialog.windowTitle()}: {p}" for p in label_in_name_problems(dialog))
        dialog.close()

    QTimer.singleShot(200, look)
    action.trigger()
    return found


@pytest.mark.parametrize("username", ["chair", "admin", "reviewer1", "training"])
def test_every_window_names_its_controls_by_their_visible_words(
    qtbot: QtBot, demo_copy: Workspace, username: str
) -> None:
    actor = demo_copy.auth.sign_in(username, DEMO_PIN, purpose="test")
    window = show_window(qtbot, MainWindow(demo_copy, actor))
    problems = [f"main window: {p}" for p in label_in_name_problems(window)]
    for name in ("import_action", "sample_action", "accounts_action", "change_pin_action"):
        if (action := getattr(window, name, None)) is not None:
            problems += _problems_in_dialog(qtbot, action)
    assert not problems, "\n".join(problems)


def test_the_sample_draw_dialog_names_its_choices_by_their_words(
    qtbot: QtBot, demo_copy: Workspace
) -> None:
    chair = demo_copy.auth.sign_in("chair", DEMO_PIN, purpose="test")
    dialog = SamplingDialog(demo_copy.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not label_in_name_problems(dialog)


def test_the_case_view_and_player_are_named_by_their_words(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    gate = ReviewScreen(ws, team.bob, REVIEWS)  # not shown: the statement is not asked
    qtbot.addWidget(gate)
    assert gate.currentWidget() is gate.gate_page
    gate_problems = label_in_name_problems(gate)
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    qtbot.waitUntil(lambda: case.player is not None)
    problems = [*gate_problems, *label_in_name_problems(case)]
    assert not problems, "\n".join(problems)
    window.reviews.back_to_queue()
