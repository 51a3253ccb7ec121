"""The learning export's files: CSV a spreadsheet opens as UTF-8, an XLSX with its header
frozen and filtered, formulas never run from either, and the pack's themes counted."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from bwv_review.reports.document import Paragraph, Table
from bwv_review.reports.learning_export import (
    HEADER,
    NO_THEME,
    LearningExport,
    LearningRow,
    render_xlsx,
    training_pack,
)
from bwv_review.reports.panel_report import render_pdf
from bwv_review.reports.spreadsheet_cells import csv_bytes, neutralised

HOSTILE = ("=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")')


def _row(
    description: str, *, tags: tuple[str, ...] = ("Grounds weak",), kind: str = "Learning point"
) -> LearningRow:
    return LearningRow(
        session="=Q1 panel",
        case_type="Stop and search",
        kind=kind,
        clip_number=1,
        time_code="00:01:02.500",
        frame=1562,
        uncertainty_frames=1,
        tags=tags,
        description=description,
    )


def _export(*rows: LearningRow) -> LearningExport:
    return LearningExport("Panel", ("Every session",), rows, datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_typed(text: str) -> None:
    assert neutralised(text) == "'" + text
    assert neutralised("Grounds = smell") == "Grounds = smell"  # only the first character counts


def test_csv_has_a_bom_crlf_rows_and_no_cell_that_runs() -> None:
    export = _export(*(_row(text) for text in HOSTILE), _row('Plain, with "quotes"\nand a line'))
    data = csv_bytes(HEADER, (row.cells() for row in export.rows))
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADER
    for row in rows[1:]:
        assert not row[0].startswith(("=", "+", "-", "@"))
        assert row[0] == "'=Q1 panel"
    assert [row[-1] for row in rows[1:]] == [
        *("'" + text for text in HOSTILE),
        'Plain, with "quotes"\nand a line',
    ]
    assert rows[1][4:7] == ["00:01:02.500", "1562", "1"]


def test_xlsx_reads_back_as_text_with_a_frozen_filtered_header() -> None:
    data = render_xlsx(_export(*(_row(text) for text in HOSTILE)))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{len(HOSTILE) + 1}"
    assert [cell.value for cell in sheet[1]] == list(HEADER)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["I"].width == 80
    for cells in sheet.iter_rows(min_row=2):
        assert all(cell.data_type == "s" for cell in cells)  # no formula, no number
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    expected = ["'" + t.replace("\r", "\n") for t in HOSTILE]
    assert [row[-1].value for row in sheet.iter_rows(min_row=2)] == expected
    assert book.properties.creator == "bwv-review"


def test_the_pack_groups_by_theme_largest_first_with_counts() -> None:
    rows = (
        _row("", tags=("Grounds weak", "Receipt offered")),
        _row("Good receipt", tags=("Receipt offered",), kind="Good practice"),
        _row("Untagged", tags=()),
        _row("Also weak"),
    )
    document = training_pack(_export(*rows))
    overview, chapter = document.sections
    themes = chapter.subsections
    assert all(theme.level == 2 for theme in themes)
    assert [s.heading for s in themes] == ["Grounds weak", "Receipt offered", NO_THEME]
    summary = next(b for b in overview.blocks if isinstance(b, Table))
    assert [[c.text for c in row] for row in summary.rows] == [
        ["Grounds weak", "2", "0", "2"],
        ["Receipt offered", "2", "1", "1"],
        [NO_THEME, "1", "0", "1"],
    ]
    receipts = themes[1]
    assert isinstance(receipts.blocks[0], Paragraph)
    assert receipts.blocks[0].text == "2 points: 1 good practice, 1 learning."
    table = receipts.blocks[1]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[0]] == [
        "Clip 1, 00:01:02.500, frame 1562 ±1",
        "Learning point",
        "Stop and search",
        "=Q1 panel",
        "(no description yet)",
    ]


def test_the_pack_prints_as_a_pdf_poppler_renders(tmp_path: Path) -> None:
    rows = (
        _row("Camera on before the approach", tags=("BWV started late",)),
        _row("=Receipt offered and explained", tags=("Receipt offered",), kind="Good practice"),
        _row("<b>unclosed <font name=x> AT&T &amp; Cymraeg: ŵ ŷ", tags=("Receipt offered",)),
    )
    data = render_pdf(training_pack(_export(*rows)))
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in (
        "Learning points for training",
        "BWV started late",
        "Camera on before the approach",
        "=Receipt offered and explained",  # a PDF runs nothing: printed as typed
        "Clip 1, 00:01:02.500, frame 1562 ±1",
        "1 point: 0 good practice, 1 learning.",
        "<b>unclosed <font name=x> AT&T &amp; Cymraeg: ŵ ŷ",  # markup printed, not obeyed
    ):
        assert expected in text, expected
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("page-*.png"))) == len(reader.pages) >= 3
