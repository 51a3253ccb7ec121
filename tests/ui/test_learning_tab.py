"""The Learning tab on a real SQLite workspace: filters list the submitted points, a
description typed with the keyboard is saved after the pause (and before switching point),
a description naming the officer is refused in words and kept, and an export runs off the
GUI thread and writes a file whose rows carry descriptions, never notes."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from bwv_review.services.learning_export import ExportFormat
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import TrainingDescription
from bwv_review.ui.learning_tab import NONE_YET, WRITTEN, LearningTab
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.rubric_form import TYPING_SAVE_MS
from tests.services.learning_fixtures import RAW_NOTES, LearningPanel, build_learning_panel
from tests.ui.test_review_screen import focused, show_window
from tests.ui.test_sessions_screen import unnamed_controls

PAUSE_MS = TYPING_SAVE_MS + 800


@pytest.fixture
def learning(sqlite_url: str) -> Iterator[tuple[Workspace, LearningPanel]]:
    ws = Workspace.create(sqlite_url)
    yield ws, build_learning_panel(ws)
    ws.close()


def _stored(ws: Workspace, point_id: int) -> str | None:
    with ws.db.transaction() as session:
        row = session.get(TrainingDescription, point_id)
        return None if row is None else row.text


def _open(qtbot: QtBot, ws: Workspace, panel: LearningPanel) -> LearningTab:
    """The tab as the training lead meets it: in the main window, the only tab."""
    window = show_window(qtbot, MainWindow(ws, panel.lead))
    assert window.tabs.currentWidget() is window.learning
    return window.learning


def test_descriptions_are_saved_as_typed_and_refusals_kept(
    qtbot: QtBot, learning: tuple[Workspace, LearningPanel]
) -> None:
    ws, panel = learning
    tab = _open(qtbot, ws, panel)
    assert unnamed_controls(tab) == []
    assert tab.table.rowCount() == 3
    assert tab.count.text() == "3 points, 0 with a description"
    assert tab.table.item(0, 0).text() == "Clip 1, 00:00:42.040, frame 1051 ±2"
    assert tab.table.item(0, 2).text() == NONE_YET
    assert tab.note.toPlainText() == RAW_NOTES[0] and tab.note.isReadOnly()
    tab.show_button.click()  # the same list again still shows its first point
    assert tab.note.toPlainText() == RAW_NOTES[0] and tab.description.isEnabled()

    tab.description.setFocus()
    qtbot.keyClicks(focused(), "Start the camera before approaching.")
    assert tab.saved_state.text() == "Not saved yet\u2026"
    assert _stored(ws, panel.point_ids[0]) is None  # not on each key
    qtbot.wait(PAUSE_MS)
    assert _stored(ws, panel.point_ids[0]) == "Start the camera before approaching."
    assert tab.table.item(0, 2).text() == WRITTEN and tab.saved_state.text() == "Saved"
    assert tab.count.text() == "3 points, 1 with a description"

    # Typing and switching straight away saves before the next point shows.
    qtbot.keyClicks(focused(), " Always.")
    tab.table.selectRow(1)
    assert _stored(ws, panel.point_ids[0]) == "Start the camera before approaching. Always."
    assert tab.note.toPlainText() == RAW_NOTES[1]

    tab.copy_button.click()  # the note, with the officer's pseudonym in it
    assert tab.description.toPlainText() == RAW_NOTES[1]
    qtbot.wait(PAUSE_MS)
    assert "names 'OFF-7'" in tab.description_error.text()
    assert tab.saved_state.text() == "Not saved"
    assert _stored(ws, panel.point_ids[1]) is None
    assert tab.description.toPlainText() == RAW_NOTES[1]  # kept to correct

    # Filters: good practice only, then a tag.
    tab.kind.setCurrentIndex(tab.kind.findText("Good practice"))
    tab.show_button.click()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "Good practice"
    tab.kind.setCurrentIndex(0)
    tab.tag.setCurrentIndex(tab.tag.findText("Receipt not offered"))
    tab.show_button.click()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 4).text() == "Use of force"
    tab.from_date.setText("2026-13-01")
    tab.show_button.click()
    assert "Met from '2026-13-01': give a date as YYYY-MM-DD" in tab.error.text()


def test_export_runs_off_the_gui_thread_and_writes_descriptions_only(
    qtbot: QtBot, learning: tuple[Workspace, LearningPanel], tmp_path: Path
) -> None:
    ws, panel = learning
    ws.training_descriptions.save(
        panel.lead, panel.point_ids[2], "=Offer the receipt", expected_version=None, purpose="t"
    )
    tab = _open(qtbot, ws, panel)
    out = tmp_path / "points.csv"
    tab.export_to(out, ExportFormat.CSV)
    assert tab.task is not None
    qtbot.waitUntil(lambda: not tab.task.running and tab.progress.isHidden(), timeout=10_000)
    assert tab.export_state.text() == f"\u2714 Exported 3 points to {out}."
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[-1] for row in rows[1:]] == ["", "", "'=Offer the receipt"]
    text = out.read_text(encoding="utf-8-sig")
    assert not any(note in text for note in RAW_NOTES)
    assert tab.export_button.isEnabled() and tab.export_button.hasFocus()
    assert tab.stop_button.isHidden()


def test_each_alt_letter_reaches_one_control_and_the_tab_fits(
    qtbot: QtBot, learning: tuple[Workspace, LearningPanel]
) -> None:
    ws, panel = learning
    tab = _open(qtbot, ws, panel)
    window = tab.window()
    texts = [b.text() for b in tab.findChildren(QAbstractButton)]
    texts += [label.text() for label in tab.findChildren(QLabel)]
    texts += [action.text() for action in window.menuBar().actions()]
    keys = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(set(keys)), texts
    assert len(keys) >= 14  # every filter, the table, both text fields and each button
    # The filters wrap (their size hint is one row, if the room is there), so what must
    # fit a 1280x800 laptop is the least the window needs and the size it opens at.
    need = window.minimumSizeHint()
    assert need.width() <= 1280 and need.height() <= 800
    assert window.width() <= 1280 and window.height() <= 800


def test_closing_the_window_straight_after_typing_keeps_the_words(
    qtbot: QtBot, learning: tuple[Workspace, LearningPanel]
) -> None:
    ws, panel = learning
    tab = _open(qtbot, ws, panel)
    tab.description.setFocus()
    qtbot.keyClicks(focused(), "Typed, then closed")
    tab.window().close()  # before the pause
    assert _stored(ws, panel.point_ids[0]) == "Typed, then closed"


def test_stop_ends_the_export_with_no_file(
    qtbot: QtBot, learning: tuple[Workspace, LearningPanel], tmp_path: Path
) -> None:
    """Another laptop's write holds the database while the export waits to read it; Stop
    is pressed meanwhile, so the export ends at its first step and writes nothing."""
    ws, panel = learning
    tab = _open(qtbot, ws, panel)
    holder = sqlite3.connect(tmp_path / "workspace.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    out = tmp_path / "stopped.csv"
    try:
        tab.export_to(out, ExportFormat.CSV)
        assert tab.stop_button.isVisible() and tab.stop_button.hasFocus()
        qtbot.keyClick(tab.stop_button, Qt.Key.Key_Space)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert tab.task is not None
    qtbot.waitUntil(lambda: tab.progress.isHidden(), timeout=10_000)
    assert tab.export_state.text() == "Export stopped; no file written."
    assert not out.exists() and tab.export_button.isEnabled()
