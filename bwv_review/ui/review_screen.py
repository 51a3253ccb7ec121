"""The reviewer's screen ("My reviews"): the confidentiality gate, the queue of assigned cases,
then one case at a time (`CaseView`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Paths, Settings
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.permissions import Permission, allowed
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_view import REVIEW_PURPOSE, CaseView
from bwv_review.ui.confidentiality import ConfidentialityDialog
from bwv_review.ui.empty_state import EmptyState, EmptyStateText
from bwv_review.ui.review_queue import ReviewQueue
from bwv_review.ui.sign_in import ErrorLabel


class ReviewScreen(QStackedWidget):
    """The "My reviews" tab: confidentiality first, then the queue, then a case."""

    signOutRequested = Signal()

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        empty_text: EmptyStateText,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._settings = settings or Settings(Paths.for_this_machine().settings_file)
        self.case_view: CaseView | None = None
        self.setAccessibleName("My reviews")
        self.gate_page = QWidget(self)
        gate_label = QLabel(
            "Before you see any case, read and accept the panel's confidentiality statement.",
            self.gate_page,
        )
        gate_label.setWordWrap(True)
        self.gate_button = QPushButton("&Read the confidentiality statement…", self.gate_page)
        self.gate_button.setAccessibleName("Read the confidentiality statement")
        self.gate_button.clicked.connect(self.ask_confidentiality)
        gate_layout = QVBoxLayout(self.gate_page)
        gate_layout.addStretch(1)
        gate_layout.addWidget(gate_label)
        gate_layout.addWidget(self.gate_button, 0, Qt.AlignmentFlag.AlignLeft)
        gate_layout.addStretch(2)
        self.empty = EmptyState(empty_text, self)
        self.queue = ReviewQueue(self)
        self.queue.openRequested.connect(self.open_case)
        self.error = ErrorLabel(self.queue)
        queue_layout = self.queue.layout()
        assert queue_layout is not None  # ReviewQueue lays itself out
        queue_layout.addWidget(self.error)
        for page in (self.gate_page, self.empty, self.queue):
            self.addWidget(page)
        self._asked = False
        self._watching_window = False
        self.confidentiality_dialog: ConfidentialityDialog | None = None
        self.refresh()

    def needs_confidentiality(self) -> bool:
        return allowed(self._actor, Permission.REVIEW) and self._ws.users.needs_confidentiality(
            self._actor
        )

    def refresh(self) -> None:
        """Show the gate, the empty state or the queue, whichever applies now."""
        if self.needs_confidentiality():
            self.setCurrentWidget(self.gate_page)
            return
        try:
            items = self._ws.reviews.queue(self._actor)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"Your cases could not be listed: {exc}")
            self.setCurrentWidget(self.queue)
            return
        self.queue.set_items(items)
        self.setCurrentWidget(self.queue if items else self.empty)
        if items:
            self.queue.list.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._watching_window:
            self._watching_window = True
            self.window().installEventFilter(self)
        if not self._asked and self.currentWidget() is self.gate_page:
            self._asked = True
            QTimer.singleShot(0, self.ask_confidentiality)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Free libvlc when the window closes (sign-out, quit), before its widgets go."""
        if event.type() == QEvent.Type.Close and watched is self.window():
            self.close_case()
        return False

    def ask_confidentiality(self) -> None:
        dialog = ConfidentialityDialog(self._ws.users, self._actor, self)
        dialog.accepted.connect(self.refresh)
        dialog.rejected.connect(self.signOutRequested)
        dialog.finished.connect(dialog.deleteLater)
        self.confidentiality_dialog = dialog
        dialog.open()

    def open_case(self, assignment_id: int) -> None:
        try:
            view = self._ws.reviews.open_case(self._actor, assignment_id, purpose=REVIEW_PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"The case could not be opened: {exc}")
            return
        self.close_case()
        self.case_view = CaseView(self._ws, self._actor, self._settings, view, self)
        self.case_view.backRequested.connect(self.back_to_queue)
        self.addWidget(self.case_view)
        self.setCurrentWidget(self.case_view)
        self.case_view.back_button.setFocus()

    def close_case(self) -> None:
        if self.case_view is not None:
            self.case_view.close_case()
            self.removeWidget(self.case_view)
            self.case_view.deleteLater()
            self.case_view = None

    def back_to_queue(self) -> None:
        self.close_case()
        self.refresh()

    # --- idle lock hooks ----------------------------------------------------------------

    def is_playing(self) -> bool:
        return self.case_view is not None and self.case_view.is_playing()

    def hide_for_lock(self) -> None:
        if self.case_view is not None:
            self.case_view.hide_for_lock()

    def restore_after_lock(self) -> None:
        if self.case_view is not None:
            self.case_view.restore_after_lock()
