"""Take docs/screenshots/review_screen_high_contrast.png: a demo reviewer's case in the
review screen, in the high-contrast theme, in a 1280x800 window on a real X server (Xvfb),
its footage shown and paused seven seconds in (issue 15).

Run from the repository root: `.venv/bin/python docs/screenshots/take_review_high_contrast.py`.
It starts Xvfb, then runs itself again on that display: the real demo builder in a
throwaway folder (about a minute), then the reviewer's case. Show footage, Play and Pause
are pressed with real X clicks (xdotool); it fails if the window outgrows the screen or the
clip is not paused when the picture is taken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from shot import REPO, run_on_xvfb, save_window

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "review_screen_high_contrast.png"
PURPOSE = "docs screenshot"
SCREEN_PX = (1280, 800)
SETTLE_MS = 2500  # longer than the player's position updates and the typing-save delay


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from bwv_review.config import HOME_ENV_VAR, Paths, Settings
    from bwv_review.demo import DEMO_PIN, build_demo
    from bwv_review.media.playback_state import PlaybackState
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.case_view import CaseView
    from bwv_review.ui.display import DisplayPreferences, apply_display
    from bwv_review.ui.main_window import MainWindow

    root = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    demo = build_demo(root / "demo")
    print(f"built the demo in {demo.seconds:.1f} s")
    os.environ[HOME_ENV_VAR] = str(demo.home)  # as the app runs the demo
    Settings(Paths.under(demo.home).settings_file).set("player.vlc_args", ["--aout=dummy"])
    workspace = Workspace.open(demo.db_url)
    reviewer = workspace.auth.sign_in("reviewer2", DEMO_PIN, purpose=PURPOSE)
    item = next(i for i in workspace.reviews.queue(reviewer) if i.status == "in_progress")

    app = QApplication(sys.argv[:1])
    apply_display(app, DisplayPreferences(text_percent=100, high_contrast=True))
    window = MainWindow(workspace, reviewer)
    window.setGeometry(0, 0, *SCREEN_PX)
    window.show()
    window.reviews.open_case(item.assignment_id)
    failures: list[str] = []

    def case() -> CaseView:
        shown = window.reviews.case_view
        assert shown is not None
        return shown

    def click(widget: QWidget) -> None:
        """A real click in the middle of the widget, through the X server."""
        centre = widget.mapToGlobal(QPoint(widget.width() // 2, widget.height() // 2))
        subprocess.run(
            ["xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "1"],
            check=True, timeout=30,
        )  # fmt: skip

    def show_footage() -> None:
        if case().player is None:  # the content warning is in the way
            click(case().show_button)

    def play_or_pause() -> None:
        player = case().player
        assert player is not None, "no player after Show footage"
        click(player.play_button)

    def check_and_save() -> None:
        player = case().player
        engine = player.player if player is not None else None
        state = engine.state if engine is not None else None
        if state is not PlaybackState.PAUSED:
            failures.append(f"the clip is {state}, not paused")
        if window.width() > SCREEN_PX[0] or window.height() > SCREEN_PX[1]:
            failures.append(f"the window is {window.width()}x{window.height()}")
        save_window(window, OUTPUT)
        print(f"wrote {OUTPUT} ({window.width()}x{window.height()}, {state})")

    steps: list[tuple[int, Callable[[], None]]] = [
        (SETTLE_MS, show_footage),
        (SETTLE_MS, play_or_pause),  # Play
        (7000, play_or_pause),  # and Pause, seven seconds in
        (SETTLE_MS, check_and_save),
        (100, app.quit),
    ]

    def run(index: int = 0) -> None:
        delay_ms, step = steps[index]

        def go() -> None:
            step()
            if index + 1 < len(steps):
                run(index + 1)

        QTimer.singleShot(delay_ms, go)

    run()
    app.exec()
    window.reviews.close_case()
    workspace.close()
    shutil.rmtree(root, ignore_errors=True)
    if failures:
        sys.exit("; ".join(failures))


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display, screen="1280x800x24", timeout_s=400)
