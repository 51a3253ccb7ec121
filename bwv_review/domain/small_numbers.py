"""Honest small numbers: shares with their counts, intervals where a rate rests on few cases,
and cells under 5 flagged (internal report) or hidden (published report).

A published table prints its row and column totals, so hiding a cell of 3 is not enough: if
it is the only hidden cell in its row, the row total minus the printed cells gives it back.
`suppress` therefore hides further cells ("secondary suppression") until no hidden cell is
pinned down by the printed totals, and checks that exactly: a hidden cell is recoverable
only if every table of non-negative counts that agrees with everything printed gives it the
same value. Rows and columns of a table with totals form a transportation polytope, whose
integer points differ by cycles of +1/-1 changes, so the check is a path search, not a
guess.

Example:

>>> share(3, 7).text
'3 of 7 (43%; 95% CI 16% to 75%)'
>>> share(30, 120).text
'30 of 120 (25%)'
>>> result = suppress([[3, 10], [8, 12]])
>>> [["<5" if m is Mark.SUPPRESSED else "[c]" if m else str(v) for v, m in row]
...  for row in result.cells()]
[['<5', '[c]'], ['[c]', '[c]']]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

# Fewer cases than this and a rate is never printed without its interval.
MIN_CASES_FOR_BARE_RATE = 10
# Counts from 1 to SMALL_CELL_LIMIT - 1 are flagged (internal) or hidden (published). A zero
# is shown: it describes no one.
SMALL_CELL_LIMIT = 5
_Z_95 = 1.959963984540054

PRIMARY_TEXT = "<5"
SECONDARY_TEXT = "[c]"


@dataclass(frozen=True)
class Interval:
    """A 95% interval for a proportion, as fractions of 1."""

    low: float
    high: float


def wilson_interval(count: int, total: int) -> Interval:
    """The Wilson score interval for `count` of `total`: unlike the textbook p +/- 1.96 SE it
    stays inside 0..1 and is not zero-width at 0 of 5, which is exactly where a panel's
    small numbers live."""
    if total <= 0:
        raise ValueError(f"a share needs a positive denominator, not {total}")
    if not 0 <= count <= total:
        raise ValueError(f"{count} of {total} is not a share")
    p = count / total
    z2 = _Z_95 * _Z_95
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = _Z_95 * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    # At 0 of n the lower bound is exactly 0 (and at n of n the upper is 1); floating point
    # leaves noise of 1e-17 either side, which would put the interval beside the share.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == total else min(1.0, centre + half)
    return Interval(low, high)


def percent_text(fraction: float) -> str:
    """A percentage to whole numbers, or one decimal under 1% so that a rare event is not
    printed as 0%."""
    percent = 100 * fraction
    if 0 < percent < 1:
        return f"{percent:.1f}%"
    return f"{percent:.0f}%"


@dataclass(frozen=True)
class Share:
    """`count` of `total`, with the interval whenever the total is under 10 (and on request
    otherwise). A report prints `text`; tables may print the parts."""

    count: int
    total: int
    interval: Interval | None

    @property
    def fraction(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def text(self) -> str:
        if self.total == 0:
            return "0 of 0 (no cases)"
        assert self.fraction is not None
        shown = f"{self.count} of {self.total} ({percent_text(self.fraction)}"
        if self.interval is not None:
            low, high = percent_text(self.interval.low), percent_text(self.interval.high)
            shown += f"; 95% CI {low} to {high}"
        return shown + ")"


def share(count: int, total: int, *, with_interval: bool = False) -> Share:
    """A share to print. Under MIN_CASES_FOR_BARE_RATE cases the interval is always there:
    "2 of 3 (67%)" reads as a finding, "2 of 3 (67%; 95% CI 21% to 94%)" reads as what it is."""
    if total < 0 or not 0 <= count <= max(total, 0):
        raise ValueError(f"{count} of {total} is not a share")
    needs_interval = total > 0 and (with_interval or total < MIN_CASES_FOR_BARE_RATE)
    return Share(count, total, wilson_interval(count, total) if needs_interval else None)


def is_small(count: int) -> bool:
    """A count the internal report flags and the published one hides."""
    return 0 < count < SMALL_CELL_LIMIT


class Mark(StrEnum):
    """Why a cell of a published table is hidden."""

    SUPPRESSED = "suppressed"  # under 5: printed "<5"
    SECONDARY = "secondary"  # hidden so a suppressed cell cannot be worked out from totals


Position = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts as it may be published.

    `marks` says which interior cells are hidden and why. `totals_shown` is False only when
    no choice of hidden cells can protect the small ones while the totals are printed (a
    table of one row, say): then the totals are withheld as well and only small cells are
    hidden. Row and column totals, when shown, are the true sums.
    """

    counts: tuple[tuple[int, ...], ...]
    marks: dict[Position, Mark]
    totals_shown: bool
    row_totals: bool
    column_totals: bool

    @property
    def primary(self) -> frozenset[Position]:
        return frozenset(p for p, m in self.marks.items() if m is Mark.SUPPRESSED)

    @property
    def secondary(self) -> frozenset[Position]:
        return frozenset(p for p, m in self.marks.items() if m is Mark.SECONDARY)

    def cells(self) -> Iterator[list[tuple[int, Mark | None]]]:
        """Each row's (count, mark) pairs, for a builder turning them into report cells."""
        for i, row in enumerate(self.counts):
            yield [(value, self.marks.get((i, j))) for j, value in enumerate(row)]

    def row_total(self, row: int) -> int:
        return sum(self.counts[row])

    def column_total(self, column: int) -> int:
        return sum(row[column] for row in self.counts)

    def text(self, row: int, column: int) -> str:
        """What a published table prints in this cell."""
        mark = self.marks.get((row, column))
        if mark is Mark.SUPPRESSED:
            return PRIMARY_TEXT
        if mark is Mark.SECONDARY:
            return SECONDARY_TEXT
        return str(self.counts[row][column])


def flag_small(counts: Sequence[Sequence[int]]) -> frozenset[Position]:
    """The cells the internal report prints with a small-number flag."""
    return frozenset(
        (i, j) for i, row in enumerate(counts) for j, value in enumerate(row) if is_small(value)
    )


def suppress(
    counts: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> SuppressedTable:
    """The published form of a table whose row totals and/or column totals are printed.

    Small cells are hidden, then, while any hidden cell can be worked out from what is
    printed, one more cell is hidden: the one that protects it and gives away least (a cell
    in its own row or column first, the smallest count first, a zero last since a hidden 0
    protects only one way). For a one-way list with a grand total, pass it as one row with
    `column_totals=False`.
    """
    grid = tuple(tuple(int(v) for v in row) for row in counts)
    if any(len(row) != len(grid[0]) for row in grid):
        raise ValueError("every row of a table needs the same number of cells")
    if any(v < 0 for row in grid for v in row):
        raise ValueError("counts cannot be negative")
    marks: dict[Position, Mark] = {p: Mark.SUPPRESSED for p in sorted(flag_small(grid))}
    lines = _Lines(row_totals, column_totals)
    while True:
        exposed = next((p for p in marks if recoverable(grid, set(marks), p, lines)), None)
        if exposed is None:
            return SuppressedTable(grid, marks, True, row_totals, column_totals)
        added = _protector(grid, marks, exposed, lines)
        if added is None:
            # Nothing left to hide protects it: withhold the totals instead.
            primary = {p: Mark.SUPPRESSED for p in sorted(flag_small(grid))}
            return SuppressedTable(grid, primary, False, row_totals, column_totals)
        marks[added] = Mark.SECONDARY


@dataclass(frozen=True)
class _Lines:
    """Which sums are printed: each printed row or column total is a constraint."""

    rows: bool
    columns: bool


def _protector(
    grid: tuple[tuple[int, ...], ...],
    marks: dict[Position, Mark],
    exposed: Position,
    lines: _Lines,
) -> Position | None:
    """The next cell to hide for `exposed`: one that protects it on its own if any does,
    otherwise the best one in its row or column, so that a later one can close the cycle."""
    candidates = [
        (i, j) for i, row in enumerate(grid) for j in range(len(row)) if (i, j) not in marks
    ]
    if not candidates:
        return None

    def cost(p: Position) -> tuple[int, int, int, Position]:
        shares_line = p[0] == exposed[0] or p[1] == exposed[1]
        value = grid[p[0]][p[1]]
        return (0 if shares_line else 1, 1 if value == 0 else 0, value, p)

    candidates.sort(key=cost)
    hidden = set(marks)
    for p in candidates:
        if not recoverable(grid, hidden | {p}, exposed, lines):
            return p
    return candidates[0]


_FREE = ("free", -1)


def recoverable(
    counts: Sequence[Sequence[int]],
    hidden: set[Position] | frozenset[Position],
    cell: Position,
    lines: _Lines | None = None,
) -> bool:
    """Whether the value of hidden `cell` follows from the printed cells and totals.

    It does not exactly when some table of non-negative counts agreeing with everything
    printed has it one higher or one lower: a cycle of alternating +1/-1 changes through
    hidden cells that keeps every printed total, never taking a count below zero. Lines
    whose total is not printed absorb any change (the virtual node `_FREE` joins them).
    """
    lines = lines or _Lines(True, True)
    i, j = cell
    return not (
        _can_shift(counts, hidden, cell, lines, up=True)
        or (counts[i][j] > 0 and _can_shift(counts, hidden, cell, lines, up=False))
    )


def _can_shift(
    counts: Sequence[Sequence[int]],
    hidden: set[Position] | frozenset[Position],
    cell: Position,
    lines: _Lines,
    *,
    up: bool,
) -> bool:
    """A path from the cell's column back to its row that balances a +1 (up) or -1 change.

    Going from a column to a row takes the opposite change on a hidden cell of that column,
    going from a row to a column the same change as the cell; a cell can go down only if it
    is above zero.
    """
    row, column = cell
    others = [p for p in hidden if p != cell]

    def constrained(node: tuple[str, int]) -> bool:
        kind, _ = node
        return lines.rows if kind == "row" else lines.columns

    def steps(node: tuple[str, int]) -> Iterator[tuple[str, int]]:
        kind, index = node
        if node == _FREE:
            for i in {p[0] for p in others}:
                if not lines.rows:
                    yield ("row", i)
            for j in {p[1] for p in others}:
                if not lines.columns:
                    yield ("column", j)
            return
        if not constrained(node):
            yield _FREE
        for i, j in others:
            value = counts[i][j]
            if kind == "column" and j == index:
                # Balancing this column: the opposite change; going down needs a count.
                if up and value == 0:
                    continue
                yield ("row", i)
            elif kind == "row" and i == index:
                # Carrying on from this row: the same change as the cell's.
                if not up and value == 0:
                    continue
                yield ("column", j)

    target: tuple[str, int] = ("row", row)
    start: tuple[str, int] = ("column", column) if lines.columns else _FREE
    if not lines.rows and start == _FREE:
        return True  # nothing printed constrains the cell
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        if node == target or (node == _FREE and not lines.rows):
            return True
        for nxt in steps(node):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False
