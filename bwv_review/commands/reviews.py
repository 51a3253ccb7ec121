"""`import-reviews FILE --session NAME` (paper or online-form reviews, docs/review-import.md),
`sessions list` (every session, for a chair; the ones they review in, for a reviewer),
`sessions join NAME` (a chair joins a session's panel to read its answers and outcomes) and
`reviews reopen` (the chair unlocks a member's submitted review, with a reason)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome
from bwv_review.services.errors import BadInput, NotFound, Problem


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


def cmd_sessions_join(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    sessions = ctx.workspace.review_sessions
    session_id = sessions.session_id(actor, ctx.args.name)
    sessions.join(actor, session_id, purpose=ctx.purpose)
    return Outcome(
        {"session": ctx.args.name, "member": actor.username},
        f"{actor.username} joined {ctx.args.name!r} as a panel member",
    )


def cmd_reviews_reopen(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    args, workspace = ctx.args, ctx.workspace
    session_id = workspace.review_sessions.session_id(actor, args.session)
    found = [
        r
        for r in workspace.reopening.submitted(actor, session_id)
        if r.force_reference == args.case and r.username.lower() == args.reviewer.lower()
    ]
    if not found:
        raise NotFound(
            f"{args.reviewer} has no submitted review of case {args.case} in {args.session!r}"
        )
    workspace.reopening.reopen(
        actor, session_id, found[0].assignment_id, reason=args.reason, purpose=ctx.purpose
    )
    return Outcome(
        {"session": args.session, "case": args.case, "reviewer": args.reviewer},
        f"{args.reviewer}'s review of {args.case} is reopened; they can change it and submit again",
    )


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
    join = actions.add_parser(
        "join", parents=[common], help="join a session's panel (chairs) to read its cases"
    )
    join.add_argument("name", metavar="NAME", help="the review session")
    join.set_defaults(handler=cmd_sessions_join, command="sessions join")

    reviews = subparsers.add_parser("reviews", parents=[common], help="members' reviews")
    review_actions = reviews.add_subparsers(dest="reviews_command", metavar="ACTION", required=True)
    reopen = review_actions.add_parser(
        "reopen",
        parents=[common],
        help="unlock a submitted review so its member can change it and submit again (chairs)",
    )
    reopen.add_argument("--session", required=True, metavar="NAME", help="the review session")
    reopen.add_argument("--case", required=True, metavar="REF", help="the force reference")
    reopen.add_argument("--reviewer", required=True, metavar="USER", help="whose review")
    reopen.add_argument("--reason", required=True, help="why it is reopened (audited)")
    reopen.set_defaults(handler=cmd_reviews_reopen, command="reviews reopen")
