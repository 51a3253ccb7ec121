"""The import dialog on real files: public records (one good, one corrupted), the example
manifest, and a footage folder of real clips; each file whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.ingest.manifest import read_manifest
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.import_dialog import ImportDialog
from tests.support.video import make_video

PIN = "556677"
AVON = "2018-01-avon-and-somerset-stop-and-search.csv"
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "manifests" / "example-manifest.csv"


@pytest.fixture
def admin_ws(sqlite_url: str) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    yield ws, admin
    ws.close()


def _run(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Done"), timeout=60_000)


def test_records_import_reports_each_file(
    qtbot: QtBot,
    admin_ws: tuple[Workspace, Actor],
    app_home: Paths,
    police_data_dir: Path,
    tmp_path: Path,
) -> None:
    ws, admin = admin_ws
    good = police_data_dir / AVON
    broken = tmp_path / "2019-12-essex-stop-and-search.csv"
    lines = (police_data_dir / broken.name).read_text(encoding="utf-8").splitlines(True)
    lines[40] = "Person search,not-a-date,,,,,,,,,,,,,\n"
    broken.write_text("".join(lines), encoding="utf-8")

    dialog = ImportDialog(ws, admin, Settings(app_home.settings_file))
    qtbot.addWidget(dialog)
    for path in (good, broken, good):
        dialog.add_path(path)
    _run(qtbot, dialog)

    run = dialog.last_run
    assert run is not None
    assert [r.status for r in run.results] == ["imported", "refused", "skipped"]
    assert run.results[0].message == "522 rows imported"
    assert any(":41:" in detail for detail in run.results[1].details)
    assert "1 imported, 1 skipped, 1 refused" in dialog.status.text()
    assert "\u2716 REFUSED" in dialog.summary.toPlainText()
    assert ws.stats.breakdown(admin, source="records", by=["force"]).total == 522


def test_manifest_then_footage_folder_registers_the_clips(
    qtbot: QtBot, admin_ws: tuple[Workspace, Actor], app_home: Paths, tmp_path: Path
) -> None:
    ws, admin = admin_ws
    settings = Settings(app_home.settings_file)
    manifest = read_manifest(EXAMPLE)
    footage = tmp_path / "force-storage"
    clip_paths = {p for case in manifest.cases for p in case.clip_paths}
    for n, relative in enumerate(sorted(clip_paths)):
        make_video(footage / relative, tag=f"clip-{n}")

    dialog = ImportDialog(ws, admin, settings)
    qtbot.addWidget(dialog)
    dialog.kinds.button(1).setChecked(True)
    dialog.add_path(EXAMPLE)
    _run(qtbot, dialog)
    assert dialog.last_run is not None
    first = dialog.last_run.results[0]
    assert first.status == "imported"
    assert f"{len(manifest.cases)} case(s)" in first.message

    dialog.kinds.button(2).setChecked(True)
    root = manifest.cases[0].footage_root
    assert root is not None
    assert dialog.root_name.text() == root  # the one root waiting for its folder
    dialog.add_path(footage)
    _run(qtbot, dialog)
    result = dialog.last_run.results[0]
    assert result.message.startswith(f"{len(clip_paths)} clip(s) registered")
    assert settings.footage_root_folder(root) == footage
    assert dialog.progress.value() == dialog.progress.maximum()


def test_a_change_of_kind_clears_the_files_and_the_waiting_root_is_filled_in(
    qtbot: QtBot, admin_ws: tuple[Workspace, Actor], app_home: Paths, police_data_dir: Path
) -> None:
    """Police CSVs chosen as records were then imported as a manifest once the kind was
    changed; and the footage root the manifest just named had to be typed again."""
    ws, admin = admin_ws
    settings = Settings(app_home.settings_file)
    dialog = ImportDialog(ws, admin, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_path(police_data_dir / AVON)
    manifest_radio = dialog.kinds.button(1)
    on_its_label = QPoint(20, manifest_radio.height() // 2)  # the row is wider than its text
    qtbot.mouseClick(manifest_radio, Qt.MouseButton.LeftButton, pos=on_its_label)
    assert dialog.kind == "manifest"
    assert dialog.chosen_paths() == []
    dialog.add_path(EXAMPLE)
    _run(qtbot, dialog)
    assert dialog.last_run is not None and dialog.last_run.results[0].status == "imported"
    footage_radio = dialog.kinds.button(2)
    footage_radio.setFocus()
    qtbot.keyClick(footage_radio, Qt.Key.Key_Space)
    assert dialog.kind == "footage" and dialog.chosen_paths() == []
    root = read_manifest(EXAMPLE).cases[0].footage_root
    assert root is not None and dialog.root_name.text() == root
    assert ws.library.roots_waiting(admin, settings) == (root,)


def test_nothing_chosen_is_explained(qtbot: QtBot, admin_ws: tuple[Workspace, Actor]) -> None:
    ws, admin = admin_ws
    dialog = ImportDialog(ws, admin, Settings(Path("/nonexistent/settings.json")))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "Add at least one file" in dialog.error.text()
    controls = dialog.findChildren(QWidget)
    named = [c for c in controls if c.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert all(c.accessibleName() for c in named if c.isVisibleTo(dialog))


def test_a_footage_folder_that_holds_none_of_the_clips_is_not_kept(
    qtbot: QtBot, admin_ws: tuple[Workspace, Actor], app_home: Paths, tmp_path: Path
) -> None:
    """The dialog saved the root's folder before registering (issue 9 defect 5's twin):
    a wrong folder then replaced the right one in settings.json."""
    ws, admin = admin_ws
    settings = Settings(app_home.settings_file)
    manifest = read_manifest(EXAMPLE)
    dialog = ImportDialog(ws, admin, settings)
    qtbot.addWidget(dialog)
    dialog.kinds.button(1).setChecked(True)
    dialog.add_path(EXAMPLE)
    _run(qtbot, dialog)
    root = manifest.cases[0].footage_root
    assert root is not None
    right = tmp_path / "right"
    settings.map_footage_root(root, right)
    before = app_home.settings_file.read_bytes()

    wrong = tmp_path / "holiday-photos"
    wrong.mkdir()
    dialog.paths.clear()
    dialog.kinds.button(2).setChecked(True)
    dialog.root_name.setText(root)
    dialog.add_path(wrong)
    _run(qtbot, dialog)
    assert dialog.last_run is not None and dialog.last_run.results[0].status == "flagged"
    assert app_home.settings_file.read_bytes() == before
    assert Settings(app_home.settings_file).footage_root_folder(root) == right
