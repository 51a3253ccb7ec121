"""The Reports tab's first part: which sessions the report covers (ticked by name, or every
session that met between two dates) and which variant it is.

Each session is listed with its quarter, meeting date and status, the status in a mark and
words (never colour alone), since only finalised sessions can be issued.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.reports.document import Variant
from bwv_review.services.errors import BadInput
from bwv_review.services.report_scope import ReportScope, ScopeSession
from bwv_review.ui.session_dialogs import named

COLUMNS = ("Session", "Quarter", "Meeting date", "Status")
STATUS_WORDS = {
    ReviewSessionStatus.FINALISED: "\u2714 Finalised",
    ReviewSessionStatus.OPEN: "\u25cb Open, not finalised",
    ReviewSessionStatus.DRAFT: "\u25cb Draft, not opened yet",
}
VARIANT_WORDS = {
    Variant.INTERNAL: "Internal (case references allowed)",
    Variant.PUBLISHED: "Published (no references, dates or places)",
}


def _date(text: str, which: str) -> date:
    text = text.strip()
    if not text:
        raise BadInput(f"give the {which} meeting date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{which} {text!r}: give a date as YYYY-MM-DD") from None


class ReportScopePicker(QWidget):
    changed = Signal()  # the scope or the variant is another one now

    def __init__(self, sessions: tuple[ScopeSession, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions: tuple[ScopeSession, ...] = ()
        self.by_name = named(QRadioButton("By &session:"), "By session: tick them below")
        self.by_dates = named(
            QRadioButton("By meeting &dates:"), "By meeting dates: every session that met"
        )
        modes = QButtonGroup(self)
        modes.addButton(self.by_name)
        modes.addButton(self.by_dates)
        self.by_name.setChecked(True)

        self.table = named(QTableWidget(0, len(COLUMNS)), "Sessions to include")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows and Space in it
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the name is never cut to give the status room
        self.show_sessions(sessions)
        self.table.itemChanged.connect(self._ticked)
        table_caption = QLabel("Sessio&ns to include (Space ticks one):")
        table_caption.setBuddy(self.table)

        self.from_date = named(QLineEdit(), "From: first meeting date (YYYY-MM-DD)")
        self.to_date = named(QLineEdit(), "to: last meeting date (YYYY-MM-DD)")
        for field in (self.from_date, self.to_date):
            field.setPlaceholderText("YYYY-MM-DD")
            field.setMaximumWidth(120)
            field.editingFinished.connect(self._dates_edited)
        from_caption, to_caption = QLabel("Fr&om:"), QLabel("&to:")
        from_caption.setBuddy(self.from_date)
        to_caption.setBuddy(self.to_date)

        self.variant = named(QComboBox(), "Variant")
        for variant in Variant:
            self.variant.addItem(VARIANT_WORDS[variant], variant.value)
        self.variant.currentIndexChanged.connect(lambda _index: self.changed.emit())
        variant_caption = QLabel("&Variant:")
        variant_caption.setBuddy(self.variant)

        dates = QHBoxLayout()
        dates.setContentsMargins(24, 0, 0, 0)  # under the choice they belong to
        for date_part in (from_caption, self.from_date, to_caption, self.to_date):
            dates.addWidget(date_part)
        dates.addStretch(1)
        variant_row = QHBoxLayout()
        variant_row.addWidget(variant_caption)
        variant_row.addWidget(self.variant, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for part in (self.by_name, table_caption, self.table, self.by_dates):
            column.addWidget(part)
        column.addLayout(dates)
        column.addLayout(variant_row)
        self.by_name.toggled.connect(self._mode_switched)
        self._last_dates = ("", "")
        self._mode_switched()

    def show_sessions(self, sessions: tuple[ScopeSession, ...]) -> None:
        """List these sessions, keeping the ticks of those still listed (a session made or
        finalised in Review sessions since the list was read)."""
        ticked = set(self.ticked())
        self.sessions = sessions
        self.table.blockSignals(True)
        self.table.setRowCount(len(sessions))
        for row, found in enumerate(sessions):
            cells = (
                found.name,
                found.quarter,
                found.meeting_date.isoformat() if found.meeting_date else "not set",
                STATUS_WORDS[found.status],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    kept = found.name in ticked
                    item.setCheckState(Qt.CheckState.Checked if kept else Qt.CheckState.Unchecked)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self._fit_table()

    def _fit_table(self) -> None:
        """As wide as its words, so no name or status is cut at a large font, and as
        tall as its rows (up to six, then it scrolls), so the chair's words below are not
        pushed down by empty rows."""
        header = self.table.horizontalHeader()
        columns_px = sum(
            max(header.sectionSizeHint(c), self.table.sizeHintForColumn(c))
            for c in range(self.table.columnCount())
        )
        self.table.setMinimumWidth(columns_px + 2 * self.table.frameWidth() + 2)
        rows = max(2, min(len(self.sessions), 6))
        row_px = self.table.verticalHeader().defaultSectionSize()
        if self.sessions:
            row_px = max(self.table.rowHeight(r) for r in range(rows))
        header_px = self.table.horizontalHeader().sizeHint().height()
        frame_px = 2 * self.table.frameWidth()
        scrollbar_px = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(
            max(
                header_px + rows * row_px + frame_px + scrollbar_px,
                self.table.minimumSizeHint().height(),
            )
        )

    def tick(self, *names: str) -> None:
        """Tick these sessions (and only these), as Space on each row would."""
        self.by_name.setChecked(True)
        self.table.blockSignals(True)
        for row, found in enumerate(self.sessions):
            item = self._name_cell(row)
            ticked = found.name in names
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self.changed.emit()

    def ticked(self) -> tuple[str, ...]:
        return tuple(
            found.name
            for row, found in enumerate(self.sessions)
            if self._name_cell(row).checkState() == Qt.CheckState.Checked
        )

    def _name_cell(self, row: int) -> QTableWidgetItem:
        item = self.table.item(row, 0)
        assert item is not None  # every row is filled when the picker is built
        return item

    def scope(self) -> ReportScope:
        """The scope as chosen; refused in words while it is incomplete."""
        if self.by_name.isChecked():
            names = self.ticked()
            if not names:
                raise BadInput("tick at least one session for the report to cover")
            return ReportScope.of_sessions(*names)
        first = _date(self.from_date.text(), "first")
        last = _date(self.to_date.text(), "last")
        return ReportScope.of_meetings(first, last)

    def chosen_variant(self) -> Variant:
        return Variant(self.variant.currentData())

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.changed.emit()

    def _dates_edited(self) -> None:
        dates = (self.from_date.text(), self.to_date.text())
        if dates != self._last_dates:  # leaving a field unchanged is no new scope
            self._last_dates = dates
            self.changed.emit()

    def _mode_switched(self) -> None:
        by_name = self.by_name.isChecked()
        self.table.setEnabled(by_name)
        self.from_date.setEnabled(not by_name)
        self.to_date.setEnabled(not by_name)
        self.changed.emit()
