"""The footage panel on the chair's Sessions page (issue 11), on a real SQLite workspace with
real H.264 clips: the warnings show on choosing the session, Verify pressed from the
keyboard lists every clip in words with a symbol, the page stays in use while the check
runs on the thread pool, and Stop ends it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import ClipStatus, Role
from bwv_review.services.session_footage import ClipState, SessionFootage
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Clip
from bwv_review.ui.session_footage import PROGRESS_STEPS
from bwv_review.ui.sessions_screen import SessionsScreen
from tests.services.review_fixtures import PURPOSE, make_person
from tests.services.session_footage_fixtures import (
    CHANGED,
    GONE,
    GOOD,
    SOON,
    FootageSession,
    build_footage_session,
    rewrite_keeping_size_and_time,
)

TODAY = date(2026, 4, 20)
BIG_BYTES = 12 * 1024**3  # sparse: hashing it takes seconds, storing it takes nothing


@pytest.fixture
def stocked(
    sqlite_url: str, tmp_path: Path, app_home: Paths
) -> Iterator[tuple[Workspace, FootageSession]]:
    """The session and its four clips, with this laptop's settings (which the page reads)
    mapping the footage share."""
    ws = Workspace.create(sqlite_url)
    settings = Settings(app_home.settings_file)
    yield ws, build_footage_session(ws, tmp_path, settings, TODAY)
    ws.close()


def _page(qtbot: QtBot, ws: Workspace, setup: FootageSession) -> SessionsScreen:
    """The chair's Sessions page, shown, with the session chosen."""
    screen = SessionsScreen(ws, setup.chair, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=2000)
    screen.select_session(setup.session_id)
    return screen


def _lines(widget: QListWidget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def _press(qtbot: QtBot, screen: SessionsScreen, key: Qt.Key) -> None:
    """Alt and the button's underlined letter, typed where the focus is, as a keyboard
    user presses a button."""
    focused = QApplication.focusWidget() or screen
    qtbot.keyClick(focused, key, Qt.KeyboardModifier.AltModifier)


def test_warnings_show_on_choosing_and_verify_by_keyboard_lists_every_clip(
    qtbot: QtBot, stocked: tuple[Workspace, FootageSession]
) -> None:
    ws, setup = stocked
    setup.path(GONE).unlink()
    ws.library.verify(setup.admin, Settings(Paths.for_this_machine().settings_file), purpose="t")
    screen = _page(qtbot, ws, setup)
    panel = screen.setup.footage

    # As recorded: the administrator's verify found GONE missing; SOON is deleted in 2 days.
    assert panel.summary.text().startswith("\u26a0 As last checked, 4 clip(s): 1 missing")
    assert "1 due for deletion within 7 days" in panel.summary.text()
    before = _lines(panel.list)
    assert before[0].startswith(f"\u26a0 {GONE} \u00b7 Clip 1\n    Missing from the footage share")
    assert "What to do: If it was moved, ask the administrator to relink it" in before[0]
    assert before[1].startswith(f"\u26a0 {SOON} \u00b7 Clip 1\n    Due for deletion in 2 day(s)")

    rewrite_keeping_size_and_time(setup.path(CHANGED))  # only the hash can tell

    with qtbot.waitSignal(panel.verified, timeout=20_000) as finished:
        _press(qtbot, screen, Qt.Key.Key_V)
    found: SessionFootage = finished.args[0]
    assert found.checked_now and not found.cancelled
    lines = _lines(panel.list)
    assert all(line[0] in "\u26a0\u2714" for line in lines), lines  # a symbol, not colour
    assert lines[0].startswith(
        f"\u26a0 {CHANGED} \u00b7 Clip 1\n    Changed since it was registered"
    )
    assert "What to do: It is blocked from review. Ask the force for the original" in lines[0]
    assert lines[1].startswith(f"\u26a0 {GONE} \u00b7 Clip 1\n    Missing: there is no file")
    assert lines[2].startswith(f"\u26a0 {SOON} \u00b7 Clip 1\n    Due for deletion in 2 day(s)")
    assert lines[3] == f"\u2714 {GOOD} \u00b7 Clip 1: the registered footage, unchanged."
    assert panel.summary.text() == (
        "\u26a0 Checked just now: 2 of 4 clip(s) are fine; 1 missing, 1 changed, 1 due for "
        "deletion within 7 days."
    )
    # A screen reader hears the summary's words, not only its name, "Footage summary".
    heard = QAccessible.queryAccessibleInterface(panel.summary)
    assert heard is not None
    assert heard.text(QAccessible.Text.Description) == panel.summary.text()
    with ws.db.transaction() as session:
        status = session.scalar(select(Clip.status).where(Clip.id == setup.clip_ids[CHANGED]))
    assert status is ClipStatus.CHANGED


def _make_first_clip_big(ws: Workspace, setup: FootageSession) -> None:
    """CHANGED-3, hashed first, becomes a file of BIG_BYTES, registered at that size."""
    path = setup.path(CHANGED)
    with path.open("r+b") as handle:
        handle.truncate(BIG_BYTES)
    stat = path.stat()
    with ws.db.transaction() as session:
        clip = session.get_one(Clip, setup.clip_ids[CHANGED])
        clip.size_bytes, clip.mtime_ns = stat.st_size, stat.st_mtime_ns


def test_the_page_stays_in_use_while_checking_and_stop_ends_it(
    qtbot: QtBot, stocked: tuple[Workspace, FootageSession]
) -> None:
    ws, setup = stocked
    _make_first_clip_big(ws, setup)
    screen = _page(qtbot, ws, setup)
    panel = screen.setup.footage
    _press(qtbot, screen, Qt.Key.Key_V)

    # Progress arrives while the hash runs: the GUI thread is free to show it.
    qtbot.waitUntil(lambda: 0 < panel.progress.value() < PROGRESS_STEPS, timeout=10_000)
    assert panel.running and panel.progress.isVisible()
    assert panel.stop_button.isEnabled() and not panel.verify_button.isEnabled()
    assert panel.summary.text().startswith("Checking the")
    # ... and so is the rest of the page: the chair moves through the cases meanwhile.
    cases = screen.setup.cases
    cases.setFocus()
    cases.setCurrentCell(0, 0)
    qtbot.keyClick(cases, Qt.Key.Key_Down)
    assert cases.currentRow() == 1 and panel.running

    with qtbot.waitSignal(panel.verified, timeout=10_000) as finished:
        _press(qtbot, screen, Qt.Key.Key_K)
    found: SessionFootage = finished.args[0]
    assert found.cancelled
    assert {c.case_reference: c.state for c in found.clips}[CHANGED] is ClipState.NOT_CHECKED
    assert panel.summary.text() == (
        "\u26a0 The check was stopped: 4 of 4 clip(s) not checked; 1 due for deletion within "
        "7 days. Press Verify to check them."
    )
    assert not panel.running and not panel.progress.isVisible()
    assert panel.verify_button.isEnabled() and not panel.stop_button.isEnabled()
    assert any("press Verify to check it" in line for line in _lines(panel.list))
    with ws.db.transaction() as session:
        status = session.scalar(select(Clip.status).where(Clip.id == setup.clip_ids[CHANGED]))
    assert status is ClipStatus.OK  # not checked, so not changed


def test_a_chair_not_on_the_panel_is_asked_to_join_before_checking(
    qtbot: QtBot, stocked: tuple[Workspace, FootageSession]
) -> None:
    ws, setup = stocked
    other = make_person(ws, "vicechair", Role.CHAIR)
    screen = SessionsScreen(ws, other, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.select_session(setup.session_id)
    panel = screen.setup.footage
    assert panel.summary.text().startswith("Join this session as a panel member")
    assert not panel.verify_button.isEnabled() and panel.list.count() == 0
    ws.review_sessions.join(other, setup.session_id, purpose=PURPOSE)
    screen.setup.reload()
    assert panel.verify_button.isEnabled()
    assert "1 due for deletion within 7 days" in panel.summary.text()


def test_a_deletion_date_gone_by_is_not_called_due_within_a_week(
    qtbot: QtBot, stocked: tuple[Workspace, FootageSession]
) -> None:
    """A clip whose deletion date has passed may be gone already: the summary says so,
    rather than counting it among those due within 7 days."""
    ws, setup = stocked
    with ws.db.transaction() as session:
        clip = session.get_one(Clip, setup.clip_ids[SOON])
        clip.deletion_due_on = date.fromordinal(TODAY.toordinal() - 3)
    screen = _page(qtbot, ws, setup)
    summary = screen.setup.footage.summary.text()
    assert "1 past its deletion date" in summary
    assert "due for deletion within" not in summary
    assert any("has passed" in line for line in _lines(screen.setup.footage.list))


def test_cases_due_for_purge_within_the_retention_period_are_listed_until_purged(
    qtbot: QtBot, stocked: tuple[Workspace, FootageSession]
) -> None:
    """SOON-4's encounter was 29 days ago; with a 40-day period it is purged in 12 days,
    the others (5 to 7 days ago) in 34 or more, beyond the 30-day warning."""
    ws, setup = stocked
    screen = _page(qtbot, ws, setup)
    pane = screen.setup.footage
    assert not [line for line in _lines(pane.list) if "purge" in line]  # no period set
    ws.panel.set_retention(setup.admin, 40, purpose=PURPOSE)
    pane.show_session(setup.session_id, on_panel=True)  # as choosing it again does
    due = [line for line in _lines(pane.list) if "purge" in line]
    due_on = TODAY + timedelta(days=12)
    assert due == [
        f"\u26a0 {SOON}: due for purge within 30 days (on {due_on:%d %B %Y}, 12 day(s) left)\n"
        "    Then its grounds, officer pseudonym, clip links and notes are removed.\n"
        "    What to do: review and discuss it before then; answers and grades are kept."
    ]
    assert "1 case(s) due for purge within 30 days" in pane.summary.text()

    ws.panel.set_retention(setup.admin, 20, purpose=PURPOSE)
    pane.show_session(setup.session_id, on_panel=True)  # as choosing it again does
    heads = [line.split("\n")[0] for line in _lines(pane.list) if "purge" in line]
    in_14_days = TODAY + timedelta(days=14)
    assert heads[0] == (
        f"\u26a0 {CHANGED}: due for purge within 30 days (on {in_14_days:%d %B %Y}, 14 day(s) left)"
    )
    assert f"\u26a0 {SOON}: past the panel's retention period, due for purge" in heads
    assert len(heads) == 4

    purged = ws.retention.purge(setup.admin, 28, dry_run=False, purpose=PURPOSE, today=TODAY)
    assert [case.reference for case in purged.cases] == [SOON]
    pane.show_session(setup.session_id, on_panel=True)  # as choosing it again does
    heads = [line.split("\n")[0] for line in _lines(pane.list) if "purge" in line]
    assert len(heads) == 3 and not [head for head in heads if SOON in head]
