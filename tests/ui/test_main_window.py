"""The main window shows each person the work their roles allow, with empty states that
say what to do first; signing out is audited."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.main_window import MainWindow
from tests.services.review_fixtures import PURPOSE, build_panel
from tests.ui.test_review_screen import accept_statement_by_keyboard, show_window

PIN = "112358"


@pytest.fixture
def people(sqlite_url: str) -> Iterator[tuple[Workspace, Actor, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    trainer = ws.auth.create_user(
        admin, "tlead", "Terry Lead", PIN, [Role.TRAINING_LEAD], purpose="test"
    )
    yield ws, admin, trainer
    ws.close()


def _tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_tabs_follow_roles(qtbot: QtBot, people: tuple[Workspace, Actor, Actor]) -> None:
    ws, admin, trainer = people
    admin_window = MainWindow(ws, admin)
    trainer_window = MainWindow(ws, trainer)
    qtbot.addWidget(admin_window)
    qtbot.addWidget(trainer_window)
    assert _tab_titles(admin_window) == [
        "My reviews",
        "Review sessions",
        "Library",
        "Reports",
        "Learning",
    ]
    assert _tab_titles(trainer_window) == ["Learning"]
    admin_window.show()
    admin_window.tabs.setCurrentIndex(2)
    library = admin_window.library
    # With nothing imported the library says what to import first.
    qtbot.waitUntil(lambda: library.pages.currentWidget() is library.empty_pages["cases"])
    assert "import-manifest" in library.empty_pages["cases"].accessibleName() + " ".join(
        label.text() for label in library.empty_pages["cases"].findChildren(QLabel)
    )
    assert "Terry Lead (M002)" in trainer_window.statusBar().findChildren(object)[-1].text()


def test_sign_out_is_recorded(qtbot: QtBot, people: tuple[Workspace, Actor, Actor]) -> None:
    ws, admin, _ = people
    window = MainWindow(ws, admin)
    qtbot.addWidget(window)
    window.show()
    window.sign_out_action.trigger()
    assert window.signed_out and not window.isVisible()
    with ws.db.transaction() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None and (last.actor, last.action) == ("alice", "auth.signed_out")


def _press_on_window(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key as the window system delivers it: to the window, whatever has the focus."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, modifiers)


def test_ctrl_tab_switches_tabs_right_after_sign_in(
    qtbot: QtBot, people: tuple[Workspace, Actor, Actor]
) -> None:
    """Ctrl+Tab did nothing until something inside the tabs had focus: after the
    confidentiality statement closed nothing had, and the queue list kept the keys."""
    ws, admin, _ = people
    window = show_window(qtbot, MainWindow(ws, admin), active=False)
    accept_statement_by_keyboard(qtbot, window)
    qtbot.waitUntil(
        lambda: (
            window.reviews.confidentiality_dialog is None
            or not (window.reviews.confidentiality_dialog.isVisible())
        )
    )
    window.activateWindow()  # as the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    titles = _tab_titles(window)
    assert window.tabs.currentIndex() == 0

    ctrl = Qt.KeyboardModifier.ControlModifier
    ctrl_shift = ctrl | Qt.KeyboardModifier.ShiftModifier
    _press_on_window(window, Qt.Key.Key_Tab, ctrl)
    assert window.tabs.currentIndex() == 1
    _press_on_window(window, Qt.Key.Key_Backtab, ctrl_shift)  # what X sends for Shift+Tab
    _press_on_window(window, Qt.Key.Key_Backtab, ctrl_shift)
    assert window.tabs.currentIndex() == len(titles) - 1  # wraps round

    # With nothing focused at all, too; the tab bar then takes the focus.
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    assert QApplication.focusWidget() is None
    _press_on_window(window, Qt.Key.Key_Tab, ctrl)
    assert window.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is window.tabs.tabBar()
    _press_on_window(window, Qt.Key.Key_Tab, ctrl)
    assert window.tabs.currentIndex() == 1

    # And from inside a tab's table, as before.
    window.tabs.setCurrentWidget(window.library)
    window.library.view.setFocus(Qt.FocusReason.MouseFocusReason)
    assert QApplication.focusWidget() is window.library.view
    _press_on_window(window, Qt.Key.Key_Tab, ctrl)
    assert titles[window.tabs.currentIndex()] == "Reports"


def test_a_chair_goes_from_the_consensus_to_their_own_review(qtbot: QtBot, sqlite_url: str) -> None:
    """Issue 8 defect 6: the consensus screen's route to the chair's own review opens it."""
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws, open_it=False)
    ws.review_sessions.add_members(panel.chair, panel.session_id, ["chair"], purpose=PURPOSE)
    ws.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    ws.users.accept_confidentiality(panel.chair, purpose=PURPOSE)
    own = panel.assignment(ws, panel.chair, panel.case_ids[0])
    window = show_window(qtbot, MainWindow(ws, panel.chair))
    window.tabs.setCurrentWidget(window.sessions)
    window.sessions.select_session(panel.session_id)
    window.sessions.compare(panel.case_ids[0])
    consensus = window.sessions.consensus
    qtbot.waitUntil(consensus.own_review_button.isVisible)
    qtbot.mouseClick(consensus.own_review_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.reviews
    case = window.reviews.case_view
    assert case is not None and case.assignment_id == own
    ws.close()


def _shortcuts_by_f1(qtbot: QtBot, window: MainWindow) -> list[tuple[str, ...]]:
    """F1 pressed on the window; the rows of the list it shows, cell by cell."""
    _press_on_window(window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None)
    box = window.findChild(QMessageBox)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    box.close()
    return [
        tuple(html.unescape(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row))
        for row in re.findall(r"<tr>(.*?)</tr>", text)
    ]


def test_f1_lists_the_learning_point_key_to_reviewers_only(
    qtbot: QtBot, people: tuple[Workspace, Actor, Actor]
) -> None:
    """The F1 list (F1 is the main window's in the review screen too) left out M and
    Ctrl+M, the learning-point keys, and every player key."""
    ws, admin, trainer = people
    admin = ws.users.accept_confidentiality(admin, purpose="test")
    window = show_window(qtbot, MainWindow(ws, admin))
    rows = set(_shortcuts_by_f1(qtbot, window))
    assert ("Mark a learning point (pauses, then asks what it is)", "M", "Ctrl+M") in rows
    assert ("Mute or unmute", "U", "Ctrl+U") in rows  # the player's keys are there too
    for keys, what in (
        ("F1", "Keyboard shortcuts"),
        ("Ctrl+Tab", "Next tab"),
        ("Ctrl+Shift+Tab", "Previous tab"),
        ("Ctrl+I", "Import records, cases or footage"),
        ("Ctrl+Shift+D", "Draw a sample of cases"),
    ):
        assert (keys, what) in {row[:2] for row in rows}

    learning_only = show_window(qtbot, MainWindow(ws, trainer))
    theirs = _shortcuts_by_f1(qtbot, learning_only)
    assert ("Ctrl+Shift+L", "Sign out") in theirs
    described = " ".join(row[-1] for row in theirs) + " ".join(row[0] for row in theirs)
    assert "learning point" not in described and "Import" not in described  # not theirs
