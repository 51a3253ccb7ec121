"""Accounts, for administrators (File > Accounts): who has one, with which roles, and
whether it is in use; add a person, change their roles, disable or enable them, and reset a
forgotten PIN.

Every PIN set here is temporary (the services mark it so): the person chooses their own at
first sign-in. A new temporary PIN is suggested at random and shown once, in words, for the
administrator to pass on. What the services refuse (the last administrator, a name already
taken, a PIN too short) is shown as the services word it, and nothing is lost from the form.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.auth import MIN_SECRET_LENGTH
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.users import UserSummary
from bwv_review.services.workspace import Workspace
from bwv_review.ui.fitting import fit_columns
from bwv_review.ui.sign_in import ErrorLabel, SpokenLabel

log = logging.getLogger(__name__)

PURPOSE = "accounts screen"
COLUMNS = ("Name", "User name", "Roles", "Account")


def suggested_pin() -> str:
    """Eight random digits: longer than the minimum, easy to read out, used once."""
    return "".join(secrets.choice("0123456789") for _ in range(max(8, MIN_SECRET_LENGTH)))


def _roles_text(roles: Sequence[str]) -> str:
    return ", ".join(Role(role).label for role in roles)


def _state_text(user: UserSummary) -> str:
    words = ["Active" if user.active else "Disabled"]
    if user.pin_is_temporary:
        words.append("temporary PIN")
    if user.locked_until is not None:
        words.append(f"locked until {user.locked_until:%H:%M}")
    return ", ".join(words)


class PersonDialog(QDialog):
    """Add a person (name, user name, roles, temporary PIN) or, given `person`, change
    only their roles. `submit` does the work and raises what the services refuse, which is
    shown here, so the form stays as typed."""

    def __init__(
        self,
        submit: Callable[[PersonDialog], None],
        parent: QWidget | None = None,
        *,
        person: UserSummary | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        adding = person is None
        self.setWindowTitle("Add a person" if person is None else f"Roles of {person.display_name}")
        self.setAccessibleName(self.windowTitle())
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName("Full name")
        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.username.setPlaceholderText("e.g. jsmith")
        self.pin = QLineEdit(suggested_pin())
        self.pin.setAccessibleName("Temporary PIN")
        self.pin.setAccessibleDescription(
            "Give this PIN to the person; they choose their own at first sign-in."
        )
        self.roles = {role: QCheckBox(role.label) for role in Role}
        for role, box in self.roles.items():
            box.setAccessibleName(role.label)
            box.setChecked(role.value in person.roles if person else role is Role.REVIEWER)
        self.error = ErrorLabel()

        form = QFormLayout()
        if adding:
            form.addRow("&Full name:", self.full_name)
            form.addRow("&User name:", self.username)
        role_row = QHBoxLayout()
        for box in self.roles.values():
            role_row.addWidget(box)
        form.addRow("Roles:", role_row)
        if adding:
            form.addRow("Temporary &PIN:", self.pin)
            hint = QLabel(
                f"Suggested at random; type another if you like (at least "
                f"{MIN_SECRET_LENGTH} characters). The person chooses their own at first "
                "sign-in."
            )
            hint.setWordWrap(True)
            form.addRow("", hint)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add person" if adding else "&Save roles")
        self.ok_button.setAccessibleName("Add person" if adding else "Save roles")
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.full_name if adding else next(iter(self.roles.values()))).setFocus()

    def chosen_roles(self) -> list[Role]:
        return [role for role, box in self.roles.items() if box.isChecked()]

    def _try(self) -> None:
        self.error.clear_error()
        try:
            self._submit(self)
        except (ServiceError, DatabaseUnavailable) as exc:
            message = str(exc)
            self.error.show_error(message[:1].upper() + message[1:])
            return
        self.accept()


class AccountsDialog(QDialog):
    def __init__(self, workspace: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._actor = actor
        self._people: list[UserSummary] = []
        self.setWindowTitle("Accounts")
        self.setAccessibleName("Accounts: the people who can sign in")
        self.resize(900, 520)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("People with accounts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.setCornerButtonEnabled(False)  # "select all" means nothing here
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        label = QLabel("Pe&ople:")  # Alt+P is Reset PIN
        label.setBuddy(self.table)

        self.add_button = self._button("&Add a person\u2026", "Add a person", self.add_person)
        self.roles_button = self._button("Change &roles\u2026", "Change roles", self.change_roles)
        self.active_button = self._button("&Disable", "Disable account", self.toggle_active)
        self.reset_button = self._button("Reset &PIN", "Reset PIN", self.reset_pin)
        close = self._button("&Close", "Close", self.accept)
        self.message = SpokenLabel("Result")  # a blind administrator must hear a PIN
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = ErrorLabel()

        actions = QHBoxLayout()
        for button in (self.add_button, self.roles_button, self.active_button, self.reset_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.refresh()
        self.table.setFocus()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def refresh(self, select: str | None = None) -> None:
        """Read the accounts again (after every change) and keep the person in view."""
        shown = self.selected()
        current = select or (shown.username if shown else None)
        self._people = self._workspace.users.list_users(self._actor)
        self.table.setRowCount(len(self._people))
        row_to_select = 0
        for row, person in enumerate(self._people):
            cells = (
                person.display_name,
                person.username,
                _roles_text(person.roles),
                _state_text(person),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if person.username == current:
                row_to_select = row
        fit_columns(self.table)
        if self._people:
            self.table.setCurrentCell(row_to_select, 0)
        self._update_buttons()

    def selected(self) -> UserSummary | None:
        row = self.table.currentRow()
        return self._people[row] if 0 <= row < len(self._people) else None

    def _update_buttons(self) -> None:
        person = self.selected()
        for button in (self.roles_button, self.active_button, self.reset_button):
            button.setEnabled(person is not None)
        if person is not None:
            self.active_button.setText("&Enable" if not person.active else "&Disable")
            self.active_button.setAccessibleName(
                f"{'Enable' if not person.active else 'Disable'} {person.display_name}"
            )

    def _done(self, message: str, username: str) -> None:
        self.error.clear_error()
        self.message.setText(message)
        self.refresh(select=username)

    def _refused(self, exc: Exception) -> None:
        message = str(exc)
        self.message.setText("")
        self.error.show_error(message[:1].upper() + message[1:])

    def add_person(self) -> None:
        added: list[str] = []

        def submit(form: PersonDialog) -> None:
            person = self._workspace.auth.create_user(
                self._actor,
                form.username.text(),
                form.full_name.text(),
                form.pin.text(),
                form.chosen_roles(),
                purpose=PURPOSE,
            )
            added[:] = [person.username, person.display_name, form.pin.text()]

        if PersonDialog(submit, self).exec() == QDialog.DialogCode.Accepted and added:
            username, name, pin = added
            log.info("account added")
            self._done(
                f"Added {name} ({username}). Temporary PIN: {pin}. Give it to them; it is "
                "shown only now, and they choose their own at first sign-in.",
                username,
            )

    def change_roles(self) -> None:
        person = self.selected()
        if person is None:
            return

        def submit(form: PersonDialog) -> None:
            self._workspace.users.set_roles(
                self._actor, person.username, form.chosen_roles(), purpose=PURPOSE
            )

        if PersonDialog(submit, self, person=person).exec() == QDialog.DialogCode.Accepted:
            self._done(f"Roles of {person.display_name} saved.", person.username)

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            self._workspace.users.set_active(
                self._actor, person.username, not person.active, purpose=PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self._refused(exc)
            return
        state = "enabled: they can sign in again" if not person.active else "disabled"
        self._done(f"{person.display_name}'s account is {state}.", person.username)

    def reset_pin(self) -> None:
        person = self.selected()
        if person is None:
            return
        pin = suggested_pin()
        try:
            self._workspace.users.reset_secret(self._actor, person.username, pin, purpose=PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            self._refused(exc)
            return
        self._done(
            f"New temporary PIN for {person.display_name}: {pin}. Give it to them; it is "
            "shown only now, and they choose their own at sign-in. Any lock-out is lifted.",
            person.username,
        )
