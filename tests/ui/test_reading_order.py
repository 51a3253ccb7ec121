"""Tab goes through each screen in the order it is read, and dialogs open on their first
input (issue 15 fault 4; WCAG 1.3.2, 2.4.3), with real Tab key presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.demo import DEMO_PIN
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.accounts_screen import PersonDialog
from bwv_review.ui.confidentiality import ConfidentialityDialog
from bwv_review.ui.consensus_screen import ConsensusScreen
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sessions_screen import SessionsScreen
from bwv_review.ui.sign_in import FirstAdminDialog, SignInDialog
from bwv_review.ui.welcome import WelcomeWindow
from tests.media.fixtures import clip_paths
from tests.services.review_fixtures import PURPOSE, Panel
from tests.support.reading_order import (
    assert_opens_on_first_input,
    assert_tab_follows_reading_order,
)
from tests.ui.test_consensus_screen import reviewed
from tests.ui.test_label_in_name import demo_copy
from tests.ui.test_review_screen import open_case_with_footage, panel, show_window
from tests.ui.test_sessions_screen import TODAY, stocked

__all__ = ["clip_paths", "demo_copy", "panel", "reviewed", "stocked"]


def test_the_player_is_reached_before_the_form_and_submit(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    qtbot.waitUntil(lambda: case.player is not None and case.player.isVisible())
    assert_tab_follows_reading_order(qtbot, case)
    window.reviews.back_to_queue()


def test_the_outcome_check_boxes_come_between_the_grade_and_the_vignette(
    qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    ws, panel = reviewed
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(panel.session_id)
    screen.activateWindow()
    qtbot.waitUntil(lambda: screen.outcome.isEnabled())
    assert_tab_follows_reading_order(qtbot, screen.outcome)
    assert_tab_follows_reading_order(qtbot, screen)


def test_the_sessions_screen_and_its_dialogs_follow_reading_order(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    """Each dialog opens on its first field, not OK, and OK and Cancel come last."""
    ws, chair, _ = stocked
    screen = SessionsScreen(ws, chair, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.select_session(ws.review_sessions.session_id(chair, "2026 Q2 panel"))
    assert_tab_follows_reading_order(qtbot, screen)
    problems: list[str] = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        try:
            assert_opens_on_first_input(qtbot, dialog)
            assert_tab_follows_reading_order(qtbot, dialog)
        except AssertionError as exc:
            problems.append(str(exc))
        finally:
            dialog.close()

    setup = screen.setup
    buttons: list[QPushButton] = [setup.new_button, setup.adopt_button, setup.add_case_button]
    for button in buttons:
        QTimer.singleShot(0, check)
        button.click()
    assert not problems, "\n".join(problems)


def _reading_order_problem(qtbot: QtBot, root: QWidget, *, dialog: bool = False) -> str | None:
    try:
        if dialog:
            assert_opens_on_first_input(qtbot, root)
        assert_tab_follows_reading_order(qtbot, root)
    except AssertionError as exc:
        return str(exc)
    return None


def _dialog_problem(qtbot: QtBot, action: QAction) -> str | None:
    """The dialog `action` opens is modal, so it is walked while it runs."""
    found: list[str | None] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, f"{action.text()} opened no dialog"
        found.append(_reading_order_problem(qtbot, dialog, dialog=True))
        dialog.close()

    QTimer.singleShot(200, look)
    action.trigger()
    assert found, f"{action.text()} was not walked"
    return found[0]


@pytest.mark.parametrize("username", ["chair", "admin", "reviewer1", "training"])
def test_every_tab_and_menu_dialog_follows_reading_order(
    qtbot: QtBot, demo_copy: Workspace, username: str
) -> None:
    """Each work area, each page of the tabs inside it, and each dialog of the File menu,
    on the demo's content, as each role sees them."""
    actor = demo_copy.auth.sign_in(username, DEMO_PIN, purpose="test")
    window = show_window(qtbot, MainWindow(demo_copy, actor))
    problems: list[str | None] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        assert page is not None
        problems.append(_reading_order_problem(qtbot, page))
        for inner in page.findChildren(QTabWidget):
            for inner_index in range(inner.count() if inner.isVisible() else 0):
                inner.setCurrentIndex(inner_index)
                problems.append(_reading_order_problem(qtbot, page))
    for name in ("import_action", "sample_action", "accounts_action", "change_pin_action"):
        if (action := getattr(window, name, None)) is not None:
            problems.append(_dialog_problem(qtbot, action))
    found = [p for p in problems if p is not None]
    assert not found, "\n".join(found)


def test_the_first_run_and_sign_in_dialogs_open_on_their_first_field(
    qtbot: QtBot, sqlite_url: str, app_home: Paths
) -> None:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", "112358", purpose="test")
    try:
        for dialog in (
            WelcomeWindow(app_home, Settings(app_home.settings_file), sqlite_url),
            FirstAdminDialog(ws.auth, ws.panel),
            SignInDialog(ws.auth, ws.location),
            ConfidentialityDialog(ws.users, admin),
            PersonDialog(lambda _dialog: None),
        ):
            qtbot.addWidget(dialog)
            dialog.show()
            dialog.activateWindow()
            problem = _reading_order_problem(qtbot, dialog, dialog=True)
            assert problem is None, problem
            dialog.close()
    finally:
        ws.close()
