"""`demo [--out DIR]`: build the demonstration workspace, a whole panel cycle on invented
cases, in a folder of its own (a BWV_REVIEW_HOME), and say how to open it and who to sign
in as."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome
from bwv_review.demo import DEMO_PIN, build_demo
from bwv_review.demo.build import Progress
from bwv_review.services.errors import BadInput


def _terminal_progress() -> Progress | None:
    """Each step on stderr for a person at a terminal; scripts get clean output."""
    if not sys.stderr.isatty():
        return None

    def show(percent: int, step: str) -> bool:
        print(f"\r{percent:3d}% {step[:70]:70s}", end="", file=sys.stderr, flush=True)
        if percent >= 100:
            print(file=sys.stderr)
        return True

    return show


def cmd_demo(ctx: CommandContext) -> Outcome:
    if ctx.args.db is not None:
        raise BadInput("`demo` makes its own database in --out DIR; it takes no --db")
    out = Path(ctx.args.out).expanduser() if ctx.args.out else ctx.paths.default_demo_home
    demo = build_demo(out, progress=_terminal_progress())
    home = shlex.quote(str(demo.home))
    lines = [
        f"Demonstration workspace built in {demo.seconds:.1f} s: {demo.home}",
        f"Open it:  BWV_REVIEW_HOME={home} bwv-review",
        f"Or a command:  BWV_REVIEW_HOME={home} bwv-review --as chair sessions list",
        f"Every demo account's PIN is {DEMO_PIN}:",
        *(
            f"  {account.username:10s} {account.display_name:14s} {account.role_labels}"
            for account in demo.accounts
        ),
    ]
    result: dict[str, Any] = {
        "home": str(demo.home),
        "database": demo.db_url,
        "seconds": round(demo.seconds, 1),
        "panel_name": demo.panel_name,
        "accounts": [
            {
                "username": account.username,
                "display_name": account.display_name,
                "roles": [role.value for role in account.roles],
                "pin": account.pin,
            }
            for account in demo.accounts
        ],
    }
    return Outcome(result, "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="build a demonstration workspace (invented cases, footage, sessions, reviews)",
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        help="an empty or new folder for it (default: a demo folder in the user data folder)",
    )
    demo.set_defaults(handler=cmd_demo)
