"""Counts as report tables, with the small-number rules of each variant applied in one place.

Internal: every count is printed, those from 1 to 4 flagged. Published: those are printed
"<5", and further cells hidden ("[c]") wherever the printed totals would give a hidden one
back (`domain.small_numbers.suppress` decides which). A share always comes with its count
and denominator, and with its 95% Wilson interval under 10 cases; a share of a hidden count
is hidden with it, since the share would give the count away. Each marked cell carries its
CellFlag; the renderers print its mark and the table's legend (reports/cell_marks.py), so
the tables carry no note of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from bwv_review.domain.small_numbers import Mark, SuppressedTable, is_small, share, suppress
from bwv_review.reports.document import BarChart, Cell, CellFlag, Paragraph, Series, Table, Variant

TOTAL = "Total"
WITHHELD = "withheld"
CHART_LEFT_OUT = (
    "The chart is left out of the published report because some of its numbers are too "
    "small to publish; the table shows what can be."
)
_FLAG_FOR = {Mark.SUPPRESSED: CellFlag.SUPPRESSED, Mark.SECONDARY: CellFlag.SECONDARY}


def count_cell(count: int, variant: Variant) -> Cell:
    """A count standing alone (not part of a table with totals)."""
    if not is_small(count):
        return Cell(str(count))
    if variant is Variant.PUBLISHED:
        return Cell("<5", CellFlag.SUPPRESSED)
    return Cell(str(count), CellFlag.SMALL)


def share_text(count: int, total: int, variant: Variant) -> str:
    """ "12 of 40 (30%)"; "<5" in a published report when the count is small."""
    if variant is Variant.PUBLISHED and is_small(count):
        return "<5"
    return share(count, total).text


def one_way(
    caption: str, group_heading: str, groups: Sequence[str], counts: Sequence[int], variant: Variant
) -> Table:
    """Groups, their counts and their shares of the total, with the total last."""
    total = sum(counts)
    if variant is Variant.PUBLISHED:
        published = suppress([list(counts)], column_totals=False)
        cells = [_published_cell(published, 0, j) for j in range(len(counts))]
        total_text = str(total) if published.totals_shown else WITHHELD
    else:
        cells = [count_cell(count, variant) for count in counts]
        total_text = str(total)
    rows = []
    for group, count, cell in zip(groups, counts, cells, strict=True):
        shown_share = cell.text if cell.flag in _FLAG_FOR.values() else share(count, total).text
        rows.append((Cell(group), cell, Cell(shown_share, cell.flag)))
    rows.append((Cell(TOTAL), Cell(total_text), Cell("")))
    return Table(caption, (group_heading, "Cases", "Share of all"), tuple(rows))


def cross_table(
    caption: str,
    row_heading: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    variant: Variant,
) -> Table:
    """A cross-tab with row and column totals.

    Published, the totals are themselves one-way counts other tables print (the grade
    totals are the summary's cases by grade; the row totals, the cases by ethnicity of
    every table by ethnicity), so each margin is protected as that one-way table is, and
    reads the same wherever it appears. The hidden interior cells are chosen as if every
    total were printed, so a reader who learns a total elsewhere still cannot work one out.
    """
    grid = [list(row) for row in counts]
    row_totals = [sum(row) for row in grid]
    column_totals = [sum(row[j] for row in grid) for j in range(len(columns))]
    grand = Cell(str(sum(row_totals)))
    if variant is Variant.PUBLISHED:
        interior = suppress(grid)
        cells = [
            [_published_cell(interior, i, j) for j in range(len(columns))] for i in range(len(grid))
        ]
        if interior.totals_shown:
            row_cells, row_shown = _margin(row_totals)
            column_cells, column_shown = _margin(column_totals)
            if not (row_shown and column_shown):
                grand = Cell(WITHHELD)
        else:  # no hiding protects the small cells while totals are printed: withhold them
            row_cells = [Cell(WITHHELD)] * len(grid)
            column_cells = [Cell(WITHHELD)] * len(columns)
            grand = Cell(WITHHELD)
    else:
        cells = [[count_cell(value, variant) for value in row] for row in grid]
        row_cells = [Cell(str(t)) for t in row_totals]
        column_cells = [Cell(str(t)) for t in column_totals]
    body = [(Cell(label), *cells[i], row_cells[i]) for i, label in enumerate(rows)]
    body.append((Cell(TOTAL), *column_cells, grand))
    return Table(caption, (row_heading, *columns, TOTAL), tuple(body))


def column_cells(counts: Sequence[int], variant: Variant) -> list[Cell]:
    """A column of counts whose total the report prints elsewhere (a draw's strata add up
    to its frame size): published, protected against that total as a one-way table is."""
    if variant is Variant.PUBLISHED:
        return _margin(counts)[0]
    return [count_cell(count, variant) for count in counts]


def _margin(totals: Sequence[int]) -> tuple[list[Cell], bool]:
    """A published table's row or column totals as the one-way table of them prints them,
    and whether their own total (the grand total) may be printed beside them."""
    published = suppress([list(totals)], column_totals=False)
    return [_published_cell(published, 0, j) for j in range(len(totals))], published.totals_shown


def chart_or_note(
    title: str, table: Table, counts: Sequence[Sequence[int]], value_label: str
) -> BarChart | Paragraph:
    """A bar chart of a cross-tab (one series per column) with the table it draws; in a
    published table with hidden cells, a note instead, since bar lengths are numbers too."""
    if any(cell.flag in _FLAG_FOR.values() for row in table.rows for cell in row):
        return Paragraph(CHART_LEFT_OUT, style="caveat")
    categories = tuple(row[0].text for row in table.rows[:-1])
    columns = table.header[1:-1]
    # A grade no case got is left out of the bars (it stays a column of the table).
    series = tuple(
        Series(column, tuple(float(row[j]) for row in counts))
        for j, column in enumerate(columns)
        if any(row[j] for row in counts)
    )
    biggest = max(
        (
            (categories[i], column, row[j])
            for i, row in enumerate(counts)
            for j, column in enumerate(columns)
        ),
        key=lambda item: item[2],
        default=None,
    )
    words = f"{title}: bars of {value_label.lower()} for each of {len(categories)} groups"
    if biggest is not None and biggest[2] > 0:
        words += f"; the largest is {biggest[0]}, {biggest[1]} ({biggest[2]})"
    return BarChart(title, categories, series, value_label, words + ".", table)


def _published_cell(published: SuppressedTable, row: int, column: int) -> Cell:
    mark = published.marks.get((row, column))
    return Cell(published.text(row, column), _FLAG_FOR[mark] if mark else None)


def side_by_side(
    caption: str,
    group_heading: str,
    groups: Sequence[str],
    columns: Sequence[tuple[str, Sequence[int]]],
    variant: Variant,
) -> Table:
    """Several one-way counts over the same groups (the frame beside the sample), each
    column a share of its own total; in a published table each column is protected
    against its own printed total."""
    shown: list[list[Cell]] = []
    totals: list[str] = []
    for _name, counts in columns:
        total = sum(counts)
        if variant is Variant.PUBLISHED:
            published = suppress([list(counts)], column_totals=False)
            cells = [_published_cell(published, 0, j) for j in range(len(counts))]
            totals.append(str(total) if published.totals_shown else WITHHELD)
        else:
            cells = [count_cell(count, variant) for count in counts]
            totals.append(str(total))
        shown.append(
            [
                cell
                if cell.flag in _FLAG_FOR.values()
                else Cell(share(count, total).text if total else "0", cell.flag)
                for cell, count in zip(cells, counts, strict=True)
            ]
        )
    rows = [(Cell(group), *(column[i] for column in shown)) for i, group in enumerate(groups)]
    rows.append((Cell(TOTAL), *(Cell(t) for t in totals)))
    return Table(
        caption,
        (group_heading, *(name for name, _ in columns)),
        tuple(rows),
    )
