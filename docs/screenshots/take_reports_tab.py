"""Take docs/screenshots/reports_tab.png and reports_preview.png: the chair's Reports tab on
the demo workspace, in the real app window on Xvfb (1280x800).

Run from the repository root: `.venv/bin/python docs/screenshots/take_reports_tab.py [DEMO]`.
It starts Xvfb and runs itself again on that display. With DEMO, a folder made by
`bwv-review demo --out DEMO`, it works on a copy of it; otherwise it builds the demo in a
throwaway folder (a minute or two). As Helen Marsh (`chair`, PIN 246810) it writes the
chair's sections for 2018-Q1 and issues that report, then takes the tab with the pages
shown (reports_tab.png) and the draft of both quarters, whose 2018-Q2 session is still
open, scrolled to its findings (reports_preview.png).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from shot import REPO, run_on_xvfb, save_window

HERE = Path(__file__).resolve().parent
PURPOSE = "docs screenshot"
WORDS = {
    "introduction": "The panel watched the footage of ten stop and search encounters from "
    "January to March 2018 and agreed an outcome for each.",
    "recommendations": "Start recording before approaching the person, not after the first "
    "words.\nOffer the search record every time, and say where to get it.",
    "sampling_focus": "Searches of children, and searches for weapons under section 60.",
}


def _wait(app: QApplication, done: Callable[[], object], timeout_s: float = 120) -> None:
    """Let the event loop run until `done()` (background work has finished) or time is up."""
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)


def grab_on_this_display() -> None:
    sys.path.insert(0, str(REPO))
    from bwv_review.config import HOME_ENV_VAR, Paths
    from bwv_review.demo import DEMO_PIN, build_demo
    from bwv_review.demo.build import FIRST_SESSION, NEXT_SESSION
    from bwv_review.services.report_issuing import ReportFormat
    from bwv_review.services.report_narrative import NarrativeSection
    from bwv_review.services.report_scope import ReportScope
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow

    root = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    given = os.environ.get("BWV_SHOT_DEMO")
    if given:
        home = root / "demo"
        shutil.copytree(given, home)
    else:
        home = build_demo(root / "demo").home
    os.environ[HOME_ENV_VAR] = str(home)
    workspace = Workspace.open(f"sqlite:///{Paths.for_this_machine().default_db_file}")
    chair = workspace.auth.sign_in("chair", DEMO_PIN, purpose=PURPOSE)
    scope = ReportScope.of_sessions(FIRST_SESSION)
    for view in workspace.report_narrative.sections(chair, scope):
        workspace.report_narrative.save(
            chair,
            scope,
            view.section,
            WORDS[view.section.value],
            expected_version=view.version,
            purpose=PURPOSE,
        )
    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, chair)
    window.setGeometry(0, 0, 1280, 800)
    window.tabs.setCurrentWidget(window.reports)
    window.show()
    tab = window.reports

    tab.picker.tick(FIRST_SESSION)
    tab.issue_to(root / "panel-report-2018-Q1-internal.pdf", ReportFormat.PDF)
    _wait(app, lambda: tab.task is not None and not tab.task.running)
    tab.preview()
    _wait(app, lambda: tab.task is not None and not tab.task.running and tab.pages.pages)
    tab.narrative.fields[NarrativeSection.RECOMMENDATIONS].setFocus()
    _wait(app, lambda: False, timeout_s=1.5)
    save_window(window, HERE / "reports_tab.png")

    tab.picker.tick(FIRST_SESSION, NEXT_SESSION)
    tab.preview()
    _wait(app, lambda: tab.task is not None and not tab.task.running and tab.pages.pages)
    bar = tab.pages.verticalScrollBar()
    _wait(app, lambda: bar.maximum() > 0, timeout_s=5)
    tab.pages.setFocus()
    bar.setValue(tab.pages.pages[5].y())  # the first findings, past the cover and contents
    _wait(app, lambda: False, timeout_s=1.5)
    save_window(window, HERE / "reports_preview.png")
    print(f"wrote {HERE / 'reports_tab.png'} and {HERE / 'reports_preview.png'}")
    tab.flush()
    workspace.close()
    app.quit()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        os.environ["BWV_SHOT_DEMO"] = str(Path(sys.argv[1]).resolve())
    run_on_xvfb(__file__, grab_on_this_display, timeout_s=600)
