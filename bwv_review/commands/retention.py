"""`purge --older-than DAYS [--dry-run]` (administrators): remove the personal data of
cases whose encounter is older than the panel keeps it, or list what would go."""

from __future__ import annotations

import argparse
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome
from bwv_review.services.retention import PurgeReport


def _words(report: PurgeReport) -> str:
    verb = "Would remove" if report.dry_run else "Removed"
    head = (
        f"{verb} the personal data of {len(report.cases)} case(s) whose encounter was "
        f"before {report.encounters_before:%Y-%m-%d} (more than {report.older_than_days} days ago)"
    )
    lines = [head + ("." if report.cases else "; none holds any now.")]
    lines += [
        f"  {case.reference} ({case.encounter_on:%Y-%m}): {case.describe()}"
        for case in report.cases
    ]
    if report.counts:
        lines.append("Values: " + ", ".join(f"{n} {c}" for n, c in report.counts.items()))
    if report.skipped_open:
        lines.append(
            f"Left alone, in an open session (purge again after it is finalised): "
            f"{', '.join(report.skipped_open)}"
        )
    if report.dry_run:
        lines.append("Dry run: nothing was changed.")
    else:
        lines.append("Answers, grades, statistics and issued reports' hashes are kept.")
    return "\n".join(lines)


def cmd_purge(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    report = ctx.workspace.retention.purge(
        actor, ctx.args.older_than, dry_run=ctx.args.dry_run, purpose=ctx.purpose
    )
    result = {
        "dry_run": report.dry_run,
        "older_than_days": report.older_than_days,
        "encounters_before": report.encounters_before.isoformat(),
        "cases": [
            {
                "reference": case.reference,
                "encounter_month": f"{case.encounter_on:%Y-%m}",
                "removed": dict(case.removed),
            }
            for case in report.cases
        ],
        "skipped_in_open_sessions": list(report.skipped_open),
        "values_removed": report.counts,
    }
    return Outcome(result, _words(report))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    purge = subparsers.add_parser(
        "purge",
        parents=[common],
        help="remove the personal data of cases older than DAYS (encounter date)",
    )
    purge.add_argument("--older-than", metavar="DAYS", type=int, required=True)
    purge.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    purge.set_defaults(handler=cmd_purge, command="purge")
