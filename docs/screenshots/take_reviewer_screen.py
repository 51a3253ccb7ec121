"""Take docs/screenshots/reviewer_screen.png: a reviewer's case on a real X server (Xvfb),
with the record, the player on a generated clip with learning-point markers, and the form
part answered.

Run from the repository root: `.venv/bin/python docs/screenshots/take_reviewer_screen.py`.
It starts Xvfb, then runs itself again on that display with a throwaway workspace.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from shot import run_on_xvfb, save_window

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "reviewer_screen.png"
PURPOSE = "docs screenshot"


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import Paths, Settings
    from bwv_review.domain.vocab import LearningKind
    from bwv_review.services.reviews import LearningPointInput
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow
    from tests.media.clipgen import ClipSpec, make_clip
    from tests.services.review_fixtures import build_panel

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    settings = Settings(Paths.for_this_machine().settings_file)
    store = home / "force-store"
    (store / "CASE-001").mkdir(parents=True)
    clip = make_clip(ClipSpec("officer1", Fraction(25), 500, width=640, height=360), home)
    shutil.copy(clip, store / "CASE-001" / "officer1.mp4")
    settings.map_footage_root("force-store", store)
    settings.set("player.vlc_args", ["--aout=dummy"])
    settings.set("review.content_warning", False)

    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    team = build_panel(workspace, cases=2)
    workspace.library.register_clips(team.admin, "force-store", settings, purpose=PURPOSE)
    alice = team.alice
    workspace.users.accept_confidentiality(alice, purpose=PURPOSE)
    assignment = team.assignment(workspace, alice, team.case_ids[0])
    view = workspace.reviews.open_case(alice, assignment, purpose=PURPOSE)
    answers = {"power_fits_object": "met", "grounds_objective": "partly_met"}
    for check_id, answer in answers.items():
        reason = "Smell only; no other grounds given (00:04)" if answer != "met" else None
        workspace.reviews.save_answer(alice, assignment, check_id, answer, reason, purpose=PURPOSE)
    clip_id = view.clips[0].clip_id
    for position_ms, kind, tags, note in (
        (4_000, LearningKind.LEARNING, ("gowisely_incomplete_o",), "Object not said first"),
        (12_400, LearningKind.GOOD_PRACTICE, ("good_practice_exemplar",), "Calm explanation"),
    ):
        point = LearningPointInput(clip_id, position_ms, position_ms // 40, 0, kind, tags, note)
        workspace.reviews.add_learning_point(alice, assignment, point, purpose=PURPOSE)

    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, alice)
    window.setGeometry(0, 0, 1440, 900)
    window.show()
    window.reviews.open_case(assignment)

    def seek() -> None:
        case = window.reviews.case_view
        assert case is not None and case.player is not None and case.player.player is not None
        case.player.player.seek_ms(7_000)

    def grab() -> None:
        save_window(window, OUTPUT)
        window.reviews.close_case()
        app.quit()

    QTimer.singleShot(2000, seek)
    QTimer.singleShot(4000, grab)
    app.exec()
    workspace.close()
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display, "1440x900x24")
