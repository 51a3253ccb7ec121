"""The chair's Review sessions tab: set a session up (members, sample, cases, who reviews
what, what members may see), open it, follow submissions as they arrive, run the meeting
(attendance, cases discussed), compare answers and agree outcomes, and finalise.

Submissions are polled from the audit log every few seconds rather than pushed: panels
share one database across laptops, and a cheap poll works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import ReviewSessionStatus, Role
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import SessionChanges
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.permissions import Permission, allowed
from bwv_review.services.session_views import SessionDetail, SessionSummary
from bwv_review.services.workspace import Workspace
from bwv_review.ui.consensus_screen import ConsensusScreen
from bwv_review.ui.session_dialogs import (
    AddCaseDialog,
    AdoptDrawDialog,
    AssigneesDialog,
    NewSession,
    NewSessionDialog,
    attempt,
    named,
)
from bwv_review.ui.sign_in import ErrorLabel
from bwv_review.ui.tracker_view import TrackerView

PURPOSE = "review sessions: chair"
POLL_INTERVAL_MS = 5000
SUBMITTED = "review.submitted"

STATUS_WORDS = {
    ReviewSessionStatus.DRAFT.value: "Being set up (members cannot see it yet)",
    ReviewSessionStatus.OPEN.value: "Open for reviewing",
    ReviewSessionStatus.FINALISED.value: "Finalised (locked; changes are amendments)",
}
SESSION_COLUMNS = ("Session", "Quarter", "Meeting date", "Status", "Reviews submitted")
CASE_COLUMNS = ("Case", "Why it is in the session", "Reviewers", "Discussed")

Confirm = Callable[[str, str], bool]


def ask(parent: QWidget) -> Confirm:
    """The real confirmation: a Yes/No box whose default is No."""

    def confirm(title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    return confirm


def _consensus_facts(detail: SessionDetail | None) -> object:
    """What the consensus screen shows of a session's set-up; counts change as reviews
    arrive and are refreshed there separately."""
    if detail is None:
        return None
    return (
        detail.summary.status,
        detail.show_member_names,
        tuple((c.case_id, c.discussed) for c in detail.cases),
    )


def _run(dialog: QDialog) -> None:
    """Show a dialog modally, then free it: the screen lives all day."""
    dialog.exec()
    dialog.deleteLater()


def _cell(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(name: str, columns: tuple[str, ...], stretch: int) -> QTableWidget:
    """Columns fit their contents; the `stretch` column (the one with free text) takes
    what is left."""
    table = named(QTableWidget(0, len(columns)), name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class SessionsScreen(QWidget):
    """Sessions, the selected session's set-up and meeting, consensus and the tracker."""

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
        self._ws = workspace
        self._actor = actor
        self._today = today
        self.confirm: Confirm = ask(self)
        self.detail: SessionDetail | None = None
        self._cursor = 0
        self._filling = False
        self.setAccessibleName("Review sessions")

        self.tabs = named(QTabWidget(), "Review session areas")
        self.consensus = ConsensusScreen(workspace, actor)
        self.tracker = TrackerView(workspace.tracker, actor, today=today)
        self.tabs.addTab(self._build_setup(), "&Sessions")
        self.tabs.addTab(self.consensus, "Consensus and o&utcomes")
        self.tabs.addTab(self.tracker, "Learning &tracker")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_interval_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.reload()

    # --- building --------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    def _build_setup(self) -> QWidget:
        self.new_button = self._button("&New session…", "New session", self.new_session)
        self.sessions = _table("Review sessions", SESSION_COLUMNS, stretch=0)
        self.sessions.itemSelectionChanged.connect(self._session_selected)
        self.error = ErrorLabel()

        self.heading = named(QLabel("Choose a session, or create one."), "Session heading")
        self.heading.setWordWrap(True)
        self.adopt_button = self._button("Adopt a sample &draw…", "Adopt sample draw", self.adopt)
        self.add_case_button = self._button("Add a &case…", "Add case", self.add_case)
        self.assign_button = self._button(
            "&Who reviews this case…", "Choose reviewers", self.assign
        )
        self.open_button = self._button("&Open session", "Open session", self.open_session)
        self.finalise_button = self._button("Finalis&e…", "Finalise session", self.finalise)
        self.compare_button = self._button(
            "Compare &answers", "Compare answers for the chosen case", self.compare
        )
        buttons = QHBoxLayout()
        for button in (
            self.adopt_button,
            self.add_case_button,
            self.assign_button,
            self.open_button,
            self.finalise_button,
            self.compare_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.reveal = named(
            QCheckBox("Members see others' answers only after everyone has su&bmitted"),
            "Reveal answers after all submitted",
        )
        self.show_names = named(
            QCheckBox("Show &member names in the consensus view (not Member A, B, C)"),
            "Show member names",
        )
        self.reveal.toggled.connect(lambda on: self._visibility(reveal_after_all_submitted=on))
        self.show_names.toggled.connect(lambda on: self._visibility(show_member_names=on))

        self.attendance = named(QListWidget(), "Attendance")
        self.attendance.itemChanged.connect(self._attendance_changed)
        attendance_box = QGroupBox("Members (tick who attended)")
        QVBoxLayout(attendance_box).addWidget(self.attendance)
        self.cases = _table("Cases in the session", CASE_COLUMNS, stretch=1)
        self.cases.itemChanged.connect(self._discussed_changed)
        self.cases.itemDoubleClicked.connect(lambda _item: self.compare())
        cases_box = QGroupBox("Cases (tick those discussed at the meeting)")
        QVBoxLayout(cases_box).addWidget(self.cases)
        split = QSplitter()
        split.addWidget(attendance_box)
        split.addWidget(cases_box)
        split.setStretchFactor(1, 3)

        self.activity = named(QListWidget(), "Submissions")
        self.activity.setMaximumHeight(110)
        self.latest = named(QLabel(""), "Latest submission")

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Sessions</b>"))
        top.addStretch(1)
        top.addWidget(self.new_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.sessions, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.reveal)
        layout.addWidget(self.show_names)
        layout.addWidget(split, 3)
        layout.addWidget(QLabel("Submissions as they arrive:"))
        layout.addWidget(self.activity)
        layout.addWidget(self.latest)
        self._enable()
        return page

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the sessions list, keeping the selected session selected."""
        keep = self.detail.summary.id if self.detail else None
        ok, found = attempt(self.error, lambda: self._ws.review_sessions.list_sessions(self._actor))
        if not ok or found is None:
            return
        self.sessions.blockSignals(True)
        self.sessions.setRowCount(0)
        for summary in found:
            self._add_session_row(summary)
        self.sessions.blockSignals(False)
        if not found:
            self.heading.setText(
                "No review sessions yet. Draw a sample of cases (Library), then press New "
                "session, add the members and open it for reviewing."
            )
        if keep is not None:
            self.select_session(keep)

    def _add_session_row(self, summary: SessionSummary) -> None:
        row = self.sessions.rowCount()
        self.sessions.insertRow(row)
        meeting = summary.meeting_date.isoformat() if summary.meeting_date else "not set"
        cells = (
            summary.name,
            summary.quarter,
            meeting,
            STATUS_WORDS.get(summary.status, summary.status),
            f"{summary.reviews_submitted} of {summary.assignments}",
        )
        for column, text in enumerate(cells):
            self.sessions.setItem(row, column, _cell(text, summary.id))

    def select_session(self, session_id: int) -> None:
        for row in range(self.sessions.rowCount()):
            if self.sessions.item(row, 0).data(Qt.ItemDataRole.UserRole) == session_id:
                self.sessions.selectRow(row)
                self._load_detail(session_id)
                return

    def _session_selected(self) -> None:
        rows = self.sessions.selectionModel().selectedRows()
        if rows:
            first = self.sessions.item(rows[0].row(), 0)
            self._load_detail(int(first.data(Qt.ItemDataRole.UserRole)))

    def _load_detail(self, session_id: int) -> None:
        before = self.detail
        changed = before is None or before.summary.id != session_id
        ok, detail = attempt(
            self.error, lambda: self._ws.review_sessions.detail(self._actor, session_id)
        )
        if not ok or detail is None:
            return
        self.detail = detail
        self._fill_detail(detail)
        if changed:
            self._cursor = 0
            self.activity.clear()
            self.latest.clear()
            self.tracker.set_session(session_id)
        if changed or _consensus_facts(before) != _consensus_facts(detail):
            self.consensus.show_session(session_id)
        self._enable()
        if detail.summary.status == ReviewSessionStatus.DRAFT.value:
            self.poll_timer.stop()
        else:
            if changed:
                self.poll()  # the history so far, then only what is new
            if detail.summary.status == ReviewSessionStatus.OPEN.value:
                self.poll_timer.start()
            else:
                self.poll_timer.stop()

    def _fill_detail(self, detail: SessionDetail) -> None:
        summary = detail.summary
        self.heading.setText(
            f"<b>{summary.name}</b> · {summary.quarter} · "
            f"{STATUS_WORDS.get(summary.status, summary.status)} · {summary.members} members, "
            f"{summary.cases} cases, {summary.reviews_submitted} of {summary.assignments} "
            "reviews submitted"
        )
        self._filling = True
        for box, value in (
            (self.reveal, detail.reveal_after_all_submitted),
            (self.show_names, detail.show_member_names),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        editable = summary.status != ReviewSessionStatus.FINALISED.value
        self.attendance.clear()
        for member in detail.members:
            item = QListWidgetItem(f"{member.display_name} ({member.label})")
            item.setData(Qt.ItemDataRole.UserRole, member.username)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if editable else flags & ~Qt.ItemFlag.ItemIsEnabled)
            attended = Qt.CheckState.Checked if member.attended else Qt.CheckState.Unchecked
            item.setCheckState(attended)
            self.attendance.addItem(item)
        labels = {m.user_id: m.label for m in detail.members}
        keep = self.selected_case()
        self.cases.setRowCount(0)
        is_open = summary.status == ReviewSessionStatus.OPEN.value
        for case in detail.cases:
            row = self.cases.rowCount()
            self.cases.insertRow(row)
            why = "Sample draw" if case.source == "sample" else f"Added by hand: {case.reason}"
            reviewers = ", ".join(labels.get(uid, "?") for uid in case.reviewer_ids) or "nobody"
            self.cases.setItem(row, 0, _cell(case.force_reference, case.case_id))
            self.cases.setItem(row, 1, _cell(why))
            self.cases.setItem(row, 2, _cell(reviewers))
            discussed = _cell("Discussed" if case.discussed else "Not yet", case.case_id)
            flags = discussed.flags() | Qt.ItemFlag.ItemIsUserCheckable
            discussed.setFlags(flags if is_open else flags & ~Qt.ItemFlag.ItemIsEnabled)
            discussed.setCheckState(
                Qt.CheckState.Checked if case.discussed else Qt.CheckState.Unchecked
            )
            self.cases.setItem(row, 3, discussed)
            if case.case_id == keep:
                self.cases.selectRow(row)
        self._filling = False

    def _enable(self) -> None:
        status = self.detail.summary.status if self.detail else None
        draft = status == ReviewSessionStatus.DRAFT.value
        is_open = status == ReviewSessionStatus.OPEN.value
        for widget in (
            self.adopt_button,
            self.add_case_button,
            self.assign_button,
            self.reveal,
            self.show_names,
        ):
            widget.setEnabled(draft or is_open)
        self.open_button.setEnabled(draft)
        self.finalise_button.setEnabled(is_open)
        self.compare_button.setEnabled(is_open or status == ReviewSessionStatus.FINALISED.value)

    def selected_case(self) -> int | None:
        rows = self.cases.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.cases.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    # --- changing --------------------------------------------------------------------------

    def _changed(self, call: Callable[[], object]) -> bool:
        """Run a change to the selected session, then show it as it now stands."""
        ok, _ = attempt(self.error, call)
        if ok:
            self.reload()
        return ok

    def _sid(self) -> int:
        if self.detail is None:
            raise RuntimeError("no session chosen")  # the buttons are disabled until one is
        return self.detail.summary.id

    def member_candidates(self) -> list[tuple[str, str]]:
        """Reviewers to offer as members. Only administrators may list accounts, so a chair
        is offered everyone who sat on one of their earlier sessions (and can add others by
        username)."""
        if allowed(self._actor, Permission.MANAGE_USERS):
            users = self._ws.users.list_users(self._actor)
            return [
                (u.username, f"{u.display_name} ({u.username})")
                for u in users
                if u.active and (Role.REVIEWER.value in u.roles or Role.CHAIR.value in u.roles)
            ]
        seen: dict[str, str] = {}
        for summary in self._ws.review_sessions.list_sessions(self._actor):
            for member in self._ws.review_sessions.detail(self._actor, summary.id).members:
                seen[member.username] = f"{member.display_name} ({member.username})"
        return sorted(seen.items(), key=lambda pair: pair[1].lower())

    def new_session_dialog(self) -> NewSessionDialog:
        _, candidates = attempt(self.error, self.member_candidates)
        return NewSessionDialog(candidates or [], self._create, self._today(), self)

    def new_session(self) -> None:
        _run(self.new_session_dialog())

    def _create(self, new: NewSession) -> None:
        session_id = self._ws.review_sessions.create(
            self._actor,
            new.name,
            new.quarter,
            new.meeting_date,
            new.members,
            purpose=PURPOSE,
        )
        self.detail = None  # so the refill does not first reload the previous session
        self.reload()
        self.select_session(session_id)

    def adopt_dialog(self) -> AdoptDrawDialog:
        def adopt(name: str) -> None:
            self._ws.review_sessions.adopt_draw(self._actor, self._sid(), name, purpose=PURPOSE)
            self.reload()

        return AdoptDrawDialog(adopt, self._ws.sampling.draw_names(self._actor), self)

    def adopt(self) -> None:
        _run(self.adopt_dialog())

    def add_case_dialog(self) -> AddCaseDialog:
        def add(reference: str, reason: str) -> None:
            self._ws.review_sessions.add_case(
                self._actor, self._sid(), reference, reason, purpose=PURPOSE
            )
            self.reload()

        return AddCaseDialog(add, self)

    def add_case(self) -> None:
        _run(self.add_case_dialog())

    def assign_dialog(self) -> AssigneesDialog | None:
        case_id = self.selected_case()
        if self.detail is None or case_id is None:
            self.error.show_error("Choose a case in the list first.")
            return None
        case = next(c for c in self.detail.cases if c.case_id == case_id)
        members = [(m.username, f"{m.display_name} ({m.label})") for m in self.detail.members]
        assigned = [m.username for m in self.detail.members if m.user_id in case.reviewer_ids]

        def assign(usernames: list[str]) -> None:
            self._ws.review_sessions.set_assignees(
                self._actor, self._sid(), case_id, usernames, purpose=PURPOSE
            )
            self.reload()

        return AssigneesDialog(case.force_reference, members, assigned, assign, self)

    def assign(self) -> None:
        dialog = self.assign_dialog()
        if dialog is not None:
            _run(dialog)

    def _visibility(self, **change: bool) -> None:
        sid = self._sid()
        self._changed(
            lambda: self._ws.review_sessions.set_visibility(
                self._actor, sid, purpose=PURPOSE, **change
            )
        )

    def open_session(self) -> None:
        sid = self._sid()
        self._changed(lambda: self._ws.review_sessions.open(self._actor, sid, purpose=PURPOSE))

    def _attendance_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        sid, username = self._sid(), str(item.data(Qt.ItemDataRole.UserRole))
        attended = item.checkState() == Qt.CheckState.Checked
        self._changed(
            lambda: self._ws.review_sessions.record_attendance(
                self._actor, sid, username, attended, purpose=PURPOSE
            )
        )

    def _discussed_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 3:
            return
        sid, case_id = self._sid(), int(item.data(Qt.ItemDataRole.UserRole))
        discussed = item.checkState() == Qt.CheckState.Checked
        self._changed(
            lambda: self._ws.review_sessions.set_discussed(
                self._actor, sid, case_id, discussed, purpose=PURPOSE
            )
        )

    def finalise(self) -> None:
        if self.detail is None:
            return
        summary = self.detail.summary
        unsubmitted = summary.assignments - summary.reviews_submitted
        if unsubmitted:
            warning = (
                f"{unsubmitted} of {summary.assignments} reviews are not submitted. They will "
                "be locked as they are and left out of the figures."
            )
        else:
            warning = f"All {summary.assignments} reviews are submitted."
        text = (
            f"Finalise {summary.name}? {warning} After finalising, reviews and outcomes "
            "change only by amendment with a reason."
        )
        if not self.confirm("Finalise the session", text):
            return
        sid = summary.id
        finalise = self._ws.review_sessions.finalise
        self._changed(lambda: finalise(self._actor, sid, purpose=PURPOSE))

    def compare(self) -> None:
        case_id = self.selected_case()
        if case_id is not None:
            self.consensus.show_case(case_id)
        self.tabs.setCurrentWidget(self.consensus)

    # --- polling ---------------------------------------------------------------------------

    def poll(self) -> None:
        """Show submissions since the last look. A failed poll is said beside the
        submissions (not in the error line, which may hold the chair's own refusal) and
        retried at the next tick rather than stopping the timer."""
        if self.detail is None:
            return
        try:
            changes = self._ws.consensus.changes_since(
                self._actor, self.detail.summary.id, self._cursor
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.latest.setText(f"\u26a0 Could not check for new submissions: {exc}")
            return
        self._cursor = changes.cursor
        if self.latest.text().startswith("\u26a0"):  # reachable again: the warning is stale
            newest = self.activity.item(0)
            self.latest.setText(newest.text() if newest else "")
        if self._show_submissions(changes):
            self.reload()
            self.consensus.refresh_comparison()

    def _show_submissions(self, changes: SessionChanges) -> bool:
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
