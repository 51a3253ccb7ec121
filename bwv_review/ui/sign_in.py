"""Sign-in, and the first-run dialog that creates the workspace's first administrator.

Both are plain forms a screen reader announces field by field; errors appear as text with a
warning sign (never colour alone) and are announced, and nothing typed except the PIN is
cleared by a failed attempt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bwv_review.services.actor import Actor
from bwv_review.services.auth import MIN_SECRET_LENGTH, AuthService
from bwv_review.services.errors import DatabaseUnavailable, ServiceError

FIRST_RUN_PURPOSE = "first run: create the first administrator"
SIGN_IN_PURPOSE = "app sign-in"


def _line_edit(accessible_name: str, *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData)
    return edit


class ErrorLabel(QLabel):
    """An inline error: a warning sign and words, announced by screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what people typed
        self.setAccessibleName("Error")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setStyleSheet("QLabel { color: #a4000f; font-weight: bold; }")
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(f"\u26a0 {message}")
        self.setAccessibleDescription(message)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class SignInDialog(QDialog):
    def __init__(
        self, auth: AuthService, database_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self.actor: Actor | None = None
        self.setWindowTitle("Sign in to bwv-review")
        self.setAccessibleName("Sign in to bwv-review")

        intro = QLabel("Sign in with the name and PIN your panel administrator gave you.")
        intro.setWordWrap(True)
        self.username = _line_edit("User name")
        self.secret = _line_edit("PIN or password", secret=True)
        self.error = ErrorLabel()
        where = QLabel(f"Database: {database_label}")
        where.setAccessibleName("Database location")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Name:", self.username)
        form.addRow("&PIN:", self.secret)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setAccessibleName("Sign in")
        self.sign_in_button.setDefault(True)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel and close")
        buttons.accepted.connect(self._try_sign_in)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        layout.addWidget(where)
        self.username.setFocus()

    def _try_sign_in(self) -> None:
        self.error.clear_error()
        name = self.username.text().strip()
        if not name:
            self.error.show_error("Type your name first.")
            self.username.setFocus()
            return
        try:
            self.actor = self._auth.sign_in(name, self.secret.text(), purpose=SIGN_IN_PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.secret.clear()
            self.error.show_error(str(exc))
            self.secret.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """Shown once, when the workspace has no accounts at all."""

    def __init__(self, auth: AuthService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self.actor: Actor | None = None
        self.setWindowTitle("Set up bwv-review")
        self.setAccessibleName("Set up bwv-review: create the first administrator")

        intro = QLabel(
            "<b>Welcome.</b> No one has an account in this workspace yet.<br>"
            "Create the first administrator: the person who imports records and footage and "
            "adds the panel's members. They can also act as panel chair."
        )
        intro.setWordWrap(True)
        self.username = _line_edit("User name")
        self.username.setPlaceholderText("e.g. jsmith")
        self.display_name = _line_edit("Full name")
        self.secret = _line_edit("Choose a PIN or password", secret=True)
        self.confirm = _line_edit("Type the PIN again", secret=True)
        hint = QLabel(f"At least {MIN_SECRET_LENGTH} characters. It is stored only as a hash.")
        hint.setWordWrap(True)
        self.error = ErrorLabel()

        form = QFormLayout()
        form.addRow("&User name:", self.username)
        form.addRow("&Full name:", self.display_name)
        form.addRow("&PIN:", self.secret)
        form.addRow("&Again:", self.confirm)
        form.addRow("", hint)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create administrator")
        self.create_button.setAccessibleName("Create administrator")
        self.create_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._try_create)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.username.setFocus()

    def _try_create(self) -> None:
        self.error.clear_error()
        if self.secret.text() != self.confirm.text():
            self.error.show_error("The two PINs differ. Type them again.")
            self.secret.clear()
            self.confirm.clear()
            self.secret.setFocus()
            return
        try:
            self.actor = self._auth.create_first_admin(
                self.username.text(),
                self.display_name.text(),
                self.secret.text(),
                purpose=FIRST_RUN_PURPOSE,
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            return
        self.accept()
