"""`report`: preview or issue the panel's report for the PCC (PDF, or its HTML twin), and
`report --verify FILE` to tell whether a file is one this workspace issued."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.audit import checkpoint_key_if_held
from bwv_review.commands.base import CommandContext, Outcome, iso_date
from bwv_review.reports.document import Variant
from bwv_review.services.errors import BadInput
from bwv_review.services.report_issuing import ReportFormat
from bwv_review.services.report_scope import ReportScope


def _scope(args: argparse.Namespace) -> ReportScope:
    if args.session and (args.from_date or args.to_date):
        raise BadInput("give either --session or --from/--to, not both")
    if args.session:
        return ReportScope.of_sessions(*args.session)
    if args.from_date and args.to_date:
        first, last = iso_date(args.from_date, "--from"), iso_date(args.to_date, "--to")
        if last < first:
            raise BadInput(f"--to {last} is before --from {first}")
        return ReportScope.of_meetings(first, last)
    raise BadInput("choose what the report covers: --session NAME..., or --from DATE --to DATE")


def _verify(ctx: CommandContext, path: Path) -> Outcome:
    actor = ctx.signed_in_actor()
    found = ctx.workspace.report_issuing.verify(actor, path, purpose=ctx.purpose)
    if found is None:
        return Outcome(
            {"file": str(path), "issued": False},
            f"{path}: NOT a report this workspace issued (no issued report has its SHA-256; "
            "the file was changed, or it came from elsewhere)",
            ok=False,
            exit_code=2,
        )
    summary = (
        f"{path}: issued by this workspace on {found.issued_at:%Y-%m-%d %H:%M} UTC "
        f"({found.variant} {found.file_format}, {', '.join(found.sessions)}; audit event "
        f"#{found.audit_event_id})"
    )
    return Outcome({"file": str(path), "issued": True, **asdict(found)}, summary)


def cmd_report(ctx: CommandContext) -> Outcome:
    if ctx.args.verify:
        return _verify(ctx, Path(ctx.args.verify))
    if not ctx.args.out:
        raise BadInput("give --out FILE for the report (or --verify FILE to check one)")
    actor = ctx.signed_in_actor()
    scope = _scope(ctx.args)
    variant = Variant.PUBLISHED if ctx.args.published else Variant.INTERNAL
    file_format = ReportFormat(ctx.args.format)
    out = Path(ctx.args.out)
    service = ctx.workspace.report_issuing
    if ctx.args.preview:
        document, data = service.preview(actor, scope, variant, file_format, purpose=ctx.purpose)
        service.write_preview(out, data)
        marked = " marked DRAFT (a session in it is open)" if document.draft else ""
        return Outcome(
            {"file": str(out), "issued": False, "draft": document.draft},
            f"{out}: preview of {document.period} ({variant.value}){marked}; not issued",
        )
    key = checkpoint_key_if_held(ctx)
    result = service.issue(
        actor, scope, variant, file_format, out, purpose=ctx.purpose, checkpoint_key=key
    )
    issued = result.report
    lines = [
        f"{out}: {'issued' if result.newly_issued else 'already issued, the same bytes'} "
        f"({issued.variant} {issued.file_format}, SHA-256 {issued.sha256})"
    ]
    if result.checkpoint_path is not None:
        lines.append(f"signed audit checkpoint written to {result.checkpoint_path}")
    elif result.newly_issued:
        lines.append(
            "no audit checkpoint: this machine holds no audit key; ask the administrator to "
            "write one (`bwv-review audit checkpoint`)"
        )
    checkpoint = str(result.checkpoint_path) if result.checkpoint_path else None
    facts = {"file": str(out), "newly_issued": result.newly_issued, **asdict(issued)}
    return Outcome({**facts, "checkpoint": checkpoint}, "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    report = subparsers.add_parser(
        "report",
        parents=[common],
        help="preview or issue the panel's report (chairs), or --verify a report file",
        description="The quarterly report for the PCC from one or several review sessions. "
        "Only finalised sessions can be issued; --preview writes a copy marked DRAFT while a "
        "session is open. The published variant names no case, officer, date, time or place; "
        "neither names a person.",
    )
    report.add_argument("--session", nargs="+", metavar="NAME", help="review sessions, by name")
    report.add_argument("--from", dest="from_date", metavar="DATE", help="first meeting date")
    report.add_argument("--to", dest="to_date", metavar="DATE", help="last meeting date")
    report.add_argument("--out", metavar="FILE", help="the file to write")
    report.add_argument(
        "--published", action="store_true", help="the variant for publication (default internal)"
    )
    report.add_argument(
        "--format", choices=[f.value for f in ReportFormat], default="pdf", help="default pdf"
    )
    report.add_argument(
        "--preview", action="store_true", help="write a preview; do not issue (DRAFT if open)"
    )
    report.add_argument(
        "--verify", metavar="FILE", help="say whether FILE is a report this workspace issued"
    )
    report.set_defaults(handler=cmd_report)
