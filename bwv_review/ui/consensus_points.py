"""Members' learning points on the chair's consensus screen: one row a point, by clip and
time, under the member's label, with its time code and frame as the review screen gives
them, its kind in a symbol and words, its tags and its note.

Points two or more members made within a few seconds of each other on the same clip sit
together under a heading row that names them (a symbol and words, with a tint only as a
help), so agreement shows without comparing time codes by eye. Notes are table text, which
Qt never reads as HTML, so markup someone typed shows as typed. Each row's first cell
carries the whole point as one sentence, so a screen reader moving row by row reads it all.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.rubric import Rubric
from bwv_review.services.member_points import MOMENT_MS, MemberPoint, PointMoment
from bwv_review.ui.learning_points import describe_frame, describe_point, kind_text, tag_labels
from bwv_review.ui.palette_cells import Emphasis, PaletteCellDelegate, emphasise
from bwv_review.ui.player_timeline import format_ms

logger = logging.getLogger(__name__)

COLUMNS = ("Member", "Clip and time", "Kind", "Tags", "Note")
SHARED = "\u21d4"  # ⇔: several members marked this moment
TAGS_COLUMN_PX = 170


def moment_text(moment: PointMoment) -> str:
    """The heading of a moment several members marked: who, where and over what span."""
    first, last = moment.points[0].point, moment.points[-1].point
    span = format_ms(first.position_ms)
    if last.position_ms != first.position_ms:
        span += f" to {format_ms(last.position_ms)}"
    who = moment.members
    return f"{SHARED} {len(who)} members marked {moment.clip_label} at {span}: {', '.join(who)}"


def _item(text: str, accessible: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if accessible:
        item.setData(Qt.ItemDataRole.AccessibleTextRole, accessible)
    return item


class MemberPointsList(QWidget):
    """The table of points and a heading that says how many there are and what ⇔ means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Members' lear&ning points:", self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Members' learning points by clip and time")
        self.table.setItemDelegate(PaletteCellDelegate(self.table))  # theme-following cells
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(3, TAGS_COLUMN_PX)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.heading.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        self.clear()

    def clear(self) -> None:
        self.heading.setText("Members' lear&ning points:")
        self.table.clearContents()
        self.table.setRowCount(0)

    def set_points(self, rubric: Rubric, moments: tuple[PointMoment, ...]) -> None:
        self.table.clearContents()
        self.table.setRowCount(0)
        count = sum(len(m.points) for m in moments)
        if not count:
            self.heading.setText(
                "Members' lear&ning points: none; no member who has submitted marked one."
            )
            return
        self.heading.setText(
            f"Members' lear&ning points: {count}, by clip and time. {SHARED} heads points "
            f"two or more members made within {MOMENT_MS // 1000} s of each other."
        )
        for moment in moments:
            shared = len(moment.members) > 1
            if shared:
                self._heading_row(moment_text(moment))
            for point in moment.points:
                self._point_row(rubric, point, indent=shared)
        logger.debug("showing %d points in %d moments", count, len(moments))

    def _heading_row(self, text: str) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        cell = _item(text, text)
        bold = QFont(self.font())
        bold.setBold(True)
        cell.setFont(bold)
        emphasise(cell, Emphasis.HEADING)
        self.table.setItem(at, 0, cell)
        self.table.setSpan(at, 0, 1, len(COLUMNS))

    def _point_row(self, rubric: Rubric, member_point: MemberPoint, *, indent: bool) -> None:
        point = member_point.point
        sentence = f"{member_point.member}: " + describe_point(
            rubric, point, member_point.clip_label
        )
        where = (
            f"{member_point.clip_label} {format_ms(point.position_ms)}\n"
            f"{describe_frame(point.frame_index, point.frame_uncertainty)}"
        )
        cells = [
            _item(("    " if indent else "") + member_point.member, sentence),
            _item(where),
            _item(kind_text(point.kind)),
            _item(", ".join(tag_labels(rubric, point)) or "no tags"),
            _item(point.note),
        ]
        at = self.table.rowCount()
        self.table.insertRow(at)
        for column, cell in enumerate(cells):
            self.table.setItem(at, column, cell)
