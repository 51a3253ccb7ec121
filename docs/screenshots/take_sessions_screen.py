"""Take docs/screenshots/sessions_verify.png: the chair's Sessions page after Verify, with a
missing clip, a changed one, one due for deletion in two days and a good one, in the real
app window on a real X server (Xvfb) at 1280x800.

Run from the repository root: `.venv/bin/python docs/screenshots/take_sessions_screen.py`.
It starts Xvfb, then runs itself again on that display to build a throwaway workspace whose
four clips are real H.264 files made with ffmpeg, delete one and rewrite another, sign in as
the session's chair, press Verify on the Sessions page and grab the window once the check
has listed its result.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from shot import run_on_xvfb, save_window

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "sessions_verify.png"


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import Paths, Settings
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow
    from tests.services.session_footage_fixtures import break_two_clips, build_footage_session

    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    settings = Settings(Paths.for_this_machine().settings_file)
    setup = build_footage_session(workspace, home, settings, date.today())
    break_two_clips(setup)
    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, setup.chair)
    window.setGeometry(0, 0, 1280, 800)
    screen = window.sessions
    window.tabs.setCurrentWidget(screen)
    screen.select_session(setup.session_id)
    footage = screen.setup.footage

    def grab(_found: object) -> None:
        QTimer.singleShot(800, lambda: (save_window(window, OUTPUT), app.quit()))

    footage.verified.connect(grab)
    window.show()
    QTimer.singleShot(800, footage.verify_button.click)
    QTimer.singleShot(60_000, app.quit)  # never hang a docs build
    app.exec()
    print(f"wrote {OUTPUT}")
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
