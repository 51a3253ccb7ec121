"""The tables and lists of the chair's Sessions page, filled from what the services
return: the sessions, the members with their attendance, and the cases with who reviews
each and whether it was discussed. Read-only cells except the tick boxes the chair uses
at the meeting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.session_views import SessionDetail, SessionSummary
from bwv_review.ui.session_dialogs import named

STATUS_WORDS = {
    ReviewSessionStatus.DRAFT.value: "Being set up (members cannot see it yet)",
    ReviewSessionStatus.OPEN.value: "Open for reviewing",
    ReviewSessionStatus.FINALISED.value: "Finalised (locked; changes are amendments)",
}
SESSION_COLUMNS = ("Session", "Quarter", "Meeting date", "Status", "Reviews submitted")
CASE_COLUMNS = ("Case", "Why it is in the session", "Reviewers", "Discussed")
DISCUSSED_COLUMN = 3


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def cell(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def make_table(name: str, columns: tuple[str, ...], stretch: int) -> QTableWidget:
    """Columns fit their contents; the `stretch` column (the one with free text) takes
    what is left."""
    table = named(QTableWidget(0, len(columns)), name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in it
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def row_data(table: QTableWidget, row: int) -> int:
    """The id kept in a row's first cell."""
    item = table.item(row, 0)
    assert item is not None  # rows are filled whole
    return int(item.data(Qt.ItemDataRole.UserRole))


def selected_id(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return row_data(table, rows[0].row()) if rows else None


def add_session_row(table: QTableWidget, summary: SessionSummary) -> None:
    row = table.rowCount()
    table.insertRow(row)
    meeting = summary.meeting_date.isoformat() if summary.meeting_date else "not set"
    cells = (
        summary.name,
        summary.quarter,
        meeting,
        status_words(summary.status),
        f"{summary.reviews_submitted} of {summary.assignments}",
    )
    for column, text in enumerate(cells):
        table.setItem(row, column, cell(text, summary.id))


def fill_attendance(attendance: QListWidget, detail: SessionDetail) -> None:
    """A tick box per member; greyed once the session is finalised."""
    editable = detail.summary.status != ReviewSessionStatus.FINALISED.value
    attendance.clear()
    for member in detail.members:
        item = QListWidgetItem(f"{member.display_name} ({member.label})")
        item.setData(Qt.ItemDataRole.UserRole, member.username)
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags if editable else flags & ~Qt.ItemFlag.ItemIsEnabled)
        attended = Qt.CheckState.Checked if member.attended else Qt.CheckState.Unchecked
        item.setCheckState(attended)
        attendance.addItem(item)


def fill_cases(cases: QTableWidget, detail: SessionDetail, keep: int | None) -> None:
    """One row per case, the `keep` case selected again; Discussed can be ticked only
    while the session is open (that is when the meeting happens)."""
    labels = {m.user_id: m.label for m in detail.members}
    cases.setRowCount(0)
    is_open = detail.summary.status == ReviewSessionStatus.OPEN.value
    for case in detail.cases:
        row = cases.rowCount()
        cases.insertRow(row)
        why = "Sample draw" if case.source == "sample" else f"Added by hand: {case.reason}"
        reviewers = ", ".join(labels.get(uid, "?") for uid in case.reviewer_ids) or "nobody"
        cases.setItem(row, 0, cell(case.force_reference, case.case_id))
        cases.setItem(row, 1, cell(why))
        cases.setItem(row, 2, cell(reviewers))
        discussed = cell("Discussed" if case.discussed else "Not yet", case.case_id)
        flags = discussed.flags() | Qt.ItemFlag.ItemIsUserCheckable
        discussed.setFlags(flags if is_open else flags & ~Qt.ItemFlag.ItemIsEnabled)
        discussed.setCheckState(
            Qt.CheckState.Checked if case.discussed else Qt.CheckState.Unchecked
        )
        cases.setItem(row, DISCUSSED_COLUMN, discussed)
        if case.case_id == keep:
            cases.selectRow(row)
