"""Take docs/screenshots/review_screen_100.png and review_screen_200.png: the review screen
in a 1280x800 window on a real X server (Xvfb) with a clip playing, at 100% text and then
at 200% text set while it plays, as the display settings do (issue 15, large text).

Run from the repository root: `.venv/bin/python docs/screenshots/take_review_text_sizes.py`.
It starts Xvfb, then runs itself again on that display with a throwaway workspace. Play and
Pause are pressed with real X clicks (xdotool); it fails if the window outgrows the screen
or the clip is not playing when a picture is taken. At 200% the mouse wheel first brings
the player into view, as a person would scroll to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from shot import run_on_xvfb, save_window

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PURPOSE = "docs screenshot"
SCREEN_PX = (1280, 800)
SETTLE_MS = 2500  # longer than the player's position updates and the typing-save delay


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from bwv_review.config import Paths, Settings
    from bwv_review.media.playback_state import PlaybackState
    from bwv_review.media.player import VlcPlayer
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.display import DisplayPreferences, apply_display
    from bwv_review.ui.main_window import MainWindow
    from bwv_review.ui.player_widget import PlayerWidget
    from tests.media.clipgen import ClipSpec, make_clip
    from tests.services.review_fixtures import build_panel

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    settings = Settings(Paths.for_this_machine().settings_file)
    store = home / "force-store"
    (store / "CASE-001").mkdir(parents=True)
    clip = make_clip(ClipSpec("officer1", Fraction(25), 750, width=640, height=360), home)
    shutil.copy(clip, store / "CASE-001" / "officer1.mp4")
    settings.map_footage_root("force-store", store)
    settings.set("player.vlc_args", ["--aout=dummy"])
    settings.set("review.content_warning", False)
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    team = build_panel(workspace, cases=1)
    workspace.library.register_clips(team.admin, "force-store", settings, purpose=PURPOSE)
    alice = workspace.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    assignment = team.assignment(workspace, alice, team.case_ids[0])
    workspace.reviews.save_answer(
        alice, assignment, "power_fits_object", "met", None, purpose=PURPOSE
    )

    app = QApplication(sys.argv[:1])
    apply_display(app, DisplayPreferences(text_percent=100))
    window = MainWindow(workspace, alice)
    window.setGeometry(0, 0, *SCREEN_PX)
    window.show()
    window.reviews.open_case(assignment)
    failures: list[str] = []

    def player() -> PlayerWidget:
        case = window.reviews.case_view
        assert case is not None and case.player is not None and case.player.player is not None
        return case.player

    def engine() -> VlcPlayer:
        shown = player().player
        assert shown is not None
        return shown

    def click(widget: QWidget) -> None:
        """A real click in the middle of the widget, through the X server."""
        centre = widget.mapToGlobal(QPoint(widget.width() // 2, widget.height() // 2))
        subprocess.run(
            ["xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "1"],
            check=True, timeout=30,
        )  # fmt: skip

    def check_and_save(percent: int) -> None:
        state = engine().state
        if state is not PlaybackState.PLAYING:
            failures.append(f"{percent}%: the clip is {state.value}, not playing")
        if window.width() > SCREEN_PX[0] or window.height() > SCREEN_PX[1]:
            failures.append(f"{percent}%: the window is {window.width()}x{window.height()}")
        output = HERE / f"review_screen_{percent}.png"
        save_window(window, output)
        print(f"wrote {output} ({window.width()}x{window.height()}, {state.value})")

    def play_or_pause() -> None:
        click(player().play_button)

    def scroll_to_player() -> None:
        """As a person would at 200%: the mouse wheel over the case record, until the
        player's buttons are in view (the record above them is long at that size)."""
        case = window.reviews.case_view
        assert case is not None
        column = case.left_scroll.viewport()
        for _ in range(40):
            button = player().play_button
            top = button.mapTo(column, QPoint(0, 0)).y()
            on_window = window.rect().contains(button.mapTo(window, QPoint(0, 0)))
            if top >= 0 and top + button.height() <= column.height() and on_window:
                return
            over = column.mapToGlobal(QPoint(column.width() // 2, column.height() // 2))
            subprocess.run(
                ["xdotool", "mousemove", str(over.x()), str(over.y()), "click", "5"],
                check=True, timeout=30,
            )  # fmt: skip
            app.processEvents()
        failures.append("200%: the wheel did not bring the player's buttons into view")

    steps: list[tuple[int, Callable[[], None]]] = [
        (SETTLE_MS, play_or_pause),
        (SETTLE_MS, lambda: check_and_save(100)),
        (100, lambda: apply_display(app, DisplayPreferences(text_percent=200))),
        (SETTLE_MS, scroll_to_player),
        (SETTLE_MS, play_or_pause),  # Pause, at the new size
        (SETTLE_MS, play_or_pause),  # and Play again
        (SETTLE_MS, lambda: check_and_save(200)),
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
    shutil.rmtree(home, ignore_errors=True)
    if failures:
        sys.exit("; ".join(failures))


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display, screen="1280x800x24")
