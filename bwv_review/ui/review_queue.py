"""The reviewer's queue: the cases assigned to them, with progress in words (never colour
alone), opened with Enter or the Open button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.services.reviews import QueueItem

STATUS_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
}


def describe_item(item: QueueItem) -> str:
    status = STATUS_TEXT.get(item.status, item.status)
    locked = " · locked" if item.locked else ""
    case_type = item.case_type.replace("_", " ").capitalize()
    return (
        f"{item.force_reference} · {case_type} · {item.session_name} — {status}: "
        f"{item.answered} of {item.total} checks answered{locked}"
    )


class ReviewQueue(QWidget):
    openRequested = Signal(int)  # assignment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("<h2>Cases assigned to you</h2>", self)
        intro = QLabel(
            "Work through them in any order. Everything you enter is saved as you go; "
            "submit each review when it is complete.",
            self,
        )
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Queue summary")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Assigned cases")
        self.list.itemActivated.connect(lambda _item: self._open())
        self.open_button = QPushButton("&Open case", self)
        self.open_button.setAccessibleName("Open case")
        self.open_button.clicked.connect(self._open)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def set_items(self, items: Sequence[QueueItem]) -> None:
        current = self.current_assignment()
        self.list.clear()
        for queued in items:
            entry = QListWidgetItem(describe_item(queued), self.list)
            entry.setData(Qt.ItemDataRole.UserRole, queued.assignment_id)
            if queued.assignment_id == current:
                self.list.setCurrentItem(entry)
        if self.list.currentItem() is None and items:
            self.list.setCurrentRow(0)
        done = sum(1 for i in items if i.status == "submitted")
        self.summary.setText(f"{done} of {len(items)} reviews submitted.")

    def current_assignment(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _open(self) -> None:
        assignment_id = self.current_assignment()
        if assignment_id is not None:
            self.openRequested.emit(assignment_id)
