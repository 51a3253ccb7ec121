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
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from bwv_review.commands.base import (
    EXIT_BAD_INPUT,
    EXIT_DB_UNAVAILABLE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PERMISSION,
    CommandContext,
    Outcome,
)
from bwv_review.config import DB_ENV_VAR, Paths
from bwv_review.logging_setup import configure_logging, safe_exception_text
from bwv_review.services.errors import (
    BadInput,
    DatabaseUnavailable,
    PermissionDenied,
    Problem,
    ServiceError,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_DB_UNAVAILABLE", "EXIT_OK", "EXIT_PERMISSION", "main", "run"]

log = logging.getLogger("bwv_review.cli")


def cmd_gui(ctx: CommandContext) -> Outcome:
    from bwv_review.app import run_gui

    # A database named here wins over the welcome window's remembered choice.
    named = bool(ctx.args.db or os.environ.get(DB_ENV_VAR))
    return Outcome(None, "", exit_code=run_gui(ctx.db_url, ctx.paths, sys.argv[:1], db_named=named))


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


def _top_parser(common: argparse.ArgumentParser) -> ArgumentParser:
    parser = ArgumentParser(
        prog="bwv-review",
        parents=[common],
        description="Body-worn-video review for community scrutiny panels. "
        "With no command, opens the app.",
        epilog="PINs for scripts: BWV_REVIEW_PIN is the --as person's PIN. "
        "BWV_REVIEW_NEW_PIN is a new PIN: the new person's for `users add` and "
        "`users reset-pin` (temporary: they choose their own at first sign-in), yours for "
        "`users change-pin`, and your own new one when --as signs in with a temporary PIN. "
        "Without them, the PIN is asked for without echo.",
    )
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    return parser


def build_parser() -> ArgumentParser:
    # Each module adds its own subcommands; see bwv_review/commands/__init__.py. They load
    # the services and the database layer, so only a command line with a subcommand (or
    # asking for help) imports them: see _app_args.
    from bwv_review.commands import (
        audit,
        backup,
        demo,
        learning,
        library,
        population,
        records,
        report,
        retention,
        reviews,
        sampling,
        users,
        workspace,
    )

    common = _common_options()
    parser = _top_parser(common)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    for module in (
        workspace,
        audit,
        users,
        records,
        population,
        reviews,
        library,
        sampling,
        learning,
        report,
        retention,
        backup,
        demo,
    ):
        module.register(sub, common)
    return parser


def _app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a command line that names no subcommand (the app, or --version),
    read without the subcommands' modules; None for any other, which the full parser
    reads (and refuses in its own words)."""
    if "-h" in argv or "--help" in argv:
        return None
    try:
        args, rest = _top_parser(_common_options()).parse_known_args(list(argv))
    except BadInput:
        return None
    if rest:
        return None
    args.command = None
    return args


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    args = _app_args(argv) or build_parser().parse_args(list(argv))
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
            RuntimeError(f"internal error: {safe_exception_text(exc)} (details in {where})"),
            EXIT_INTERNAL,
        )
    finally:
        if ctx is not None:
            ctx.close()
    if command != "gui" or not outcome.ok:
        _emit(wants_json, command, outcome)
    return outcome.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    # In the frozen build a worker process (the demo's footage encoders) starts as this
    # program again; this hands it to multiprocessing instead of running the app. Only
    # there: freeze_support does nothing unfrozen, and importing multiprocessing (pickle,
    # socket) would cost the first window for nothing.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    return run(sys.argv[1:] if argv is None else argv)
