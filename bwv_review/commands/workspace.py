"""`init`: create or upgrade the workspace, optionally its first administrator, the panel's
name and force, and this machine's audit checkpoint key; `panel show|set|forces`: the
panel's settings, which an administrator changes later."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome, read_secret
from bwv_review.commands.library import machine_settings
from bwv_review.services.audit import ensure_checkpoint_key
from bwv_review.services.errors import BadInput
from bwv_review.services.workspace import Workspace
from bwv_review.services.workspace_settings import (
    FORCES,
    PanelSettings,
    check_panel_name,
    force_id,
)


def _ask(prompt: str, check: Callable[[str], str]) -> str | None:
    """Ask until the answer passes `check`; a blank answer leaves it for later."""
    while True:
        try:
            answer = input(prompt).strip()
        except EOFError:
            return None
        if not answer:
            return None
        try:
            return check(answer)
        except BadInput as exc:
            print(str(exc), file=sys.stderr)


def _panel_answers(ctx: CommandContext, workspace: Workspace) -> tuple[str | None, str | None]:
    """--panel-name and --force, or, for a person at a terminal setting up a workspace
    whose panel has none yet, their answers (a script or --json run is never asked)."""
    name, force = ctx.args.panel_name, ctx.args.force
    may_set = bool(ctx.args.admin) or not workspace.auth.has_users()
    if ctx.args.json or not sys.stdin.isatty() or not may_set:
        return name, force
    now = workspace.panel.current()
    if name is None and now.panel_name is None:
        name = _ask("The panel's name (blank: set it later): ", check_panel_name)
    if force is None and now.force is None:
        force = _ask(
            "The force it scrutinises, as data.police.uk names it, e.g. avon-and-somerset "
            "(blank: set it later): ",
            force_id,
        )
    return name, force


def _describe(settings: PanelSettings) -> str:
    force = f"{settings.force_name} ({settings.force})" if settings.force else "not set"
    demo = "; demonstration data" if settings.demo else ""
    kept = settings.retention_days
    retention = f"; personal data kept: {kept} days after the encounter" if kept else ""
    return f"Panel: {settings.panel_name or 'not named yet'}; force: {force}{demo}{retention}"


def cmd_init(ctx: CommandContext) -> Outcome:
    """Create or upgrade the workspace; with --admin, also its first administrator."""
    # Checked before anything is created, so a mistyped force leaves nothing half done.
    if ctx.args.panel_name is not None:
        check_panel_name(ctx.args.panel_name)
    if ctx.args.force is not None:
        force_id(ctx.args.force)
    workspace = ctx.create_workspace()
    result: dict[str, Any] = {"database": workspace.location, "admin_created": None}
    lines = [f"Workspace ready: {workspace.location}"]
    key_file, made = ensure_checkpoint_key(machine_settings(ctx), ctx.paths.default_audit_key_file)
    lines.append(
        f"Audit checkpoint key {'created at' if made else 'kept at'} {key_file}: keep it off "
        "backups, and on a shared database only on the administrator's or data protection "
        "officer's machine (docs/audit.md)"
    )
    panel_name, force = _panel_answers(ctx, workspace)
    wants_panel = panel_name is not None or force is not None
    if ctx.args.admin:
        secret = read_secret(f"Choose a PIN for {ctx.args.admin}: ", confirm=True)
        admin = workspace.auth.create_first_admin(
            ctx.args.admin, ctx.args.name or ctx.args.admin, secret, purpose=ctx.purpose
        )
        result["admin_created"] = admin.username
        lines.append(f"First administrator created: {admin.username} (admin, chair)")
        if wants_panel:
            workspace.panel.change(admin, panel_name=panel_name, force=force, purpose=ctx.purpose)
    else:
        if wants_panel:
            workspace.panel.set_up(panel_name=panel_name, force=force, purpose=ctx.purpose)
        if not workspace.auth.has_users():
            lines.append("No accounts yet: run `bwv-review init --admin NAME` or open the app.")
    if wants_panel:
        settings = workspace.panel.current()
        result["panel"] = asdict(settings)
        lines.append(_describe(settings))
    return Outcome(result, "\n".join(lines))


def cmd_panel_show(ctx: CommandContext) -> Outcome:
    settings = ctx.workspace.panel.current()
    return Outcome(asdict(settings) | {"force_name": settings.force_name}, _describe(settings))


def _retention_days(text: str) -> int | None:
    if text.strip().lower() == "none":
        return None
    try:
        return int(text)
    except ValueError:
        raise BadInput(f"--retention-days {text!r}: give a number of days, or none") from None


def cmd_panel_set(ctx: CommandContext) -> Outcome:
    retention = ctx.args.retention_days
    if ctx.args.name is None and ctx.args.force is None and retention is None:
        raise BadInput("give --name, --force, --retention-days or more than one")
    actor = ctx.signed_in_actor()
    settings = ctx.workspace.panel.change(
        actor, panel_name=ctx.args.name, force=ctx.args.force, purpose=ctx.purpose
    )
    if retention is not None:
        days = _retention_days(retention)
        settings = ctx.workspace.panel.set_retention(actor, days, purpose=ctx.purpose)
    return Outcome(asdict(settings) | {"force_name": settings.force_name}, _describe(settings))


def cmd_panel_forces(ctx: CommandContext) -> Outcome:
    lines = [f"{key:20s} {name}" for key, name in FORCES.items()]
    return Outcome(dict(FORCES), "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser(
        "init", parents=[common], help="create or upgrade the workspace (and its first admin)"
    )
    init.add_argument("--admin", metavar="NAME", help="create the first administrator")
    init.add_argument("--name", metavar="FULL NAME", help="the administrator's display name")
    init.add_argument("--panel-name", metavar="NAME", help="the scrutiny panel's name")
    init.add_argument(
        "--force",
        metavar="FORCE",
        help="the force the panel scrutinises: its data.police.uk id (avon-and-somerset) or name",
    )
    init.set_defaults(handler=cmd_init)

    panel = subparsers.add_parser(
        "panel", parents=[common], help="the panel's name and force (administrators change them)"
    )
    actions = panel.add_subparsers(dest="panel_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="the panel's name, force and flags")
    show.set_defaults(handler=cmd_panel_show, command="panel show")
    change = actions.add_parser("set", parents=[common], help="change the name or the force")
    change.add_argument("--name", metavar="NAME", help="the panel's name")
    change.add_argument("--force", metavar="FORCE", help="data.police.uk id or name")
    change.add_argument(
        "--retention-days",
        metavar="DAYS",
        help="days after the encounter a case's personal data is kept (none: no period); "
        "the Sessions page warns 30 days before `purge` would take a case",
    )
    change.set_defaults(handler=cmd_panel_set, command="panel set")
    forces = actions.add_parser("forces", parents=[common], help="the forces and their ids")
    forces.set_defaults(handler=cmd_panel_forces, command="panel forces")
