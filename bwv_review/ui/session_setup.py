"""The chair's Sessions page: the list of sessions and, for the chosen one, its set-up
(members, sample, cases, who reviews what, what members may see), opening it, the meeting
(attendance, cases discussed) and finalising, with the submissions arriving below and the
footage to check before the meeting beside the cases (ui.session_footage). A chair not on a
session's panel joins it here before its answers, outcomes and footage open to them.

The page reads and changes the session through the services and says, by signals, when a
session's detail was loaded or a case's answers should be compared; the screen around it
keeps the consensus and tracker tabs in step.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Settings
from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.session_views import SessionDetail
from bwv_review.services.workspace import Workspace
from bwv_review.ui.fitting import FlowLayout, ReflowSplitter
from bwv_review.ui.session_dialogs import (
    AddCaseDialog,
    AdoptDrawDialog,
    AssigneesDialog,
    NewSession,
    NewSessionDialog,
    attempt,
    named,
)
from bwv_review.ui.session_footage import SessionFootagePanel, this_machines_settings
from bwv_review.ui.session_submissions import POLL_INTERVAL_MS, SubmissionsPanel
from bwv_review.ui.session_tables import (
    CASE_COLUMNS,
    DISCUSSED_COLUMN,
    SESSION_COLUMNS,
    add_session_row,
    fill_attendance,
    fill_cases,
    make_table,
    row_data,
    selected_id,
    status_words,
)
from bwv_review.ui.sign_in import ErrorLabel

PURPOSE = "review sessions: chair"

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


def _run(dialog: QDialog) -> None:
    """Show a dialog modally, then free it: the screen lives all day."""
    dialog.exec()
    dialog.deleteLater()


class SessionSetupPanel(QWidget):
    """`detailLoaded(before, now)` after a session's detail is (re)read; `compareRequested`
    with the chosen case id (or None) when the chair asks to compare answers."""

    detailLoaded = Signal(object, object)
    compareRequested = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        *,
        poll_interval_ms: int = POLL_INTERVAL_MS,
        today: Callable[[], date] = date.today,
        settings: Callable[[], Settings] = this_machines_settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._today = today
        self.confirm: Confirm = ask(self)
        self.detail: SessionDetail | None = None
        self._filling = False
        self.submissions = SubmissionsPanel(workspace, actor, poll_interval_ms=poll_interval_ms)
        self.footage = SessionFootagePanel(
            workspace.session_footage, actor, settings=settings, today=today
        )
        self._build()

    # --- building --------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        self.new_button = self._button("&New session…", "New session", self.new_session)
        self.sessions = make_table("Review sessions", SESSION_COLUMNS, stretch=0)
        self.sessions.itemSelectionChanged.connect(self._session_selected)
        self.error = ErrorLabel()

        self.heading = named(QLabel("Choose a session, or create one."), "Session heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)  # the session's name is escaped
        self.adopt_button = self._button("Adopt a sample &draw…", "Adopt a sample draw", self.adopt)
        self.add_case_button = self._button("Add a &case…", "Add a case", self.add_case)
        self.assign_button = self._button(
            "&Who reviews this case…", "Who reviews this case", self.assign
        )
        self.open_button = self._button("&Open session", "Open session", self.open_session)
        self.finalise_button = self._button("Finalis&e…", "Finalise session", self.finalise)
        self.compare_button = self._button(
            "Compare &answers", "Compare answers for the chosen case", self.compare
        )
        self.join_button = self._button(
            "&Join this session as a panel member", "Join this session as a panel member", self.join
        )
        self.join_button.hide()
        buttons = FlowLayout()  # two rows at 200% text rather than a wider window
        for button in (
            self.adopt_button,
            self.add_case_button,
            self.assign_button,
            self.open_button,
            self.finalise_button,
            self.compare_button,
        ):
            buttons.addWidget(button)

        self.reveal = named(
            QCheckBox("Members see others' answers only after everyone has su&bmitted"),
            "Members see others' answers only after everyone has submitted",
        )
        self.show_names = named(
            QCheckBox("Show &member names in the consensus view (not Member A, B, C)"),
            "Show member names in the consensus view (not Member A, B, C)",
        )
        self.reveal.toggled.connect(lambda on: self._visibility(reveal_after_all_submitted=on))
        self.show_names.toggled.connect(lambda on: self._visibility(show_member_names=on))

        self.attendance = named(QListWidget(), "Attendance")
        self.attendance.itemChanged.connect(self._attendance_changed)
        attendance_box = QGroupBox("Members (tick who attended)")
        QVBoxLayout(attendance_box).addWidget(self.attendance)
        self.cases = make_table("Cases in the session", CASE_COLUMNS, stretch=1)
        self.cases.itemChanged.connect(self._discussed_changed)
        self.cases.itemDoubleClicked.connect(lambda _item: self.compare())
        cases_box = QGroupBox("Cases (tick those discussed at the meeting)")
        QVBoxLayout(cases_box).addWidget(self.cases)
        split = ReflowSplitter()  # the three stack at 200% text on a laptop
        split.addWidget(attendance_box)
        split.addWidget(cases_box)
        split.addWidget(self.footage)
        # The cases' reasons need the room: at 1,100 px they were cut to "n th..."
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setStretchFactor(2, 2)

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Sessions</b>"))
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sessions, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.heading)
        layout.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)
        layout.addWidget(self.reveal)
        layout.addWidget(self.show_names)
        layout.addWidget(split, 3)
        layout.addWidget(self.submissions)
        self._enable()

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
            add_session_row(self.sessions, summary)
        self.sessions.blockSignals(False)
        if not found:
            self.heading.setText(
                "No review sessions yet. Draw a sample of cases (File > Draw a sample of cases, "
                "Ctrl+Shift+D), then press New session, add the members and open it for "
                "reviewing."
            )
        if keep is not None:
            self.select_session(keep)

    def select_session(self, session_id: int) -> None:
        for row in range(self.sessions.rowCount()):
            if row_data(self.sessions, row) == session_id:
                self.sessions.selectRow(row)
                self._load_detail(session_id)
                return

    def _session_selected(self) -> None:
        chosen = selected_id(self.sessions)
        if chosen is not None:
            self._load_detail(chosen)

    def _load_detail(self, session_id: int) -> None:
        before = self.detail
        ok, detail = attempt(
            self.error, lambda: self._ws.review_sessions.detail(self._actor, session_id)
        )
        if not ok or detail is None:
            return
        self.detail = detail
        self._fill_detail(detail)
        self.footage.show_session(session_id, on_panel=detail.on_panel)
        self._enable()
        self.detailLoaded.emit(before, detail)

    def _fill_detail(self, detail: SessionDetail) -> None:
        summary = detail.summary
        self.heading.setText(
            f"<b>{html.escape(summary.name)}</b> · {html.escape(summary.quarter)} · "
            f"{status_words(summary.status)} · {summary.members} members, "
            f"{summary.cases} cases, {summary.reviews_submitted} of {summary.assignments} "
            "reviews submitted"
            + (
                ""
                if detail.on_panel
                else "<br>You are not on this session's panel: you can run and finalise it, "
                "but to read its members' answers and record outcomes, join it as a panel "
                "member."
            )
        )
        self._filling = True
        for box, value in (
            (self.reveal, detail.reveal_after_all_submitted),
            (self.show_names, detail.show_member_names),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        fill_attendance(self.attendance, detail)
        fill_cases(self.cases, detail, self.selected_case())
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
        self.join_button.setVisible(self.detail is not None and not self.detail.on_panel)

    def selected_case(self) -> int | None:
        return selected_id(self.cases)

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
        """Everyone who may sit on a session, by name and role, so a chair picks members
        rather than typing user names (issue 11)."""
        return [
            (
                person.username,
                f"{person.display_name} ({person.username}) \u2014 "
                + ", ".join(role.label for role in person.roles),
            )
            for person in self._ws.users.panel_members(self._actor)
        ]

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
        if self._filling or item.column() != DISCUSSED_COLUMN:
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
        missing = summary.cases_without_outcome
        if missing:
            have = "has" if missing == 1 else "have"
            outcomes = (
                f"{missing} of {summary.cases} cases {have} no panel outcome: they will be "
                "finalised without an agreed grade."
            )
        else:
            outcomes = "Every case has a panel outcome."
        text = (
            f"Finalise {summary.name}? {warning} {outcomes} After finalising, reviews and "
            "outcomes change only by amendment with a reason."
        )
        if not self.confirm("Finalise the session", text):
            return
        sid = summary.id
        finalise = self._ws.review_sessions.finalise
        self._changed(lambda: finalise(self._actor, sid, purpose=PURPOSE))

    def compare(self) -> None:
        self.compareRequested.emit(self.selected_case())

    def join(self) -> None:
        """Join as a member (audited) so the consensus tab opens to this chair."""
        sid = self._sid()
        self._changed(lambda: self._ws.review_sessions.join(self._actor, sid, purpose=PURPOSE))
