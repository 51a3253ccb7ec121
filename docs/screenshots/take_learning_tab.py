"""Take docs/screenshots/learning_tab.png: the training lead's Learning tab on the demo
workspace, in the real app window on Xvfb (1280x800).

Run from the repository root: `.venv/bin/python docs/screenshots/take_learning_tab.py`.
It starts Xvfb, runs itself again on that display, builds the demo in a throwaway folder
(about half a minute), writes training descriptions for a few of its points as Priya Desai
(`training`, PIN 246810) would in the tab, and shows the tab with a described point chosen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb, show_and_save

OUTPUT = Path(__file__).resolve().parent / "learning_tab.png"
PURPOSE = "docs screenshot"
DESCRIPTIONS = (
    "The search goes beyond outer clothing without an appropriate adult or a recorded "
    "urgent risk: explain when a more thorough search needs one, and record the reason.",
    "Recording starts after the first words to the person: start it before approaching.",
    "Grounds and object are explained in plain words before the search begins, and the "
    "person is asked whether they understand.",
)


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import HOME_ENV_VAR
    from bwv_review.demo import DEMO_PIN, build_demo
    from bwv_review.services.learning_export import LearningFilter
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow

    root = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    demo = build_demo(root / "demo")
    os.environ[HOME_ENV_VAR] = str(demo.home)
    workspace = Workspace.open(demo.db_url)
    lead = workspace.auth.sign_in("training", DEMO_PIN, purpose=PURPOSE)
    points = workspace.learning_export.points(lead, LearningFilter(), purpose=PURPOSE)
    for point, text in zip(points, DESCRIPTIONS, strict=False):
        workspace.training_descriptions.save(
            lead, point.point_id, text, expected_version=None, purpose=PURPOSE
        )
    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, lead)
    window.setGeometry(0, 0, 1280, 800)
    show_and_save(app, window, OUTPUT)
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display, timeout_s=300)
