"""Take docs/screenshots/library.png and import_dialog.png under Xvfb: the Library tab on
the real public files plus the example manifest, and an import summary (the sampling
dialog has its own script, take_sampling_dialog.py).

Run from the repository root: `.venv/bin/python docs/screenshots/take_library_screens.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb, show_and_save

HERE = Path(__file__).resolve().parent
POLICE_DATA = REPO / "resources" / "data"


def grab_on_this_display() -> None:
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import Settings
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.import_dialog import ImportDialog
    from bwv_review.ui.main_window import MainWindow

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    admin = workspace.auth.create_first_admin("jsmith", "Jo Smith", "246810", purpose="docs")
    settings = Settings(home / "settings.json")
    for csv_file in sorted(POLICE_DATA.glob("*-stop-and-search.csv")):
        workspace.records.import_file(admin, csv_file, purpose="docs")
    manifest = REPO / "resources" / "manifests" / "example-manifest.csv"
    workspace.library.import_manifest(admin, manifest, settings, purpose="docs")

    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, admin)
    window.setGeometry(0, 0, 1200, 720)
    window.tabs.setCurrentWidget(window.library)
    window.library.source.setCurrentIndex(window.library.source.findData("records"))
    show_and_save(app, window, HERE / "library.png", delay_ms=2500)

    importer = ImportDialog(workspace, admin, settings)
    importer.setGeometry(0, 0, 760, 600)
    for csv_file in sorted(POLICE_DATA.glob("*-stop-and-search.csv")):
        importer.add_path(csv_file)  # already imported above: shown as skipped
    importer.add_path(manifest)  # not a records file: refused with its reason
    importer.start()
    show_and_save(app, importer, HERE / "import_dialog.png", delay_ms=4000)
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
