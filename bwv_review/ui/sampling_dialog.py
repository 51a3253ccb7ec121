"""The chair's sampling dialog: choose which cases to draw from and which groups to take
first by ticking the frame's own values (with counts), preview every case drawn with why it
is in and how the sample's make-up compares with the frame's, then save it under a name.

The choices are written out as the typed lines of the spec (docs/sampling.md), shown under
Advanced, where a power user may type them instead; the dialog always draws from those
lines, so ticks and typing go through one code path. Nothing is stored until "Draw and
save", and that button only works for the exact inputs last previewed, so the chair never
confirms a sample they have not seen.
"""

from __future__ import annotations

import logging
import secrets

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.sampling_choices import FrameValues
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.sampling import DrawSummary, SamplingService, parse_spec
from bwv_review.ui.fitting import ColumnScrollArea, ReflowSplitter
from bwv_review.ui.rubric_form import NoteEdit
from bwv_review.ui.sampling_choices import DateRange, GroupsBuilder, ValuePicker
from bwv_review.ui.sampling_preview import PreviewPanel
from bwv_review.ui.sign_in import ErrorLabel

log = logging.getLogger(__name__)

SAMPLING_PURPOSE = "sampling dialog: draw a sample"
SIZE_HELP = "The groups first, then cases at random from the rest up to this total."
TYPED_HELP = (
    "The draw as typed lines, one filter or group per line, e.g. "
    "<code>case_type=stop_and_search</code> or <code>strip_search=true&amp;age_band=10-17:all"
    "</code>. The choices above write these lines; tick “Type the lines myself” to write "
    "them yourself instead (the choices are then set aside)."
)
NO_DRAW = "Choose a sample size, or add at least one group to take."


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


# What the draw depends on: seed, overall size (0 for none), filter lines and strata lines.
_Inputs = tuple[str, int, tuple[str, ...], tuple[str, ...]]


class SamplingDialog(QDialog):
    def __init__(
        self, sampling: SamplingService, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sampling = sampling
        self._actor = actor
        self._previewed: _Inputs | None = None
        self._typed: tuple[str, str] | None = None  # the chair's own lines, kept while set aside
        self.saved: DrawSummary | None = None
        self.setWindowTitle("Draw a sample")
        self.setAccessibleName("Draw a sample of cases")
        self.error = ErrorLabel()
        frame = self._frame_values()

        # Built in reading order, which is the Tab order: the left column, then the preview.
        self.name = QLineEdit()
        self.name.setAccessibleName("Name of the draw")
        self.name.setPlaceholderText("e.g. 2026-Q2 dip sample")
        self.seed = QLineEdit(str(secrets.randbelow(10**8)))
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("Any number or word; the same seed and choices give the same draw")
        top = QFormLayout()
        top.addRow("&Name:", self.name)
        top.addRow("&Seed:", self.seed)

        self.filter_picker = ValuePicker(frame, "Which cases", "&Field:")
        self.dates = DateRange(frame)
        which = QGroupBox(f"1. Which cases to draw from ({frame.size:,} in the library)")
        which.setAccessibleName("Which cases to draw from")
        which_layout = QVBoxLayout(which)
        which_layout.addWidget(QLabel("Tick values to keep only those cases; none ticked: all."))
        which_layout.addWidget(self.filter_picker)
        which_layout.addWidget(self.dates)

        self.groups = GroupsBuilder(frame)
        first = QGroupBox("2. Groups to take first (optional)")
        first.setAccessibleName("Groups to take first")
        QVBoxLayout(first).addWidget(self.groups)

        self.size_box = QSpinBox()
        self.size_box.setRange(0, 100_000)
        self.size_box.setSpecialValueText("groups only")
        self.size_box.setAccessibleName("Sample size")
        self.size_box.setAccessibleDescription(SIZE_HELP)
        size_help = QLabel(SIZE_HELP)
        size_help.setWordWrap(True)
        size_form = QFormLayout()
        size_form.addRow("3. Sample si&ze:", self.size_box)
        size_form.addRow("", size_help)

        self.advanced_button = QToolButton()
        self.advanced_button.setText("Ad&vanced: the draw as typed lines")
        self.advanced_button.setAccessibleName("Advanced: the draw as typed lines")
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced = QWidget()
        self.type_lines = QCheckBox("T&ype the lines myself")
        self.type_lines.setAccessibleName("Type the lines myself instead of ticking")
        # Tab moves on from these, as from every other field: a tab typed into a filter
        # is never wanted, and a keyboard user would be stuck in the box.
        self.filters = NoteEdit("Filter lines, one per line", "e.g. case_type=stop_and_search")
        self.strata = NoteEdit("Group lines, one per line", "e.g. strip_search=true:all")
        typed_help = QLabel(TYPED_HELP)
        typed_help.setWordWrap(True)
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        advanced_form.addRow("", self.type_lines)
        advanced_form.addRow("Filter l&ines:", self.filters)
        advanced_form.addRow("Group &lines:", self.strata)
        advanced_form.addRow("", typed_help)
        self.advanced.hide()

        column = QWidget()
        left = QVBoxLayout(column)
        left.addLayout(top)
        left.addWidget(which)
        left.addWidget(first)
        left.addLayout(size_form)
        left.addWidget(self.advanced_button)
        left.addWidget(self.advanced)
        left.addStretch(1)
        self.choices = ColumnScrollArea()
        self.choices.setAccessibleName("Choices for the draw")
        self.choices.setWidget(column)
        self.choose_groups = (which, first)

        self.preview_panel = PreviewPanel()
        self.result_label = self.preview_panel.result_label
        self.strata_table = self.preview_panel.strata_table
        self.cases = self.preview_panel.cases
        self.composition = self.preview_panel.composition

        self.preview_button = QPushButton("&Preview")
        self.preview_button.setAccessibleName("Preview the sample")
        self.preview_button.setDefault(True)
        self.save_button = QPushButton("&Draw and save")
        self.save_button.setAccessibleName("Draw and save the sample")
        self.save_button.setEnabled(False)
        close = QPushButton("&Close")
        close.setAccessibleName("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.save_button, close):
            buttons.addWidget(button)

        columns = ReflowSplitter()  # the preview under the choices at 200% text
        columns.addWidget(self.choices)
        columns.addWidget(self.preview_panel)
        columns.setStretchFactor(0, 5)
        columns.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(columns, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        self.advanced_button.toggled.connect(self._fold)
        self.type_lines.toggled.connect(self._typing_toggled)
        for source in (self.filter_picker, self.dates, self.groups):
            source.changed.connect(self._write_lines)
        for edit in (self.name, self.seed):
            edit.textChanged.connect(self._inputs_changed)
        for text in (self.filters, self.strata):
            text.textChanged.connect(self._inputs_changed)
        self.size_box.valueChanged.connect(self._inputs_changed)
        self._typing_toggled(False)
        self._fit_screen()

    def _frame_values(self) -> FrameValues:
        try:
            return self._sampling.choices(self._actor)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"The cases could not be read: {exc}")
            return FrameValues(0, None, None, ())

    def _fold(self, unfolded: bool) -> None:
        self.advanced.setVisible(unfolded)
        arrow = Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow
        self.advanced_button.setArrowType(arrow)

    def _fit_screen(self) -> None:
        room = self.screen().availableGeometry()
        self.resize(min(1240, room.width()), min(760, room.height()))

    # --- choices and typed lines kept in step ------------------------------------------------

    def _write_lines(self) -> None:
        """The choices as the typed lines the draw is made from (unless the chair types)."""
        if self.type_lines.isChecked():
            return
        filters = [c.text for c in self.filter_picker.conditions()]
        date_range = self.dates.condition()
        if date_range is not None:
            filters.append(date_range.text)
        self.filters.setPlainText("\n".join(filters))
        self.strata.setPlainText("\n".join(s.text for s in self.groups.strata()))

    def _typing_toggled(self, typing: bool) -> None:
        for widget in (self.filters, self.strata):
            widget.setReadOnly(not typing)
        for box in self.choose_groups:
            box.setEnabled(not typing)
        if typing:
            if self._typed is not None:  # what the chair typed before comes back
                self.filters.setPlainText(self._typed[0])
                self.strata.setPlainText(self._typed[1])
        else:
            if self._typed is not None or self.filters.toPlainText() or self.strata.toPlainText():
                self._typed = (self.filters.toPlainText(), self.strata.toPlainText())
            self._write_lines()

    # --- preview and save ------------------------------------------------------------------

    def _inputs(self) -> _Inputs:
        return (
            self.seed.text().strip(),
            self.size_box.value(),
            tuple(_lines(self.filters)),
            tuple(_lines(self.strata)),
        )

    def _inputs_changed(self) -> None:
        self.save_button.setEnabled(self._previewed == self._inputs() and bool(self.name.text()))

    def _refuse(self, message: str) -> None:
        self.error.show_error(message)
        self._previewed = None
        self._inputs_changed()

    def preview(self) -> None:
        self.error.clear_error()
        seed, size, filters, strata = self._inputs()
        if not self.type_lines.isChecked() and not strata and not size:
            self._refuse(NO_DRAW)
            return
        try:
            spec = parse_spec(filters, strata, size or None)
            shown = self._sampling.preview(self._actor, seed, spec)
        except (ServiceError, DatabaseUnavailable) as exc:
            problems = getattr(exc, "problems", [])
            detail = "; ".join(str(p) for p in problems if str(p) != str(exc))
            self._refuse(f"{exc}{': ' + detail if detail else ''}")
            return
        self.preview_panel.show_preview(shown)
        self._previewed = self._inputs()
        self._inputs_changed()

    def save(self) -> None:
        if self._previewed != self._inputs():
            return
        seed, size, filters, strata = self._inputs()
        try:
            spec = parse_spec(filters, strata, size or None)
            self.saved = self._sampling.draw(
                self._actor, self.name.text(), seed, spec, purpose=SAMPLING_PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            return
        log.info("draw %r saved: %d cases", self.saved.name, len(self.saved.cases))
        self.preview_panel.show_saved(
            f"Saved draw {self.saved.name!r}: {len(self.saved.cases)} cases, seed "
            f"{self.saved.seed}. A review session can adopt it now."
        )
        self.save_button.setEnabled(False)
