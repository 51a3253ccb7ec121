"""Take docs/screenshots/sign_in_error.png under Xvfb at 1280x800: the sign-in dialog after a
wrong PIN, typed and sent as a person does, with the whole message shown and the fields at
their size (issue 11: the dialog used to squash them and cut the message).

Run from the repository root: `.venv/bin/python docs/screenshots/take_sign_in_error.py`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb, save_window

HERE = Path(__file__).resolve().parent


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.sign_in import SignInDialog

    app = QApplication([])
    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    workspace.auth.create_first_admin("alice", "Alice Example", "975310", purpose="screenshot")
    dialog = SignInDialog(workspace.auth, workspace.location)
    dialog.show()

    def wrong_pin() -> None:
        QTest.keyClicks(dialog.username, "alice")
        QTest.keyClicks(dialog.secret, "111111")
        QTest.keyClick(dialog.secret, Qt.Key.Key_Return)

    def grab() -> None:
        save_window(dialog, HERE / "sign_in_error.png")
        print(f"wrote {HERE / 'sign_in_error.png'}")
        app.quit()

    QTimer.singleShot(800, wrong_pin)
    QTimer.singleShot(2000, grab)
    app.exec()
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
