"""The chair's consensus view of one case: every member's submitted answers side by side,
where they differ, who has not submitted yet, how far members agree across the session,
the learning points members marked (by clip and time, close ones together), and the panel
outcome editor beside it.

Members appear as Member A, B, C unless the chair turned names on (the service decides the
labels). A chair not on the session's panel is told to join it first; a chair who also
reviews the case is told to submit their own review first, with a button that takes them to
it (the main window connects `ownReviewRequested` to My reviews). A disagreement is marked
with a symbol and the word "Differ", never by colour alone, so it reads on a projector, in
grey print and to a screen reader.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.agreement import MIN_RATINGS_TO_INTERPRET, Agreement
from bwv_review.domain.rubric import Rubric
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import (
    CaseComparison,
    CheckRow,
    OwnReviewPending,
    SessionAgreement,
)
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.review_access import installed_rubric
from bwv_review.services.session_views import SessionDetail
from bwv_review.services.workspace import Workspace
from bwv_review.ui.consensus_points import MemberPointsList
from bwv_review.ui.fitting import ReflowSplitter, StackSplitter
from bwv_review.ui.outcome_editor import OutcomeEditor, grade_text
from bwv_review.ui.palette_cells import Emphasis, PaletteCellDelegate, emphasise
from bwv_review.ui.session_dialogs import attempt, named
from bwv_review.ui.sign_in import ErrorLabel

PURPOSE = "consensus: compare members' answers"
DIFFER = "\u2260 Differ"  # ≠
SAME = "= Same"
MEMBER_COLUMN_PX = 105
AGREEMENT_COLUMN_PX = 250


def agreement_text(agreement: Agreement) -> str:
    """Plain words only: a lay volunteer reads "Members mostly agreed"; alpha and its count
    stay in the tooltip (`agreement_details`) and the report's annex."""
    if agreement.ratings < MIN_RATINGS_TO_INTERPRET:
        return "Too few answers yet to say"
    return agreement.reading[:1].upper() + agreement.reading[1:]


def agreement_details(agreement: Agreement) -> str:
    """The statistic behind the plain words, for whoever wants it, as the annex states it."""
    alpha = "not measurable" if agreement.alpha is None else f"{agreement.alpha:.2f}"
    return f"Krippendorff's \u03b1 {alpha}, from {agreement.ratings} ratings: {agreement.reading}"


def _notes(comparison: CaseComparison) -> str:
    """Members' general notes and the questions they suggest for the force: the raw
    material for the panel's vignette and questions."""
    lines = []
    for review in comparison.reviews:
        for what, text in (
            ("note", review.general_note),
            ("suggests asking the force", review.question_to_force),
        ):
            if text:
                lines.append(f"<b>{html.escape(review.label)}</b> {what}: {html.escape(text)}")
    return "<br>".join(lines)


def _agreement_item(agreement: Agreement) -> QTableWidgetItem:
    return _item(agreement_text(agreement), agreement_details(agreement))


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class ConsensusScreen(QWidget):
    """`ownReviewRequested(assignment_id)`: the chair asked to go to their own review of the
    case shown, which they must submit before its consensus opens to them."""

    ownReviewRequested = Signal(int)

    def __init__(self, workspace: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self.detail: SessionDetail | None = None
        self.rubric: Rubric | None = None
        self.agreement: SessionAgreement | None = None
        self.comparison: CaseComparison | None = None
        self.case_id: int | None = None  # the case chosen, even while its answers are held
        self._own_assignment: int | None = None
        self.setAccessibleName("Consensus and outcomes")

        self.case_choice = named(QComboBox(), "Case to compare")
        self.case_choice.currentIndexChanged.connect(self._case_chosen)
        case_label = QLabel("&Case:")
        case_label.setBuddy(self.case_choice)
        self.refresh_button = named(QPushButton("&Refresh"), "Refresh answers")
        self.refresh_button.clicked.connect(self.refresh_comparison)
        self.show_all = named(
            QCheckBox("Show checks every member marked Not applicable"),
            "Show checks every member marked Not applicable",
        )
        self.show_all.toggled.connect(self._fill_table)
        self.members = named(QLabel(""), "Who has submitted")
        self.members.setWordWrap(True)
        self.case_agreement = named(QLabel(""), "Case grade agreement")
        self.notes = named(QLabel(""), "Members' notes and suggested questions")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.case_agreement.setWordWrap(True)
        self.error = ErrorLabel()
        self.held = named(QLabel(""), "Why this case's answers are not shown")
        self.held.setWordWrap(True)
        self.held.setTextFormat(Qt.TextFormat.PlainText)
        self.held.hide()
        self.own_review_button = named(
            QPushButton("Go to m&y review of this case"), "Go to my review of this case"
        )
        self.own_review_button.clicked.connect(self._go_to_own_review)
        self.own_review_button.hide()
        self.table = named(QTableWidget(), "Members' answers side by side")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the points; arrows move in it
        self.table.setItemDelegate(PaletteCellDelegate(self.table))  # theme-following cells
        self.table.verticalHeader().hide()
        # Wrapped rows take their height from their text, again whenever a column's width
        # changes (a few dozen rows, so measuring them all is cheap).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_reasons(row))
        self.reasons = named(QLabel(""), "Reasons for the chosen check")
        self.reasons.setWordWrap(True)
        # Built as HTML from escaped names and text: markup people typed shows as typed.
        for rich in (self.members, self.notes, self.reasons):
            rich.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._row_reasons: dict[int, list[str]] = {}
        self.points = MemberPointsList()
        self.outcome = OutcomeEditor(workspace.consensus, workspace.amendments, actor)

        top = QHBoxLayout()
        top.addWidget(case_label)
        top.addWidget(self.case_choice, 1)
        top.addWidget(self.refresh_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.members)
        left_layout.addWidget(self.case_agreement)
        left_layout.addWidget(self.show_all)
        left_layout.addWidget(self.error)
        left_layout.addWidget(self.held)
        left_layout.addWidget(self.own_review_button, 0, Qt.AlignmentFlag.AlignLeft)
        answers = QWidget()
        answers_layout = QVBoxLayout(answers)
        answers_layout.setContentsMargins(0, 0, 0, 0)
        answers_layout.addWidget(self.table, 1)
        answers_layout.addWidget(self.reasons)
        # Answers above, points below: the chair drags the handle to give either more room.
        answers_and_points = StackSplitter()  # each as tall as its wrapped words need
        answers_and_points.addWidget(answers)
        answers_and_points.addWidget(self.points)
        answers_and_points.setStretchFactor(0, 3)
        answers_and_points.setStretchFactor(1, 2)
        left_layout.addWidget(answers_and_points, 1)
        left_layout.addWidget(self.notes)
        split = ReflowSplitter()  # outcome under the answers at 200% text on a laptop
        split.addWidget(left)
        split.addWidget(self.outcome)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def show_session(self, session_id: int) -> None:
        """Load the session's rubric, cases and agreement; show its first case (or the one
        already shown, if it is still there)."""
        keep = self.case_id

        def read() -> tuple[SessionDetail, Rubric]:
            detail = self._ws.review_sessions.detail(self._actor, session_id)
            return detail, installed_rubric(detail.rubric_id, detail.rubric_version)

        ok, found = attempt(self.error, read)
        if not ok or found is None:
            return
        self.detail, self.rubric = found
        self.outcome.set_grades(self.rubric.grades)
        self.comparison = None
        self.case_id = None
        self._hold("")
        self.case_choice.blockSignals(True)
        self.case_choice.clear()
        for case in self.detail.cases:
            marker = " (discussed)" if case.discussed else ""
            self.case_choice.addItem(f"{case.force_reference}{marker}", case.case_id)
        self.case_choice.blockSignals(False)
        self.table.clear()
        self.table.setRowCount(0)
        self.points.clear()
        if self.detail.summary.status == "draft":
            self.members.setText("Open the session first: members have not reviewed yet.")
            self.outcome.setEnabled(False)
            return
        if not self.detail.on_panel:
            self.members.setText("")
            self._hold(
                "You are not on this session's panel. To read its members' answers and "
                "record outcomes, press Join this session as a panel member on the "
                "Sessions page."
            )
            return
        if self.detail.cases:
            self.show_case(keep if keep is not None else self.detail.cases[0].case_id)

    def show_case(self, case_id: int) -> None:
        index = self.case_choice.findData(case_id)
        if index < 0:
            return
        if index == self.case_choice.currentIndex():
            self._case_chosen(index)
        else:
            self.case_choice.setCurrentIndex(index)  # emits, which loads it

    def _case_chosen(self, index: int) -> None:
        if index >= 0:
            self._load(int(self.case_choice.itemData(index)), with_outcome=True)

    def refresh_comparison(self) -> None:
        """New submissions arrived: re-read answers and agreement, but leave the outcome
        editor alone so what the chair is typing is not replaced (unless it was held back
        until now, when there is nothing typed in it)."""
        if self.case_id is not None:
            self._load(self.case_id, with_outcome=self.comparison is None)

    def _load(self, case_id: int, *, with_outcome: bool) -> None:
        if self.detail is None or not self.detail.on_panel:
            return
        sid = self.detail.summary.id
        self.case_id = case_id
        self.error.clear_error()
        try:
            comparison = self._ws.consensus.compare_case(self._actor, sid, case_id, purpose=PURPOSE)
            agreement = self._ws.consensus.agreement(self._actor, sid)
        except OwnReviewPending as exc:
            self.comparison = None
            self._hold(str(exc), own_assignment=exc.assignment_id)
            return
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            self.outcome.setEnabled(False)
            return
        self._hold("")
        self.comparison, self.agreement = comparison, agreement
        self._fill_table()
        if with_outcome:
            self.outcome.load(sid, case_id, self.detail.summary.status, comparison.outcome)

    def _hold(self, why: str, *, own_assignment: int | None = None) -> None:
        """Say in words why the answers and outcome are not shown (nothing when they are),
        with the way to the chair's own review when that is what they wait for."""
        self.held.setText(why)
        self.held.setVisible(bool(why))
        self._own_assignment = own_assignment
        self.own_review_button.setVisible(own_assignment is not None)
        if why:
            self.members.setText("")
            self.notes.setText("")
            self.reasons.setText("")
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.points.clear()
            self.outcome.setEnabled(False)

    def _go_to_own_review(self) -> None:
        if self._own_assignment is not None:
            self.ownReviewRequested.emit(self._own_assignment)

    def _fill_table(self) -> None:
        comparison, rubric, agreement = self.comparison, self.rubric, self.agreement
        if comparison is None or rubric is None or agreement is None:
            return
        submitted = html.escape(", ".join(comparison.members)) or "nobody yet"
        pending = html.escape(", ".join(comparison.pending))
        self.members.setText(
            f"<b>{html.escape(comparison.force_reference)}</b> · Submitted: {submitted}"
            + (f" · <b>Waiting for: {pending}</b>" if pending else " · Everyone has submitted")
        )
        self.case_agreement.setText(
            "Case grade agreement across the session: " + agreement_text(agreement.case_grade)
        )
        self.case_agreement.setToolTip(agreement_details(agreement.case_grade))
        self.case_agreement.setAccessibleDescription(agreement_details(agreement.case_grade))
        self.notes.setText(_notes(comparison))
        self.points.set_points(rubric, comparison.moments)
        labels = list(comparison.members)
        columns = ["Check", *labels, "Differ?", "Agreement across the session"]
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(0)
        self._row_reasons.clear()
        self.reasons.setText("Choose a check to read members' reasons.")
        rows = {row.check_id: row for row in comparison.checks}
        not_applicable = rubric.not_applicable_answer_id
        for dimension in rubric.dimensions:
            self._dimension_row(dimension.label, labels, comparison, dimension.id)
            for check in dimension.checks:
                row = rows.get(check.id)
                answers = row.answers if row else {}
                if not self.show_all.isChecked() and all(
                    a.answer_id == not_applicable for a in answers.values()
                ):
                    continue
                self._check_row(check.text, labels, row, check.id)
        self._grade_row(labels, comparison)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(labels) + 1):
            self.table.setColumnWidth(column, MEMBER_COLUMN_PX)
        header.setSectionResizeMode(len(labels) + 1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(len(labels) + 2, AGREEMENT_COLUMN_PX)

    def _show_reasons(self, row: int) -> None:
        """Reasons are long, so they are read below the table for one check at a time."""
        reasons = self._row_reasons.get(row)
        if reasons is None:
            self.reasons.setText("Choose a check to read members' reasons.")
        else:
            self.reasons.setText("<br>".join(reasons) or "No member gave a reason here.")

    def _append(self, cells: list[QTableWidgetItem]) -> int:
        at = self.table.rowCount()
        self.table.insertRow(at)
        for column, cell in enumerate(cells):
            self.table.setItem(at, column, cell)
        return at

    def _dimension_row(
        self, label: str, labels: list[str], comparison: CaseComparison, dimension_id: str
    ) -> None:
        """The dimension's heading, each member's grade for it and its agreement."""
        assert self.rubric is not None and self.agreement is not None
        grades = {r.label: r.dimension_grades.get(dimension_id) for r in comparison.reviews}
        cells = [_item(label)]
        for member in labels:
            grade = grades.get(member)
            cells.append(_item(grade_text(self.rubric.grade(grade)) if grade else "—"))
        distinct = {g for g in grades.values() if g}
        cells.append(_item(DIFFER if len(distinct) > 1 else SAME))
        cells.append(_agreement_item(self.agreement.per_dimension[dimension_id]))
        bold = QFont(self.font())
        bold.setBold(True)
        for cell in cells:
            cell.setFont(bold)
            emphasise(cell, Emphasis.HEADING)
        self._append(cells)

    def _check_row(self, text: str, labels: list[str], row: CheckRow | None, check_id: str) -> None:
        assert self.rubric is not None and self.agreement is not None
        answers = row.answers if row else {}
        differ = bool(row and row.disagreement)
        reasons: list[str] = []
        cells = [_item(f"    {text}", text)]
        for member in labels:
            entry = answers.get(member)
            if entry is None:
                cells.append(_item("—", "no answer"))
                continue
            shown = self.rubric.answer(entry.answer_id).label
            if entry.reason:
                reasons.append(
                    f"<b>{html.escape(member)}</b> ({html.escape(shown)}): "
                    f"{html.escape(entry.reason)}"
                )
                cells.append(_item(f"{shown} \u270e", entry.reason))  # ✎: a reason to read
            else:
                cells.append(_item(shown))
        if differ:
            cells.append(_item(DIFFER, "Members gave different answers to this check"))
        else:
            cells.append(_item(SAME, "Every member gave the same answer"))
        cells.append(_agreement_item(self.agreement.per_check[check_id]))
        if differ:
            for cell in cells[1:-1]:
                emphasise(cell, Emphasis.DIFFER)
        self._row_reasons[self._append(cells)] = reasons

    def _grade_row(self, labels: list[str], comparison: CaseComparison) -> None:
        assert self.rubric is not None
        grades = {r.label: r.case_grade for r in comparison.reviews}
        reasons = {r.label: r.case_grade_reason or "" for r in comparison.reviews}
        cells = [_item("Case grade (each member)")]
        for member in labels:
            grade = grades.get(member)
            cells.append(
                _item(grade_text(self.rubric.grade(grade)) if grade else "—", reasons[member])
            )
        distinct = {g for g in grades.values() if g}
        cells.append(_item(DIFFER if len(distinct) > 1 else SAME))
        cells.append(_item(""))
        bold = QFont(self.font())
        bold.setBold(True)
        for cell in cells:
            cell.setFont(bold)
        self._append(cells)
