"""The sampling dialog on the example manifest: the preview compares frame and sample,
saving needs a preview of exactly these inputs, and the saved draw is the previewed one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import CaseType, Role
from bwv_review.ingest.manifest import read_manifest
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.sampling_dialog import SamplingDialog

PIN = "314159"
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "manifests" / "example-manifest.csv"


@pytest.fixture
def chair_ws(sqlite_url: str, app_home: Paths) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    ws.library.import_manifest(admin, EXAMPLE, Settings(app_home.settings_file), purpose="test")
    chair = ws.auth.create_user(admin, "pat", "Pat", PIN, [Role.CHAIR], purpose="test")
    yield ws, chair
    ws.close()


def _table(table: object) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[attr-defined]
        for r in range(table.rowCount())  # type: ignore[attr-defined]
    ]


def test_preview_compares_frame_and_sample_then_saves_the_same_draw(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    cases = read_manifest(EXAMPLE).cases
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.name.setText("2026-Q1 dip sample")
    dialog.seed.setText("20260401")
    dialog.strata.setPlainText("strip_search=true:all\nrest:3")
    assert not dialog.save_button.isEnabled()  # nothing previewed yet

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    strip = sum(1 for c in cases if c.strip_search)
    assert f"{len(cases):,} cases match" in dialog.result_label.text()
    assert f"would take {strip + 3}" in dialog.result_label.text()
    strata = _table(dialog.strata_table)
    assert strata[0][1:] == ["all", str(strip), str(strip)]

    by_type = Counter(c.case_type for c in cases)
    rows = {(r[0], r[1]): r for r in _table(dialog.composition)}
    for case_type, n in by_type.items():
        row = rows[("Case type", CaseType(case_type).label)]
        assert row[2].startswith(f"{n:,} (")
    sample_total = sum(
        int(r[3].split()[0]) for r in _table(dialog.composition) if r[0] == "Case type"
    )
    assert sample_total == strip + 3

    dialog.seed.setText("1")  # changed inputs need a new preview
    assert not dialog.save_button.isEnabled()
    dialog.seed.setText("20260401")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    stored = ws.sampling.get(chair, "2026-Q1 dip sample")
    assert len(stored.cases) == strip + 3 and stored.seed == "20260401"


def test_a_bad_stratum_is_explained_and_nothing_can_be_saved(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.name.setText("broken")
    dialog.strata.setPlainText("colour=blue:3")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert "colour" in dialog.error.text()
    assert not dialog.save_button.isEnabled()


def test_tab_moves_out_of_the_filters_and_strata_boxes(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    """Tab in the Filters box used to type a tab character and keep the focus there."""
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.name.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClicks(dialog.name, "2026-Q1 dip sample")

    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    for _ in range(3):  # name -> seed -> size -> filters
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.filters
    qtbot.keyClicks(focused(), "case_type=stop_and_search")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.strata
    qtbot.keyClicks(focused(), "rest:3")
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.filters
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is not dialog.strata
    assert dialog.filters.toPlainText() == "case_type=stop_and_search"
    assert dialog.strata.toPlainText() == "rest:3"

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert "would take 3" in dialog.result_label.text()
