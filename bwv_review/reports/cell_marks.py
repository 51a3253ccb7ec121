"""The mark and words for each flagged table cell, the same in the PDF and the HTML.

A flagged cell must not be told apart by shading alone (greyscale print, screen readers,
colour-blind readers), so it carries a printed mark, and the table a line saying what
each mark present means.
"""

from __future__ import annotations

from collections.abc import Iterable

from bwv_review.reports.document import CellFlag, Table

MARKS: dict[CellFlag, str] = {
    CellFlag.SMALL: "*",
    CellFlag.SUPPRESSED: "\u2020",
    CellFlag.SECONDARY: "\u2021",
}

MEANINGS: dict[CellFlag, str] = {
    CellFlag.SMALL: "fewer than 5: read with care.",
    CellFlag.SUPPRESSED: "fewer than 5, not shown (<5).",
    CellFlag.SECONDARY: "not shown, so that a hidden figure cannot be worked out from the totals.",
}


def flags_in(table: Table) -> list[CellFlag]:
    """The flags `table` uses, in the fixed order of `CellFlag` (so the legend is stable)."""
    used = {cell.flag for row in table.rows for cell in row if cell.flag is not None}
    return [flag for flag in CellFlag if flag in used]


def legend_lines(flags: Iterable[CellFlag]) -> list[str]:
    """'* fewer than 5: read with care.', one line per flag."""
    return [f"{MARKS[flag]} {MEANINGS[flag]}" for flag in flags]
