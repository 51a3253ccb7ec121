"""`import-reviews FILE --session NAME` (paper or online-form reviews, docs/review-import.md)
and `sessions list` (the review sessions the signed-in person chairs or reviews in)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome
from bwv_review.services.errors import BadInput, Problem


def cmd_import_reviews(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    path = Path(ctx.args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(
            f"cannot read {path}: {exc.strerror}", [Problem(str(exc), str(path))]
        ) from None
    workspace = ctx.workspace
    session_id = workspace.review_sessions.session_id(actor, ctx.args.session)
    summary = workspace.review_import.import_reviews(
        actor, session_id, data, str(path), purpose=ctx.purpose
    )
    return Outcome(
        asdict(summary),
        f"{path}: {summary.reviews} reviews ({summary.answers} answers) imported and submitted "
        f"in {ctx.args.session!r}",
    )


def cmd_sessions_list(ctx: CommandContext) -> Outcome:
    sessions = ctx.workspace.review_sessions.list_sessions(ctx.signed_in_actor())
    lines = [
        f"{s.name:30s} {s.quarter:8s} {s.status:9s} {s.cases:3d} cases "
        f"{s.reviews_submitted}/{s.assignments} reviews submitted"
        for s in sessions
    ]
    return Outcome([asdict(s) for s in sessions], "\n".join(lines) or "no review sessions")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    importer = subparsers.add_parser(
        "import-reviews",
        parents=[common],
        help="import reviews filled on paper or a form (CSV, all-or-nothing)",
    )
    importer.add_argument("file", metavar="FILE")
    importer.add_argument("--session", required=True, metavar="NAME", help="the review session")
    importer.set_defaults(handler=cmd_import_reviews, command="import-reviews")

    sessions = subparsers.add_parser("sessions", parents=[common], help="review sessions")
    actions = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list review sessions")
    listing.set_defaults(handler=cmd_sessions_list, command="sessions list")
