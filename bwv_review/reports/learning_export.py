"""The learning export for training leads: the points as rows, written as CSV, XLSX or a
training pack (a ReportDocument the PDF renderer prints).

A row holds only what training needs and nothing that names or places anyone: the time
code in its clip, the tags, the kind, the case type, the session and the training
description the chair or a training lead wrote. No case reference, officer pseudonym,
reviewer, encounter date, place or reviewer's raw note can reach a row, because the row
has no field for them.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return) as a formula, so such a cell is written with a leading apostrophe: the text is
shown as typed and nothing is run.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bwv_review.domain.time_codes import describe_frame
from bwv_review.domain.vocab import LearningKind
from bwv_review.reports.document import (
    BulletList,
    Cell,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    Variant,
)
from bwv_review.reports.spreadsheet_cells import neutralised

GOOD, LEARNING = LearningKind.GOOD_PRACTICE.label, LearningKind.LEARNING.label

NO_THEME = "No theme"
"""The heading of points nobody tagged, so the pack still counts them."""

HEADER = (
    "Session",
    "Case type",
    "Kind",
    "Clip",
    "Time in clip",
    "Frame",
    "Frame uncertainty (±frames)",
    "Tags",
    "Training description",
)
_WIDTHS = (24, 20, 16, 6, 14, 10, 12, 36, 80)
"""Column widths in characters for the XLSX: the description wraps inside its column."""


@dataclass(frozen=True)
class LearningRow:
    """One learning point as it may leave the workspace. `frame` is None when the player did
    not know the frame; `uncertainty_frames` is how many frames either side it may be."""

    session: str
    case_type: str
    kind: str
    clip_number: int
    time_code: str
    frame: int | None
    uncertainty_frames: int
    tags: tuple[str, ...]
    description: str

    @property
    def where(self) -> str:
        """The moment in words: "Clip 1, 00:01:02.500, frame 1562 ±1"."""
        frame = describe_frame(self.frame, self.uncertainty_frames)
        return f"Clip {self.clip_number}, {self.time_code}, {frame}"

    def cells(self) -> tuple[str, ...]:
        """The row's cells as text, in HEADER's order."""
        return (
            self.session,
            self.case_type,
            self.kind,
            str(self.clip_number),
            self.time_code,
            "" if self.frame is None else str(self.frame),
            "" if self.frame is None else str(self.uncertainty_frames),
            "; ".join(self.tags),
            self.description,
        )


@dataclass(frozen=True)
class LearningExport:
    """What one export holds: its rows, the filters in words (the pack prints them), the
    panel's name and `dated`, the latest change among the rows (never the clock)."""

    panel: str
    scope: tuple[str, ...]
    rows: tuple[LearningRow, ...]
    dated: datetime


def render_xlsx(export: LearningExport) -> bytes:
    """One sheet: a bold, frozen header with filters, fixed widths, descriptions wrapped.
    Every cell is written as text, so even a neutralised cell is never read as a number or
    a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Learning points"
    book.properties.title = f"Learning points: {export.panel}"
    book.properties.creator = "bwv-review"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export.rows:
        sheet.append([neutralised(cell) for cell in row.cells()])
    for column, width in enumerate(_WIDTHS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=len(HEADER), max_col=len(HEADER)):
        cell.alignment = wrap
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(export.rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def training_pack(export: LearningExport) -> ReportDocument:
    """The PDF pack: a section a theme (tag), largest first, each with its counts and its
    points (time code, kind, case type, description). A point with two tags is in both
    themes; one without tags is under NO_THEME."""
    themes = _themes(export.rows)
    summary = Table(
        caption="Points by theme",
        header=("Theme", "Points", "Good practice", "Learning"),
        rows=tuple(
            (
                Cell(theme),
                Cell(str(len(rows))),
                Cell(str(_kinds(rows)[GOOD])),
                Cell(str(_kinds(rows)[LEARNING])),
            )
            for theme, rows in themes
        ),
    )
    overview = Section(
        "About this pack",
        (
            Paragraph(
                f"{len(export.rows)} learning points from the panel's reviews of body-worn "
                "video, grouped by theme. Time codes are positions in the clip "
                "(hours:minutes:seconds.milliseconds) with the frame where it is known.",
                style="lead",
            ),
            Paragraph(
                "The descriptions were written for training by the panel chair or a training "
                "lead. No case reference, officer, reviewer, date or place is included; a "
                "point without a description shows its time code, tags, kind and case type "
                "only.",
                style="caveat",
            ),
            BulletList(export.scope),
            summary,
        ),
    )
    # One chapter of themes, each a sub-heading (and bookmark), so a theme of one point
    # does not take a page of its own.
    chapter = Section(
        "Themes", subsections=tuple(_theme_section(theme, rows) for theme, rows in themes)
    )
    return ReportDocument(
        title="Learning points for training",
        subtitle=export.panel,
        marking="OFFICIAL",
        period="; ".join(export.scope),
        variant=Variant.PUBLISHED,
        draft=False,
        author="bwv-review",
        subject="Learning points for officer training, without personal data",
        dated=export.dated,
        sections=(overview, chapter),
    )


def _themes(rows: Sequence[LearningRow]) -> list[tuple[str, list[LearningRow]]]:
    by_theme: dict[str, list[LearningRow]] = {}
    for row in rows:
        for theme in row.tags or (NO_THEME,):
            by_theme.setdefault(theme, []).append(row)
    return sorted(by_theme.items(), key=lambda item: (item[0] == NO_THEME, -len(item[1]), item[0]))


def _kinds(rows: Sequence[LearningRow]) -> Counter[str]:
    return Counter(row.kind for row in rows)


def _theme_section(theme: str, rows: Sequence[LearningRow]) -> Section:
    kinds = _kinds(rows)
    counts = Paragraph(
        f"{len(rows)} point{'' if len(rows) == 1 else 's'}: {kinds[GOOD]} good practice, "
        f"{kinds[LEARNING]} learning."
    )
    table = Table(
        caption=f"{theme}: the points",
        header=("Time in clip", "Kind", "Case type", "Session", "Description"),
        rows=tuple(
            (
                Cell(row.where),
                Cell(row.kind),
                Cell(row.case_type),
                Cell(row.session),
                Cell(row.description or "(no description yet)"),
            )
            for row in rows
        ),
    )
    return Section(theme, (counts, table), level=2)
