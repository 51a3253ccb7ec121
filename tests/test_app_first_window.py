"""The first window a person sees is shown before the heavy modules load (issue 14).

Sign-in and the welcome window are decided by a standard-library look at the workspace
file and shown without SQLAlchemy, Alembic, numpy, PyAV, libvlc or the report writers,
which load behind the window. A fresh interpreter shows that, since this test process has
imported them all already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from bwv_review import app
from bwv_review.config import Paths, Settings
from bwv_review.services.workspace import Workspace

PIN = "246813"
HEAVY = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "krippendorff",
    "av",
    "vlc",
    "reportlab",
    "openpyxl",
    "pypdfium2",
    "bwv_review.services.workspace",
    "bwv_review.ui.main_window",
    "bwv_review.ui.outlines",  # the high-contrast theme's style, not the default theme's
    "bwv_review.crash",  # the crash report's writer, needed only when one is written
)
FIRST_WINDOWS = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from bwv_review.cli import parse_args
parse_args([])  # the command line that opens the app
from bwv_review import app
from bwv_review.config import Paths, Settings
qt = QApplication([])
shown = {}
signing_in = Paths.under(Path(sys.argv[1]))
behind = app._open_workspace(
    f"sqlite:///{signing_in.default_db_file}", signing_in, behind=True
)
dialog = app.SignInDialog(behind, behind.location)
dialog.show()
qt.processEvents()
shown["sign-in"] = [type(behind).__name__, dialog.isVisible()]
welcome_before_sign_in = "bwv_review.ui.welcome" in sys.modules  # the sign-in needs none of it
fresh = Paths.under(Path(sys.argv[2]))
url = f"sqlite:///{fresh.default_db_file}"
try:
    app._opened(url)
except app.NoWorkspace:
    pass
from bwv_review.ui.welcome import WelcomeWindow
welcome = WelcomeWindow(fresh, Settings(fresh.settings_file), app._location(url))
welcome.show()
qt.processEvents()
shown["welcome"] = welcome.isVisible()
heavy = sorted(name for name in sys.argv[3].split(",") if name in sys.modules)
behind.workspace().close()  # at head: no migration to run
print(json.dumps({
    "shown": shown,
    "heavy": heavy,
    "alembic": "alembic" in sys.modules,
    "welcome_before_sign_in": welcome_before_sign_in,
}))
"""


LOADED_AFTER_PAINT = """
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from bwv_review import app
from bwv_review.config import Paths
qt = QApplication([])
paths = Paths.under(Path(sys.argv[1]))
behind = app._open_workspace(f"sqlite:///{paths.default_db_file}", paths, behind=True)
dialog = app.SignInDialog(behind, behind.location)
behind.open_behind(dialog)
time.sleep(1.0)  # a worker started at once has begun importing by now
qt.processEvents()
before = sorted(name for name in sys.argv[2].split(",") if name in sys.modules)
dialog.show()
deadline = time.monotonic() + 60
while not behind.opened and time.monotonic() < deadline:
    qt.processEvents()
    time.sleep(0.01)
print(json.dumps({"before_paint": before, "opened": behind.opened}))
behind.close()
"""


def _workspace_with_an_account(home: Path) -> Paths:
    paths = Paths.under(home)
    paths.default_db_file.parent.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.create(f"sqlite:///{paths.default_db_file}")
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    workspace.close()
    return paths


def test_sign_in_and_welcome_windows_show_without_the_heavy_modules(tmp_path: Path) -> None:
    _workspace_with_an_account(tmp_path / "signing-in")
    fresh = tmp_path / "fresh"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            FIRST_WINDOWS,
            str(tmp_path / "signing-in"),
            str(fresh),
            ",".join(HEAVY),
        ],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["shown"] == {"sign-in": ["SignInBehind", True], "welcome": True}
    assert result["heavy"] == []
    assert result["alembic"] is False  # a workspace at head is opened without Alembic
    assert result["welcome_before_sign_in"] is False
    assert not Paths.under(fresh).default_db_file.exists()  # the look created nothing


def test_loading_behind_the_sign_in_window_waits_for_it_to_paint(tmp_path: Path) -> None:
    """Started before the window is on screen, the loading competed with showing it for
    the GIL and the CPU, and the window mapped later (bench/startup.py)."""
    _workspace_with_an_account(tmp_path / "signing-in")
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_PAINT, str(tmp_path / "signing-in"), ",".join(HEAVY)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"before_paint": [], "opened": True}


def test_the_workspace_opens_behind_the_sign_in_window(qtbot: QtBot, tmp_path: Path) -> None:
    paths = _workspace_with_an_account(tmp_path / "home")
    behind = app._open_workspace(f"sqlite:///{paths.default_db_file}", paths, behind=True)
    assert isinstance(behind, app.SignInBehind)
    dialog = app.SignInDialog(behind, behind.location)
    qtbot.addWidget(dialog)
    behind.open_behind(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: behind.opened, timeout=30_000)
    assert dialog.isVisible() and behind.problem is None
    # Noted as opened here before anyone signs in, as the full path notes it.
    assert Settings(paths.settings_file).has_opened_workspace(str(paths.default_db_file))

    dialog.username.setText("alice")
    dialog.secret.setText("wrong-pin")
    dialog.sign_in_button.click()
    assert dialog.error.isVisible() and "PIN" in dialog.error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted

    dialog.secret.setText(PIN)
    dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "alice"
    behind.close()


def test_a_workspace_without_accounts_takes_the_full_path(tmp_path: Path) -> None:
    """The first administrator is asked for by FirstAdminDialog, from an open workspace."""
    paths = Paths.under(tmp_path / "home")
    paths.default_db_file.parent.mkdir(parents=True, exist_ok=True)
    Workspace.create(f"sqlite:///{paths.default_db_file}").close()
    opened = app._open_workspace(f"sqlite:///{paths.default_db_file}", paths, behind=True)
    assert isinstance(opened, Workspace)
    assert not opened.auth.has_users()
    opened.close()
