"""Library filter latency on 1,000,000 public records (goal: < 100 ms per filter change).

Builds the library's column store from the real data.police.uk rows repeated to a million,
then times what a chair does in the Library tab: pick a value in a filter, narrow the dates,
sort by a column, clear the filters, each through the Qt table model the view uses.
Prints figures; asserts nothing.

    .venv/bin/python bench/library_filter.py [--rows 1000000] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import time
from datetime import datetime
from pathlib import Path

from figures import Figure, add_flags, at_most, context, reported

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bwv_review.domain.frame_table import FrameFilter, FrameTableBuilder
from bwv_review.services.library_view import RECORD_COLUMNS
from bwv_review.ui.library_model import FrameTableModel

POLICE_DATA = Path(__file__).resolve().parents[1] / "resources" / "data"
REPEATS = 7


def real_rows() -> list[list[str | datetime | None]]:
    rows: list[list[str | datetime | None]] = []
    for path in sorted(POLICE_DATA.glob("*-stop-and-search.csv")):
        force = path.stem.split("-", 2)[2].removesuffix("-stop-and-search")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for record in csv.DictReader(handle):
                ethnicity = record["Self-defined ethnicity"].split(" - ")[0] or None
                rows.append(
                    [
                        datetime.fromisoformat(record["Date"]),
                        force,
                        record["Type"],
                        record["Gender"] or None,
                        record["Age range"] or None,
                        ethnicity,
                        record["Officer-defined ethnicity"] or None,
                        record["Legislation"] or None,
                        record["Object of search"] or None,
                        record["Outcome"] or None,
                        record["Removal of more than just outer clothing"] or None,
                    ]
                )
    return rows


def timed_ms(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    add_flags(parser)
    args = parser.parse_args()
    if args.quick:
        args.rows = 100_000
    app = QApplication([])
    with reported("library_filter", args.json) as figures:
        figures.extend(measure(args.rows))
    app.quit()


def measure(rows: int) -> list[Figure]:
    source = real_rows()
    start = time.perf_counter()
    builder = FrameTableBuilder(RECORD_COLUMNS)
    for row_id in range(rows):
        builder.add(row_id, source[row_id % len(source)])
    table = builder.build()
    build_s = time.perf_counter() - start
    model = FrameTableModel(table)

    december = int(datetime.fromisoformat("2019-12-10T00:00:00+00:00").timestamp() * 1000)
    christmas = int(datetime.fromisoformat("2019-12-27T00:00:00+00:00").timestamp() * 1000)
    changes = {
        "one value (officer-defined = Black)": FrameFilter(
            {"officer_defined_ethnicity": frozenset({"Black"})}
        ),
        "two filters (age 10-17, strip search yes)": FrameFilter(
            {"age_band": frozenset({"10-17"}), "more_than_outer_clothing": frozenset({"True"})}
        ),
        "dates + value (17 days, outcome NFA)": FrameFilter(
            {"outcome": frozenset({"A no further action disposal"})},
            "occurred_at",
            december,
            christmas,
        ),
        "clear all filters": FrameFilter(),
    }
    print(f"rows: {len(table):,}  build: {build_s:.2f} s  (source rows: {len(source):,})")
    count = f"{rows // 1000:,}k" if rows < 1_000_000 else f"{rows / 1e6:g}M"
    figures = []
    for name, wanted in changes.items():
        samples = [timed_ms(lambda w=wanted: model.apply_filter(w)) for _ in range(REPEATS)]
        shown = len(model.visible_rows)
        print(
            f"filter {name:45s} median {statistics.median(samples):7.1f} ms  "
            f"max {max(samples):7.1f} ms  rows shown {shown:,}"
        )
        figures.append(
            at_most(f"filter {count} rows: {name}", statistics.median(samples), "ms", 100)
        )
    model.apply_filter(FrameFilter())
    for column, label in ((6, "officer-defined ethnicity"), (0, "date")):
        samples = [
            timed_ms(lambda c=column: model.sort(c, Qt.SortOrder.DescendingOrder))
            for _ in range(REPEATS)
        ]
        print(f"sort by {label:44s} median {statistics.median(samples):7.1f} ms")
        figures.append(context(f"sort {count} rows by {label}", statistics.median(samples), "ms"))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.0f} MB")
    figures.append(context(f"library of {count} rows, peak RSS", rss_mb, "MiB"))
    return figures


if __name__ == "__main__":
    main()
