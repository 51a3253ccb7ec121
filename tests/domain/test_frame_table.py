"""The library's column store filters and sorts exactly as a plain Python loop would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bwv_review.domain.frame_table import (
    NOT_RECORDED,
    ColumnSpec,
    FrameFilter,
    FrameTable,
    FrameTableBuilder,
)

SPECS = [
    ColumnSpec("date", "Date", "time"),
    ColumnSpec("ethnicity", "Officer-defined ethnicity"),
    ColumnSpec("age", "Age range"),
]
ETHNICITIES = ["White", "Black", "Asian", None, ""]
AGES = ["10-17", "18-24", "over 34", None]
BASE = datetime(2019, 12, 1, tzinfo=UTC)

rows_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60 * 24 * 31),
        st.sampled_from(ETHNICITIES),
        st.sampled_from(AGES),
    ),
    max_size=200,
)


def _build(rows: list[tuple[int, str | None, str | None]]) -> FrameTable:
    builder = FrameTableBuilder(SPECS)
    for row_id, (minutes, ethnicity, age) in enumerate(rows, start=100):
        builder.add(row_id, [BASE + timedelta(minutes=minutes), ethnicity, age])
    return builder.build()


def _shown(value: str | None) -> str:
    return value or NOT_RECORDED


def test_blanks_are_shown_as_not_recorded_and_counted() -> None:
    table = _build([(0, "White", None), (1, "", "10-17"), (2, None, "10-17")])
    ethnicity = table.column("ethnicity")
    assert [ethnicity.display(i) for i in range(3)] == ["White", NOT_RECORDED, NOT_RECORDED]
    assert ethnicity.counts(table.all_rows()) == {"White": 1, NOT_RECORDED: 2}
    assert table.column("date").display(1) == "2019-12-01 00:01"


@settings(max_examples=60)
@given(
    rows=rows_strategy,
    keep_ethnicity=st.frozensets(st.sampled_from(["White", "Black", NOT_RECORDED])),
    keep_age=st.frozensets(st.sampled_from(["10-17", "over 34", NOT_RECORDED])),
    window=st.tuples(st.integers(0, 40_000), st.integers(0, 45_000)),
)
def test_filter_matches_a_plain_loop(
    rows: list[tuple[int, str | None, str | None]],
    keep_ethnicity: frozenset[str],
    keep_age: frozenset[str],
    window: tuple[int, int],
) -> None:
    table = _build(rows)
    start = int((BASE + timedelta(minutes=window[0])).timestamp() * 1000)
    end = int((BASE + timedelta(minutes=window[1])).timestamp() * 1000)
    wanted = FrameFilter({"ethnicity": keep_ethnicity, "age": keep_age}, "date", start, end)
    expected = [
        i
        for i, (minutes, ethnicity, age) in enumerate(rows)
        if (not keep_ethnicity or _shown(ethnicity) in keep_ethnicity)
        and (not keep_age or _shown(age) in keep_age)
        and window[0] <= minutes < window[1]
    ]
    assert table.filter(wanted).tolist() == expected


@given(rows=rows_strategy, descending=st.booleans())
def test_sort_is_stable_and_by_value(
    rows: list[tuple[int, str | None, str | None]], descending: bool
) -> None:
    table = _build(rows)
    by_age = table.sort(table.all_rows(), "age", descending=descending)
    shown = [_shown(rows[i][2]).casefold() for i in by_age.tolist()]
    assert shown == sorted(shown, reverse=descending)
    by_date = table.sort(table.all_rows(), "date")
    minutes = [rows[i][0] for i in by_date.tolist()]
    assert minutes == sorted(minutes)
