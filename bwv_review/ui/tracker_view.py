"""The organisational learning tracker: recommendations to the force, who owns each, its
status and the force's response, followed across sessions until closed.

Items outlive sessions and two chairs may edit one, so each save names the version read;
a refused save says who changed the item and when and keeps the typed text on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.tracker import TrackerEntry, TrackerItemView, TrackerService
from bwv_review.ui.date_edit import AnyDateEdit
from bwv_review.ui.session_dialogs import attempt, named
from bwv_review.ui.sign_in import ErrorLabel

PURPOSE = "learning tracker"
STATUS_WORDS = {
    TrackerStatus.OPEN: "Open",
    TrackerStatus.IN_PROGRESS: "In progress",
    TrackerStatus.CLOSED: "Closed",
}
COLUMNS = ("Recommendation", "Theme", "Owner", "Status", "Due", "Force response", "Raised")
NO_DUE_DATE = QDate(2000, 1, 1)  # shown as "none"


class TrackerView(QWidget):
    def __init__(
        self,
        tracker: TrackerService,
        actor: Actor,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tracker = tracker
        self._actor = actor
        self._today = today
        self._session_id: int | None = None
        self.items: list[TrackerItemView] = []
        self.editing: TrackerItemView | None = None
        self.setAccessibleName("Learning tracker")

        self.table = named(QTableWidget(0, len(COLUMNS)), "Tracker items")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the form; arrows move in it
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.recommendation = named(QPlainTextEdit(), "Recommendation")
        self.recommendation.setTabChangesFocus(True)
        self.recommendation.setMaximumHeight(70)
        self.theme = named(QLineEdit(), "Theme")
        self.owner = named(QLineEdit(), "Owner")
        self.status = named(QComboBox(), "Status")
        for status, words in STATUS_WORDS.items():
            self.status.addItem(words, status.value)
        self.due = AnyDateEdit("Due date", blank="none", lowest=NO_DUE_DATE)
        self.force_response = named(QPlainTextEdit(), "Force response")
        self.force_response.setTabChangesFocus(True)
        self.force_response.setMaximumHeight(70)
        form = QFormLayout()
        for label, widget in (
            ("&Recommendation:", self.recommendation),
            ("Th&eme:", self.theme),
            ("O&wner:", self.owner),
            ("St&atus:", self.status),
            ("&Due:", self.due),
            ("Force res&ponse:", self.force_response),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)

        self.new_button = named(QPushButton("New &item"), "New item for the tracker")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = named(QPushButton("Sa&ve item"), "Save item")
        self.save_button.clicked.connect(self.save)
        self.reload_button = named(QPushButton("Re&load"), "Reload tracker")
        self.reload_button.clicked.connect(self.reload)
        self.mode = named(QLabel(""), "Tracker form state")
        self.error = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.mode, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reload_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.start_new()
        self.reload()

    def set_session(self, session_id: int | None) -> None:
        """New items are recorded as raised in this session."""
        self._session_id = session_id

    def reload(self) -> None:
        ok, found = attempt(self.error, lambda: self._tracker.items(self._actor))
        if not ok or found is None:
            return
        self.items = found
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in found:
            entry = item.entry
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                entry.recommendation,
                entry.theme,
                entry.owner,
                STATUS_WORDS[TrackerStatus(entry.status)],
                entry.due_on.isoformat() if entry.due_on else "",
                entry.force_response,
                item.raised_on.isoformat(),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        if self.editing is not None:
            self.edit(self.editing.id)

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self._fill(TrackerEntry("", "", ""))
        self.mode.setText("Adding a new item.")

    def edit(self, item_id: int) -> None:
        found = next((i for i in self.items if i.id == item_id), None)
        if found is None:
            self.start_new()
            return
        self.editing = found
        self._fill(found.entry)
        self.mode.setText(f"Editing item {found.id} (version {found.version}).")

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.error.clear_error()
            self.edit(int(rows[0].data(Qt.ItemDataRole.UserRole)))

    def _fill(self, entry: TrackerEntry) -> None:
        self.recommendation.setPlainText(entry.recommendation)
        self.theme.setText(entry.theme)
        self.owner.setText(entry.owner)
        self.status.setCurrentIndex(max(self.status.findData(TrackerStatus(entry.status).value), 0))
        due = entry.due_on
        self.due.setDate(QDate(due.year, due.month, due.day) if due else NO_DUE_DATE)
        self.force_response.setPlainText(entry.force_response)

    def entry(self) -> TrackerEntry:
        due = self.due.date()
        return TrackerEntry(
            recommendation=self.recommendation.toPlainText(),
            theme=self.theme.text(),
            owner=self.owner.text(),
            status=TrackerStatus(self.status.currentData()),
            force_response=self.force_response.toPlainText(),
            due_on=None if due == NO_DUE_DATE else date(due.year(), due.month(), due.day()),
        )

    def save(self) -> None:
        entry, editing = self.entry(), self.editing

        def write() -> TrackerItemView:
            if editing is None:
                return self._tracker.add(
                    self._actor,
                    entry,
                    raised_in_session_id=self._session_id,
                    raised_on=self._today(),
                    purpose=PURPOSE,
                )
            return self._tracker.update(
                self._actor, editing.id, entry, expected_version=editing.version, purpose=PURPOSE
            )

        # A stale save (ConcurrentEdit) is shown in the service's words, naming who changed
        # the item and when; the typed text stays until the chair presses Reload.
        ok, saved = attempt(self.error, write)
        if not ok or saved is None:
            return
        self.editing = saved
        self.reload()
