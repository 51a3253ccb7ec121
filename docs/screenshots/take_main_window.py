"""Take docs/screenshots/main_window.png: the real app window on a real X server (Xvfb).

Run from the repository root: `.venv/bin/python docs/screenshots/take_main_window.py`.
It starts Xvfb, then runs itself again on that display to build a throwaway workspace,
sign in as its first administrator and grab the whole screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot import run_on_xvfb, show_and_save

OUTPUT = Path(__file__).resolve().parent / "main_window.png"


def grab_on_this_display() -> None:
    from PySide6.QtWidgets import QApplication

    from bwv_review.domain.vocab import Role
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    admin = workspace.auth.create_first_admin("jsmith", "Jo Smith", "246810", purpose="docs")
    chair = workspace.auth.create_user(
        admin, "pchair", "Pat Chair", "246810", [Role.CHAIR, Role.REVIEWER], purpose="docs"
    )
    chair = workspace.users.accept_confidentiality(chair, purpose="docs")
    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, chair)
    window.setGeometry(40, 40, 1100, 680)
    show_and_save(app, window, OUTPUT)
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
