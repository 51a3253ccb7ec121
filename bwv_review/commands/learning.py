"""`export-learning`: learning points for training leads as CSV, XLSX or a PDF training
pack, without personal data (services/learning_export.py says what a row holds)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome, iso_date
from bwv_review.domain.vocab import CaseType, LearningKind
from bwv_review.services.errors import BadInput
from bwv_review.services.learning_export import ExportFormat, LearningFilter

KINDS = {"good-practice": LearningKind.GOOD_PRACTICE, "learning": LearningKind.LEARNING}


def _case_type(text: str) -> CaseType:
    """A case type by its stored value or its label, any case (`taser`, `Use of force`)."""
    folded = text.strip().casefold().replace("-", "_")
    for case_type in CaseType:
        if folded in (case_type.value, case_type.label.casefold()):
            return case_type
    known = ", ".join(case_type.value for case_type in CaseType)
    raise BadInput(f"--case-type {text!r}: not a case type; give one of {known}")


def cmd_export_learning(ctx: CommandContext) -> Outcome:
    args = ctx.args
    learning_filter = LearningFilter(
        from_date=iso_date(args.from_date, "--from") if args.from_date else None,
        to_date=iso_date(args.to_date, "--to") if args.to_date else None,
        session_name=args.session,
        tag=args.tag,
        kind=KINDS[args.kind] if args.kind else None,
        case_type=_case_type(args.case_type) if args.case_type else None,
    )
    actor = ctx.signed_in_actor()
    result = ctx.workspace.learning_export.export(
        actor,
        learning_filter,
        ExportFormat(args.format),
        Path(args.out).expanduser().absolute(),
        purpose=ctx.purpose,
    )
    summary = (
        f"Wrote {result.rows} learning point{'s' if result.rows != 1 else ''} to {result.path} "
        f"({result.export_format.value.upper()}, SHA-256 {result.sha256}); the export is in "
        "the audit log"
    )
    payload = {
        "path": str(result.path),
        "format": result.export_format.value,
        "rows": result.rows,
        "sha256": result.sha256,
    }
    return Outcome(payload, summary)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    export = subparsers.add_parser(
        "export-learning",
        parents=[common],
        help="export learning points for officer training, without personal data "
        "(training lead or chair)",
        description="Learning points of submitted reviews with their time codes, tags, kind, "
        "case type, session and training description; never a case reference, officer, "
        "reviewer, date, place or reviewer's note. --from/--to choose sessions by meeting "
        "date. Each export is recorded in the audit log.",
    )
    export.add_argument(
        "--format", required=True, choices=[f.value for f in ExportFormat], help="file format"
    )
    export.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    export.add_argument("--from", dest="from_date", metavar="DATE", help="first meeting date")
    export.add_argument("--to", dest="to_date", metavar="DATE", help="last meeting date")
    export.add_argument("--session", metavar="NAME", help="one review session, by name")
    export.add_argument("--tag", metavar="TAG", help="a tag, by id or label")
    export.add_argument("--kind", choices=sorted(KINDS), help="good practice or learning")
    export.add_argument(
        "--case-type", metavar="TYPE", help=f"one of {', '.join(t.value for t in CaseType)}"
    )
    export.set_defaults(handler=cmd_export_learning)
