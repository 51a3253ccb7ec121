"""The library: browse, filter and sort the force's cases or the public stop-and-search
records. Rows load in the background with a Cancel button; filters apply as they change."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, Qt, QTimeZone
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.frame_table import (
    CategoryColumn,
    FrameFilter,
    FrameTable,
    IndexArray,
    TimeColumn,
)
from bwv_review.services.actor import Actor
from bwv_review.services.library_view import LibraryViewService
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.date_edit import AnyDateEdit
from bwv_review.ui.empty_state import EmptyState, EmptyStateText
from bwv_review.ui.fitting import FlowLayout
from bwv_review.ui.library_model import FrameTableModel
from bwv_review.ui.sign_in import ErrorLabel

LIBRARY_PURPOSE = "library: browse cases"
MAX_FILTER_CHOICES = 300  # more distinct values than this (references) get no drop-down
NO_DATE = QDate(2000, 1, 1)  # shown as "any"
TIME_KEY = "occurred_at"  # the date filters' column, in both tables

SOURCES = (("cases", "Force cases"), ("records", "Public stop-and-search records"))

LIBRARY_TAB = EmptyStateText("Library", "", ())
NO_CASES = EmptyStateText(
    "Library",
    "No force cases yet.",
    (
        "Import the force's case manifest: bwv-review import-manifest FILE --as YOU.",
        "Then register its footage folder: bwv-review import-clips FOLDER --root NAME --as YOU. "
        "Footage is never copied: it stays on force storage and is checked before each review.",
    ),
)
NO_RECORDS = EmptyStateText(
    "Library",
    "No public stop-and-search records yet.",
    (
        "Import the monthly data.police.uk CSV files for your force to see the force-wide "
        "picture the sample is drawn against: bwv-review import-records FILE... --as YOU.",
    ),
)


class LibraryView(QWidget):
    def __init__(
        self, service: LibraryViewService, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._task: BackgroundTask | None = None
        self._filters: dict[str, QComboBox] = {}
        # The value drop-downs (and their labels) depend on the table's columns and are
        # rebuilt with each load; the date edits and everything else live as long as the view.
        self._column_filter_widgets: list[QWidget] = []
        self._filters_source: str | None = None
        self._stale = True
        self.setAccessibleName("Library")

        self.source = QComboBox()
        self.source.setAccessibleName("Show")
        for key, label in SOURCES:
            self.source.addItem(label, key)
        self.source.currentIndexChanged.connect(self.reload)
        source_label = QLabel("&Show:")
        source_label.setBuddy(self.source)
        self.count = QLabel("")
        self.count.setAccessibleName("Rows shown")
        self.cancel_button = QPushButton("&Cancel loading")
        self.cancel_button.setAccessibleName("Cancel loading")
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.hide()
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)

        top = QHBoxLayout()
        top.addWidget(source_label)
        top.addWidget(self.source)
        top.addWidget(self.count, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.clear_button)

        self.date_from = self._date_edit("From date")
        self.date_to = self._date_edit("To date")
        self.date_labels = (QLabel("From:"), QLabel("To:"))
        for date_label, edit in zip(self.date_labels, (self.date_from, self.date_to), strict=True):
            date_label.setBuddy(edit)
        # Wraps to the width there is: a fixed four filters a row was 1,600 px wide at a
        # larger font, past a laptop screen.
        self.filter_grid = FlowLayout()
        self.error = ErrorLabel()

        self.model = FrameTableModel()
        self.view = QTableView()
        self.view.setAccessibleName("Library rows")
        self.view.setTabKeyNavigation(False)  # Tab moves on; arrows move in the table
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

        self.pages = QStackedWidget()
        self.empty_pages = {"cases": EmptyState(NO_CASES), "records": EmptyState(NO_RECORDS)}
        self.pages.addWidget(self.view)
        for page in self.empty_pages.values():
            self.pages.addWidget(page)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.filter_grid)
        layout.addWidget(self.error)
        layout.addWidget(self.pages, 1)
        self._place_date_filters()
        self._follow_screen_order()

    def showEvent(self, event: QShowEvent) -> None:
        """Load on first sight, not at sign-in: most sign-ins never open the library (and
        loading the cases is an audited consultation)."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    def data_changed(self) -> None:
        """The workspace's rows changed (an import): reload now if on screen, otherwise on
        next sight, so that nobody is recorded as consulting cases they never looked at."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _date_edit(self, name: str) -> AnyDateEdit:
        edit = AnyDateEdit(name, blank="any", lowest=NO_DATE)
        edit.dateChanged.connect(self.apply_filters)
        return edit

    @property
    def source_key(self) -> str:
        return str(self.source.currentData())

    def reload(self) -> None:
        """Load the chosen table in the background; the old rows stay until it arrives."""
        if self._task is not None and self._task.running:
            self._task.cancel()
        self._stale = False
        self.error.clear_error()
        load: Callable[[Callable[[int], bool]], FrameTable]
        if self.source_key == "cases":

            def load(progress: Callable[[int], bool]) -> FrameTable:
                return self._service.cases_table(
                    self._actor, purpose=LIBRARY_PURPOSE, progress=progress
                )
        else:

            def load(progress: Callable[[int], bool]) -> FrameTable:
                return self._service.records_table(self._actor, progress=progress)

        task = BackgroundTask(load, self)

        def current(handler: Callable[..., None]) -> Callable[..., None]:
            """Drop signals from a load that a newer one replaced."""
            return lambda *args: handler(*args) if task is self._task else None

        task.progressed.connect(
            current(lambda n: self.count.setText(f"Loading\u2026 {n:,} rows read"))
        )
        task.succeeded.connect(current(self._show_table))
        task.failed.connect(current(lambda exc: self._finish(f"Could not load: {exc}")))
        task.cancelled.connect(current(lambda: self._finish("Loading cancelled.")))
        self._task = task
        self.count.setText("Loading\u2026")
        self.cancel_button.show()
        task.start()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _finish(self, message: str | None = None) -> None:
        self.cancel_button.hide()
        if message:
            self.error.show_error(message)
            self.count.setText("")

    def _show_table(self, table: FrameTable) -> None:
        self._finish()
        empty = self.empty_pages[self.source_key]
        self.pages.setCurrentWidget(self.view if len(table) else empty)
        self.model.set_table(table)
        self._build_filters(table)
        self._open_calendars_on_latest(table)
        self.apply_filters()
        self.view.resizeColumnsToContents()

    def _open_calendars_on_latest(self, table: FrameTable) -> None:
        """The calendars open on the month of the newest row: that is where people look."""
        times = table.column(TIME_KEY)
        if not len(table) or not isinstance(times, TimeColumn):
            return
        newest = QDateTime.fromMSecsSinceEpoch(int(times.values_ms.max()), QTimeZone.utc())
        for edit in (self.date_from, self.date_to):
            edit.start_page = newest.date()

    def _build_filters(self, table: FrameTable) -> None:
        """One drop-down per column with few enough values, then the dates. Only the
        drop-downs are replaced: the date edits are kept (deleting them once left the view
        holding dead widgets), and a reload of the same table keeps the values chosen."""
        kept = (
            {key: combo.currentData() for key, combo in self._filters.items()}
            if self._filters_source == self.source_key
            else {}
        )
        for widget in self._column_filter_widgets:
            widget.hide()  # off screen now, not when the deferred delete runs
            self.filter_grid.removeWidget(widget)
            widget.deleteLater()
        self._column_filter_widgets.clear()
        self._filters.clear()
        rows = table.all_rows()
        for column in table.columns:
            if isinstance(column, TimeColumn):
                continue
            assert isinstance(column, CategoryColumn)
            if len(column.values) > MAX_FILTER_CHOICES:
                continue
            combo = self._value_filter(column, rows, kept.get(column.spec.key))
            label = QLabel(column.spec.label + ":")
            label.setBuddy(combo)
            self.filter_grid.addWidget(label)
            self.filter_grid.addWidget(combo)
            self._column_filter_widgets += [label, combo]
            self._filters[column.spec.key] = combo
        self._filters_source = self.source_key
        self._place_date_filters()
        self._follow_screen_order()

    def _follow_screen_order(self) -> None:
        """Filters placed after the table join the end of the focus chain (the date limits
        at first, new drop-downs on each load); Tab must follow the screen instead."""
        chain = [
            self.source,
            self.cancel_button,
            self.clear_button,
            *self._filters.values(),
            self.date_from,
            self.date_to,
            self.view,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _value_filter(
        self, column: CategoryColumn, rows: IndexArray, chosen: str | None
    ) -> QComboBox:
        combo = QComboBox()
        # Long values (legislation) must not widen the window past a laptop screen;
        # the drop-down list still shows them in full.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        combo.setAccessibleName(f"Filter: {column.spec.label}")
        combo.addItem(f"All ({len(rows):,})", None)
        for value, n in sorted(column.counts(rows).items(), key=lambda kv: kv[0].casefold()):
            combo.addItem(f"{value} ({n:,})", value)
        if chosen is not None:
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    def _place_date_filters(self) -> None:
        """Put the date edits after the drop-downs (moving them if already laid out)."""
        pairs = zip(self.date_labels, (self.date_from, self.date_to), strict=True)
        for label, edit in pairs:
            for widget in (label, edit):
                self.filter_grid.removeWidget(widget)
                self.filter_grid.addWidget(widget)

    def current_filter(self) -> FrameFilter:
        selections = {
            key: frozenset({combo.currentData()})
            for key, combo in self._filters.items()
            if combo.currentData() is not None
        }
        return FrameFilter(
            selections,
            TIME_KEY,
            _ms(self.date_from.date(), start=True),
            _ms(self.date_to.date(), start=False),
        )

    def apply_filters(self) -> None:
        table = self.model.table
        if table is None:
            return
        self.model.apply_filter(self.current_filter())
        shown = len(self.model.visible_rows)
        self.count.setText(f"Showing {shown:,} of {len(table):,}")

    def clear_filters(self) -> None:
        for combo in self._filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.set_any()
            edit.blockSignals(False)
        self.apply_filters()


def _ms(day: QDate, *, start: bool) -> int | None:
    """Start of the day for "from", start of the next day for "to" (an inclusive end)."""
    if day == NO_DATE:
        return None
    moment = (day if start else day.addDays(1)).startOfDay(QTimeZone.utc())
    return int(moment.toMSecsSinceEpoch())
