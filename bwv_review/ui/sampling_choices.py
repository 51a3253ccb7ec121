"""What a chair ticks in the draw dialog instead of typing a spec: values of the frame's own
fields, with counts (filters), a date range, and groups taken first (strata: a field or
several, their values, and "take all" or "take N").

Each widget turns the ticks into the domain's Condition and Stratum, whose text is the very
line the typed syntax would hold, so the dialog draws through one code path whichever way
the chair built the draw. The values come from SamplingService.choices; nothing here reads
the database.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.sampling import ALL, Condition, Stratum
from bwv_review.domain.sampling_choices import FieldValues, FrameValues
from bwv_review.ui.date_edit import DateEdit

log = logging.getLogger(__name__)

VALUE_ROLE = Qt.ItemDataRole.UserRole
LIST_ROWS = 6  # values shown before the list scrolls


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _rows_high(view: QListWidget, rows: int) -> int:
    """The height that shows `rows` rows (at least one) at the list's own font."""
    row = max(view.sizeHintForRow(0), view.fontMetrics().height() + 4)
    # Never below the list's own minimum (a scroll area asks for some 70 px).
    return max(row * max(1, rows) + 2 * view.frameWidth() + 2, view.minimumSizeHint().height())


def _wrapping(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ValuePicker(QWidget):
    """A field chosen from a list, then its values ticked. Ticks are kept per field, so a
    chair may tick under several fields; a case must hold a ticked value of each."""

    changed = Signal()

    def __init__(self, frame: FrameValues, name: str, field_label: str) -> None:
        super().__init__()
        self._fields = {field.field: field for field in frame.fields if field.values}
        self._ticked: dict[str, list[str]] = {}  # in the order the chair chose the fields
        self.field_box = QComboBox()
        self.field_box.setAccessibleName(f"Field ({name.lower()})")
        for field in self._fields.values():
            self.field_box.addItem(field.label, field.field)
        self.values = QListWidget()
        self.values.setAccessibleName(f"Values ({name.lower()}) of the chosen field, with counts")
        self.values.setAccessibleDescription("Space ticks or unticks the value")
        self.summary = _wrapping("")
        self.summary.setAccessibleName(f"{name}: what is ticked")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        label = QLabel(field_label)
        label.setBuddy(self.field_box)
        form.addRow(label, self.field_box)
        form.addRow("Values:", self.values)
        form.addRow("", self.summary)
        self.field_box.currentIndexChanged.connect(self._show_field)
        self.values.itemChanged.connect(self._ticked_changed)
        self._show_field()

    def _field(self) -> FieldValues | None:
        return self._fields.get(self.field_box.currentData())

    def choose_field(self, field: str) -> None:
        self.field_box.setCurrentIndex(self.field_box.findData(field))

    def _show_field(self) -> None:
        field = self._field()
        self.values.blockSignals(True)
        self.values.clear()
        for value in field.values if field else ():
            item = QListWidgetItem(f"{value.label} ({value.count:,})")
            item.setData(VALUE_ROLE, value.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = field is not None and value.value in self._ticked.get(field.field, [])
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.values.addItem(item)
        self.values.blockSignals(False)
        self.values.setFixedHeight(_rows_high(self.values, min(LIST_ROWS, self.values.count())))
        self._describe()

    def _ticked_changed(self) -> None:
        field = self._field()
        if field is None:
            return
        items = [self.values.item(row) for row in range(self.values.count())]
        ticked = [i.data(VALUE_ROLE) for i in items if i.checkState() == Qt.CheckState.Checked]
        self._ticked.pop(field.field, None)  # a changed field moves to the end of the order
        if ticked:
            self._ticked[field.field] = ticked
        index = self.field_box.currentIndex()
        self.field_box.setItemText(index, field.label + (f" ({len(ticked)} ticked)" * bool(ticked)))
        self._describe()
        self.changed.emit()

    def _describe(self) -> None:
        words = [condition.words for condition in self.conditions()]
        self.summary.setText("Ticked: " + ("; ".join(words) if words else "nothing yet"))

    def conditions(self) -> list[Condition]:
        """One condition per field with a tick, in the order the chair ticked them."""
        return [Condition.of(field, values) for field, values in self._ticked.items()]

    def clear(self) -> None:
        self._ticked.clear()
        for index in range(self.field_box.count()):
            self.field_box.setItemText(index, self._fields[self.field_box.itemData(index)].label)
        self._show_field()
        self.changed.emit()


class DateRange(QWidget):
    """From and to dates, starting at the frame's first and last; a filter only when the
    chair narrows them."""

    changed = Signal()

    def __init__(self, frame: FrameValues) -> None:
        super().__init__()
        self._first, self._last = frame.first_date, frame.last_date
        self.start = DateEdit()
        self.end = DateEdit()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for edit, name, words in (
            (self.start, "From date", "Fro&m:"),
            (self.end, "To date", "&To:"),
        ):
            edit.setAccessibleName(name)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            if self._first and self._last:
                edit.setDateRange(_qdate(self._first), _qdate(self._last))
            label = QLabel(words)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit)
            edit.dateChanged.connect(self.changed)
        row.addStretch(1)
        if self._first and self._last:
            self.start.setDate(_qdate(self._first))
            self.end.setDate(_qdate(self._last))
        else:
            self.setEnabled(False)

    def condition(self) -> Condition | None:
        if not (self._first and self._last):
            return None
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        if start <= self._first and end >= self._last:
            return None
        low = start.isoformat() if start > self._first else ""
        high = end.isoformat() if end < self._last else ""
        return Condition.of("date", [f"{low}..{high}"])


class GroupsBuilder(QWidget):
    """Groups taken first: tick values (under one field or several), choose "take all" or
    "take N at random", add; a case counts in the first group it fits."""

    changed = Signal()

    def __init__(self, frame: FrameValues) -> None:
        super().__init__()
        self._groups: list[Stratum] = []
        self.picker = ValuePicker(frame, "New group", "Fi&eld:")
        self.take_all = QRadioButton("Take &all of them")
        self.take_all.setAccessibleName("Take all of them")
        self.take_all.setAccessibleDescription("Every case of the group")
        self.take_some = QRadioButton("Take at rand&om:")
        self.take_some.setAccessibleName("Take at random")
        self.take_some.setAccessibleDescription("Some of the group, as many as the number after it")
        self.take_all.setChecked(True)
        takes = QButtonGroup(self)
        takes.addButton(self.take_all)
        takes.addButton(self.take_some)
        self.take_count = QSpinBox()
        self.take_count.setRange(1, 100_000)
        self.take_count.setValue(5)
        self.take_count.setSuffix(" cases")
        self.take_count.setAccessibleName("How many of the group to take at random")
        self.add_button = QPushButton("Add this gro&up")
        self.add_button.setAccessibleName("Add this group to the draw")
        self.add_button.setEnabled(False)
        self.groups = QListWidget()
        self.groups.setAccessibleName("Groups taken first, in order")
        self.groups.setFixedHeight(_rows_high(self.groups, 3))
        self.remove_button = QPushButton("&Remove group")
        self.remove_button.setAccessibleName("Remove group")
        self.remove_button.setAccessibleDescription("Removes the group chosen in the list")
        self.remove_button.setEnabled(False)

        take_row = QHBoxLayout()
        for widget in (self.take_all, self.take_some, self.take_count):
            take_row.addWidget(widget)
        take_row.addStretch(1)
        take_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picker)
        layout.addLayout(take_row)
        layout.addWidget(self.groups)
        remove_row = QHBoxLayout()
        remove_row.addWidget(_wrapping("A case counts in the first group it fits."), 1)
        remove_row.addWidget(self.remove_button)
        layout.addLayout(remove_row)

        self.picker.changed.connect(self._picker_changed)
        self.take_some.toggled.connect(self.take_count.setEnabled)
        self.take_count.setEnabled(False)
        self.add_button.clicked.connect(self.add_group)
        self.remove_button.clicked.connect(self.remove_group)
        self.groups.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))

    def _picker_changed(self) -> None:
        self.add_button.setEnabled(bool(self.picker.conditions()))

    def add_group(self) -> None:
        conditions = tuple(self.picker.conditions())
        if not conditions:
            return
        take = ALL if self.take_all.isChecked() else self.take_count.value()
        group = Stratum(conditions, take)
        if any(g.label.casefold() == group.label.casefold() for g in self._groups):
            self.picker.summary.setText("That group is in the draw already.")
            return
        self._groups.append(group)
        self._show_groups()
        self.picker.clear()
        log.debug("group added: %s", group.text)
        self.changed.emit()

    def remove_group(self) -> None:
        row = self.groups.currentRow()
        if 0 <= row < len(self._groups):
            del self._groups[row]
            self._show_groups()
            self.changed.emit()

    def _show_groups(self) -> None:
        self.groups.clear()
        for number, group in enumerate(self._groups, start=1):
            take = "take all" if group.take == ALL else f"take {group.take} at random"
            self.groups.addItem(f"{number}. {group.words}: {take}")
        self.remove_button.setEnabled(False)

    def strata(self) -> list[Stratum]:
        return list(self._groups)
