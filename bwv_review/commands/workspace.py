"""`init`: create or upgrade the workspace, optionally its first administrator, and this
machine's audit checkpoint key."""

from __future__ import annotations

import argparse
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome, read_secret
from bwv_review.commands.library import machine_settings
from bwv_review.services.audit import ensure_checkpoint_key


def cmd_init(ctx: CommandContext) -> Outcome:
    """Create or upgrade the workspace; with --admin, also its first administrator."""
    workspace = ctx.create_workspace()
    result: dict[str, Any] = {"database": workspace.location, "admin_created": None}
    lines = [f"Workspace ready: {workspace.location}"]
    key_file, made = ensure_checkpoint_key(machine_settings(ctx), ctx.paths.default_audit_key_file)
    lines.append(
        f"Audit checkpoint key {'created at' if made else 'kept at'} {key_file}: keep it off "
        "backups, and on a shared database only on the administrator's or data protection "
        "officer's machine (docs/audit.md)"
    )
    if ctx.args.admin:
        secret = read_secret(f"Choose a PIN for {ctx.args.admin}: ", confirm=True)
        admin = workspace.auth.create_first_admin(
            ctx.args.admin, ctx.args.name or ctx.args.admin, secret, purpose=ctx.purpose
        )
        result["admin_created"] = admin.username
        lines.append(f"First administrator created: {admin.username} (admin, chair)")
    elif not workspace.auth.has_users():
        lines.append("No accounts yet: run `bwv-review init --admin NAME` or open the app.")
    return Outcome(result, "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser(
        "init", parents=[common], help="create or upgrade the workspace (and its first admin)"
    )
    init.add_argument("--admin", metavar="NAME", help="create the first administrator")
    init.add_argument("--name", metavar="FULL NAME", help="the administrator's display name")
    init.set_defaults(handler=cmd_init)
