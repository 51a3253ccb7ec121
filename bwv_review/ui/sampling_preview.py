"""What the draw dialog shows of a preview: how many cases each group gave, every case drawn
with why it is in, and the sample's make-up (ethnicity, age, case type) beside the frame's.

Everything is in words and numbers ("short by 2", "stratum: ..., take all"); nothing is
told by colour alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from bwv_review.domain.sampling import ALL, REST, SpecError, Stratum
from bwv_review.domain.vocab import CaseType
from bwv_review.services.sampling import SamplePreview
from bwv_review.ui.fitting import fit_columns

log = logging.getLogger(__name__)


def _share(count: int, total: int) -> str:
    return f"{count:,} ({100 * count / total:.0f}%)" if total else f"{count:,}"


def _shown_value(field: str, value: str) -> str:
    if field == "case_type" and value in CaseType._value2member_map_:
        return CaseType(value).label
    return value


def stratum_words(label: str) -> str:
    """A stored stratum label as a chair reads it."""
    if label == ALL:
        return "the whole frame"
    if label == REST:
        return "the rest"
    try:
        return Stratum.parse(f"{label}:all").words
    except SpecError:  # a label stored by an older version: show it as it is
        log.debug("stratum label not parsed: %r", label)
        return label


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for col, text in enumerate(cells):
            table.setItem(row, col, QTableWidgetItem(text))
    fit_columns(table)


class PreviewPanel(QWidget):
    """The preview's result line and its three tables."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_label = QLabel("Nothing previewed yet: make your choices, then Preview.")
        self.result_label.setAccessibleName("Preview result")
        self.result_label.setWordWrap(True)
        self.strata_table = _table(
            "Groups: wanted, in the frame, drawn", ["Group", "Wanted", "In frame", "Drawn"]
        )
        self.cases = _table("Cases drawn and why each is in", ["#", "Case", "Why it is in"])
        self.composition = _table(
            "The sample beside the frame, field by field", ["Field", "Value", "Frame", "Sample"]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label)
        for title, table, stretch in (
            ("Groups", self.strata_table, 1),
            ("Cases drawn and why", self.cases, 2),
            ("The sample beside the frame", self.composition, 2),
        ):
            heading = QLabel(f"<b>{title}</b>")
            heading.setBuddy(table)
            layout.addWidget(heading)
            layout.addWidget(table, stretch)

    def show_preview(self, shown: SamplePreview) -> None:
        self.result_label.setText(
            f"Frame: {shown.frame_size:,} cases match the filters. "
            f"The sample would take {shown.drawn:,}."
        )
        strata = []
        for stratum in shown.strata:
            wanted = "all" if stratum.wanted is None else str(stratum.wanted)
            drawn = str(stratum.drawn)
            if stratum.wanted is not None and stratum.drawn < stratum.wanted:
                drawn = f"{stratum.drawn} (short by {stratum.wanted - stratum.drawn})"
            strata.append((stratum_words(stratum.stratum), wanted, str(stratum.in_frame), drawn))
        _fill(self.strata_table, strata)
        _fill(self.cases, [(str(c.rank), c.force_reference, c.reason) for c in shown.cases])
        rows = [
            (part.label, _shown_value(part.field, value), part.frame.get(value, 0),
             part.sample.get(value, 0), sum(part.frame.values()), sum(part.sample.values()))
            for part in shown.compositions
            for value in part.values()
        ]  # fmt: skip
        _fill(
            self.composition,
            [
                (label, value, _share(in_frame, frame_total), _share(in_sample, sample_total))
                for label, value, in_frame, in_sample, frame_total, sample_total in rows
            ],
        )

    def show_saved(self, text: str) -> None:
        self.result_label.setText(text)
