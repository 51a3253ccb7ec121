"""The report's tables in the PDF: real tables a reader can follow over pages.

The header row repeats on every page; each column is at least as wide as its longest
word; a cell too long for a page continues in the rows below (a row never splits, and a
row taller than a page would stop the layout); flagged cells carry a mark and the
table a legend (`cell_marks`), never shade alone. A cell that fits on one line in one
font is a plain string, which platypus lays out many times faster than a Paragraph: a
report's tables run to thousands of cells.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as PdfTable

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.cell_marks import MARKS, flags_in, legend_lines
from bwv_review.reports.document import Cell, Table
from bwv_review.reports.fonts import SANS, SANS_BOLD, font_runs
from bwv_review.reports.pdf_text import kept_together, text_flowables
from bwv_review.reports.text_shaping import chunks, clean_text

_NUMERIC = re.compile(r"^[<>~]?[\d.,]+%?( \([^)]*\))?[*\u2020\u2021]?$")
_CELL_PADDING_PT = 12  # platypus's default 6 pt each side
_WORD_SHARE = 0.3
_NARROWEST_PT = 18
_TEXT_SHARE = 0.6

CellContent = str | list[Flowable]


def _text_width(text: str, style: ParagraphStyle, bold: bool) -> float:
    runs = font_runs(clean_text(text), bold)
    return sum(stringWidth(run, face, style.fontSize) for face, run in runs)


def _longest_word_pt(text: str, style: ParagraphStyle, bold: bool) -> float:
    words = text.split()[:200] or [""]
    return max(_text_width(word, style, bold) for word in words)


def _cell_text(cell: Cell) -> str:
    return f"{cell.text}{MARKS[cell.flag]}" if cell.flag else cell.text


def column_widths(table: Table, width_pt: float) -> list[float]:
    """Each column at least as wide as its longest word (so "Adequate" is not broken
    into "Adeq-uate"), the rest shared out by how much text each column holds, so a long
    row heading or note gets room and a column of counts stays narrow."""
    floors, wants = [], []
    for index, heading in enumerate(table.header):
        cells = [_cell_text(row[index]) for row in table.rows]
        row_heading = index == 0 and table.row_headers
        floor = max(
            [_longest_word_pt(heading, styles.HEADER_CELL, True)]
            + [_longest_word_pt(text, styles.CELL, row_heading) for text in cells]
        )
        longest = max(
            [_text_width(heading, styles.HEADER_CELL, True)]
            + [_text_width(text[:400], styles.CELL, row_heading) for text in cells]
        )
        # A word wider than this (a pasted link, 50,000 letters) is split anyway, and must
        # not squeeze the other columns to nothing.
        floor = min(max(floor, _NARROWEST_PT), _WORD_SHARE * width_pt)
        floors.append(floor + _CELL_PADDING_PT)
        # A long text wraps whatever it is given; short ones get their whole line first.
        wants.append(max(min(longest, _TEXT_SHARE * width_pt), floor) + _CELL_PADDING_PT)
    if sum(floors) >= width_pt:  # words will be split: each column keeps some room
        least = min(_NARROWEST_PT + _CELL_PADDING_PT, width_pt / len(floors))
        room = width_pt - least * len(floors)
        over = [floor - least for floor in floors]
        return [least + room * extra / sum(over) if sum(over) else least for extra in over]
    if sum(wants) <= width_pt:
        spare = (width_pt - sum(wants)) / len(wants)
        return [want + spare for want in wants]
    extra = [want - floor for want, floor in zip(wants, floors, strict=True)]
    share = (width_pt - sum(floors)) / sum(extra)
    return [floor + gap * share for floor, gap in zip(floors, extra, strict=True)]


def _chunk_limit(column_width_pt: float) -> int:
    """The most characters a cell piece may hold so that its row stays well under a page
    at this column width (a row never splits; a longer text continues in the rows below)."""
    chars_per_line = column_width_pt / (0.55 * styles.CELL.fontSize)
    lines = 0.25 * styles.FRAME_HEIGHT_PT / styles.CELL.leading
    return max(int(chars_per_line * lines), 40)


def _row_pieces(row: tuple[Cell, ...], widths: list[float]) -> list[list[str]]:
    pieces = [
        chunks(clean_text(_cell_text(cell)), _chunk_limit(width))
        for cell, width in zip(row, widths, strict=True)
    ]
    depth = max((len(cell_pieces) for cell_pieces in pieces), default=1)
    return [
        [cell_pieces[k] if k < len(cell_pieces) else "" for cell_pieces in pieces]
        for k in range(depth)
    ]


def _numeric_columns(table: Table) -> set[int]:
    """Columns of counts and shares, set flush right so their digits line up."""
    first = 1 if table.row_headers else 0
    numeric = set()
    for index in range(first, len(table.header)):
        texts = [_cell_text(row[index]) for row in table.rows if row[index].text]
        if texts and all(_NUMERIC.match(text) for text in texts):
            numeric.add(index)
    return numeric


def _content(text: str, style: ParagraphStyle, bold: bool, width_pt: float) -> CellContent:
    face = SANS_BOLD if bold else SANS
    plain = (
        "\n" not in text
        and font_runs(text, bold) in ([], [(face, text)])
        and stringWidth(text, face, style.fontSize) <= width_pt - _CELL_PADDING_PT
    )
    return text if plain else text_flowables(text, style, bold)


def _style_commands(table: Table, numeric: set[int]) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), styles.CELL.fontSize),
        ("LEADING", (0, 0), (-1, -1), styles.CELL.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
        ("BACKGROUND", (0, 0), (-1, 0), styles.HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, styles.INK),
        ("BOX", (0, 0), (-1, -1), 0.5, styles.RULE),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, styles.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if table.row_headers:
        commands.append(("FONTNAME", (0, 1), (0, -1), SANS_BOLD))
    commands += [("ALIGN", (index, 1), (index, -1), "RIGHT") for index in sorted(numeric)]
    return commands


class TableShapeError(ValueError):
    """A table whose rows do not match its header: a fault in the code that built the
    report, named so it can be found, rather than a cell silently left out."""


def _check(table: Table) -> None:
    if not table.header:
        raise TableShapeError(f"table {table.caption!r} has no header cells")
    for number, row in enumerate(table.rows, start=1):
        if len(row) != len(table.header):
            raise TableShapeError(
                f"table {table.caption!r}: row {number} has {len(row)} cells, "
                f"the header {len(table.header)}"
            )


def table_flowables(table: Table, width_pt: float = styles.FRAME_WIDTH_PT) -> list[Flowable]:
    """Caption, table and notes (the table's own, then the legend of the marks used),
    kept on one page when they fit."""
    _check(table)
    widths = column_widths(table, width_pt)
    numeric = _numeric_columns(table)
    rows: list[list[CellContent]] = [
        [
            _content(clean_text(text), styles.HEADER_CELL, True, width)
            for text, width in zip(table.header, widths, strict=True)
        ]
    ]
    commands = _style_commands(table, numeric)
    row_ends: list[int] = []
    for row in table.rows:
        first = len(rows)
        for pieces in _row_pieces(row, widths):
            cells = []
            for column, (text, width) in enumerate(zip(pieces, widths, strict=True)):
                bold = table.row_headers and column == 0
                style = (
                    styles.HEADER_CELL
                    if bold
                    else styles.NUMBER_CELL
                    if column in numeric
                    else styles.CELL
                )
                cells.append(_content(text, style, bold, width))
            rows.append(cells)
        row_ends.append(len(rows) - 1)
        commands += [
            ("BACKGROUND", (column, first), (column, len(rows) - 1), styles.FLAG_FILL)
            for column, cell in enumerate(row)
            if cell.flag
        ]
    if len(row_ends) == len(rows) - 1:
        commands.append(("LINEBELOW", (0, 1), (-1, -1), 0.5, styles.RULE))
    else:  # no rule inside a cell continued over several rows
        commands += [("LINEBELOW", (0, end), (-1, end), 0.5, styles.RULE) for end in row_ends]
    pdf_table = PdfTable(
        rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), hAlign="LEFT"
    )
    flowables: list[Flowable] = [
        *text_flowables(table.caption, styles.CAPTION, bold=True),
        pdf_table,
    ]
    notes = [table.note] if table.note else []
    for note in notes + legend_lines(flags_in(table)):
        flowables.extend(text_flowables(note, styles.NOTE))
    return kept_together(flowables)
