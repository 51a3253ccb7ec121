"""`users add|list|disable|enable|reset-pin|roles`: accounts, for administrators; and
`users change-pin`, for everyone.

The new person's PIN comes from BWV_REVIEW_NEW_PIN or a prompt typed twice, and is
temporary: they choose their own at first sign-in. The administrator's own PIN (for --as)
comes from BWV_REVIEW_PIN, as for every command.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome, read_secret
from bwv_review.config import NEW_PIN_ENV_VAR
from bwv_review.domain.vocab import Role

ROLE_CHOICES = [role.value for role in Role]


def _new_secret(username: str) -> str:
    return read_secret(f"New PIN for {username}: ", confirm=True, env_var=NEW_PIN_ENV_VAR)


def cmd_add(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    args = ctx.args
    person = ctx.workspace.auth.create_user(
        actor,
        args.username,
        args.name or args.username,
        _new_secret(args.username),
        [Role(role) for role in args.role],
        purpose=ctx.purpose,
    )
    roles = sorted(person.roles)
    return Outcome(
        {"username": person.username, "pseudonym": person.pseudonym, "roles": roles},
        f"Added {person.username} ({person.pseudonym}) as {', '.join(roles)}",
    )


def cmd_list(ctx: CommandContext) -> Outcome:
    users = ctx.workspace.users.list_users(ctx.signed_in_actor())
    lines = [
        f"{u.username:20s} {u.pseudonym:6s} {'active' if u.active else 'DISABLED':8s} "
        f"{', '.join(u.roles)}"
        + (f"  locked until {u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until else "")
        for u in users
    ]
    return Outcome([asdict(u) for u in users], "\n".join(lines))


def _set_active(ctx: CommandContext, active: bool) -> Outcome:
    actor = ctx.signed_in_actor()
    ctx.workspace.users.set_active(actor, ctx.args.username, active, purpose=ctx.purpose)
    state = "enabled" if active else "disabled"
    return Outcome(
        {"username": ctx.args.username, "active": active}, f"{ctx.args.username} {state}"
    )


def cmd_reset_pin(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    username = ctx.args.username
    ctx.workspace.users.reset_secret(actor, username, _new_secret(username), purpose=ctx.purpose)
    return Outcome({"username": username}, f"New PIN set for {username}; any lock-out lifted")


def cmd_change_pin(ctx: CommandContext) -> Outcome:
    """The --as person's own PIN: the current one is the one they signed in with (a
    temporary one is changed by signing in, so nothing is left to do but say so)."""
    actor = ctx.signed_in_actor()
    if not ctx.changed_temporary_pin:
        current = read_secret(f"PIN for {actor.username}: ")
        new = read_secret("New PIN: ", confirm=True, env_var=NEW_PIN_ENV_VAR)
        ctx.workspace.auth.change_own_secret(actor, current, new, purpose=ctx.purpose)
    return Outcome({"username": actor.username}, f"New PIN set for {actor.username}")


def cmd_roles(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    roles = ctx.workspace.users.set_roles(
        actor, ctx.args.username, [Role(r) for r in ctx.args.role], purpose=ctx.purpose
    )
    listed = sorted(roles)
    return Outcome(
        {"username": ctx.args.username, "roles": listed},
        f"{ctx.args.username} now: {', '.join(listed)}",
    )


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    users = subparsers.add_parser("users", parents=[common], help="accounts (administrators)")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common], help="add a person")
    add.add_argument("username")
    add.add_argument("--name", metavar="FULL NAME", help="the person's name as shown to them")
    add.add_argument("--role", action="append", choices=ROLE_CHOICES, required=True)
    add.set_defaults(handler=cmd_add, command="users add")

    listing = actions.add_parser("list", parents=[common], help="list accounts")
    listing.set_defaults(handler=cmd_list, command="users list")

    for name, active in (("disable", False), ("enable", True)):
        sub = actions.add_parser(name, parents=[common], help=f"{name} an account")
        sub.add_argument("username")
        sub.set_defaults(
            handler=lambda ctx, active=active: _set_active(ctx, active), command=f"users {name}"
        )

    reset = actions.add_parser(
        "reset-pin", parents=[common], help="set a new PIN and lift a lock-out"
    )
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_reset_pin, command="users reset-pin")

    change = actions.add_parser(
        "change-pin",
        parents=[common],
        help="change your own PIN (the --as person's): current from BWV_REVIEW_PIN, new "
        "from BWV_REVIEW_NEW_PIN, or asked",
    )
    change.set_defaults(handler=cmd_change_pin, command="users change-pin")

    roles = actions.add_parser("roles", parents=[common], help="replace a person's roles")
    roles.add_argument("username")
    roles.add_argument("--role", action="append", choices=ROLE_CHOICES, required=True)
    roles.set_defaults(handler=cmd_roles, command="users roles")
