"""The chair's Review sessions tab: the Sessions page (set-up, meeting, finalising and
submissions as they arrive), the consensus and outcomes of each case, and the learning
tracker, kept showing the same session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from bwv_review.services.actor import Actor
from bwv_review.services.session_views import SessionDetail
from bwv_review.services.workspace import Workspace
from bwv_review.ui.consensus_screen import ConsensusScreen
from bwv_review.ui.fitting import ScrollingTabWidget
from bwv_review.ui.session_dialogs import named
from bwv_review.ui.session_setup import SessionSetupPanel
from bwv_review.ui.session_submissions import POLL_INTERVAL_MS
from bwv_review.ui.tracker_view import TrackerView


def _consensus_facts(detail: SessionDetail | None) -> object:
    """What the consensus screen shows of a session's set-up; counts change as reviews
    arrive and are refreshed there separately."""
    if detail is None:
        return None
    return (
        detail.summary.status,
        detail.show_member_names,
        detail.on_panel,
        tuple((c.case_id, c.discussed) for c in detail.cases),
    )


class SessionsScreen(QWidget):
    """Sessions, the selected session's set-up and meeting, consensus and the tracker.

    `ownReviewRequested(assignment_id)`: a chair who also reviews a case asked to go to
    their own review of it (under My reviews), which the main window opens."""

    ownReviewRequested = Signal(int)

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        *,
        poll_interval_ms: int = POLL_INTERVAL_MS,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Review sessions")
        self.setup = SessionSetupPanel(
            workspace, actor, poll_interval_ms=poll_interval_ms, today=today
        )
        self.submissions = self.setup.submissions
        self.consensus = ConsensusScreen(workspace, actor)
        self.tracker = TrackerView(workspace.tracker, actor, today=today)
        self.tabs = named(ScrollingTabWidget(), "Review session areas")
        self.tabs.addTab(self.setup, "&Sessions")
        self.tabs.addTab(self.consensus, "Consensus and o&utcomes")
        self.tabs.addTab(self.tracker, "Learning &tracker")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.setup.detailLoaded.connect(self._detail_loaded)
        self.setup.compareRequested.connect(self.compare)
        self.submissions.arrived.connect(self._submissions_arrived)
        self.consensus.ownReviewRequested.connect(self.ownReviewRequested)
        self.setup.reload()

    def select_session(self, session_id: int) -> None:
        self.setup.select_session(session_id)

    def _detail_loaded(self, before: SessionDetail | None, detail: SessionDetail) -> None:
        changed = before is None or before.summary.id != detail.summary.id
        if changed:
            self.tracker.set_session(detail.summary.id)
        if changed or _consensus_facts(before) != _consensus_facts(detail):
            self.consensus.show_session(detail.summary.id)
        self.submissions.follow(detail, changed=changed)

    def _submissions_arrived(self) -> None:
        self.setup.reload()
        self.consensus.refresh_comparison()

    def compare(self, case_id: int | None = None) -> None:
        if case_id is not None:
            self.consensus.show_case(case_id)
        self.tabs.setCurrentWidget(self.consensus)
