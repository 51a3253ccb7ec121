"""Take docs/screenshots/display_settings*.png under Xvfb at 1280x800: the Display settings
page opened from the sign-in window (before anyone signs in) with real key presses
(xdotool), at 100% text, then 200%, then 200% in the high-contrast theme, each change
shown at once in both windows; OK keeps the choice in the machine's settings file, which
the script reads back.

Run from the repository root: `.venv/bin/python docs/screenshots/take_display_settings.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb

HERE = Path(__file__).resolve().parent
SHOTS = (
    "display_settings.png",
    "display_settings_200.png",
    "display_settings_high_contrast.png",
)


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def to_window(name: str, *keys: str) -> None:
    """Keys as a keyboard sends them, to the window named `name` (Xvfb runs no window
    manager, so the window is given the focus first)."""
    xdotool("search", "--sync", "--name", name, "windowfocus", "--sync")
    xdotool("key", "--delay", "120", *keys)


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import Paths
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.display import start_display
    from bwv_review.ui.sign_in import SignInDialog

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    paths = Paths.for_this_machine()
    app = QApplication([])
    app.setApplicationDisplayName("bwv-review")
    start_display(app, paths.settings_file)  # as the app does before its first window
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    workspace.auth.create_first_admin("alice", "Alice Example", "975310", purpose="screenshot")
    sign_in = SignInDialog(workspace.auth, workspace.location)
    sign_in.move(60, 60)
    sign_in.show()

    def shot(name: str) -> None:
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(HERE / name))  # the whole 1280x800 screen
        print(f"wrote {HERE / name}")

    steps = [
        (1000, lambda: to_window("Sign in to bwv-review", "alt+y")),
        (2500, lambda: shot(SHOTS[0])),
        (200, lambda: to_window("Display settings", "Right", "Right")),  # 150%, 200%
        (2500, lambda: shot(SHOTS[1])),
        (200, lambda: to_window("Display settings", "alt+h")),
        (2500, lambda: shot(SHOTS[2])),
        (200, lambda: to_window("Display settings", "Return")),
        (1500, app.quit),
    ]

    def run_steps() -> None:
        delay_ms, step = steps.pop(0)

        def then() -> None:
            step()
            if steps:
                run_steps()

        QTimer.singleShot(delay_ms, then)

    run_steps()
    app.exec()
    kept = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    display = {key: value for key, value in kept.items() if key.startswith("display.")}
    print(f"kept in {paths.settings_file}: {display}")
    expected = {
        "display.high_contrast": True,
        "display.reduced_motion": False,
        "display.text_percent": 200,
    }
    assert display == expected, display
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
