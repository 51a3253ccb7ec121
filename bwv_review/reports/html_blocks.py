"""The HTML of each report block: paragraphs, lists, real tables and charts.

All text goes through `text()`: control characters made visible, then escaped, so typed
markup prints as typed and can never become markup. Text runs sit in `dir="auto"`
elements (table cells in `<bdi>`), so an Urdu note reads right to left without turning
the table or the page around it.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator

from bwv_review.reports.cell_marks import MARKS, flags_in, legend_lines
from bwv_review.reports.charts import svg_for
from bwv_review.reports.document import BarChart, Block, BulletList, Cell, Paragraph, Table
from bwv_review.reports.visible_text import visible

# The SVG's own width in user units; CSS stretches it to the text column (in rem), so
# its 9-unit labels print at about the body text size and follow the reader's font size.
CHART_WIDTH_PT = 480.0
_PARAGRAPH_CLASSES = {"body": "", "lead": "lead", "caveat": "caveat"}
_NUMERIC = re.compile(r"[<\[\d£-]")


def text(value: str) -> str:
    """`value` safe inside an element or a quoted attribute, shown as typed."""
    return html.escape(visible(value), quote=True)


class Ids:
    """Numbers for tables and charts in document order, so ids are unique and stable."""

    def __init__(self) -> None:
        self._tables = itertools.count(1)
        self._charts = itertools.count(1)

    def table(self) -> str:
        return f"table-{next(self._tables)}"

    def chart(self) -> str:
        return f"chart-{next(self._charts)}"


def block_html(block: Block, ids: Ids) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield _paragraph(block)
    elif isinstance(block, BulletList):
        yield "<ul>"
        yield from (f'<li dir="auto">{text(item)}</li>' for item in block.items)
        yield "</ul>"
    elif isinstance(block, Table):
        yield from table_html(block, ids)
    else:
        yield from _chart(block, ids)


def _paragraph(paragraph: Paragraph) -> str:
    if paragraph.style == "quote":
        return f'<blockquote><p dir="auto">{text(paragraph.text)}</p></blockquote>'
    css_class = _PARAGRAPH_CLASSES.get(paragraph.style, "")
    attribute = f' class="{css_class}"' if css_class else ""
    return f'<p{attribute} dir="auto">{text(paragraph.text)}</p>'


def table_html(table: Table, ids: Ids) -> Iterator[str]:
    """A real table: caption, column headers with scope="col", row headers with
    scope="row"; its note and the meaning of each cell mark follow it as text."""
    table_id = ids.table()
    yield (
        f'<div class="table-wrap" role="region" aria-labelledby="{table_id}" tabindex="0">'
        f'<table><caption id="{table_id}" dir="auto">{text(table.caption)}</caption>'
    )
    if table.header:
        headers = "".join(f'<th scope="col"><bdi>{text(h)}</bdi></th>' for h in table.header)
        yield f"<thead><tr>{headers}</tr></thead>"
    yield "<tbody>"
    for row in table.rows:
        cells = [
            _cell(cell, header=table.row_headers and index == 0) for index, cell in enumerate(row)
        ]
        yield f"<tr>{''.join(cells)}</tr>"
    yield "</tbody></table></div>"
    if table.note:
        yield f'<p class="table-note" dir="auto">{text(table.note)}</p>'
    for line in legend_lines(flags_in(table)):
        yield f'<p class="table-note">{text(line)}</p>'


def _cell(cell: Cell, *, header: bool) -> str:
    classes = []
    if not header and _NUMERIC.match(cell.text):
        classes.append("num")
    content = f"<bdi>{text(cell.text)}</bdi>"
    if cell.flag is not None:
        classes.append("flagged")
        content += f' <span class="mark">{MARKS[cell.flag]}</span>'
    attribute = f' class="{" ".join(classes)}"' if classes else ""
    if header:
        return f'<th scope="row"{attribute}>{content}</th>'
    return f"<td{attribute}>{content}</td>"


def _chart(chart: BarChart, ids: Ids) -> Iterator[str]:
    """The chart as inline SVG (its title and alt text inside, for screen readers), then
    the table of its numbers."""
    chart_id = ids.chart()
    yield f'<figure aria-labelledby="{chart_id}-caption">'
    yield f'<figcaption id="{chart_id}-caption" dir="auto">{text(chart.title)}</figcaption>'
    yield svg_for(chart, CHART_WIDTH_PT, id_prefix=chart_id)
    yield "</figure>"
    yield from table_html(chart.table, ids)
