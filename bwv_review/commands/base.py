"""What every subcommand shares: the outcome it returns, and a context that opens the
workspace and signs in `--as` only when the command asks for it."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bwv_review.config import NEW_PIN_ENV_VAR, PIN_ENV_VAR, Paths, resolve_db_url
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, Problem

if TYPE_CHECKING:
    from bwv_review.services.workspace import Workspace

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_DB_UNAVAILABLE = 3
EXIT_PERMISSION = 4


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
        self.changed_temporary_pin = False

    @property
    def purpose(self) -> str:
        return f"cli: {self.args.command}"

    @property
    def workspace(self) -> Workspace:
        """The workspace at --db, which must exist: only `create_workspace` makes one."""
        if self._workspace is None:
            # The services load with the first command that needs them: opening the app
            # goes through here too, and shows its first window without them.
            from bwv_review.services.workspace import Workspace, remember_workspace

            self._workspace = Workspace.open(self.db_url)
            remember_workspace(self.paths, self._workspace)
        return self._workspace

    def create_workspace(self) -> Workspace:
        """For `init` (and any command like it): create the workspace or upgrade it."""
        if self._workspace is None:
            from bwv_review.services.workspace import Workspace, remember_workspace  # see above

            self._workspace = Workspace.create(self.db_url)
            remember_workspace(self.paths, self._workspace)
        return self._workspace

    def signed_in_actor(self) -> Actor:
        """The `--as` user, after their PIN is checked; commands that change data or read
        personal data call this first. A temporary PIN (one an administrator set) is
        changed first, to BWV_REVIEW_NEW_PIN or one typed twice, as the app asks for one
        at sign-in."""
        username = self.args.as_user
        if not username:
            raise BadInput(f"`{self.args.command}` needs --as USER (who is doing this)")
        workspace = self.workspace  # a missing workspace is said before a PIN is asked
        secret = read_secret(f"PIN for {username}: ")
        actor = workspace.auth.sign_in(username, secret, purpose=self.purpose)
        if workspace.auth.pin_is_temporary(actor):
            new = read_secret(
                f"Your PIN is temporary; choose your own PIN for {username}: ",
                confirm=True,
                env_var=NEW_PIN_ENV_VAR,
            )
            workspace.auth.change_own_secret(actor, secret, new, purpose=self.purpose)
            self.changed_temporary_pin = True
        return actor

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def read_secret(prompt: str, *, confirm: bool = False, env_var: str = PIN_ENV_VAR) -> str:
    """From the environment variable for scripts; otherwise ask without echo."""
    from_env = os.environ.get(env_var)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise BadInput(f"no PIN given: set {env_var} or run the command in a terminal")
    import getpass  # only a command asks for a PIN here; the app's start does not

    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != secret:
        raise BadInput("the two entries differ; nothing was changed")
    return secret


def iso_date(text: str, option: str) -> date:
    """A date option's value, refused in words naming the option when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} {text!r}: give a date as YYYY-MM-DD") from None
