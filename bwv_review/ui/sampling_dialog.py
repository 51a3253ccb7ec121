"""The chair's sampling dialog: describe the draw, preview how the sample's make-up
(ethnicity, age, case type) compares with the frame's, then save it under a name.

Nothing is stored until "Draw and save", and that button only works for the exact inputs
last previewed, so the chair never confirms a sample they have not seen.
"""

from __future__ import annotations

import secrets

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.vocab import CaseType
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.sampling import DrawSummary, SamplePreview, SamplingService, parse_spec
from bwv_review.ui.rubric_form import NoteEdit
from bwv_review.ui.sign_in import ErrorLabel

SAMPLING_PURPOSE = "sampling dialog: draw a sample"
HELP = (
    "One filter or stratum per line. Filters narrow the frame, e.g. "
    "<code>date=2026-01-01..2026-03-31</code>, <code>case_type=stop_and_search</code>. "
    "Strata are taken in order, e.g. <code>strip_search=true&amp;age_band=10-17:all</code> "
    "then <code>rest:20</code>. See docs/sampling.md for every field."
)


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


# What the draw depends on: seed, overall size (0 for none), filter lines and strata lines.
_Inputs = tuple[str, int, tuple[str, ...], tuple[str, ...]]


def _share(count: int, total: int) -> str:
    return f"{count:,} ({100 * count / total:.0f}%)" if total else f"{count:,}"


def _shown_value(field: str, value: str) -> str:
    if field == "case_type" and value in CaseType._value2member_map_:
        return CaseType(value).label
    return value


class SamplingDialog(QDialog):
    def __init__(
        self, sampling: SamplingService, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sampling = sampling
        self._actor = actor
        self._previewed: _Inputs | None = None
        self.saved: DrawSummary | None = None
        self.setWindowTitle("Draw a sample")
        self.setAccessibleName("Draw a sample of cases")
        self.resize(820, 680)

        self.name = QLineEdit()
        self.name.setAccessibleName("Name of the draw")
        self.name.setPlaceholderText("e.g. 2026-Q2 dip sample")
        self.seed = QLineEdit(str(secrets.randbelow(10**8)))
        self.seed.setAccessibleName("Seed")
        self.size_box = QSpinBox()
        self.size_box.setRange(0, 100_000)
        self.size_box.setSpecialValueText("no overall size")
        self.size_box.setAccessibleName("Sample size")
        # Tab moves on from these, as from every other field: a tab typed into a filter
        # is never wanted, and a keyboard user would be stuck in the box.
        self.filters = NoteEdit("Filters, one per line", "e.g. case_type=stop_and_search")
        self.strata = NoteEdit("Strata, one per line", "e.g. strip_search=true:all")
        help_text = QLabel(HELP)
        help_text.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Seed:", self.seed)
        form.addRow("Si&ze:", self.size_box)
        form.addRow("&Filters:", self.filters)
        form.addRow("S&trata:", self.strata)
        form.addRow("", help_text)

        self.preview_button = QPushButton("&Preview")
        self.preview_button.setAccessibleName("Preview the sample")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        self.save_button = QPushButton("&Draw and save")
        self.save_button.setAccessibleName("Draw and save the sample")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("&Close")
        close.setAccessibleName("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.save_button, close):
            buttons.addWidget(button)

        self.error = ErrorLabel()
        self.result_label = QLabel("")
        self.result_label.setAccessibleName("Preview result")
        self.result_label.setWordWrap(True)
        self.strata_table = QTableWidget(0, 4)
        self.strata_table.setAccessibleName("Strata: wanted, in the frame, drawn")
        self.strata_table.setHorizontalHeaderLabels(["Stratum", "Wanted", "In frame", "Drawn"])
        self.composition = QTableWidget(0, 4)
        self.composition.setAccessibleName("Frame and sample compared")
        self.composition.setHorizontalHeaderLabels(["Field", "Value", "Frame", "Sample"])

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.result_label)
        layout.addWidget(self.strata_table, 1)
        layout.addWidget(self.composition, 2)
        for edit in (self.name, self.seed):
            edit.textChanged.connect(self._inputs_changed)
        for text in (self.filters, self.strata):
            text.textChanged.connect(self._inputs_changed)
        self.size_box.valueChanged.connect(self._inputs_changed)

    def _inputs(self) -> _Inputs:
        return (
            self.seed.text().strip(),
            self.size_box.value(),
            tuple(_lines(self.filters)),
            tuple(_lines(self.strata)),
        )

    def _inputs_changed(self) -> None:
        self.save_button.setEnabled(self._previewed == self._inputs() and bool(self.name.text()))

    def preview(self) -> None:
        self.error.clear_error()
        seed, size, filters, strata = self._inputs()
        try:
            spec = parse_spec(filters, strata, size or None)
            shown = self._sampling.preview(self._actor, seed, spec)
        except (ServiceError, DatabaseUnavailable) as exc:
            problems = getattr(exc, "problems", [])
            detail = "; ".join(str(p) for p in problems if str(p) != str(exc))
            self.error.show_error(f"{exc}{': ' + detail if detail else ''}")
            self._previewed = None
            self._inputs_changed()
            return
        self._show(shown)
        self._previewed = self._inputs()
        self._inputs_changed()

    def _show(self, shown: SamplePreview) -> None:
        self.result_label.setText(
            f"Frame: {shown.frame_size:,} cases match the filters. "
            f"The sample would take {shown.drawn:,}."
        )
        self.strata_table.setRowCount(len(shown.strata))
        for row, stratum in enumerate(shown.strata):
            wanted = "all" if stratum.wanted is None else str(stratum.wanted)
            drawn = str(stratum.drawn)
            if stratum.wanted is not None and stratum.drawn < stratum.wanted:
                drawn = f"{stratum.drawn} (short by {stratum.wanted - stratum.drawn})"
            for col, text in enumerate((stratum.stratum, wanted, str(stratum.in_frame), drawn)):
                self.strata_table.setItem(row, col, QTableWidgetItem(text))
        rows = [
            (part.label, _shown_value(part.field, value), part.frame.get(value, 0),
             part.sample.get(value, 0), sum(part.frame.values()), sum(part.sample.values()))
            for part in shown.compositions
            for value in part.values()
        ]  # fmt: skip
        self.composition.setRowCount(len(rows))
        for row, (label, value, in_frame, in_sample, frame_total, sample_total) in enumerate(rows):
            cells = (label, value, _share(in_frame, frame_total), _share(in_sample, sample_total))
            for col, text in enumerate(cells):
                self.composition.setItem(row, col, QTableWidgetItem(text))
        self.strata_table.resizeColumnsToContents()
        self.composition.resizeColumnsToContents()

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
        self.result_label.setText(
            f"Saved draw {self.saved.name!r}: {len(self.saved.cases)} cases, seed "
            f"{self.saved.seed}. A review session can adopt it now."
        )
        self.save_button.setEnabled(False)
