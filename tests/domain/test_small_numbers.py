"""Small numbers: Wilson intervals against published values, shares that never print a rate
from few cases bare, and published tables whose hidden cells cannot be worked out from their
totals, checked by enumerating every table of counts that agrees with what is printed (a
brute force independent of the path search the code uses)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bwv_review.domain.small_numbers import (
    PRIMARY_TEXT,
    SECONDARY_TEXT,
    Mark,
    flag_small,
    share,
    suppress,
    wilson_interval,
)

Grid = list[list[int]]
Cell = tuple[int, int]


def test_wilson_interval_matches_the_textbook_values() -> None:
    # Newcombe (1998), Table I: 0 of 10 -> 0 to 0.2775; 5 of 10 -> 0.2366 to 0.7634.
    none = wilson_interval(0, 10)
    assert none.low == 0.0
    assert none.high == pytest.approx(0.2775, abs=5e-5)
    half = wilson_interval(5, 10)
    assert (half.low, half.high) == (
        pytest.approx(0.2366, abs=5e-5),
        pytest.approx(0.7634, abs=5e-5),
    )


def test_wilson_interval_worked_by_hand() -> None:
    # 3 of 7, z = 1.96: p = 0.428571, z^2 = 3.8416
    # centre = (p + z^2/2n) / (1 + z^2/n) = (0.428571 + 0.274400) / 1.548800 = 0.453881
    # half   = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
    #        = 1.96 * sqrt(0.034985 + 0.019600) / 1.548800 = 1.96 * 0.233635 / 1.5488 = 0.295666
    # so 0.158 to 0.750
    interval = wilson_interval(3, 7)
    assert interval.low == pytest.approx(0.1582, abs=2e-4)
    assert interval.high == pytest.approx(0.7495, abs=2e-4)


@pytest.mark.parametrize("total", [1, 3, 7, 10, 333])
def test_none_and_all_have_exact_ends(total: int) -> None:
    # Floating point left 0 of 3 with a lower bound of 5.6e-17, above the share itself.
    assert wilson_interval(0, total).low == 0.0
    assert wilson_interval(total, total).high == 1.0


@pytest.mark.parametrize(("count", "total"), [(-1, 5), (6, 5), (0, 0)])
def test_wilson_interval_refuses_what_is_not_a_share(count: int, total: int) -> None:
    with pytest.raises(ValueError, match=r"share|denominator"):
        wilson_interval(count, total)


def test_a_rate_from_fewer_than_ten_cases_always_carries_its_interval() -> None:
    assert share(3, 7).text == "3 of 7 (43%; 95% CI 16% to 75%)"
    assert share(0, 4).text == "0 of 4 (0%; 95% CI 0% to 49%)"
    assert share(9, 9).text.startswith("9 of 9 (100%; 95% CI 70% to 100%")
    assert share(30, 120).text == "30 of 120 (25%)"
    assert share(30, 120, with_interval=True).interval is not None
    assert share(1, 400).text == "1 of 400 (0.2%)"
    assert share(0, 0).text == "0 of 0 (no cases)"


@given(st.integers(0, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_share_prints_its_count_and_denominator(pair: tuple[int, int]) -> None:
    count, total = pair
    shown = share(count, total)
    assert shown.text.startswith(f"{count} of {total} (")
    assert ("95% CI" in shown.text) == (0 < total < 10)
    if shown.interval is not None:
        assert 0 <= shown.interval.low <= count / total <= shown.interval.high <= 1


def test_internal_flags_are_counts_from_one_to_four() -> None:
    assert flag_small([[0, 1, 4], [5, 12, 3]]) == {(0, 1), (0, 2), (1, 2)}


def test_a_lone_small_cell_gets_partners_that_close_a_cycle() -> None:
    table = suppress([[3, 10, 20], [8, 12, 30]])
    assert table.primary == {(0, 0)}
    # The smallest in its row (10) and in its column (8), then the cell closing the square.
    assert table.secondary == {(0, 1), (1, 0), (1, 1)}
    assert table.totals_shown
    assert [table.text(0, j) for j in range(3)] == [PRIMARY_TEXT, SECONDARY_TEXT, "20"]
    assert (table.row_total(0), table.column_total(0)) == (33, 11)


def test_a_one_way_list_with_a_total_hides_a_second_cell() -> None:
    table = suppress([[3, 40, 25, 0]], column_totals=False)
    assert table.primary == {(0, 0)}
    assert table.secondary == {(0, 2)}  # the smallest non-zero count, not the 0


def test_a_table_too_small_to_protect_withholds_its_totals() -> None:
    table = suppress([[3]])
    assert not table.totals_shown
    assert table.marks == {(0, 0): Mark.SUPPRESSED}


def test_a_table_with_nothing_small_hides_nothing() -> None:
    table = suppress([[0, 10], [7, 12]])
    assert table.marks == {}


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[1, -2]]])
def test_suppress_refuses_ragged_or_negative_tables(bad: Grid) -> None:
    with pytest.raises(ValueError, match=r"same number|negative"):
        suppress(bad)


def _values_agreeing_with_print(
    grid: Grid, hidden: set[Cell], *, rows: bool, columns: bool
) -> dict[Cell, set[int]]:
    """Every value each hidden cell takes over all tables of non-negative counts that print
    the same visible cells and totals. Stops as soon as each hidden cell has shown two."""
    cells = sorted(hidden)
    row_left = [
        sum(row) - sum(v for j, v in enumerate(row) if (i, j) not in hidden)
        for i, row in enumerate(grid)
    ]
    width = len(grid[0])
    column_left = [
        sum(grid[i][j] for i in range(len(grid)))
        - sum(grid[i][j] for i in range(len(grid)) if (i, j) not in hidden)
        for j in range(width)
    ]
    seen: dict[Cell, set[int]] = {cell: set() for cell in cells}
    bound = sum(map(sum, grid))

    def done() -> bool:
        return all(len(values) > 1 for values in seen.values())

    def walk(index: int, assigned: dict[Cell, int]) -> bool:
        if index == len(cells):
            if rows and any(row_left[i] for i in range(len(grid))):
                return False
            if columns and any(column_left[j] for j in range(width)):
                return False
            for cell, value in assigned.items():
                seen[cell].add(value)
            return done()
        i, j = cells[index]
        limits = [bound]
        if rows:
            limits.append(row_left[i])
        if columns:
            limits.append(column_left[j])
        for value in range(min(limits) + 1):
            row_left[i] -= value
            column_left[j] -= value
            assigned[(i, j)] = value
            finished = walk(index + 1, assigned)
            row_left[i] += value
            column_left[j] += value
            del assigned[(i, j)]
            if finished:
                return True
        return False

    walk(0, {})
    return seen


small_or_not = st.one_of(st.integers(0, 4), st.integers(0, 9))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda height: st.integers(2, 3).flatmap(
            lambda width: st.lists(
                st.lists(small_or_not, min_size=width, max_size=width),
                min_size=height,
                max_size=height,
            )
        )
    )
)
def test_no_hidden_cell_can_be_worked_out_from_the_totals(grid: Grid) -> None:
    table = suppress(grid)
    small = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < 5}
    assert table.primary == small
    assert not table.secondary & small
    if not table.totals_shown:
        return
    values = _values_agreeing_with_print(grid, set(table.marks), rows=True, columns=True)
    pinned = {cell: v for cell, v in values.items() if len(v) < 2}
    assert not pinned, f"{grid}: {pinned} follow from the totals"


@settings(max_examples=100, deadline=None)
@given(st.lists(small_or_not, min_size=1, max_size=6))
def test_no_hidden_count_in_a_list_follows_from_its_total(counts: list[int]) -> None:
    table = suppress([counts], column_totals=False)
    if not table.totals_shown:
        # Only when hiding every cell would still leave one pinned: a list of one count.
        assert len(counts) == 1 or sum(1 for v in counts if v) <= 1
        return
    values = _values_agreeing_with_print([counts], set(table.marks), rows=True, columns=False)
    assert all(len(v) > 1 for v in values.values()), counts


def test_the_brute_force_sees_a_cell_a_naive_suppression_gives_away() -> None:
    # Hiding only the 3 leaves it as row total 33 minus 10 minus 20: the check must say so.
    values = _values_agreeing_with_print(
        [[3, 10, 20], [8, 12, 30]], {(0, 0)}, rows=True, columns=True
    )
    assert values == {(0, 0): {3}}
