"""SIGKILL of the real app under Xvfb while a reviewer types a note with real X input:
every character typed before a pause longer than the typing save's debounce (1.2 s,
ui/rubric_form.py TypingSaver) is in the database, and the file is whole.

Each trial starts the app on its own copy (SQLite backup API) of a small panel, signs in
with the keyboard, opens the case with the mouse, types three stretches into the general
note, pausing after the first two, and is killed straight after the third.
CI kills twice; BWV_RELIABILITY_FULL=1 kills 20 times (docs/reliability.md).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bwv_review.services.workspace import Workspace
from tests.e2e.a11y import Screen
from tests.e2e.app import AppUnderTest
from tests.e2e.desktop import Desktop, desktop, missing_tools
from tests.e2e.panel_db import PanelDatabase
from tests.e2e.person import Person
from tests.e2e.reviewer import MouseReviewer
from tests.reliability.counts import trials
from tests.services.review_fixtures import PURPOSE, build_panel, give_own_pin

# A trial is a cold start of the app and an AT-SPI walk to the note: 40-120 s on a shared
# two-core machine, so CI kills twice to keep tests/reliability within its 8 minutes.
KILLS = trials(2, 20)
PIN = "582914"
NOTE = "General note"


@pytest.fixture
def panel_file(tmp_path: Path) -> Path:
    """A panel where Alice has one case to review, made once and copied for each trial."""
    path = tmp_path / "panel-template.sqlite3"
    workspace = Workspace.create(f"sqlite:///{path}")
    try:
        panel = build_panel(workspace, cases=1)
        give_own_pin(workspace, panel.admin, panel.alice, PIN)
        # Accepted once, as on her first day: each trial is a later day at the panel.
        workspace.users.accept_confidentiality(panel.alice, purpose=PURPOSE)
    finally:
        workspace.close()
    return path


@pytest.fixture
def screen(tmp_path: Path) -> Iterator[tuple[Desktop, Screen]]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"the app-level kills need these Debian packages: {' '.join(missing)}")
    with desktop(tmp_path / "shots") as display:
        reader = Screen(display)
        try:
            yield display, reader
        finally:
            reader.close()


def test_sigkill_while_typing_keeps_all_typed_before_a_pause(
    tmp_path: Path, panel_file: Path, screen: tuple[Desktop, Screen]
) -> None:
    display, reader = screen
    for trial in range(KILLS):
        db_file = tmp_path / f"trial-{trial}.sqlite3"
        with sqlite3.connect(panel_file) as source, sqlite3.connect(db_file) as target:
            source.backup(target)
        app = AppUnderTest(display, db_file, tmp_path / f"home-{trial}")
        stretches = (f"Trial {trial} first words.", " Then more after a pause.", " Cut off here")
        try:
            app.start()
            alice = MouseReviewer(display, reader, "alice", "Alice", PIN)
            started = time.monotonic()
            Person.sign_in(alice)  # name, Tab, PIN, Enter: the quickest way in
            alice.open_case("CASE-001")
            alice.type_note(NOTE, stretches[0])
            alice.pause()
            alice.type(stretches[1])
            alice.pause()
            alice.type(stretches[2])
            assert app.process is not None
            os.killpg(app.process.pid, signal.SIGKILL)
            assert app.process.wait(timeout=30) == -signal.SIGKILL
            print(f"trial {trial}: {time.monotonic() - started:.0f} s from the sign-in")
        except BaseException:
            print(app.stderr())
            raise
        finally:
            app.stop()
        db = PanelDatabase(db_file)
        try:
            review = db.review("alice", "CASE-001")
        finally:
            db.close()
        assert review is not None
        note = review.general_note or ""
        paused_after = stretches[0] + stretches[1]
        assert note.startswith(paused_after), f"trial {trial}: {note!r}"
        assert "".join(stretches).startswith(note), f"trial {trial}: {note!r}"
        with sqlite3.connect(db_file) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"\n{KILLS} app kills while typing: every character typed before a pause saved")
