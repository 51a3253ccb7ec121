"""The confidentiality statement a reviewer accepts before seeing any case.

Acceptance is recorded by the users service with its audit event (DPA 2018: the panel must
be able to show who agreed to what, and when); declining signs the person out.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.users import UsersService, confidentiality_statement
from bwv_review.ui.sign_in import ErrorLabel

ACCEPT_PURPOSE = "confidentiality statement accepted before reviewing"


class ConfidentialityDialog(QDialog):
    """The statement in full, with Accept and Sign out. Accepted only once it is saved."""

    def __init__(self, users: UsersService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._actor = actor
        self.setWindowTitle("Confidentiality statement")
        self.setAccessibleName("Confidentiality statement")
        intro = QLabel(
            "Before you see any footage or record, read this statement. You accept it once; "
            "it is recorded with the date.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Statement text")
        self.text.setMarkdown(confidentiality_statement())
        self.error = ErrorLabel(self)
        buttons = QDialogButtonBox(self)
        self.accept_button = buttons.addButton("I &accept", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setAccessibleName("I accept the statement")
        self.sign_out_button = buttons.addButton(
            "&Sign out", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.sign_out_button.setAccessibleName("Sign out without accepting")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.text.setFocus()

    def _accept(self) -> None:
        try:
            self._users.accept_confidentiality(self._actor, purpose=ACCEPT_PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"Your acceptance could not be saved: {exc}")
            return
        self.accept()
