"""The idle lock: after the timeout with no input and nothing playing the window is covered,
the video hidden and keys go nowhere; the PIN brings the reviewer back with every answer
kept. The timeout comes from settings, so here it is 200 ms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.services.workspace import Workspace
from bwv_review.ui.idle_lock import IdleLock
from bwv_review.ui.main_window import MainWindow
from tests.services.review_fixtures import PURPOSE, Panel, build_panel

PIN = "135790"


@pytest.fixture
def panel(sqlite_url: str, app_home: Paths) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(sqlite_url)
    team = build_panel(ws, cases=1)
    ws.users.reset_secret(team.admin, "alice", PIN, purpose=PURPOSE)
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    Settings(app_home.settings_file).set("idle_lock_minutes", 200 / 60_000)
    yield ws, team
    ws.close()


def test_idle_lock_hides_and_resumes_with_answers_kept(
    qtbot: QtBot, panel: tuple[Workspace, Panel], tmp_path: Path
) -> None:
    ws, team = panel
    window = MainWindow(ws, team.alice)
    lock = window.idle_lock
    # Showing the window, opening the case and typing are a person at work: on a busy
    # machine the 200 ms lock fired in the middle of them, before the footage it must
    # hide was there. The idle time starts once the typing is done.
    lock.set_timeout_ms(60_000)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.reviews.open_case(team.assignment(ws, team.alice, team.case_ids[0]))
    case = window.reviews.case_view
    assert case is not None
    row = case.form.rows["power_fits_object"]
    row.radios["met"].setFocus()
    qtbot.keyClick(row.radios["met"], Qt.Key.Key_Space)
    reason_row = case.form.rows["grounds_objective"]
    reason_row.radios["met"].setFocus()
    qtbot.keyClick(reason_row.radios["met"], Qt.Key.Key_Space)
    qtbot.keyClick(reason_row.radios["met"], Qt.Key.Key_Right)  # Partly met: reason needed
    reason_row.reason.setFocus()
    qtbot.keyClicks(reason_row.reason, "half-typed reason")
    assert case.footage.isVisible() and not lock.is_locked

    lock.set_timeout_ms(200)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    overlay = lock.overlay
    assert overlay is not None and overlay.isVisible()
    assert not case.footage.isVisible()
    assert QApplication.focusWidget() is overlay.pin
    # Keys meant for the form go nowhere while locked.
    qtbot.keyClick(reason_row.reason, Qt.Key.Key_X)
    assert reason_row.reason.text() == "half-typed reason"

    qtbot.keyClicks(overlay.pin, "000000")
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    assert lock.is_locked and overlay.error.isVisible()
    qtbot.keyClicks(overlay.pin, PIN)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert window.reviews.case_view is case and case.footage.isVisible()
    assert row.answer_id == "met" and reason_row.answer_id == "partly_met"
    assert reason_row.reason.text() == "half-typed reason"
    assert QApplication.focusWidget() is reason_row.reason  # back where the reviewer was
    lock.set_timeout_ms(60_000)
    reason_row.reason.clearFocus()  # leaving the field saves the reason
    view = ws.reviews.open_case(team.alice, case.assignment_id, purpose=PURPOSE)
    assert view.answers["grounds_objective"].reason == "half-typed reason"


def test_playing_defers_the_lock_and_an_open_dialog_waits_behind_it(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(600, 400)
    window.show()
    dialog = QDialog(window)
    dialog.setAccessibleName("Half-written learning point")
    dialog.open()
    asked: list[bool] = []

    def playing() -> bool:  # the footage plays through two timeouts, then stops
        asked.append(True)
        return len(asked) < 3

    lock = IdleLock(window, ws, team.alice, 100, is_busy=playing)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert len(asked) == 3
    assert not dialog.isVisible()  # it would sit over the cover and keep the keyboard
    overlay = lock.overlay
    assert overlay is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is overlay.pin)
    qtbot.keyClicks(overlay.pin, PIN)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    assert dialog.isVisible()
    lock.set_timeout_ms(60_000)


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab])
def test_tab_and_shift_tab_cycle_inside_the_lock(
    qtbot: QtBot, panel: tuple[Workspace, Panel], key: Qt.Key
) -> None:
    """Focus behind the cover would be a keyboard trap: the lock swallows every key sent
    there, so Tab from Sign out (or Shift+Tab from the PIN) must wrap round the lock."""
    ws, team = panel
    window = MainWindow(ws, team.alice)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    lock = window.idle_lock
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    overlay = lock.overlay
    assert overlay is not None
    lock.set_timeout_ms(60_000)
    modifier = (
        Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Backtab
        else Qt.KeyboardModifier.NoModifier
    )
    reached = []
    for _ in range(7):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key, modifier)
        now = QApplication.focusWidget()
        assert now is not None and overlay.isAncestorOf(now), f"focus escaped to {now!r}"
        reached.append(now)
    assert {overlay.pin, overlay.unlock_button, overlay.sign_out_button} <= set(reached)
    qtbot.keyClicks(overlay.pin, PIN)  # the field still takes keys after the round trips
    assert overlay.pin.text() == PIN


def test_a_window_closed_while_locked_does_not_block_other_windows(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    """The lock's filter is on the whole application: once its window is closed (before
    Qt frees it) another window must take clicks and keys again."""
    ws, team = panel
    window = MainWindow(ws, team.alice)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    window.close()
    other = QDialog()
    qtbot.addWidget(other)
    field = QLineEdit(other)
    other.show()
    qtbot.waitExposed(other)
    qtbot.keyClicks(field, "typed")
    assert field.text() == "typed"
