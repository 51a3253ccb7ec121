"""Every benchmark in bench/, each in its own process, and one table of their headline figures.

Each bench is run as `python bench/NAME.py --json [--quick]` (see figures.py for what that
prints); its own lines go to this program's stderr as it runs, so a long run shows where it
is. A bench that fails, or prints no figures, is a row saying so, and the exit status is 1;
a figure short of its goal is reported, not an error (benches assert nothing).

    .venv/bin/python bench/run_all.py [--quick] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
NOT_BENCHES = {"run_all.py", "figures.py"}
# The player bench drives real Qt widgets: offscreen unless the caller has a display
# chosen for it.
ENVIRONMENT = {"QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def benches() -> list[Path]:
    return sorted(
        path
        for path in BENCH_DIR.glob("*.py")
        if path.name not in NOT_BENCHES and not path.name.startswith("_")
    )


def takes_json(path: Path) -> bool:
    """A bench made before figures.py would take --json as an error, or ignore it."""
    return "add_flags(" in path.read_text(encoding="utf-8")


def run(path: Path, quick: bool) -> tuple[list[dict[str, object]], str | None, float]:
    """The bench's figures, or why there are none, and how long it took."""
    if not takes_json(path):
        return [], "not run: takes no --json yet (bench/figures.py)", 0.0
    command = [sys.executable, str(path), "--json", *(["--quick"] if quick else [])]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        stdout=subprocess.PIPE,
        stderr=None,  # its progress lines, straight through
        text=True,
        env={**os.environ, **ENVIRONMENT},
        cwd=BENCH_DIR.parent,
        check=False,
    )
    elapsed_s = time.perf_counter() - started
    if done.returncode != 0:
        return [], f"failed (exit {done.returncode})", elapsed_s
    lines = done.stdout.strip().splitlines()
    try:
        figures = json.loads(lines[-1])["figures"]
    except (IndexError, ValueError, KeyError, TypeError):
        return [], "printed no figures (does it take --json?)", elapsed_s
    return list(figures), None, elapsed_s


def table(rows: list[tuple[str, str, str, str, str]]) -> str:
    header = ("bench", "figure", "median", "goal", "met")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * width for width in widths)
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join([lines[0], rule, *lines[1:]])


def _median_text(figure: dict[str, object]) -> str:
    median = float(figure["median"])  # type: ignore[arg-type]
    whole = median.is_integer() or abs(median) >= 100
    shown = f"{median:,.0f}" if whole else f"{median:.2f}"
    return f"{shown} {figure['unit']}".strip()


def _met_text(figure: dict[str, object]) -> str:
    met = figure["met"]
    return "" if met is None else ("met" if met else "short")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized counts in every bench")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these benches (file stems)")
    args = parser.parse_args()
    chosen = [path for path in benches() if not args.only or path.stem in args.only]
    rows: list[tuple[str, str, str, str, str]] = []
    failed = False
    for path in chosen:
        print(f"== {path.name}", file=sys.stderr, flush=True)
        figures, problem, elapsed_s = run(path, args.quick)
        print(f"== {path.name}: {elapsed_s:.0f} s", file=sys.stderr, flush=True)
        if problem is not None:
            failed = True
            rows.append((path.stem, problem, "", "", "short"))
        rows.extend(
            (
                path.stem,
                str(f["figure"]),
                _median_text(f),
                f"{f['goal']} {f['unit']}".strip() if f["goal"] else "",
                _met_text(f),
            )
            for f in figures
        )
    print(table(rows))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
