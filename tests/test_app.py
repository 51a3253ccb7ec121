"""The real app in a real X server: `make run` opens it, a person signs in by keyboard and
the main window maps; the first run asks for the first administrator."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bwv_review.config import Paths, Settings, StartChoice, StartRoute
from bwv_review.services.workspace import Workspace
from tests.support.xvfb import wait_for_window, window_names, xvfb_display

REPO = Path(__file__).resolve().parents[1]
PIN = "864200"


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


def _xdotool(display: str, *args: str) -> None:
    subprocess.run(
        ["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True, timeout=30
    )


def _app_env(display: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "BWV_REVIEW_HOME": str(home)})
    return env


def _start(command: list[str], display: str, home: Path) -> subprocess.Popen[bytes]:
    """In its own process group, so stopping `make run` stops the app it started too."""
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=_app_env(display, home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
    return err.decode(errors="replace")


def _usernames(db_file: Path) -> list[str]:
    """Read-only, so looking never creates the file."""
    if not db_file.exists():
        return []
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        try:
            return [row[0] for row in conn.execute("SELECT username FROM users")]
        except sqlite3.OperationalError:  # no tables yet
            return []


def _panel_settings(db_file: Path) -> tuple[str, str] | None:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT panel_name, force FROM workspace_settings").fetchone()
    return None if row is None else (row[0], row[1])


def test_first_run_welcome_creates_the_workspace_its_panel_and_administrator(
    display: str, tmp_path: Path
) -> None:
    """The welcome window, Alt+N (Create a new workspace), then the set-up form by keyboard:
    panel name, force (typed to pick it from the list), user name, full name, PIN twice."""
    db_file = tmp_path / "new.sqlite3"
    home = tmp_path / "home"
    command = [sys.executable, "-m", "bwv_review", "--db", str(db_file)]
    app = _start(command, display, home)
    try:
        name = wait_for_window(display, "Welcome to bwv-review")
        _xdotool(display, "search", "--sync", "--name", name, "windowfocus", "--sync")
        _xdotool(display, "key", "alt+n")
        name = wait_for_window(display, "Set up bwv-review")
        _xdotool(display, "search", "--sync", "--name", name, "windowfocus", "--sync")
        answers = (
            ("North Panel", "Tab"),
            ("Avon", "Tab"),
            ("jsmith", "Tab"),
            ("Jo Smith", "Tab"),
            (PIN, "Tab"),
            (PIN, "Return"),
        )
        for text, key in answers:
            _xdotool(display, "type", "--delay", "20", text)
            _xdotool(display, "key", key)
        deadline = time.monotonic() + 30
        while _usernames(db_file) != ["jsmith"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _usernames(db_file) == ["jsmith"]
        assert _panel_settings(db_file) == ("North Panel", "avon-and-somerset")
        settings = Settings(home / "config" / "settings.json")
        # As `init` does, the first run makes this machine's audit checkpoint key.
        key = settings.audit_key_file()
        assert key is not None and key.stat().st_mode & 0o777 == 0o600
        assert settings.start_route() == StartRoute(StartChoice.NEW)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\napp stderr:\n{_stop(app)}") from None
    _stop(app)

    # The choice is remembered: the next start goes straight to signing in.
    app = _start(command, display, home)
    try:
        assert wait_for_window(display, "Sign in to bwv-review")
        assert not any("Welcome" in window for window in window_names(display))
    except AssertionError as exc:
        raise AssertionError(f"{exc}\napp stderr:\n{_stop(app)}") from None
    _stop(app)


def test_without_a_display_the_one_line_names_the_demo(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BWV_REVIEW_HOME": str(tmp_path), "HOME": str(tmp_path)}
    gui = subprocess.run(
        [sys.executable, "-m", "bwv_review"],
        capture_output=True, text=True, env=env, timeout=60, check=False, cwd=REPO,
    )  # fmt: skip
    lines = gui.stderr.strip().splitlines()
    assert gui.returncode == 2 and len(lines) == 1
    assert "no display" in lines[0] and "`bwv-review demo`" in lines[0]
    assert not (tmp_path / "data").exists()  # nothing was created


def test_a_workspace_this_machine_had_is_reported_gone_not_replaced(
    display: str, tmp_path: Path
) -> None:
    db_file = tmp_path / "panel.sqlite3"
    home = tmp_path / "home"
    Settings(Paths(home / "data", home / "config", home / "logs").settings_file).remember_workspace(
        str(db_file)
    )
    command = [sys.executable, "-m", "bwv_review", "--db", str(db_file)]
    app = _start(command, display, home)
    try:
        wait_for_window(display, "bwv-review: no workspace")
        _xdotool(display, "search", "--onlyvisible", "--name", "no workspace", "windowfocus")
        _xdotool(display, "key", "Return")
        assert app.wait(timeout=30) == 3  # the database is unavailable
    except (AssertionError, subprocess.TimeoutExpired) as exc:
        raise AssertionError(f"{exc}\napp stderr:\n{_stop(app)}") from None
    assert not db_file.exists()


def test_make_run_opens_the_app_and_a_keyboard_sign_in_reaches_the_main_window(
    display: str, tmp_path: Path
) -> None:
    db_file = tmp_path / "panel.sqlite3"
    workspace = Workspace.create(f"sqlite:///{db_file}")
    workspace.auth.create_first_admin("alice", "Alice Example", PIN, purpose="test set-up")
    workspace.close()

    command = ["make", "--no-print-directory", "run", f"ARGS=--db {db_file}"]
    app = _start(command, display, tmp_path / "home")
    try:
        name = wait_for_window(display, "Sign in to bwv-review", timeout_s=120)
        _xdotool(display, "search", "--sync", "--name", name, "windowfocus", "--sync")
        _xdotool(display, "type", "--delay", "20", "alice")
        _xdotool(display, "key", "Tab")
        _xdotool(display, "type", "--delay", "20", PIN)
        _xdotool(display, "key", "Return")
        assert wait_for_window(display, "Alice Example \u2014 bwv-review")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\napp stderr:\n{_stop(app)}") from None
    _stop(app)
