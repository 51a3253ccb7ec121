"""Submissions to the chosen session as they arrive, beside the chair's set-up.

Submissions are polled from the audit log every few seconds rather than pushed: panels
share one database across laptops, and a cheap poll works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import SessionChanges
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.session_views import SessionDetail
from bwv_review.services.workspace import Workspace
from bwv_review.ui.session_dialogs import named

POLL_INTERVAL_MS = 5000
SUBMITTED = "review.submitted"
WARNING = "\u26a0"


class SubmissionsPanel(QWidget):
    """Emits `arrived` when a poll finds new submissions, so the screen can refresh the
    counts and the comparison."""

    arrived = Signal()

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        *,
        poll_interval_ms: int = POLL_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self.detail: SessionDetail | None = None
        self._cursor = 0
        self.activity = named(QListWidget(), "Submissions")
        self.activity.setMaximumHeight(110)
        self.latest = named(QLabel(""), "Latest submission")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Submissions as they arrive:"))
        layout.addWidget(self.activity)
        layout.addWidget(self.latest)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_interval_ms)
        self.poll_timer.timeout.connect(self.poll)

    def follow(self, detail: SessionDetail, *, changed: bool) -> None:
        """Follow `detail`'s session: from its start when it is a different session, and
        only while it is open (nothing arrives in a draft or a finalised one)."""
        self.detail = detail
        if changed:
            self._cursor = 0
            self.activity.clear()
            self.latest.clear()
        status = detail.summary.status
        if status == ReviewSessionStatus.DRAFT.value:
            self.poll_timer.stop()
            return
        if changed:
            self.poll()  # the history so far, then only what is new
        if status == ReviewSessionStatus.OPEN.value:
            self.poll_timer.start()
        else:
            self.poll_timer.stop()

    def poll(self) -> None:
        """Show submissions since the last look. A failed poll is said here (not in the
        set-up's error line, which may hold the chair's own refusal) and retried at the
        next tick rather than stopping the timer."""
        if self.detail is None:
            return
        try:
            changes = self._ws.consensus.changes_since(
                self._actor, self.detail.summary.id, self._cursor
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.latest.setText(f"{WARNING} Could not check for new submissions: {exc}")
            return
        self._cursor = changes.cursor
        if self.latest.text().startswith(WARNING):  # reachable again: the warning is stale
            newest = self.activity.item(0)
            self.latest.setText(newest.text() if newest else "")
        if self._show(changes):
            self.arrived.emit()

    def _show(self, changes: SessionChanges) -> bool:
        if self.detail is None:
            return False
        references = {c.case_id: c.force_reference for c in self.detail.cases}
        arrived = [e for e in changes.events if e.action == SUBMITTED]
        for event in arrived:
            when = event.occurred_at.astimezone().strftime("%H:%M")
            case = references.get(event.case_id, str(event.case_id))
            text = f"{when}  {event.member or 'A member'} submitted case {case}"
            self.activity.insertItem(0, text)
            self.latest.setText(text)
        return bool(arrived)
