"""`bwv-review`: with no subcommand it opens the app; subcommands run headless for
administrators and scripts.

The contract every subcommand keeps: `--db`, `--as` and `--json` may stand before or after
the subcommand; the PIN comes from BWV_REVIEW_PIN or a no-echo prompt; commands that change
data need `--as` and record it in the audit log; `--json` prints exactly one object
{"ok", "command", "result", "errors"} on stdout; a command's result in words goes to stdout
and every other human message to stderr. Exit codes: 0 ok, 1 internal error, 2 bad input,
3 database unavailable or locked, 4 permission denied.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from bwv_review.config import PIN_ENV_VAR, Paths, resolve_db_url
from bwv_review.logging_setup import configure_logging
from bwv_review.services.actor import Actor
from bwv_review.services.errors import (
    BadInput,
    DatabaseUnavailable,
    PermissionDenied,
    Problem,
    ServiceError,
)
from bwv_review.services.workspace import Workspace

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_DB_UNAVAILABLE = 3
EXIT_PERMISSION = 4

log = logging.getLogger("bwv_review.cli")


@dataclass
class Outcome:
    """What a command hands back: data for --json and the same in words for people."""

    result: Any
    summary: str
    problems: list[Problem] = field(default_factory=list)
    ok: bool = True
    exit_code: int = EXIT_OK


class CommandContext:
    """Opens the workspace lazily and signs in `--as` on demand, so commands that need
    neither (like --version) never touch the database."""

    def __init__(self, args: argparse.Namespace, paths: Paths) -> None:
        self.args = args
        self.paths = paths
        self.db_url = resolve_db_url(args.db, paths)
        self._workspace: Workspace | None = None

    @property
    def purpose(self) -> str:
        return f"cli: {self.args.command}"

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace.open(self.db_url)
        return self._workspace

    def signed_in_actor(self) -> Actor:
        """The `--as` user, after their PIN is checked; commands that change data or read
        personal data call this first."""
        username = self.args.as_user
        if not username:
            raise BadInput(f"`{self.args.command}` needs --as USER (who is doing this)")
        secret = read_secret(f"PIN for {username}: ")
        return self.workspace.auth.sign_in(username, secret, purpose=self.purpose)

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def read_secret(prompt: str, *, confirm: bool = False) -> str:
    """BWV_REVIEW_PIN for scripts; otherwise ask without echo on the terminal."""
    from_env = os.environ.get(PIN_ENV_VAR)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise BadInput(f"no PIN given: set {PIN_ENV_VAR} or run the command in a terminal")
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != secret:
        raise BadInput("the two entries differ; nothing was changed")
    return secret


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


def cmd_init(ctx: CommandContext) -> Outcome:
    """Create or upgrade the workspace; with --admin, also its first administrator."""
    workspace = ctx.workspace
    result: dict[str, Any] = {"database": workspace.location, "admin_created": None}
    lines = [f"Workspace ready: {workspace.location}"]
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


def cmd_gui(ctx: CommandContext) -> Outcome:
    from bwv_review.app import run_gui

    return Outcome(None, "", exit_code=run_gui(ctx.db_url, ctx.paths, sys.argv[:1]))


# ---------------------------------------------------------------------------------------
# Parsing and running
# ---------------------------------------------------------------------------------------


class ArgumentParser(argparse.ArgumentParser):
    """Turns usage errors into BadInput so --json callers get JSON, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message}")


def _common_options() -> argparse.ArgumentParser:
    common = ArgumentParser(add_help=False)
    # SUPPRESS keeps a value given before the subcommand from being reset by the
    # subparser's default when it is not repeated after it.
    common.add_argument("--db", default=argparse.SUPPRESS, help="database URL or SQLite file")
    common.add_argument(
        "--as", dest="as_user", default=argparse.SUPPRESS, metavar="USER", help="who is acting"
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object"
    )
    return common


def build_parser() -> ArgumentParser:
    common = _common_options()
    parser = ArgumentParser(
        prog="bwv-review",
        parents=[common],
        description="Body-worn-video review for community scrutiny panels. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    init = sub.add_parser(
        "init", parents=[common], help="create or upgrade the workspace (and its first admin)"
    )
    init.add_argument("--admin", metavar="NAME", help="create the first administrator")
    init.add_argument("--name", metavar="FULL NAME", help="the administrator's display name")
    init.set_defaults(handler=cmd_init)

    audit = sub.add_parser("audit", parents=[common], help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", parents=[common], help="check the hash chain; name the first broken event"
    )
    verify.set_defaults(handler=cmd_audit_verify, command="audit verify")
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    args = build_parser().parse_args(list(argv))
    for name, default in (("db", None), ("as_user", None), ("json", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.command is None:
        args.command = "gui"
        args.handler = cmd_gui
    return args


def _emit(args_json: bool, command: str, outcome: Outcome) -> None:
    if args_json:
        payload = {
            "ok": outcome.ok,
            "command": command,
            "result": outcome.result,
            "errors": [
                {"file": p.file, "line": p.line, "message": p.message} for p in outcome.problems
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, default=str))
        return
    if outcome.summary:
        print(outcome.summary, file=sys.stdout if outcome.ok else sys.stderr)
    for problem in outcome.problems:
        print(str(problem), file=sys.stderr)


def _failure(exc: BaseException, code: int) -> Outcome:
    problems = exc.problems if isinstance(exc, BadInput) else [Problem(str(exc))]
    return Outcome(None, "", problems, ok=False, exit_code=code)


def run(argv: Sequence[str], paths: Paths | None = None) -> int:
    paths = paths or Paths.for_this_machine()
    wants_json = "--json" in argv
    command = "bwv-review"
    ctx: CommandContext | None = None
    handler: Callable[[CommandContext], Outcome]
    try:
        args = parse_args(argv)
        wants_json, command = args.json, args.command
        if args.version:
            from bwv_review.ui.about import version_report

            print(version_report())
            return EXIT_OK
        configure_logging(paths.log_dir)
        ctx = CommandContext(args, paths)
        handler = args.handler
        outcome = handler(ctx)
    except BadInput as exc:
        outcome = _failure(exc, EXIT_BAD_INPUT)
    except DatabaseUnavailable as exc:
        outcome = _failure(exc, EXIT_DB_UNAVAILABLE)
    except PermissionDenied as exc:
        outcome = _failure(exc, EXIT_PERMISSION)
    except ServiceError as exc:
        outcome = _failure(exc, exc.exit_code)
    except KeyboardInterrupt:
        outcome = _failure(RuntimeError("interrupted; nothing more was changed"), EXIT_BAD_INPUT)
    except Exception as exc:
        log.exception("internal error in %s", command)
        where = paths.log_dir / "bwv-review.log"
        outcome = _failure(
            RuntimeError(f"internal error: {exc!r} (details in {where})"), EXIT_INTERNAL
        )
    finally:
        if ctx is not None:
            ctx.close()
    if command != "gui" or not outcome.ok:
        _emit(wants_json, command, outcome)
    return outcome.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)
