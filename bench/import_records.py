"""Import of 1,000,000 public records next to the sqlite3 shell's `.import` of the same file.

Goal: within 3x of the shell (which only stores 15 text columns in a bare table, while the
import validates every row, maps the vocabularies, keeps raw and canonical values, writes
indexes and an audit event), with peak RSS under 300 MB. The CSV is the real data.police.uk
rows repeated to a million. Runs alternate shell and app so machine noise hits both; each
app run is a child process, so its peak RSS is its own. CPU seconds are printed beside wall
seconds because on a shared machine they are the steadier figure. Prints; asserts nothing.

    .venv/bin/python bench/import_records.py [--rows 1000000] [--runs 3] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from figures import Figure, add_flags, at_most, context, reported

POLICE_DATA = Path(__file__).resolve().parents[1] / "resources" / "data"
PIN = "bench-pin-1"
SHELL_SCRIPT = """PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE records ({columns});
.import --csv --skip 1 {csv} records
"""


def build_csv(path: Path, rows: int) -> None:
    """Real rows, repeated in file order until `rows`, CRLF like the Essex download. Each
    repetition moves every date on by a day, so the import's caches of recent instants see
    the real files' share of repeats (2.6 rows per instant), not the same instants again."""
    header = b""
    body: list[bytes] = []
    for source in sorted(POLICE_DATA.glob("*-stop-and-search.csv")):
        lines = source.read_bytes().splitlines()
        header = lines[0]
        body.extend(lines[1:])
    dates = [next(csv.reader([line.decode()]))[1] for line in body]
    with path.open("wb") as out:
        out.write(header + b"\r\n")
        for index in range(rows):
            repetition, at = divmod(index, len(body))
            line = body[at]
            if repetition:
                moved = datetime.fromisoformat(dates[at]) + timedelta(days=repetition)
                line = line.replace(dates[at].encode(), moved.isoformat().encode(), 1)
            out.write(line + b"\r\n")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def shell_import(csv_path: Path, workdir: Path) -> dict[str, float]:
    database = workdir / "shell.sqlite3"
    for leftover in workdir.glob("shell.sqlite3*"):
        leftover.unlink()
    columns = ", ".join(f"c{i} TEXT" for i in range(15))
    script = SHELL_SCRIPT.format(columns=columns, csv=csv_path)
    cpu_before = _children_cpu_s()
    started = time.perf_counter()
    subprocess.run(
        ["sqlite3", str(database)], input=script.encode(), check=True, capture_output=True
    )
    return {"seconds": time.perf_counter() - started, "cpu_s": _children_cpu_s() - cpu_before}


def app_import(csv_path: Path, workdir: Path) -> dict[str, float]:
    for leftover in workdir.glob("app.sqlite3*"):
        leftover.unlink()
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(csv_path), str(workdir / "app.sqlite3")],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(child.stdout)


def child(csv_path: Path, database: Path) -> None:
    """One import in a fresh workspace; prints seconds, rows and this process's peak RSS."""
    from bwv_review.services.workspace import Workspace

    workspace = Workspace.create(f"sqlite:///{database}")
    admin = workspace.auth.create_first_admin("bench", "Bench", PIN, purpose="bench")
    cpu_started = time.process_time()
    started = time.perf_counter()
    report = workspace.records.import_file(admin, csv_path, purpose="bench")
    elapsed_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    workspace.close()
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {"seconds": elapsed_s, "cpu_s": cpu_s, "rows": report.rows_added}
    print(json.dumps({**figures, "rss_mib": peak_rss_mib}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("CSV", "DB"), help=argparse.SUPPRESS)
    add_flags(parser)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    if args.quick:
        args.rows, args.runs = 100_000, 1
    if shutil.which("sqlite3") is None:
        sys.exit("the sqlite3 shell is missing: apt-get install -y sqlite3")
    with reported("import_records", args.json) as figures:
        figures.extend(measure(args.rows, args.runs))


def measure(rows: int, runs: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bwv-bench-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "records.csv"
        build_csv(csv_path, rows)
        size_mib = os.path.getsize(csv_path) / 2**20
        print(f"{rows:,} rows, {size_mib:.0f} MiB CSV; {runs} runs each, alternating")
        shell: list[dict[str, float]] = []
        app: list[dict[str, float]] = []
        for run in range(1, runs + 1):
            shell.append(shell_import(csv_path, workdir))
            app.append(app_import(csv_path, workdir))
            print(
                f"  run {run}: sqlite3 .import {shell[-1]['seconds']:.2f} s "
                f"(cpu {shell[-1]['cpu_s']:.2f} s), import-records {app[-1]['seconds']:.2f} s "
                f"(cpu {app[-1]['cpu_s']:.2f} s; {app[-1]['rows']:,.0f} rows, "
                f"peak RSS {app[-1]['rss_mib']:.0f} MiB)"
            )
    ratios = {}
    for figure, label in (("seconds", "wall"), ("cpu_s", "cpu")):
        shell_median = statistics.median(run[figure] for run in shell)
        app_median = statistics.median(run[figure] for run in app)
        # Each round's own ratio: a round's two imports met the same machine load.
        ratios[label] = statistics.median(
            a[figure] / s[figure] for a, s in zip(app, shell, strict=True)
        )
        print(
            f"{label}: sqlite3 shell .import (bare table, 15 TEXT) median {shell_median:.2f} s; "
            f"import-records (validated, mapped, indexed) median {app_median:.2f} s; "
            f"median ratio per round {ratios[label]:.2f}x (goal: within 3x)"
        )
    peak_rss = max(run["rss_mib"] for run in app)
    print(f"peak RSS of import-records: {peak_rss:.0f} MiB (goal: < 300)")
    count = f"{rows // 1000:,}k" if rows < 1_000_000 else f"{rows / 1e6:g}M"
    return [
        at_most(f"import {count} records, wall / sqlite3 shell", ratios["wall"], "x", 3),
        context(f"import {count} records, CPU / sqlite3 shell", ratios["cpu"], "x"),
        at_most(f"import {count} records, peak RSS (max)", peak_rss, "MiB", 300),
    ]


if __name__ == "__main__":
    main()
