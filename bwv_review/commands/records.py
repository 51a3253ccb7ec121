"""`import-records` (data.police.uk files into the sampling frame) and `stats` (counts by
one field or a cross-tab of two, over police records or cases)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome
from bwv_review.domain.police_vocab import MARKERS, display_label
from bwv_review.domain.stats import Breakdown
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.records import ImportReport
from bwv_review.services.stats import SOURCES, fields_of


def _describe(report: ImportReport) -> str:
    what = f"{report.force} {report.month}" if report.force else "records"
    if report.already_imported:
        return f"{report.file}: already imported (import #{report.import_id}); nothing added"
    line = f"{report.file}: {report.rows_added} {what} rows imported (import #{report.import_id})"
    if report.replaced_import_id is not None:
        line += f", replacing import #{report.replaced_import_id}"
    if report.unrecognised:
        counts = ", ".join(f"{field} {count}" for field, count in report.unrecognised.items())
        line += f"; values never seen before, kept as 'unrecognised': {counts}"
    return line


def cmd_import_records(ctx: CommandContext) -> Outcome:
    """Each file is all-or-nothing on its own; a refused file does not stop the others."""
    actor = ctx.signed_in_actor()
    reports: list[ImportReport] = []
    problems: list[Problem] = []
    refused: list[dict[str, str]] = []
    for name in ctx.args.files:
        try:
            reports.append(
                ctx.workspace.records.import_file(
                    actor, Path(name), replace=ctx.args.replace, purpose=ctx.purpose
                )
            )
        except BadInput as exc:
            # The file's own verdict (how many rows, that nothing was imported) beside the
            # row errors, which stop at a cap.
            refused.append({"file": name, "reason": str(exc)})
            problems.extend(exc.problems)
    result = {
        "files": [asdict(report) for report in reports],
        "rows_added": sum(report.rows_added for report in reports),
        "refused": refused,
    }
    lines = [_describe(report) for report in reports] + [item["reason"] for item in refused]
    if not problems:
        return Outcome(result, "\n".join(lines))
    return Outcome(result, "\n".join(lines), problems, ok=False, exit_code=EXIT_BAD_INPUT)


def _group(value: str) -> str:
    """A group as the domain's vocabulary writes it for people ("White", "Not recorded");
    JSON keeps the stored ids, which scripts match on."""
    if value in MARKERS:
        return value[:1].upper() + value[1:]
    return display_label(value)


def _grid(breakdown: Breakdown) -> list[list[str]]:
    if len(breakdown.fields) == 1:
        header = [breakdown.fields[0], "count", "share"]
        rows = [
            [_group(values[0]), str(count), f"{100 * count / breakdown.total:.1f}%"]
            for values, count in breakdown.cells()
        ]
        return [header, *rows, ["total", str(breakdown.total), ""]]
    row_levels, column_levels = breakdown.levels
    header = [
        f"{breakdown.fields[0]} \\ {breakdown.fields[1]}",
        *(_group(c) for c in column_levels),
        "total",
    ]
    row_totals, column_totals = breakdown.margin(0), breakdown.margin(1)
    rows = [
        [
            _group(row),
            *(str(breakdown.count(row, column)) for column in column_levels),
            str(row_totals[row]),
        ]
        for row in row_levels
    ]
    totals = ["total", *(str(column_totals[c]) for c in column_levels), str(breakdown.total)]
    return [header, *rows, totals]


def _table_text(breakdown: Breakdown) -> str:
    grid = _grid(breakdown)
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in grid
    )


def cmd_stats(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    breakdown = ctx.workspace.stats.breakdown(actor, source=ctx.args.source, by=ctx.args.by)
    result = {
        "source": ctx.args.source,
        "by": list(breakdown.fields),
        "total": breakdown.total,
        "levels": [list(level) for level in breakdown.levels],
        "counts": [{"values": list(values), "count": count} for values, count in breakdown.cells()],
    }
    if breakdown.total == 0:
        return Outcome(result, f"No {ctx.args.source} to count yet.")
    return Outcome(result, _table_text(breakdown))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    importer = subparsers.add_parser(
        "import-records",
        parents=[common],
        help="import data.police.uk stop-and-search files (CSV or API JSON)",
    )
    importer.add_argument("files", nargs="+", metavar="FILE")
    importer.add_argument(
        "--replace",
        action="store_true",
        help="a corrected download replaces the file held for the same force and month",
    )
    importer.set_defaults(handler=cmd_import_records)

    stats = subparsers.add_parser(
        "stats",
        parents=[common],
        help="counts by one field, or a cross-tab of two (--by twice)",
        epilog="; ".join(f"{source}: {', '.join(fields_of(source))}" for source in SOURCES),
    )
    stats.add_argument(
        "--by", action="append", required=True, metavar="FIELD", help="a field to count by"
    )
    stats.add_argument("--source", choices=SOURCES, default="records")
    stats.set_defaults(handler=cmd_stats)
