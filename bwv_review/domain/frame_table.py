"""A column store for browsing and filtering up to millions of rows in well under 100 ms.

The library shows every public record and case. Filtering 1,000,000 Python objects row by
row takes seconds; here each column is an array of small integer codes (categories) or
int64 milliseconds (times), so a filter is a few vectorised comparisons and a sort is one
argsort. Blank values are shown as "not recorded", never as an empty cell or a default group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

NOT_RECORDED = "not recorded"

IndexArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: str = "category"  # category | time


@dataclass
class CategoryColumn:
    """Values as codes into `values`; `rank[code]` is the code's place in sorted order."""

    spec: ColumnSpec
    codes: npt.NDArray[np.int32]
    values: list[str]
    rank: npt.NDArray[np.int32]

    def display(self, row: int) -> str:
        return self.values[int(self.codes[row])]

    def sort_keys(self, rows: IndexArray) -> npt.NDArray[np.int32]:
        return self.rank[self.codes[rows]]

    def counts(self, rows: IndexArray) -> dict[str, int]:
        tally = np.bincount(self.codes[rows], minlength=len(self.values))
        return {self.values[code]: int(n) for code, n in enumerate(tally) if n}


@dataclass
class TimeColumn:
    """Instants as UTC epoch milliseconds; shown to the minute, as the public data is."""

    spec: ColumnSpec
    values_ms: npt.NDArray[np.int64]

    def display(self, row: int) -> str:
        stamp = datetime.fromtimestamp(int(self.values_ms[row]) / 1000, UTC)
        return stamp.strftime("%Y-%m-%d %H:%M")

    def sort_keys(self, rows: IndexArray) -> npt.NDArray[np.int64]:
        return self.values_ms[rows]


Column = CategoryColumn | TimeColumn


@dataclass(frozen=True)
class FrameFilter:
    """What the person asked to see: for category columns the values to keep (an empty or
    missing entry keeps all), and an optional time window [start_ms, end_ms)."""

    selections: Mapping[str, frozenset[str]] = field(default_factory=dict)
    time_key: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None


class FrameTable:
    def __init__(self, row_ids: npt.NDArray[np.int64], columns: Sequence[Column]) -> None:
        self.row_ids = row_ids
        self.columns = list(columns)
        self._by_key = {column.spec.key: column for column in self.columns}

    def __len__(self) -> int:
        return len(self.row_ids)

    def column(self, key: str) -> Column:
        return self._by_key[key]

    def all_rows(self) -> IndexArray:
        return np.arange(len(self), dtype=np.int64)

    def filter(self, wanted: FrameFilter) -> IndexArray:
        mask = np.ones(len(self), dtype=bool)
        for key, keep in wanted.selections.items():
            column = self.column(key)
            if not keep or not isinstance(column, CategoryColumn):
                continue
            codes = [code for code, value in enumerate(column.values) if value in keep]
            mask &= np.isin(column.codes, np.asarray(codes, dtype=np.int32))
        if wanted.time_key is not None:
            times = self.column(wanted.time_key)
            assert isinstance(times, TimeColumn)
            if wanted.start_ms is not None:
                mask &= times.values_ms >= wanted.start_ms
            if wanted.end_ms is not None:
                mask &= times.values_ms < wanted.end_ms
        return np.flatnonzero(mask).astype(np.int64)

    def sort(self, rows: IndexArray, key: str, *, descending: bool = False) -> IndexArray:
        """Stable, so rows that tie keep their previous (e.g. date) order."""
        order = np.argsort(self.column(key).sort_keys(rows), kind="stable")
        if descending:
            order = order[::-1]
        return rows[order]


class FrameTableBuilder:
    """Collects rows one at a time (from a database cursor) into coded columns."""

    def __init__(self, specs: Sequence[ColumnSpec]) -> None:
        self.specs = list(specs)
        self._row_ids: list[int] = []
        self._cells: list[list[object]] = [[] for _ in specs]
        self._codes: list[dict[str, int]] = [{} for _ in specs]

    def add(self, row_id: int, values: Iterable[str | datetime | None]) -> None:
        self._row_ids.append(row_id)
        for index, (spec, value) in enumerate(zip(self.specs, values, strict=True)):
            if spec.kind == "time":
                assert isinstance(value, datetime), f"{spec.key} needs a datetime"
                self._cells[index].append(int(value.timestamp() * 1000))
                continue
            text = NOT_RECORDED if value is None or value == "" else str(value)
            codes = self._codes[index]
            self._cells[index].append(codes.setdefault(text, len(codes)))

    def build(self) -> FrameTable:
        columns: list[Column] = []
        for spec, cells, codes in zip(self.specs, self._cells, self._codes, strict=True):
            if spec.kind == "time":
                columns.append(TimeColumn(spec, np.asarray(cells, dtype=np.int64)))
                continue
            values = list(codes)
            rank = np.empty(len(values), dtype=np.int32)
            rank[sorted(range(len(values)), key=lambda code: values[code].casefold())] = np.arange(
                len(values), dtype=np.int32
            )
            columns.append(CategoryColumn(spec, np.asarray(cells, dtype=np.int32), values, rank))
        return FrameTable(np.asarray(self._row_ids, dtype=np.int64), columns)
