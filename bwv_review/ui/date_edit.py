"""Date fields a keyboard user can fill and leave with Tab, one of them able to be blank.

Qt's QDateEdit keeps Tab to step through its year, month and day, so Tab does not move on
as from every other field; over its special text (the blank value) it takes no typed
digits and keeps Tab for ever (no sections to step through), a keyboard trap (WCAG 2.1.2).
The library's date limits and the tracker's due date need a blank; a session's meeting
date and a sample's date range do not.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget


class DateEdit(QDateEdit):
    """A date that Tab leaves, as every other field: typing moves through the year, month
    and day by itself, and Left and Right still step them."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class AnyDateEdit(DateEdit):
    """A date that may be left out: its lowest value, `lowest`, reads `blank` ("any" for a
    filter's limit, "none" for a due date).

    A plain QDateEdit ignores digits typed over its special text, so a keyboard user could
    never enter a date, and its calendar opened on January 2000. Here the first digit typed
    over "any" starts a date in `start_page`'s year (its year is what the digits replace),
    the calendar opens on `start_page`'s month, Delete goes back to blank, and Tab leaves.
    """

    def __init__(
        self, name: str, *, blank: str, lowest: QDate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.start_page = QDate.currentDate()
        self.setAccessibleName(name)
        self.setToolTip(
            "Type the date's digits (20191224 for 24 December 2019) or pick it from the "
            "calendar; Delete sets it back to " + blank
        )
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(lowest)
        self.setSpecialValueText(blank)
        self.set_any()

    @property
    def is_any(self) -> bool:
        return self.date() == self.minimumDate()

    def set_any(self) -> None:
        self.setDate(self.minimumDate())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.set_any()
            event.accept()
            return
        if self.is_any and event.text().isdigit():
            self.setDate(QDate(self.start_page.year(), 1, 1))
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        elif self.is_any and (
            event.key() == Qt.Key.Key_Backspace or (event.text() and event.text().isprintable())
        ):
            event.accept()  # editing the word "any" would leave text that is no date
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on the arrow opens the calendar (no key does): on start_page's month."""
        super().mousePressEvent(event)
        calendar = self.calendarWidget()
        if self.is_any and calendar is not None and calendar.isVisible():
            calendar.setCurrentPage(self.start_page.year(), self.start_page.month())
