"""Submissions to the chosen session as they arrive, beside the chair's set-up, and the
chair's route to reopen one: Submit locks a member's review, and a member who needs to
change it asks the chair, who reopens it here with a reason.

Submissions are polled from the audit log every few seconds rather than pushed: panels
share one database across laptops, and a cheap poll works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import SessionChanges
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.session_views import SessionDetail
from bwv_review.services.workspace import Workspace
from bwv_review.ui.session_dialogs import ReopenReviewDialog, attempt, named
from bwv_review.ui.sign_in import ErrorLabel

POLL_INTERVAL_MS = 5000
SUBMITTED = "review.submitted"
REOPENED = "review.reopened"
PURPOSE = "review sessions: chair reopens a review"
REOPEN_HELP = (
    "Submit locks a member's review. If they need to change it before the session is "
    "finalised, press Reopen a submitted review, choose theirs and say why: they can then "
    "change it and submit again. After finalising, changes are amendments with a reason."
)
WARNING = "\u26a0"


class SubmissionsPanel(QWidget):
    """Emits `arrived` when a poll finds new submissions or reopened reviews, so the screen
    can refresh the counts and the comparison."""

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
        self.latest.setTextFormat(Qt.TextFormat.PlainText)  # case references, as written
        self.reopen_button = named(
            QPushButton("&Reopen a submitted review…"), "Reopen a submitted review"
        )
        self.reopen_button.clicked.connect(self.reopen)
        self.reopen_button.setEnabled(False)
        self.help = named(QLabel(REOPEN_HELP), "How to reopen a submitted review")
        self.help.setWordWrap(True)
        self.error = ErrorLabel()
        heading = QHBoxLayout()
        heading.addWidget(QLabel("Submissions as they arrive:"), 1)
        heading.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.activity)
        layout.addWidget(self.latest)
        layout.addWidget(self.error)
        layout.addWidget(self.help)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_interval_ms)
        self.poll_timer.timeout.connect(self.poll)

    def follow(self, detail: SessionDetail, *, changed: bool) -> None:
        """Follow `detail`'s session: from its start when it is a different session, and
        only while it is open (nothing arrives in a draft or a finalised one)."""
        self.detail = detail
        self.reopen_button.setEnabled(detail.summary.status == ReviewSessionStatus.OPEN.value)
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
        verbs = {SUBMITTED: "submitted", REOPENED: "had their review reopened for"}
        arrived = [e for e in changes.events if e.action in verbs]
        for event in arrived:
            when = event.occurred_at.astimezone().strftime("%H:%M")
            case = references.get(event.case_id, str(event.case_id))
            text = f"{when}  {event.member or 'A member'} {verbs[event.action]} case {case}"
            self.activity.insertItem(0, text)
            self.latest.setText(text)
        return bool(arrived)

    def reopen_dialog(self) -> ReopenReviewDialog | None:
        """The dialog offering the session's submitted reviews; None (with the reason said)
        when there is none to offer."""
        if self.detail is None:
            return None
        sid = self.detail.summary.id
        ok, found = attempt(self.error, lambda: self._ws.reopening.submitted(self._actor, sid))
        if not ok or found is None:
            return None
        if not found:
            self.error.show_error("No review in this session is submitted yet.")
            return None
        choices = [
            (
                r.assignment_id,
                f"{r.force_reference} · {r.member}"
                + (
                    f" · submitted {r.submitted_at.astimezone():%d %b %H:%M}"
                    if r.submitted_at
                    else ""
                ),
            )
            for r in found
        ]

        def reopen(assignment_id: int, reason: str) -> None:
            self._ws.reopening.reopen(
                self._actor, sid, assignment_id, reason=reason, purpose=PURPOSE
            )
            self.poll()  # shows the reopening and tells the screen to refresh

        return ReopenReviewDialog(choices, reopen, self)

    def reopen(self) -> None:
        dialog = self.reopen_dialog()
        if dialog is not None:
            dialog.exec()
            dialog.deleteLater()
