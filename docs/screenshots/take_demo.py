"""Take docs/screenshots/welcome.png and the demo workspace's screens under Xvfb (1280x800):
demo_sign_in.png, demo_review.png, demo_consensus.png and demo_library.png.

Run from the repository root: `.venv/bin/python docs/screenshots/take_demo.py`.
It starts Xvfb, then runs itself again on that display: the welcome window as a first run
sees it, then the real demo builder (about half a minute) in a throwaway folder, and the
demo's sign-in window, a reviewer's case with its footage, the chair's consensus on the
finalised 2018-Q1 session and the library, each in the real app window.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from shot import REPO, run_on_xvfb, save_window, show_and_save

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from bwv_review.services.actor import Actor
    from bwv_review.services.workspace import Workspace

HERE = Path(__file__).resolve().parent
PURPOSE = "docs screenshot"
GEOMETRY = (10, 10, 1260, 780)


def take_welcome(app: QApplication, root: Path) -> None:
    from bwv_review.config import Paths, Settings
    from bwv_review.ui.welcome import WelcomeWindow

    machine = Paths.under(root / "machine")
    window = WelcomeWindow(machine, Settings(machine.settings_file), str(machine.default_db_file))
    window.setGeometry(300, 110, 680, 580)
    show_and_save(app, window, HERE / "welcome.png")


def take_sign_in(app: QApplication, workspace: Workspace) -> None:
    from bwv_review.demo import DEMO_ACCOUNTS
    from bwv_review.ui.sign_in import SignInDialog

    dialog = SignInDialog(workspace.auth, workspace.location, demo_accounts=DEMO_ACCOUNTS)
    dialog.setGeometry(330, 170, 620, 460)
    show_and_save(app, dialog, HERE / "demo_sign_in.png")


def take_review(app: QApplication, workspace: Workspace, reviewer: Actor) -> None:
    """The reviewer's case still in progress in the open session, its footage playing to
    seven seconds in and paused there, the watermark saying DEMO."""
    from PySide6.QtCore import QTimer

    from bwv_review.ui.main_window import MainWindow

    item = next(i for i in workspace.reviews.queue(reviewer) if i.status == "in_progress")
    window = MainWindow(workspace, reviewer)
    window.setGeometry(*GEOMETRY)
    window.show()
    window.reviews.open_case(item.assignment_id)
    case = window.reviews.case_view
    assert case is not None
    case.show_footage()  # as pressing Show footage after the content warning

    def seek() -> None:
        assert case.player is not None and case.player.player is not None
        case.player.player.seek_ms(7_000)

    def grab() -> None:
        save_window(window, HERE / "demo_review.png")
        window.reviews.close_case()
        app.quit()

    QTimer.singleShot(2000, seek)
    QTimer.singleShot(4000, grab)
    app.exec()
    print(f"wrote {HERE / 'demo_review.png'}")


def take_chair_screens(app: QApplication, workspace: Workspace, chair: Actor) -> None:
    """The consensus on a finalised case where the members differed, then the library."""
    from bwv_review.ui.main_window import MainWindow

    window = MainWindow(workspace, chair)
    window.setGeometry(*GEOMETRY)
    sessions = workspace.review_sessions.list_sessions(chair)
    finalised = next(s for s in sessions if s.status == "finalised")
    screen = window.sessions
    window.tabs.setCurrentWidget(screen)
    screen.select_session(finalised.id)
    screen.tabs.setCurrentWidget(screen.consensus)
    table = screen.consensus.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    for case in workspace.review_sessions.detail(chair, finalised.id).cases:
        screen.consensus.show_case(case.case_id)
        column = headers.index("Differ?")
        differ = [r for r in range(table.rowCount()) if "\u2260" in table.item(r, column).text()]
        if len(differ) >= 2:
            table.setCurrentCell(differ[0], 0)  # shows the members' reasons below the table
            break
    show_and_save(app, window, HERE / "demo_consensus.png")

    window.tabs.setCurrentWidget(window.library)
    window.library.source.setCurrentIndex(window.library.source.findData("cases"))
    show_and_save(app, window, HERE / "demo_library.png", delay_ms=2500)


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import HOME_ENV_VAR, Paths, Settings
    from bwv_review.demo import DEMO_PIN, build_demo
    from bwv_review.services.workspace import Workspace

    root = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    app = QApplication(sys.argv[:1])
    take_welcome(app, root)

    demo = build_demo(root / "demo")
    print(f"built the demo in {demo.seconds:.1f} s")
    # The app runs the demo as if started with BWV_REVIEW_HOME set to its folder.
    os.environ[HOME_ENV_VAR] = str(demo.home)
    settings = Settings(Paths.under(demo.home).settings_file)
    settings.set("player.vlc_args", ["--aout=dummy"])  # Xvfb has no sound card
    workspace = Workspace.open(demo.db_url)
    take_sign_in(app, workspace)
    reviewer = workspace.auth.sign_in("reviewer2", DEMO_PIN, purpose=PURPOSE)
    take_review(app, workspace, reviewer)
    chair = workspace.auth.sign_in("chair", DEMO_PIN, purpose=PURPOSE)
    take_chair_screens(app, workspace, chair)
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display, timeout_s=300)
