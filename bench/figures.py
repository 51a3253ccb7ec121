"""The headline figures a bench reports, in one shape that `run_all.py` can read.

Every bench takes `--json` and `--quick`. With `--json` its usual lines go to stderr and
stdout holds exactly one JSON object, {"bench": name, "figures": [...]}, each figure
{"figure", "median", "unit", "goal", "met"} (`met` is null for a figure printed for context,
without a goal of its own). `--quick` is the bench at CI-sized counts: the same
measurements, so the same code paths, with fewer rows, runs or seeks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    figure: str
    median: float
    unit: str
    goal: str  # "<= 3" beside the unit; "" when there is none
    met: bool | None


def at_most(figure: str, median: float, unit: str, limit: float) -> Figure:
    return Figure(figure, median, unit, f"<= {limit:g}", median <= limit)


def at_least(figure: str, median: float, unit: str, limit: float) -> Figure:
    return Figure(figure, median, unit, f">= {limit:g}", median >= limit)


def context(figure: str, median: float, unit: str) -> Figure:
    return Figure(figure, median, unit, "", None)


def add_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="CI-sized counts")


@contextmanager
def reported(bench: str, as_json: bool) -> Iterator[list[Figure]]:
    """Collects the figures the body appends; with `as_json`, the body's prints go to
    stderr and the figures to stdout at the end."""
    figures: list[Figure] = []
    if not as_json:
        yield figures
        return
    stdout = sys.stdout
    with redirect_stdout(sys.stderr):
        yield figures
    stdout.write(json.dumps({"bench": bench, "figures": [asdict(f) for f in figures]}) + "\n")
