"""The reviewer's screen end to end, on a real SQLite file, the real services and libvlc with
a generated clip, driven by the keyboard alone: sign in, accept the statement, open a case,
play, stamp a learning point, answer every check, submit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.config import Paths, Settings
from bwv_review.media.playback_state import PlaybackState
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui import clip_check
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.rubric_form import CheckRow
from bwv_review.ui.sign_in import SignInDialog
from bwv_review.ui.view_log import view_purpose
from tests.media.fixtures import clip_paths
from tests.services.review_fixtures import PURPOSE, Panel, build_panel

__all__ = ["clip_paths"]
PIN = "246810"


@pytest.fixture
def panel(
    sqlite_url: str, app_home: Paths, tmp_path: Path, clip_paths: dict[str, Path]
) -> Iterator[tuple[Workspace, Panel]]:
    """One open session, one case whose clip is registered footage on this machine."""
    ws, team = _registered_panel(sqlite_url, app_home, tmp_path, clip_paths)
    yield ws, team
    ws.close()


@pytest.fixture
def long_panel(
    sqlite_url: str, app_home: Paths, tmp_path: Path, clip_paths: dict[str, Path]
) -> Iterator[tuple[Workspace, Panel]]:
    """The same with a 1 GiB clip file (the video, then zeros a player skips), which takes
    about a second to hash even from the page cache."""
    ws, team = _registered_panel(sqlite_url, app_home, tmp_path, clip_paths, pad_bytes=1024**3)
    yield ws, team
    ws.close()


def _registered_panel(
    sqlite_url: str,
    app_home: Paths,
    tmp_path: Path,
    clip_paths: dict[str, Path],
    *,
    pad_bytes: int = 0,
) -> tuple[Workspace, Panel]:
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws, cases=1)
    ws.users.reset_secret(panel.admin, "alice", PIN, purpose=PURPOSE)
    store = tmp_path / "force-store"
    (store / "CASE-001").mkdir(parents=True)
    clip = store / "CASE-001" / "officer1.mp4"
    shutil.copy(clip_paths["cfr25"], clip)
    if pad_bytes:
        with clip.open("r+b") as handle:
            handle.truncate(clip.stat().st_size + pad_bytes)  # sparse: quick to make
    settings = Settings(app_home.settings_file)
    settings.map_footage_root("force-store", store)
    settings.set("player.surface", "callback")
    settings.set("player.vlc_args", ["--aout=dummy"])
    ws.library.register_clips(panel.admin, "force-store", settings, purpose=PURPOSE)
    return ws, panel


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key) -> None:
    qtbot.keyClick(focused(), key)


def press_ctrl_m(qtbot: QtBot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_until(qtbot: QtBot, found, limit: int = 200) -> QWidget:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        press(qtbot, Qt.Key.Key_Tab)
        if found(focused()):
            return focused()
    raise AssertionError(f"Tab never reached the control; stuck at {focused()!r}")


def actions(ws: Workspace) -> list[str]:
    with ws.db.transaction() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def sign_in_by_keyboard(qtbot: QtBot, ws: Workspace) -> MainWindow:
    dialog = SignInDialog(ws.auth, ws.location)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)
    type_text(qtbot, "alice")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, PIN)
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.actor is not None
    return show_window(qtbot, MainWindow(ws, dialog.actor), active=False)


def show_window(qtbot: QtBot, window: MainWindow, *, active: bool = True) -> MainWindow:
    """Shown; `active` waits for keyboard focus (not while a dialog opens over it)."""
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    if active:
        qtbot.waitUntil(window.isActiveWindow)
    return window


def accept_statement_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.reviews.confidentiality_dialog is not None)
    dialog = window.reviews.confidentiality_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.isAncestorOf(focused()))
    tab_until(qtbot, lambda w: w is dialog.accept_button)
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Space)


def open_first_case_by_keyboard(qtbot: QtBot, window: MainWindow) -> CaseView:
    screen = window.reviews
    qtbot.waitUntil(lambda: screen.currentWidget() is screen.queue)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.queue.list)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.case_view is not None)
    assert screen.case_view is not None
    return screen.case_view


def test_full_review_by_keyboard(qtbot: QtBot, panel: tuple[Workspace, Panel]) -> None:
    ws, team = panel
    window = sign_in_by_keyboard(qtbot, ws)
    accept_statement_by_keyboard(qtbot, window)
    assert not ws.users.needs_confidentiality(team.alice)
    case = open_first_case_by_keyboard(qtbot, window)
    assert "OFF-7" in case.record.accessibleDescription()  # pseudonym, never a name
    assert case.player is None  # footage hidden behind the content warning
    assert "clip.opened" not in actions(ws)

    tab_until(qtbot, lambda w: w is case.show_button)
    press(qtbot, Qt.Key.Key_Space)
    player = case.player
    assert player is not None and player.player is not None
    engine = player.player
    qtbot.waitUntil(
        lambda: engine.state is PlaybackState.PAUSED and not engine.busy, timeout=15_000
    )
    assert player.isAncestorOf(focused()) or focused() is player
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: engine.position_ms > 600, timeout=5000)

    # M in the player: pause, stamp, ask.
    press(qtbot, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: case.point_dialog is not None, timeout=8000)
    dialog = case.point_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isAncestorOf(focused()))
    assert engine.state is PlaybackState.PAUSED
    tab_until(qtbot, lambda w: w is dialog.tags)
    press(qtbot, Qt.Key.Key_Down)  # from "BWV late start" to the next tag
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Grounds explained clearly")
    with qtbot.waitSignal(dialog.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        press(qtbot, Qt.Key.Key_Space)
    assert len(case.points) == 1
    point = case.points[0]
    assert point.position_ms > 0 and point.frame_index is not None and len(point.tags) == 1
    assert point.note == "Grounds explained clearly"
    assert [m.position_ms for m in player.timeline.markers()] == [point.position_ms]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is player)

    # Every check, in the page's order: Met, except one Not met with its reason.
    order: list[str] = []
    rows = case.form.rows
    row_of = {radio: row for row in rows.values() for radio in row.radios.values()}
    not_met_done = False
    legal = case.form.grade_boxes["legal"]
    for _ in range(400):
        press(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        if widget is case.submit_button:
            break
        row = row_of.get(widget) if isinstance(widget, QRadioButton) else None
        if row is not None and row.check.id not in order:
            order.append(row.check.id)
        if row is not None and row.answer_id is None:
            press(qtbot, Qt.Key.Key_Space)  # Met
            if not not_met_done:
                press(qtbot, Qt.Key.Key_Right)  # Partly met
                press(qtbot, Qt.Key.Key_Right)  # Not met
                assert row.answer_id == "not_met" and row.reason.isVisible()
                press(qtbot, Qt.Key.Key_Tab)
                assert focused() is row.reason
                type_text(qtbot, "No grounds given before the search (00:03)")
                not_met_done = True
        elif widget is legal.choice:  # choose another grade than suggested, and say why
            press(qtbot, Qt.Key.Key_Down)
            if legal.choice.currentData() == legal.suggested:
                press(qtbot, Qt.Key.Key_Down)
            press(qtbot, Qt.Key.Key_Tab)
            assert focused() is legal.reason
            type_text(qtbot, "One partial answer does not make the search unlawful")
        elif widget is case.form.general_note:
            type_text(qtbot, "Calm encounter")
    assert focused() is case.submit_button
    assert order == [c.id for c in case.rubric.checks]  # Tab follows the rubric
    assert all(row.answer_id is not None for row in rows.values())
    assert "Saved" in case.save_status.text()
    # Ctrl+M works anywhere in the window, here from the Submit button.
    press_ctrl_m(qtbot)
    qtbot.waitUntil(lambda: case.point_dialog is not dialog and case.point_dialog.isVisible())
    second = case.point_dialog
    qtbot.waitUntil(lambda: second.isAncestorOf(QApplication.focusWidget()))
    with qtbot.waitSignal(second.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        press(qtbot, Qt.Key.Key_Space)
    assert len(case.points) == 2
    qtbot.waitUntil(lambda: QApplication.focusWidget() is player)
    tab_until(qtbot, lambda w: w is case.submit_button)
    press(qtbot, Qt.Key.Key_Space)
    # Submitting locks the review, so it asks first, saying what is locked in and what
    # is still empty; the safe answer is the default.
    qtbot.waitUntil(lambda: case.confirm_dialog is not None and case.confirm_dialog.isVisible())
    confirm = case.confirm_dialog
    assert "Not met" in confirm.informativeText() and "reopen" in confirm.informativeText()
    assert "question to the force" in confirm.informativeText()  # left empty
    qtbot.waitUntil(lambda: confirm.isAncestorOf(focused()))
    assert focused().text() == "&Keep reviewing"
    tab_until(qtbot, lambda w: getattr(w, "text", lambda: "")() == "&Submit review")
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: case.locked)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is case.back_button)
    assert not case.error.isVisible()
    saved = ws.reviews.open_case(team.alice, case.assignment_id, purpose=PURPOSE)
    assert saved.dimension_choices["legal"].reason == (
        "One partial answer does not make the search unlawful"
    )
    assert saved.general_note == "Calm encounter"

    # Submitted: now the member may compare with the others, still by keyboard.
    tab_until(qtbot, lambda w: w is case.compare_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: case.others is not None and case.others.isVisible())
    table = case.others.table
    assert table.horizontalHeaderItem(1).text() == "You"
    assert table.item(table.rowCount() - 1, 0).text() == "Case grade"
    case.others.reject()

    queue = ws.reviews.queue(team.alice)
    assert queue[0].status == "submitted"
    done = actions(ws)
    for action in ("clip.opened", "clip.played", "review.learning_point_added", "review.submitted"):
        assert action in done
    with ws.db.transaction() as session:
        views = session.execute(
            select(AuditEvent.actor, AuditEvent.purpose).where(
                AuditEvent.action.in_(("clip.opened", "clip.played"))
            )
        ).all()
    assert {tuple(view) for view in views} == {("alice", view_purpose(saved.session_name))}


def test_every_control_is_named_and_submit_lists_the_gaps(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    screen = window.reviews
    screen.open_case(team.assignment(ws, team.alice, team.case_ids[0]))
    case = screen.case_view
    assert case is not None
    case.show_footage()
    assert case.player is not None
    qtbot.waitUntil(lambda: case.player.clip_box.count() == 1)
    unnamed = [
        f"{type(w).__name__} in {type(w.parent()).__name__}"
        for w in screen.findChildren(QWidget)
        if w.window() is window  # not the combo boxes' closed pop-up lists
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not w.accessibleName()
    ]
    assert unnamed == []
    for row in case.form.rows.values():
        assert isinstance(row, CheckRow) and row.accessibleName() == row.check.text
    # A key bound twice window-wide runs neither binding (F1 and Ctrl+M were).
    window_keys = [
        s.key().toString()
        for s in window.findChildren(QShortcut)
        if s.isEnabled() and s.context() == Qt.ShortcutContext.WindowShortcut
    ] + [a.shortcut().toString() for a in window.findChildren(QAction) if a.shortcut()]
    assert sorted(k for k in set(window_keys) if k and window_keys.count(k) > 1) == []
    assert "Legal" in case.form.grade_boxes["legal"].choice.accessibleName()

    case.submit_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert case.error.isVisible()
    text = case.error.text()
    assert "Not submitted" in text and "unanswered: The power used fits the object" in text
    assert text.count("•") == 26  # every applicable check still open
    assert not case.locked


def test_a_save_that_fails_says_so(qtbot: QtBot, panel: tuple[Workspace, Panel]) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    screen = window.reviews
    screen.open_case(team.assignment(ws, team.alice, team.case_ids[0]))
    case = screen.case_view
    assert case is not None
    first = case.form.rows["power_fits_object"]
    first.radios["met"].setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert "Saved" in case.save_status.text() and not case.error.isVisible()
    ws.review_sessions.finalise(team.chair, team.session_id, purpose=PURPOSE)  # another laptop
    second = case.form.rows["grounds_objective"]
    second.radios["met"].setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert "Not saved" in case.save_status.text()
    assert case.error.isVisible() and "Not saved" in case.error.text()


# --- A clip whose file is not the registered footage (issue 9, defect 9) ------------------


def clip_file(tmp_path: Path) -> Path:
    return tmp_path / "force-store" / "CASE-001" / "officer1.mp4"


def rewrite_keeping_size_and_mtime(path: Path) -> None:
    """Change picture bytes mid-file and put the modification time back: the file still
    plays and passes the size-and-time check made when a clip is opened."""
    before = path.stat()
    with path.open("r+b") as handle:
        handle.seek(before.st_size // 2)
        chunk = handle.read(64)
        handle.seek(before.st_size // 2)
        handle.write(bytes(b ^ 0xFF for b in chunk))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def open_case_with_footage(qtbot: QtBot, window: MainWindow, team: Panel) -> CaseView:
    """Open the case and press Show footage, as the reviewer does."""
    screen = window.reviews
    screen.open_case(team.assignment(window.workspace, team.alice, team.case_ids[0]))
    case = screen.case_view
    assert case is not None
    case.show_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    return case


@pytest.mark.expected_log_warnings
def test_a_rewritten_clip_stops_and_says_why_and_stays_refused(
    qtbot: QtBot, panel: tuple[Workspace, Panel], tmp_path: Path
) -> None:
    ws, team = panel
    rewrite_keeping_size_and_mtime(clip_file(tmp_path))
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    player = case.player
    assert player is not None and player.player is not None
    engine = player.player
    # Press Play as soon as the player allows; the check stops the clip either way.
    qtbot.waitUntil(
        lambda: player.play_button.isEnabled() or player.blocked_label.isVisible(), timeout=15_000
    )
    if player.play_button.isEnabled():
        qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.blocked_label.isVisible, timeout=5000)
    assert player.blocked_label.text() == (
        "\u26a0 The file for Officer 1 is not the footage registered for this case (its "
        "contents changed since import). Playback stopped. Ask the administrator to run verify."
    )
    assert engine.state is PlaybackState.NO_MEDIA and not player.surface.isVisible()
    assert not player.play_button.isEnabled()
    player.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # the Play key does nothing now
    qtbot.wait(500)
    assert engine.state is PlaybackState.NO_MEDIA
    assert actions(ws).count("clip.contents_changed") == 1

    # Opening the case again in this run: refused at once, without hashing again.
    window.reviews.back_to_queue()
    again = open_case_with_footage(qtbot, window, team)
    assert again.player is None
    assert "not the footage registered for this case" in again.footage_message.text()
    assert actions(ws).count("clip.contents_changed") == 1


def test_a_long_clip_is_checked_in_the_background_and_a_good_one_plays_on(
    qtbot: QtBot, long_panel: tuple[Workspace, Panel], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fast machine hashes the 1 GiB in under the usual half second before the note shows.
    monkeypatch.setattr(clip_check, "NOTE_AFTER_S", 0.1)
    ws, team = long_panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    player, checker = case.player, case.clip_checker
    assert player is not None and checker is not None
    qtbot.waitUntil(player.check_label.isVisible, timeout=5000)
    assert player.check_label.text().startswith("Checking the file is the registered footage…")
    assert checker.busy

    # Closing the case stops the hash at its next chunk, not when the file is done.
    window.reviews.back_to_queue()
    qtbot.waitUntil(lambda: not checker.busy, timeout=300)

    # So it was not remembered as checked: the next showing hashes again, and plays meanwhile.
    case = open_case_with_footage(qtbot, window, team)
    player = case.player
    assert player is not None and player.player is not None
    engine = player.player
    qtbot.waitUntil(player.check_label.isVisible, timeout=5000)
    qtbot.waitUntil(player.play_button.isEnabled, timeout=15_000)
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: not player.check_label.isVisible(), timeout=15_000)
    playing_at = engine.position_ms
    qtbot.wait(700)
    assert engine.state is PlaybackState.PLAYING and engine.position_ms > playing_at
    assert player.surface.isVisible() and not player.blocked_label.isVisible()
    assert "clip.contents_changed" not in actions(ws)
