"""The report model's blocks as platypus flowables: text, bullet lists, tables, charts.

Every piece of text goes through `text_shaping` (escaped, font runs, cut into pieces no
taller than a page), so nothing a member typed is read as markup or breaks the layout.
"""

from __future__ import annotations

import re
from typing import Any

import arabic_reshaper
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.cell_marks import MARKS, flags_in, legend_lines
from bwv_review.reports.charts import drawing_for
from bwv_review.reports.document import (
    BarChart,
    Block,
    BulletList,
    Cell,
    Paragraph,
    Table,
)
from bwv_review.reports.fonts import SANS, font_runs
from bwv_review.reports.text_shaping import (
    chunks,
    clean_text,
    has_rtl,
    is_rtl_paragraph,
    markup,
    visual_line,
    wrap_words,
)

_NUMERIC = re.compile(r"^[<>~]?[\d.,]+%?( \([^)]*\))?[*\u2020\u2021]?$")


class _LineStack(Flowable):
    """Lines already broken and ordered for drawing, stacked; it splits between lines."""

    def __init__(self, lines: list[PdfParagraph], space_after_pt: float) -> None:
        super().__init__()
        self._lines = lines
        self._space_after_pt = space_after_pt
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [line.wrap(availWidth, availHeight)[1] for line in self._lines]
        self.width = availWidth
        return availWidth, sum(self._heights) + self._space_after_pt

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, fitting = 0.0, 0
        for height in self._heights:
            if used + height > availHeight:
                break
            used, fitting = used + height, fitting + 1
        if fitting in (0, len(self._lines)):
            return []
        return [
            _LineStack(self._lines[:fitting], 0),
            _LineStack(self._lines[fitting:], self._space_after_pt),
        ]

    def draw(self) -> None:
        top = sum(self._heights) + self._space_after_pt
        for line, height in zip(self._lines, self._heights, strict=True):
            top -= height
            line.drawOn(self.canv, 0, top)


class BidiText(Flowable):
    """Text holding right-to-left script: broken into lines here, at the width it is
    given, and only then put into visual order line by line (see `visual_line`)."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False) -> None:
        super().__init__()
        self._text, self._style, self._bold = text, style, bold
        self._rtl = is_rtl_paragraph(text)
        self._stack: _LineStack | None = None
        self._width_pt = -1.0

    def _measure(self, line: str) -> float:
        shaped = arabic_reshaper.reshape(line)
        size = self._style.fontSize
        return sum(stringWidth(run, face, size) for face, run in font_runs(shaped, self._bold))

    def _lines(self, width_pt: float) -> _LineStack:
        if self._stack is None or width_pt != self._width_pt:
            style = styles.aligned(self._style, self._rtl)
            line_style = ParagraphStyle(
                f"{style.name}_line", parent=style, spaceAfter=0, spaceBefore=0
            )
            lines = wrap_words(self._text, width_pt * 0.97, self._measure)
            paragraphs = [
                PdfParagraph(markup(visual_line(line, self._rtl), self._bold), line_style)
                for line in lines
            ]
            self._stack = _LineStack(paragraphs, self._style.spaceAfter)
            self._width_pt = width_pt
        return self._stack

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._lines(availWidth).wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._lines(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._stack is not None, "platypus wraps a flowable before drawing it"
        self._stack.drawOn(self.canv, 0, 0)


def text_flowables(
    text: str, style: ParagraphStyle, bold: bool = False, bullet: bool = False
) -> list[Flowable]:
    """`text` as typed, as one flowable per piece (`chunks`) so none is taller than a page."""
    flowables: list[Flowable] = []
    for index, piece in enumerate(chunks(clean_text(text))):
        first_bullet = bullet and index == 0
        if has_rtl(piece):
            flowables.append(BidiText(f"\u2022 {piece}" if first_bullet else piece, style, bold))
        else:
            flowables.append(
                PdfParagraph(
                    markup(piece, bold), style, bulletText="\u2022" if first_bullet else None
                )
            )
    return flowables


_CELL_PADDING_PT = 12  # platypus's default 6 pt each side


def _text_width(text: str, style: ParagraphStyle, bold: bool) -> float:
    runs = font_runs(clean_text(text), bold)
    return sum(stringWidth(run, face, style.fontSize) for face, run in runs)


def _longest_word_pt(text: str, style: ParagraphStyle, bold: bool) -> float:
    words = text.split()[:200] or [""]
    return max(_text_width(word, style, bold) for word in words)


def _column_widths(table: Table, width_pt: float) -> list[float]:
    """Each column at least as wide as its longest word (so "Adequate" is not broken
    into "Adeq-uate"), the rest shared out by how much text each column holds, so a long
    row heading or note gets room and a column of counts stays narrow."""
    floors, wants = [], []
    for index, heading in enumerate(table.header):
        cells = [_cell_text(row[index]) for row in table.rows if index < len(row)]
        row_heading = index == 0 and table.row_headers
        floor = max(
            [_longest_word_pt(heading, styles.HEADER_CELL, True)]
            + [_longest_word_pt(text, styles.CELL, row_heading) for text in cells]
        )
        longest = max(
            [_text_width(heading, styles.HEADER_CELL, True)]
            + [_text_width(text[:400], styles.CELL, row_heading) for text in cells]
        )
        floors.append(floor + _CELL_PADDING_PT)
        wants.append(max(longest + _CELL_PADDING_PT, floor + _CELL_PADDING_PT))
    if sum(floors) >= width_pt:
        return [width_pt * floor / sum(floors) for floor in floors]
    if sum(wants) <= width_pt:
        spare = (width_pt - sum(wants)) / len(wants)
        return [want + spare for want in wants]
    extra = [want - floor for want, floor in zip(wants, floors, strict=True)]
    share = (width_pt - sum(floors)) / sum(extra)
    return [floor + gap * share for floor, gap in zip(floors, extra, strict=True)]


def _cell_text(cell: Cell) -> str:
    return f"{cell.text}{MARKS[cell.flag]}" if cell.flag else cell.text


def _cell_style(bold: bool, numeric_right: bool, text: str) -> ParagraphStyle:
    if bold:
        return styles.HEADER_CELL
    return styles.NUMBER_CELL if numeric_right and _NUMERIC.match(text) else styles.CELL


def _chunk_limit(column_width_pt: float) -> int:
    """The most characters a cell piece may hold so that its row stays well under a page
    at this column width (a row never splits; a longer text continues in the rows below)."""
    chars_per_line = column_width_pt / (0.55 * styles.CELL.fontSize)
    lines = 0.25 * styles.FRAME_HEIGHT_PT / styles.CELL.leading
    return max(int(chars_per_line * lines), 40)


def _row_pieces(row: tuple[Cell, ...], widths: list[float]) -> list[list[str]]:
    pieces = [
        chunks(clean_text(_cell_text(cell)), _chunk_limit(width))
        for cell, width in zip(row, widths, strict=False)
    ]
    depth = max((len(cell_pieces) for cell_pieces in pieces), default=1)
    return [
        [cell_pieces[k] if k < len(cell_pieces) else "" for cell_pieces in pieces]
        for k in range(depth)
    ]


def table_flowables(table: Table, width_pt: float = styles.FRAME_WIDTH_PT) -> list[Flowable]:
    """A real table: header row repeated on every page it runs onto, long cells wrapped,
    and a cell too long for a page continued in the rows below (no rule between them);
    flagged cells marked and explained under the table."""
    widths = _column_widths(table, width_pt)
    rows: list[list[list[Flowable]]] = [
        [text_flowables(text, styles.HEADER_CELL, bold=True) for text in table.header]
    ]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), styles.HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, styles.INK),
        ("BOX", (0, 0), (-1, -1), 0.5, styles.RULE),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, styles.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for row in table.rows:
        first = len(rows)
        for piece_row in _row_pieces(row, widths):
            rows.append(
                [
                    text_flowables(
                        text,
                        _cell_style(table.row_headers and column == 0, column > 0, text),
                        table.row_headers and column == 0,
                    )
                    for column, text in enumerate(piece_row)
                ]
            )
        last = len(rows) - 1
        commands.append(("LINEBELOW", (0, last), (-1, last), 0.5, styles.RULE))
        for column, cell in enumerate(row):
            if cell.flag:
                commands.append(("BACKGROUND", (column, first), (column, last), styles.FLAG_FILL))
    pdf_table = PdfTable(
        rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), hAlign="LEFT"
    )
    flowables: list[Flowable] = [
        *text_flowables(table.caption, styles.CAPTION, bold=True),
        pdf_table,
    ]
    notes = [table.note] if table.note else []
    notes += legend_lines(flags_in(table))
    for note in notes:
        flowables.extend(text_flowables(note, styles.NOTE))
    return _kept_together(flowables)


class _Figure(Flowable):
    """A chart drawing as a plain flowable, which (unlike a Drawing) may be kept with
    the next flowable."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self._drawing = drawing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._drawing.wrap(availWidth, availHeight)

    def draw(self) -> None:
        self._drawing.drawOn(self.canv, 0, 0)


def _kept_together(flowables: list[Flowable]) -> list[Flowable]:
    """Each flowable kept on the page of the next (a heading before them joins the
    chain), so a caption, its table and its notes are not parted when they fit on one
    page; a longer table still splits, its header repeated."""
    for flowable in flowables[:-1]:
        flowable.keepWithNext = True
    return flowables


def chart_flowables(chart: BarChart, width_pt: float = styles.FRAME_WIDTH_PT) -> list[Flowable]:
    """The chart with its title and a description in words, then its numbers as a table."""
    figure: list[Flowable] = [
        *text_flowables(chart.title, styles.CAPTION, bold=True),
        _Figure(drawing_for(chart, width_pt, font_name=SANS)),
        *text_flowables(chart.alt_text, styles.NOTE),
    ]
    return [*_kept_together(figure), *table_flowables(chart.table, width_pt)]


def block_flowables(block: Block) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return text_flowables(block.text, styles.PARAGRAPH_STYLES.get(block.style, styles.BODY))
    if isinstance(block, BulletList):
        return [
            flowable
            for item in block.items
            for flowable in text_flowables(item, styles.BULLET, bullet=True)
        ]
    if isinstance(block, Table):
        return table_flowables(block)
    return chart_flowables(block)
