"""Small forms the chair fills in while setting up a review session: a new session, a
sample draw to adopt, a case added by hand, who reviews a case, and a submitted review to
reopen.

Each dialog hands what was typed to an action (a service call) when OK is pressed and
stays open with the refusal in words if the service says no, so nothing typed is lost to
a message box. Helpers shared with the sessions and consensus screens live here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.services.errors import BadInput, DatabaseUnavailable, ServiceError
from bwv_review.ui.date_edit import DateEdit
from bwv_review.ui.sign_in import ErrorLabel
from bwv_review.ui.tab_order import move_last

W = TypeVar("W", bound=QWidget)
T = TypeVar("T")


def named(widget: W, name: str) -> W:
    """Give a control the name a screen reader announces; every control gets one."""
    widget.setAccessibleName(name)
    return widget


def attempt(error: ErrorLabel, call: Callable[[], T]) -> tuple[bool, T | None]:
    """Run a service call; a refusal (or an unreachable database) is shown in `error` in
    the service's own words instead of escaping to the event loop."""
    error.clear_error()
    try:
        return True, call()
    except (ServiceError, DatabaseUnavailable) as exc:
        error.show_error(str(exc))
        return False, None


def check_list(name: str, items: Iterable[tuple[str, str]], checked: Iterable[str]) -> QListWidget:
    """A list of (key, text) with a checkbox each: Space toggles the current row, so a
    keyboard user can pick members as quickly as a mouse user."""
    ticked = set(checked)
    widget = named(QListWidget(), name)
    for key, text in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if key in ticked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def checked_keys(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


class ActionDialog(QDialog):
    """OK runs `self.action()`; the dialog closes only when it succeeds."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        move_last(self, self.buttons)  # made before the fields, OK came first
        super().showEvent(event)

    def row(self, label: str, widget: W) -> W:
        """A labelled field whose label's & mnemonic focuses it."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.form.addRow(caption, widget)
        return widget

    def action(self) -> None:
        raise NotImplementedError

    def _ok(self) -> None:
        done, _ = attempt(self.error, self.action)
        if done:
            self.accept()


@dataclass(frozen=True)
class NewSession:
    name: str
    quarter: str
    meeting_date: date | None
    members: tuple[str, ...]


def current_quarter(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


class NewSessionDialog(ActionDialog):
    """Name, quarter, meeting date and the members, ticked from everyone who may sit on a
    session, listed by name and role (`candidates`: user name, label); a user name can
    still be typed, for an account added while the dialog is open."""

    def __init__(
        self,
        candidates: Sequence[tuple[str, str]],
        create: Callable[[NewSession], None],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("New review session", parent)
        self._create = create
        self.name = self.row("&Name:", QLineEdit())
        self.quarter = self.row("&Quarter:", QLineEdit(current_quarter(today)))
        self.meeting_date = self.row(
            "&Meeting date:", DateEdit(QDate(today.year, today.month, today.day))
        )
        self.meeting_date.setCalendarPopup(True)
        self.meeting_date.setDisplayFormat("yyyy-MM-dd")
        self.members = self.row("M&embers:", check_list("Members", candidates, ()))
        self.extra = named(QLineEdit(), "Add a member by username")
        self.extra.setPlaceholderText("username")
        add = named(QPushButton("&Add"), "Add member")
        add.clicked.connect(self.add_member)
        self.extra.installEventFilter(self)
        extra_row = QHBoxLayout()
        extra_row.addWidget(self.extra, 1)
        extra_row.addWidget(add)
        self.form.addRow("Not listed:", extra_row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the username field adds the member instead of pressing OK."""
        if (
            watched is self.extra
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_member()
            return True
        return super().eventFilter(watched, event)

    def add_member(self) -> None:
        """The service checks the username exists when the session is created."""
        username = self.extra.text().strip().lower()
        if not username:
            return
        known = {
            str(self.members.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.members.count())
        }
        if username not in known:
            item = QListWidgetItem(username)
            item.setData(Qt.ItemDataRole.UserRole, username)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.members.addItem(item)
        row = next(
            r
            for r in range(self.members.count())
            if self.members.item(r).data(Qt.ItemDataRole.UserRole) == username
        )
        self.members.item(row).setCheckState(Qt.CheckState.Checked)
        self.extra.clear()

    def values(self) -> NewSession:
        picked = self.meeting_date.date().toPython()
        return NewSession(
            self.name.text(),
            self.quarter.text(),
            picked if isinstance(picked, date) else None,
            tuple(checked_keys(self.members)),
        )

    def action(self) -> None:
        self._create(self.values())


class AdoptDrawDialog(ActionDialog):
    """The draw is named when it is made (File > Draw a sample, or `bwv-review sample`);
    the stored draws are offered newest first, and a name can still be typed."""

    def __init__(
        self,
        adopt: Callable[[str], None],
        draw_names: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Adopt a sample draw", parent)
        self._adopt = adopt
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(draw_names)
        combo.setCurrentText("")
        self.draw_name = self.row("Draw &name:", combo)

    def action(self) -> None:
        self._adopt(self.draw_name.currentText().strip())


class AddCaseDialog(ActionDialog):
    """A case outside the sample needs a reason: the report's sampling method cites it."""

    def __init__(self, add: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__("Add a case by hand", parent)
        self._add = add
        self.reference = self.row("Force &reference:", QLineEdit())
        self.reason = self.row("&Why this case:", QLineEdit())

    def action(self) -> None:
        self._add(self.reference.text().strip(), self.reason.text())


class AssigneesDialog(ActionDialog):
    """Who reviews one case; everyone is ticked by default when the case is added."""

    def __init__(
        self,
        reference: str,
        members: Sequence[tuple[str, str]],
        assigned: Iterable[str],
        assign: Callable[[list[str]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Who reviews {reference}", parent)
        self._assign = assign
        self.members = self.row("&Reviewers:", check_list("Reviewers", members, assigned))

    def action(self) -> None:
        self._assign(checked_keys(self.members))


class ReopenReviewDialog(ActionDialog):
    """Which submitted review to unlock, and why: the reason goes in the audit log."""

    def __init__(
        self,
        reviews: Sequence[tuple[int, str]],
        reopen: Callable[[int, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Reopen a submitted review", parent)
        self._reopen = reopen
        explain = QLabel(
            "The member can then change their review and must submit it again. They may "
            "already have seen other members' answers to this case."
        )
        explain.setWordWrap(True)
        self.form.addRow(explain)
        self.review = self.row("&Review:", QComboBox())
        for assignment_id, text in reviews:
            self.review.addItem(text, assignment_id)
        self.reason = self.row("&Why reopen it:", QLineEdit())
        self.reason.setPlaceholderText("e.g. the member asked: they submitted too soon")

    def action(self) -> None:
        if self.review.currentIndex() < 0:
            raise BadInput("no submitted review to reopen")
        self._reopen(int(self.review.currentData()), self.reason.text())
