"""The panel outcome of one case: the grade the panel agreed, what it asks for, the
anonymised vignette for the report, questions to the force and the force's answer.

Every save names the version it was read at. If another chair's laptop saved first, the
service refuses; the editor then says who changed it and when and offers to reload, and
keeps what this chair typed on screen so nothing is silently overwritten or lost. Once
the session is finalised the panel's fields change only as amendments with a reason; the
force's response, which arrives after the meeting, is still recorded directly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.rubric import GradeDefinition
from bwv_review.domain.vocab import ReviewSessionStatus
from bwv_review.services.actor import Actor
from bwv_review.services.amendments import AmendmentsService, AmendmentView, OutcomeField
from bwv_review.services.consensus import (
    ConcurrentEdit,
    ConsensusService,
    OutcomeDraft,
    OutcomeView,
)
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.ui.session_dialogs import attempt, named
from bwv_review.ui.sign_in import ErrorLabel

PURPOSE = "consensus: panel outcome"
NO_GRADE = "(not agreed yet)"


def grade_text(grade: GradeDefinition) -> str:
    """Symbol and label together: the grade reads the same in grey print."""
    return f"{grade.symbol} {grade.label}"


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _plain(name: str, placeholder: str) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(), name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setMaximumHeight(120)
    return edit


class OutcomeEditor(QWidget):
    def __init__(
        self,
        consensus: ConsensusService,
        amendments: AmendmentsService,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._consensus = consensus
        self._amendments = amendments
        self._actor = actor
        self._session_id: int | None = None
        self._case_id: int | None = None
        self._finalised = False
        self.shown: OutcomeView | None = None  # as read, with amendments applied
        self.setAccessibleName("Panel outcome")

        self.grade = named(QComboBox(), "Panel grade")
        self.action_boxes = {
            action: named(QCheckBox(action.label), action.label) for action in OutcomeAction
        }
        self.vignette = _plain("Vignette", "What happened, with no names, places or times")
        self.questions = _plain("Questions to the force", "One question per line")
        self.force_response = _plain("Force response", "The force's written answer, when it comes")
        self.reason = named(QLineEdit(), "Reason for amendment")
        self.reason.setPlaceholderText("Required after finalising: why the outcome changes")
        self.reason_label = QLabel("Reason for &amendment:")
        self.reason_label.setBuddy(self.reason)
        self.save_button = named(QPushButton("Save outc&ome"), "Save outcome")
        self.save_button.clicked.connect(self.save)
        self.state = named(QLabel(""), "Outcome saved state")
        self.state.setWordWrap(True)
        self.history = named(QLabel(""), "Amendments")
        self.history.setWordWrap(True)
        self.error = ErrorLabel()
        self.reload_button = named(QPushButton("Re&load their version"), "Reload their version")
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()

        # Rows added in reading order: a row inserted later came last in Tab order.
        form = QFormLayout()
        actions = QVBoxLayout()
        for box in self.action_boxes.values():
            actions.addWidget(box)
        for label, widget in (
            ("Panel &grade:", self.grade),
            ("Actions:", actions),
            ("&Vignette:", self.vignette),
            ("&Questions to the force:", self.questions),
            ("Force res&ponse:", self.force_response),
        ):
            caption = QLabel(label)
            if isinstance(widget, QWidget):
                caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow(self.reason_label, self.reason)
        conflict = QHBoxLayout()
        conflict.addWidget(self.error, 1)
        conflict.addWidget(self.reload_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Panel outcome</b>"))
        layout.addLayout(form)
        layout.addLayout(conflict)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.setEnabled(False)

    def set_grades(self, grades: Sequence[GradeDefinition]) -> None:
        self.grade.clear()
        self.grade.addItem(NO_GRADE, None)
        for grade in grades:
            self.grade.addItem(swatch(grade.colour), grade_text(grade), grade.id)

    def load(self, session_id: int, case_id: int, status: str, outcome: OutcomeView | None) -> None:
        """Show a case's outcome as it stands (amendments applied once finalised)."""
        self._session_id, self._case_id = session_id, case_id
        self._finalised = status == ReviewSessionStatus.FINALISED.value
        self.setEnabled(status != ReviewSessionStatus.DRAFT.value)
        self.error.clear_error()
        self.reload_button.hide()
        self.reason.clear()
        self.reason.setVisible(self._finalised)
        self.reason_label.setVisible(self._finalised)
        self.save_button.setText("Amend outc&ome" if self._finalised else "Save outc&ome")
        self.save_button.setAccessibleName("Amend outcome" if self._finalised else "Save outcome")
        history: list[AmendmentView] = []
        if self._finalised and outcome is not None:
            _, found = attempt(
                self.error, lambda: self._amendments.amendments(self._actor, session_id, case_id)
            )
            history = [a for a in found or [] if a.target == "panel_outcome"]
        self.shown = _amended(outcome, history) if outcome else None
        self._fill(self.shown)
        self.history.setText(
            "<br>".join(
                f"Amended {a.field.replace('_', ' ')} on {a.amended_at:%Y-%m-%d %H:%M} UTC by "
                f"{a.amended_by}: {a.reason}"
                for a in history
            )
        )

    def _fill(self, outcome: OutcomeView | None) -> None:
        index = self.grade.findData(outcome.consensus_grade if outcome else None)
        self.grade.setCurrentIndex(max(index, 0))
        chosen = set(outcome.actions) if outcome else set()
        for action, box in self.action_boxes.items():
            box.setChecked(action.value in chosen)
        self.vignette.setPlainText(outcome.vignette if outcome else "")
        self.questions.setPlainText(outcome.questions_to_force if outcome else "")
        self.force_response.setPlainText(outcome.force_response if outcome else "")
        self.force_response.setEnabled(outcome is not None)
        if outcome is None:
            self.state.setText("No outcome recorded yet.")
        else:
            self.state.setText(
                f"Saved by {outcome.updated_by}, {outcome.updated_at:%Y-%m-%d %H:%M} UTC "
                f"· version {outcome.version}"
            )

    def draft(self) -> OutcomeDraft:
        grade = self.grade.currentData()
        return OutcomeDraft(
            consensus_grade=str(grade) if grade else None,
            actions=tuple(a for a, box in self.action_boxes.items() if box.isChecked()),
            vignette=self.vignette.toPlainText(),
            questions_to_force=self.questions.toPlainText(),
        )

    def reload(self) -> None:
        """Read the outcome again (after a refused save): their change replaces what is
        on screen, so the chair re-applies theirs knowingly."""
        if self._session_id is None or self._case_id is None:
            return
        sid, cid = self._session_id, self._case_id
        ok, outcome = attempt(self.error, lambda: self._consensus.outcome(self._actor, sid, cid))
        if ok:
            status = (
                ReviewSessionStatus.FINALISED.value
                if self._finalised
                else ReviewSessionStatus.OPEN.value
            )
            self.load(sid, cid, status, outcome)

    def save(self) -> None:
        if self._session_id is None or self._case_id is None:
            return
        self.error.clear_error()
        self.reload_button.hide()
        try:
            outcome = self._amend() if self._finalised else self._save_open()
            outcome = self._save_response(outcome)
        except ConcurrentEdit as exc:
            self.error.show_error(
                f"Not saved: {exc.changed_by} changed this outcome at "
                f"{exc.changed_at:%H:%M:%S} UTC (now version {exc.version}) while you were "
                "editing. Your text is still here; reload to see their version, then make "
                "your change again."
            )
            self.reload_button.show()
            return
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            return
        if self._finalised:
            self.reload()
        else:
            self.shown = outcome
            self._fill(outcome)

    def _save_open(self) -> OutcomeView:
        assert self._session_id is not None and self._case_id is not None
        return self._consensus.save_outcome(
            self._actor,
            self._session_id,
            self._case_id,
            self.draft(),
            expected_version=self.shown.version if self.shown else None,
            purpose=PURPOSE,
        )

    def _amend(self) -> OutcomeView | None:
        """One amendment per changed field, each with the same reason."""
        assert self._session_id is not None and self._case_id is not None
        if self.shown is None:
            raise ServiceError("this case has no outcome to amend: none was agreed before")
        draft, was = self.draft(), self.shown
        changes = {
            OutcomeField.CONSENSUS_GRADE: (draft.consensus_grade or "", was.consensus_grade or ""),
            OutcomeField.ACTIONS: (
                ",".join(sorted(a.value for a in draft.actions)),
                ",".join(sorted(was.actions)),
            ),
            OutcomeField.VIGNETTE: (draft.vignette, was.vignette),
            OutcomeField.QUESTIONS_TO_FORCE: (draft.questions_to_force, was.questions_to_force),
        }
        for field, (new, old) in changes.items():
            if new != old:
                self._amendments.amend_outcome(
                    self._actor,
                    self._session_id,
                    self._case_id,
                    field,
                    new,
                    reason=self.reason.text(),
                    purpose=PURPOSE,
                )
        return self.shown

    def _save_response(self, outcome: OutcomeView | None) -> OutcomeView | None:
        text = self.force_response.toPlainText()  # stored as typed, so compared as typed
        if outcome is None or self.shown is None or text == self.shown.force_response:
            return outcome
        assert self._session_id is not None and self._case_id is not None
        return self._consensus.record_force_response(
            self._actor,
            self._session_id,
            self._case_id,
            text,
            expected_version=outcome.version,
            purpose=PURPOSE,
        )


def _amended(outcome: OutcomeView, history: Sequence[AmendmentView]) -> OutcomeView:
    """The outcome as it now holds: the latest amendment of each field wins."""
    latest = {a.field: a.amended_value for a in history}

    def text(field: OutcomeField, original: str) -> str:
        return (latest[field.value] or "") if field.value in latest else original

    grade = latest.get(OutcomeField.CONSENSUS_GRADE.value, outcome.consensus_grade)
    actions_json = latest.get(OutcomeField.ACTIONS.value)
    return OutcomeView(
        consensus_grade=grade or None,
        actions=tuple(json.loads(actions_json)) if actions_json else outcome.actions,
        vignette=text(OutcomeField.VIGNETTE, outcome.vignette),
        questions_to_force=text(OutcomeField.QUESTIONS_TO_FORCE, outcome.questions_to_force),
        force_response=outcome.force_response,
        updated_by=outcome.updated_by,
        updated_at=outcome.updated_at,
        version=outcome.version,
    )
