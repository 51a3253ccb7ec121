"""The training lead's Learning tab: the panel's learning points, filtered, each with the
training description that may leave the workspace, and the export.

The reviewer's note is shown beside the description, read-only, to write from; only the
description is exported. The description is saved as typed (on a pause, on leaving the
field, and before switching point or exporting), naming the version it was read at, so a
chair editing the same point on another laptop is never silently overwritten. The export
runs off the GUI thread with progress and Stop; the file appears only when it is whole.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import CaseType, LearningKind
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, DatabaseUnavailable, ServiceError
from bwv_review.services.learning_export import (
    EXPORT_STEPS,
    ExportFormat,
    ExportResult,
    LearningFilter,
    LearningPointItem,
)
from bwv_review.services.workspace import Workspace
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.fitting import FlowLayout
from bwv_review.ui.rubric_form import TypingSaver
from bwv_review.ui.session_dialogs import named
from bwv_review.ui.sign_in import ErrorLabel

log = logging.getLogger(__name__)

PURPOSE = "learning tab"
ANY = "Any"
COLUMNS = ("Time in clip", "Kind", "Description", "Tags", "Case type", "Session")
DESCRIPTION_COLUMN = COLUMNS.index("Description")
WRITTEN, NONE_YET = "\u2714 Written", "\u2014 None yet"  # a mark and words, never colour
FORMAT_WORDS = {
    ExportFormat.CSV: "CSV (Excel, LibreOffice)",
    ExportFormat.XLSX: "XLSX workbook",
    ExportFormat.PDF: "PDF training pack",
}


def _date_or_none(text: str, which: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{which} {text!r}: give a date as YYYY-MM-DD, or leave it empty") from None


class LearningTab(QWidget):
    def __init__(self, workspace: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._actor = actor
        self.items: list[LearningPointItem] = []
        self._current: LearningPointItem | None = None
        self._version: int | None = None
        self.task: BackgroundTask | None = None
        self.setAccessibleName("Learning points")

        self._build_filters()
        self._build_table()
        self._build_editor()
        self._build_export()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._table_box)
        splitter.addWidget(self._editor_box)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._export_row)
        self.reload()

    # -- building -------------------------------------------------------------------------

    def _build_filters(self) -> None:
        exports = self._workspace.learning_export
        self.session = named(QComboBox(), "Session filter")
        self.session.addItem(ANY, None)
        for name in exports.session_names(self._actor):
            self.session.addItem(name, name)
        self.tag = named(QComboBox(), "Tag filter")
        self.tag.addItem(ANY, None)
        for label in exports.tag_labels():
            self.tag.addItem(label, label)
        self.kind = named(QComboBox(), "Kind filter")
        self.kind.addItem(ANY, None)
        for kind in (LearningKind.LEARNING, LearningKind.GOOD_PRACTICE):
            self.kind.addItem(kind.label, kind.value)
        self.case_type = named(QComboBox(), "Case type filter")
        self.case_type.addItem(ANY, None)
        for case_type in CaseType:
            self.case_type.addItem(case_type.label, case_type.value)
        self.from_date = named(QLineEdit(), "Met from (YYYY-MM-DD)")
        self.to_date = named(QLineEdit(), "To (YYYY-MM-DD), the last meeting date")
        for field in (self.from_date, self.to_date):
            field.setPlaceholderText("YYYY-MM-DD")
            field.setMaximumWidth(110)
            field.returnPressed.connect(self.reload)
        self.show_button = named(QPushButton("Sho&w points"), "Show points these filters choose")
        self.show_button.clicked.connect(self.reload)
        self.error = ErrorLabel()

        # Wraps to the width there is: one grid of filters was 1,346 px wide at 1.5x text,
        # which made every chair's window wider than a 1280 px laptop screen.
        flow = FlowLayout()
        cells = (
            ("&Session:", self.session),
            ("Ta&g:", self.tag),
            ("&Kind:", self.kind),
            ("Case t&ype:", self.case_type),
            ("M&et from:", self.from_date),
            ("&to:", self.to_date),
        )
        for combo in (self.session, self.tag, self.case_type):
            # As wide as a typical entry, not the longest tag label; the list opens wider.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
        for text, widget in cells:
            caption = QLabel(text)
            caption.setBuddy(widget)
            pair = QHBoxLayout()
            pair.addWidget(caption)
            pair.addWidget(widget)
            flow.add_layout(pair)
        flow.addWidget(self.show_button)
        self._filters = flow

    def _build_table(self) -> None:
        self.table = named(QTableWidget(0, len(COLUMNS)), "Learning points")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Tags"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        # Status words are their own accessible names, so a screen reader reads them.
        self.count = QLabel("")
        self.count.setAccessibleDescription("How many points are shown")
        caption = QLabel("Learning &points:")
        caption.setBuddy(self.table)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(caption)
        top.addWidget(self.count, 1)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._table_box = box

    def _build_editor(self) -> None:
        self.point_words = QLabel("Choose a point to describe it.")
        self.point_words.setAccessibleDescription("The chosen point")
        self.point_words.setWordWrap(True)
        self.note = named(QPlainTextEdit(), "Reviewer's note, never exported")
        self.note.setReadOnly(True)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        self.copy_button = named(
            QPushButton("Start from the &reviewer's note"),
            "Start from the reviewer's note: copy it into the description to edit",
        )
        self.copy_button.clicked.connect(self.start_from_note)
        self.description = named(QPlainTextEdit(), "Training description, exported")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(
            "What happened and what to learn from it, without names, places, dates or references"
        )
        self.saved_state = QLabel("")
        self.saved_state.setAccessibleDescription("Whether the description is saved")
        self.saver = TypingSaver(self.description, self._save_description)
        self.saver.pending.connect(lambda: self.saved_state.setText("Not saved yet\u2026"))
        self.description_error = ErrorLabel()

        form = QFormLayout()
        note_caption = QLabel("Reviewer's &note (never exported):")
        note_caption.setBuddy(self.note)
        form.addRow(note_caption)
        form.addRow(self.note)
        form.addRow(self.copy_button)
        description_caption = QLabel("Training &description (exported):")
        description_caption.setBuddy(self.description)
        form.addRow(description_caption)
        form.addRow(self.description)
        form.addRow(self.saved_state)
        form.addRow(self.description_error)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.point_words)
        layout.addLayout(form, 1)
        self._editor_box = box
        self._enable_editor(False)

    def _build_export(self) -> None:
        self.export_format = named(QComboBox(), "Format of the export")
        for export_format in ExportFormat:
            self.export_format.addItem(FORMAT_WORDS[export_format], export_format.value)
        self.export_button = named(
            QPushButton("E&xport\u2026"), "Export the points shown to a file"
        )
        self.export_button.clicked.connect(self.choose_and_export)
        self.progress = named(QProgressBar(), "Export progress")
        self.progress.setRange(0, EXPORT_STEPS)
        self.progress.hide()
        self.stop_button = named(QPushButton("St&op export"), "Stop export")
        self.stop_button.clicked.connect(self.stop_export)
        self.stop_button.hide()
        self.export_state = QLabel("")
        self.export_state.setAccessibleDescription("What the export did")
        self.export_state.setWordWrap(True)
        self.export_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        caption = QLabel("For&mat:")
        caption.setBuddy(self.export_format)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.export_format)
        row.addWidget(self.export_button)
        row.addWidget(self.progress)
        row.addWidget(self.stop_button)
        row.addWidget(self.export_state, 1)
        self._export_row = row

    # -- the points -----------------------------------------------------------------------

    def current_filter(self) -> LearningFilter:
        kind, case_type = self.kind.currentData(), self.case_type.currentData()
        return LearningFilter(
            from_date=_date_or_none(self.from_date.text(), "Met from"),
            to_date=_date_or_none(self.to_date.text(), "to"),
            session_name=self.session.currentData(),
            tag=self.tag.currentData(),
            kind=LearningKind(kind) if kind else None,
            case_type=CaseType(case_type) if case_type else None,
        )

    def reload(self) -> None:
        """List the points the filters choose (after saving a description being typed)."""
        self.saver.flush()
        self.error.clear_error()
        try:
            items = self._workspace.learning_export.points(
                self._actor, self.current_filter(), purpose=PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            return
        self.items = items
        self._current = None
        self.table.blockSignals(True)
        # Cleared, so choosing the first row again shows it (a row still selected from
        # the last list emitted nothing and left the editor empty).
        self.table.clearSelection()
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            for column, text in enumerate(self._cells(item)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        self._count()
        self._show_point(None)
        if items:
            self.table.selectRow(0)

    def _count(self) -> None:
        shown = len(self.items)
        described = sum(item.description_version is not None for item in self.items)
        self.count.setText(
            f"{shown} point{'s' if shown != 1 else ''}, {described} with a description"
        )

    @staticmethod
    def _cells(item: LearningPointItem) -> tuple[str, ...]:
        row = item.row
        return (
            row.where,
            row.kind,
            WRITTEN if item.description_version is not None else NONE_YET,
            ", ".join(row.tags) or "no tags",
            row.case_type,
            row.session,
        )

    def _selected(self) -> None:
        self.saver.flush()  # the point being left keeps what was typed for it
        rows = self.table.selectionModel().selectedRows()
        self._show_point(self.items[rows[0].row()] if rows else None)

    def _show_point(self, item: LearningPointItem | None) -> None:
        self._current = item
        self._version = item.description_version if item else None
        self.description_error.clear_error()
        self.description.blockSignals(True)
        self.note.setPlainText(item.note if item else "")
        self.description.setPlainText(item.row.description if item else "")
        self.description.blockSignals(False)
        self._enable_editor(item is not None)
        if item is None:
            self.point_words.setText("Choose a point to describe it.")
            self.saved_state.setText("")
            return
        cells = self._cells(item)
        self.point_words.setText(
            " \u00b7 ".join(c for i, c in enumerate(cells) if i != DESCRIPTION_COLUMN)
        )
        self.saved_state.setText("Saved" if item.description_version else "No description yet")

    def _enable_editor(self, enabled: bool) -> None:
        for widget in (self.note, self.copy_button, self.description):
            widget.setEnabled(enabled)

    def start_from_note(self) -> None:
        """Put the note in the description to edit: names and places must be taken out
        before it can be saved (the service refuses a name it knows)."""
        if self._current is None:
            return
        self.description.setPlainText(self._current.note)
        self.description.setFocus()

    def _save_description(self) -> None:
        item = self._current
        if item is None:
            return
        self.description_error.clear_error()
        try:
            state = self._workspace.training_descriptions.save(
                self._actor,
                item.point_id,
                self.description.toPlainText(),
                expected_version=self._version,
                purpose=PURPOSE,
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.saver.keep_unsaved()
            self.description_error.show_error(f"Not saved: {exc}")
            self.saved_state.setText("Not saved")
            return
        self._version = state.version
        updated = replace(
            item,
            row=replace(item.row, description=state.text),
            description_version=state.version,
        )
        index = self.items.index(item)
        self.items[index] = updated
        self._current = updated
        status = self.table.item(index, DESCRIPTION_COLUMN)
        if status is not None:
            status.setText(self._cells(updated)[DESCRIPTION_COLUMN])
        self._count()
        self.saved_state.setText("Saved" if state.version else "No description yet")

    # -- the export -----------------------------------------------------------------------

    def choose_and_export(self) -> None:
        export_format = ExportFormat(self.export_format.currentData())
        suggested = str(Path.home() / f"learning-points.{export_format.value}")
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            "Export learning points",
            suggested,
            f"{export_format.value.upper()} files (*.{export_format.value})",
        )
        if path:
            self.export_to(Path(path), export_format)

    def export_to(self, path: Path, export_format: ExportFormat) -> None:
        """Export the points the filters choose to `path`, off the GUI thread."""
        self.saver.flush()
        self.error.clear_error()
        try:
            learning_filter = self.current_filter()
        except BadInput as exc:
            self.error.show_error(str(exc))
            return
        exports, actor = self._workspace.learning_export, self._actor

        def work(progress: Callable[[int], bool]) -> ExportResult:
            return exports.export(
                actor, learning_filter, export_format, path, purpose=PURPOSE, progress=progress
            )

        self.task = BackgroundTask(work, self)
        self.task.progressed.connect(self.progress.setValue)
        self.task.succeeded.connect(self._exported)
        self.task.failed.connect(self._export_failed)
        self.task.cancelled.connect(lambda: self._export_ended("Export stopped; no file written."))
        self.progress.setValue(0)
        self.progress.show()
        self.stop_button.show()
        self.export_button.setEnabled(False)
        self.export_state.setText(f"Exporting to {path}\u2026")
        self.task.start()
        self.stop_button.setFocus()

    def stop_export(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _exported(self, result: ExportResult) -> None:
        self._export_ended(
            f"\u2714 Exported {result.rows} point{'s' if result.rows != 1 else ''} to "
            f"{result.path}."
        )

    def _export_failed(self, exc: BaseException) -> None:
        self._export_ended(f"\u26a0 Not exported: {exc}")

    def _export_ended(self, words: str) -> None:
        self.progress.hide()
        self.stop_button.hide()
        self.export_button.setEnabled(True)
        self.export_state.setText(words)
        self.export_button.setFocus()
