"""`import-population FILE --source TEXT --year N`: a population table by police force area,
the denominators of the report's rates (docs/population.md)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome


def cmd_import_population(ctx: CommandContext) -> Outcome:
    """The file is all-or-nothing: a refusal lists every problem by line (exit 2)."""
    actor = ctx.signed_in_actor()
    report = ctx.workspace.population.import_file(
        actor,
        Path(ctx.args.file),
        source=ctx.args.source,
        year=ctx.args.year,
        purpose=ctx.purpose,
    )
    if report.already_imported:
        summary = (
            f"{report.file}: already imported as population table #{report.table_id} "
            f"({report.source}, {report.year}); nothing added"
        )
    else:
        summary = (
            f"{report.file}: {report.areas} police force areas imported as population table "
            f"#{report.table_id} ({report.source}, {report.year})"
        )
    return Outcome(asdict(report), summary)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    importer = subparsers.add_parser(
        "import-population",
        parents=[common],
        help="import people by census group and police force area (administrators)",
        description="A CSV with police_force_area and one column per group (white, black, "
        "asian, mixed, other; chinese is added to asian), or long form area,group,population.",
    )
    importer.add_argument("file", metavar="FILE")
    importer.add_argument(
        "--source",
        required=True,
        metavar="TEXT",
        help="where the figures come from, printed beside every rate "
        "(e.g. 'ONS Census 2021, TS021')",
    )
    importer.add_argument(
        "--year", required=True, type=int, metavar="N", help="the census year of the figures"
    )
    importer.set_defaults(handler=cmd_import_population)
