"""`audit verify`: check the audit log's hash chain and name the first broken event."""

from __future__ import annotations

import argparse
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome
from bwv_review.services.errors import Problem


def cmd_audit_verify(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    report = ctx.workspace.audit.verify(actor, purpose=ctx.purpose)
    broken = report.first_break
    result = {
        "intact": report.intact,
        "events_checked": report.events_checked,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
        "first_break": None
        if broken is None
        else {"seq": broken.seq, "event_id": broken.event_id, "reason": broken.reason},
    }
    if broken is None:
        summary = (
            f"Audit log intact: {report.events_checked} events checked; "
            f"head #{report.last_seq} {report.last_hash}"
        )
        return Outcome(result, summary)
    summary = (
        f"Audit log BROKEN at event #{broken.seq} (id {broken.event_id}): {broken.reason}. "
        f"{report.events_checked} events before it are intact."
    )
    return Outcome(
        result,
        summary,
        problems=[Problem(f"event #{broken.seq}: {broken.reason}")],
        ok=False,
        exit_code=EXIT_BAD_INPUT,
    )


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    audit = subparsers.add_parser("audit", parents=[common], help="the audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", parents=[common], help="check the hash chain; name the first broken event"
    )
    verify.set_defaults(handler=cmd_audit_verify, command="audit verify")
