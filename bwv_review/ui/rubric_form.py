"""The review form, generated from the rubric: one radio group per check, reasons where the
rubric asks for them, GOWISELY under one heading, a grade per dimension and for the case
(suggested, with the rule's reason, and open to override), a note and a question.

The form is a view only: it emits what the reviewer changed and shows the FormState the
service sends back, so the rules for "complete", "needs a reason" or a suggested grade are
never re-implemented in a widget. Grades always show a symbol and a word beside any colour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.grading import GradeSuggestion
from bwv_review.domain.review_rules import AnswerEntry, FormState, GradeChoice
from bwv_review.domain.rubric import Check, GradeDefinition, Rubric
from bwv_review.services.review_views import ReviewView
from bwv_review.services.reviews import ReviewText
from bwv_review.ui.wheel_guard import guard_wheel

# Typing pauses this long before a reason or note is saved; leaving the field saves at once.
TYPING_SAVE_MS = 1200
# Answers in rows of three, so the form stays narrow enough to sit beside the player.
_ANSWER_COLUMNS = 3


def grade_text(grade: GradeDefinition) -> str:
    """A grade as plain text: symbol and word, readable without colour."""
    return f"{grade.symbol} {grade.label}"


def grade_html(grade: GradeDefinition) -> str:
    """A grade as rich text: the symbol in bold, in the text's own colour so it reads in
    every theme (the rubric's green tick was 4.46:1 on the window); the word carries the
    meaning, and the rubric's colours mark grades where no text is on them (outcome icons)."""
    return f"<b>{grade.symbol}</b> {grade.label}"


def _wrapping_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class TypingSaver(QObject):
    """Calls `save` when typing pauses and when the field loses focus, so a reason or note
    is saved as it is made without a request per key press. `flush` saves whatever was
    typed and not yet saved, whoever calls it: the pause timer, focus leaving, or the
    screen before it submits, locks, switches case, signs out or closes."""

    pending = Signal()  # typed text is on screen and not yet saved
    # The saver whose save is running now (the GUI thread runs one at a time), so a
    # refused save can be marked as still to do: see RubricForm.keep_unsaved.
    active: TypingSaver | None = None

    def __init__(self, field: QLineEdit | QPlainTextEdit, save: Callable[[], None]) -> None:
        super().__init__(field)
        self._save = save
        self._unsaved = False
        self._timer = QTimer(self, singleShot=True, interval=TYPING_SAVE_MS)
        self._timer.timeout.connect(self.flush)
        if isinstance(field, QLineEdit):
            field.textEdited.connect(lambda _text: self._typed())
            field.editingFinished.connect(self.flush)
        else:
            field.textChanged.connect(self._on_plain_changed)
            field.installEventFilter(self)
        self._field = field

    @property
    def unsaved(self) -> bool:
        return self._unsaved

    def _typed(self) -> None:
        self._unsaved = True
        self._timer.start()
        self.pending.emit()

    def _on_plain_changed(self) -> None:
        if not self._field.signalsBlocked():
            self._typed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def flush(self) -> None:
        self._timer.stop()
        if self._unsaved:
            self.save_now()

    def save_now(self) -> None:
        """Save the field (and what it belongs to: an answer, a grade) as it is now."""
        self._timer.stop()
        self._unsaved = False
        TypingSaver.active = self
        try:
            self._save()
        finally:
            TypingSaver.active = None

    def keep_unsaved(self) -> None:
        self._unsaved = True


def _typed_or_none(text: str) -> str | None:
    """A reason as typed (the service keeps it so); only spaces is no reason."""
    return text if text.strip() else None


class _AnswerKeys(QObject):
    """One Tab stop per check, as in any radio group: Tab enters at the chosen answer (or
    the first, when none is chosen yet) and leaves the check; the arrow keys move through
    the answers in reading order and choose, whatever the grid puts beside or below."""

    def __init__(self, row: CheckRow) -> None:
        super().__init__(row)
        self._row = row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        step = _ARROW_STEPS.get(Qt.Key(event.key()))
        if step is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        radios = list(self._row.radios.values())
        if watched in radios:
            target = radios[(radios.index(watched) + step) % len(radios)]
            target.setFocus(Qt.FocusReason.TabFocusReason)
            target.setChecked(True)
            return True
        return False


_ARROW_STEPS = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}


class CheckRow(QGroupBox):
    """One check: its answers as radio buttons, and its reason when one is needed."""

    answered = Signal(str, str, object)  # check id, answer id, reason or None

    def __init__(self, rubric: Rubric, check: Check, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # no title: a long one would fix the form's width
        self.check = check
        self._rubric = rubric
        self.setAccessibleName(check.text)
        self.setAccessibleDescription(check.help)
        self.setToolTip(check.help)
        text = _wrapping_label(check.text, self)
        self.buttons = QButtonGroup(self)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.radios: dict[str, QRadioButton] = {}
        for number, answer in enumerate(rubric.answers):
            radio = QRadioButton(answer.label, self)
            radio.setAccessibleName(answer.label)
            radio.setToolTip(answer.help)
            self.buttons.addButton(radio, number)
            self.radios[answer.id] = radio
            grid.addWidget(radio, number // _ANSWER_COLUMNS, number % _ANSWER_COLUMNS)
        grid.setColumnStretch(_ANSWER_COLUMNS, 1)
        self.buttons.idToggled.connect(self._on_toggled)
        keys = _AnswerKeys(self)
        for radio in self.radios.values():
            radio.installEventFilter(keys)
        self._update_tab_stop()
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(f"Reason: {check.text}")
        # Short enough to stay whole in the form's column at 1280 px; the full hint is the
        # tooltip and what a screen reader says.
        self.reason.setPlaceholderText("What you saw, and when")
        self.reason.hide()
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        self.saver = TypingSaver(self.reason, self._emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(text)
        layout.addLayout(grid)
        layout.addWidget(self.reason)
        layout.addWidget(self.note)

    @property
    def answer_id(self) -> str | None:
        number = self.buttons.checkedId()
        return None if number < 0 else self._rubric.answers[number].id

    def set_entry(self, entry: AnswerEntry | None, *, applicable: bool) -> None:
        """Show a saved answer without saving it again."""
        self.buttons.blockSignals(True)
        self.reason.blockSignals(True)
        if entry is not None:
            self.radios[entry.answer_id].setChecked(True)
            self.reason.setText(entry.reason or "")
        self.buttons.blockSignals(False)
        self.reason.blockSignals(False)
        self._update_tab_stop()
        if not applicable:
            self.note.setText(
                "Not applicable to this case by its record; change it if the footage shows "
                "otherwise."
            )
            self.note.show()
        self._update_reason()

    def _on_toggled(self, _number: int, checked: bool) -> None:
        if checked:
            self._update_tab_stop()
            self._update_reason()
            self.saver.save_now()  # the answer carries the reason as it is now

    def _update_tab_stop(self) -> None:
        chosen = self.buttons.checkedButton() or next(iter(self.radios.values()))
        for radio in self.radios.values():
            radio.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if radio is chosen else Qt.FocusPolicy.ClickFocus
            )

    def _update_reason(self) -> None:
        answer = self.answer_id
        needed = answer is not None and self.check.requires_reason(answer)
        self.reason.setVisible(needed or bool(self.reason.text().strip()))
        label = self._rubric.answer(answer).label if answer else ""
        why = "What did you see, and when (mm:ss)?"
        hint = f"A reason is required for {label}. {why}" if needed else f"Optional. {why}"
        self.reason.setToolTip(hint)
        self.reason.setAccessibleDescription(hint)

    def _emit(self) -> None:
        answer = self.answer_id
        if answer is not None:
            self.answered.emit(self.check.id, answer, _typed_or_none(self.reason.text()))


class GradeBox(QWidget):
    """The suggested grade with its reason, a box to choose another, and why."""

    graded = Signal(str, object, object)  # key ("" for the case), grade id or None, reason

    def __init__(self, rubric: Rubric, key: str, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self._rubric = rubric
        self._suggested: str | None = None
        self.suggestion = QLabel(self)
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.setAccessibleName(f"Suggested grade for {label}")
        self.choice = QComboBox(self)
        self.choice.setAccessibleName(f"Your grade for {label}")
        self.choice.addItem("Take the suggested grade", None)
        for grade in rubric.grades:
            self.choice.addItem(grade_text(grade), grade.id)
            self.choice.setItemData(
                self.choice.count() - 1, grade.leads_to, Qt.ItemDataRole.ToolTipRole
            )
        self.choice.currentIndexChanged.connect(self._on_chosen)
        self.choice.installEventFilter(self)
        self.choice.setAccessibleDescription(
            "Up and Down arrows change the grade; Alt+Down opens the list."
        )
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(f"Why this grade for {label}")
        self.reason.setPlaceholderText("Why not the suggestion?")
        hint = "Why this grade rather than the suggestion?"
        self.reason.setToolTip(hint)
        self.reason.setAccessibleDescription(hint)
        self.reason.hide()
        self.saver = TypingSaver(self.reason, self._emit)
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 4)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.suggestion)
        form.addRow("Your grade:", self.choice)
        form.addRow(self.reason)

    @property
    def suggested(self) -> str | None:
        return self._suggested

    def show_state(self, suggestion: GradeSuggestion, choice: GradeChoice | None) -> None:
        self._suggested = suggestion.grade_id
        if suggestion.grade_id is None:
            text = f"No grade suggested yet ({suggestion.reason})."
        else:
            grade = self._rubric.grade(suggestion.grade_id)
            text = f"Suggested: {grade_html(grade)}, because {suggestion.reason}."
            if not suggestion.complete:
                text += " <i>(Some checks are still unanswered; this may change.)</i>"
        self.suggestion.setText(text)
        self.suggestion.setAccessibleDescription(self.suggestion.text())
        if choice is not None and self.choice.currentData() != choice.grade_id:
            self.choice.blockSignals(True)
            self.choice.setCurrentIndex(self.choice.findData(choice.grade_id))
            self.reason.setText(choice.reason or "")
            self.choice.blockSignals(False)
        self._update_reason()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space does not open the list: in this form Space chooses an answer, and a list
        opened by mistake would take the next keys. Arrows and Alt+Down still work."""
        return (
            watched is self.choice
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        )

    def _on_chosen(self, _index: int) -> None:
        self._update_reason()
        self.saver.save_now()

    def _update_reason(self) -> None:
        chosen = self.choice.currentData()
        self.reason.setVisible(chosen is not None and chosen != self._suggested)

    def _emit(self) -> None:
        chosen = self.choice.currentData()
        reason = _typed_or_none(self.reason.text()) if chosen is not None else None
        self.graded.emit(self.key, chosen, reason)


class NoteEdit(QPlainTextEdit):
    """A multi-line note where Tab moves on, as in every other field of the form."""

    def __init__(self, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(72)


class RubricForm(QWidget):
    """See the module docstring. Build it once per case with `load`."""

    answerChanged = Signal(str, str, object)  # check id, answer id, reason
    gradeChanged = Signal(str, object, object)  # dimension id ("" = case), grade id, reason
    textChanged = Signal(object, str)  # ReviewText, text
    typingPending = Signal()  # something typed is on screen and not saved yet

    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.setAccessibleName("Review form")
        self.rows: dict[str, CheckRow] = {}
        self.grade_boxes: dict[str, GradeBox] = {}
        layout = QVBoxLayout(self)
        for dimension in rubric.dimensions:
            box = QGroupBox(dimension.label, self)
            box.setAccessibleName(dimension.label)
            box.setAccessibleDescription(dimension.help)
            box.setStyleSheet("QGroupBox { font-weight: bold; }")
            box_layout = QVBoxLayout(box)
            if dimension.help:
                box_layout.addWidget(_wrapping_label(dimension.help, box))
            group_boxes: dict[str, tuple[QGroupBox, QVBoxLayout]] = {}
            for check in dimension.checks:
                holder, target = box, box_layout
                if check.group_id is not None:
                    if check.group_id not in group_boxes:
                        group_boxes[check.group_id] = self._group_box(box, check.group_id)
                        box_layout.addWidget(group_boxes[check.group_id][0])
                    holder, target = group_boxes[check.group_id]
                row = CheckRow(rubric, check, holder)
                row.setStyleSheet("QGroupBox { font-weight: normal; }")
                row.answered.connect(self.answerChanged)
                self.rows[check.id] = row
                target.addWidget(row)
            grade_box = GradeBox(rubric, dimension.id, dimension.label, box)
            grade_box.graded.connect(self.gradeChanged)
            self.grade_boxes[dimension.id] = grade_box
            box_layout.addWidget(grade_box)
            layout.addWidget(box)

        case_box = QGroupBox("The case", self)
        case_box.setAccessibleName("The case")
        case_box.setStyleSheet("QGroupBox { font-weight: bold; }")
        case_layout = QVBoxLayout(case_box)
        self.case_grade = GradeBox(rubric, "", "the case", case_box)
        self.case_grade.graded.connect(self.gradeChanged)
        case_layout.addWidget(self.case_grade)
        self.general_note = NoteEdit(
            "General note", "Anything else the panel should know about this case", case_box
        )
        self.question = NoteEdit(
            "Suggested question to the force",
            "A question the panel could put to the force about this case",
            case_box,
        )
        notes = QFormLayout()
        notes.addRow("General note:", self.general_note)
        notes.addRow("Suggested question to the force:", self.question)
        case_layout.addLayout(notes)
        self._note_savers = {
            ReviewText.GENERAL_NOTE: TypingSaver(
                self.general_note,
                lambda: self.textChanged.emit(
                    ReviewText.GENERAL_NOTE, self.general_note.toPlainText()
                ),
            ),
            ReviewText.QUESTION_TO_FORCE: TypingSaver(
                self.question,
                lambda: self.textChanged.emit(
                    ReviewText.QUESTION_TO_FORCE, self.question.toPlainText()
                ),
            ),
        }
        layout.addWidget(case_box)
        for saver in self._savers():
            saver.pending.connect(self.typingPending)
        guard_wheel(self)

    def _savers(self) -> list[TypingSaver]:
        return [
            *(row.saver for row in self.rows.values()),
            *(box.saver for box in (*self.grade_boxes.values(), self.case_grade)),
            *self._note_savers.values(),
        ]

    def keep_unsaved(self) -> None:
        """The save running now was refused: what is on screen is still to be saved, at
        the next pause, focus change, flush or retry."""
        saver = TypingSaver.active
        if saver is not None and saver in self._savers():
            saver.keep_unsaved()

    @property
    def unsaved(self) -> bool:
        """Typed text waiting for its pause, as the screen must say so rather than Saved."""
        return any(saver.unsaved for saver in self._savers())

    def _group_box(self, parent: QWidget, group_id: str) -> tuple[QGroupBox, QVBoxLayout]:
        group = self.rubric.check_group(group_id)
        box = QGroupBox(group.label, parent)
        box.setAccessibleName(group.label)
        box.setAccessibleDescription(group.help)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(_wrapping_label(group.help, box))
        return box, box_layout

    def load(self, view: ReviewView) -> None:
        """Show a review as saved, without saving anything."""
        for check_id, row in self.rows.items():
            row.set_entry(view.answers.get(check_id), applicable=check_id in view.applicable)
        for widget, text in (
            (self.general_note, view.general_note),
            (self.question, view.question_to_force),
        ):
            widget.blockSignals(True)
            widget.setPlainText(text or "")
            widget.blockSignals(False)
        self.show_state(view.form, view.dimension_choices, view.case_choice)
        self.setEnabled(not view.locked)

    def show_state(
        self,
        form: FormState,
        dimension_choices: Mapping[str, GradeChoice] | None = None,
        case_choice: GradeChoice | None = None,
    ) -> None:
        """Suggestions after a save; choices are passed only when loading."""
        for dimension_id, box in self.grade_boxes.items():
            choice = (dimension_choices or {}).get(dimension_id)
            box.show_state(form.dimension_suggestions[dimension_id], choice)
        self.case_grade.show_state(form.case_suggestion, case_choice)

    def flush(self) -> None:
        """Save whatever is being typed now (before submitting, locking or leaving)."""
        for saver in self._savers():
            saver.flush()
