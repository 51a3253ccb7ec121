"""Take docs/screenshots/sampling_dialog.png under Xvfb at 1280x800: the chair's draw built
without syntax on the example manifest (stop and search only; strip searches of under-18s
taken first, all of them; the rest at random up to 5 cases), previewed, with each case's
reason listed beside the comparison of sample and frame.

Run from the repository root: `.venv/bin/python docs/screenshots/take_sampling_dialog.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot import REPO, run_on_xvfb, show_and_save

HERE = Path(__file__).resolve().parent


def _tick(picker: object, field: str, *values: str) -> None:
    """Tick values as a chair does: choose the field, then tick each value's box."""
    from PySide6.QtCore import Qt

    from bwv_review.ui.sampling_choices import VALUE_ROLE, ValuePicker

    assert isinstance(picker, ValuePicker)
    picker.choose_field(field)
    for row in range(picker.values.count()):
        item = picker.values.item(row)
        if item.data(VALUE_ROLE) in values:
            item.setCheckState(Qt.CheckState.Checked)


def grab_on_this_display() -> None:
    from PySide6.QtWidgets import QApplication

    from bwv_review.config import Settings
    from bwv_review.domain.vocab import Role
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.sampling_dialog import SamplingDialog

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    admin = workspace.auth.create_first_admin("jsmith", "Jo Smith", "246810", purpose="docs")
    manifest = REPO / "resources" / "manifests" / "example-manifest.csv"
    workspace.library.import_manifest(
        admin, manifest, Settings(home / "settings.json"), purpose="docs"
    )
    chair = workspace.auth.create_user(
        admin, "pchair", "Pat Chair", "246810", [Role.CHAIR], purpose="docs"
    )

    app = QApplication(sys.argv[:1])
    dialog = SamplingDialog(workspace.sampling, chair)
    dialog.setGeometry(0, 0, 1240, 760)
    dialog.name.setText("2026-Q1 dip sample")
    dialog.seed.setText("20260401")
    _tick(dialog.filter_picker, "case_type", "stop_and_search")
    _tick(dialog.groups.picker, "strip_search", "true")
    _tick(dialog.groups.picker, "age_band", "under 10", "10-17")
    dialog.groups.add_group()
    dialog.groups.picker.choose_field("strip_search")
    dialog.size_box.setValue(5)
    dialog.preview()
    show_and_save(app, dialog, HERE / "sampling_dialog.png")
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
