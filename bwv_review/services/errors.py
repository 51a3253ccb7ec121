"""What a service call can refuse, in words a person can act on.

The CLI maps each to its exit code and the GUI to a message box, so the same refusal reads
the same way everywhere. DatabaseUnavailable comes from the store and is re-exported here so
that the ui never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.store.errors import DatabaseUnavailable

__all__ = [
    "BadInput",
    "DatabaseUnavailable",
    "NotFound",
    "PermissionDenied",
    "Problem",
    "ServiceError",
    "SignInRefused",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        return f"{where}: {self.message}" if where else self.message


class ServiceError(Exception):
    exit_code = 1


class BadInput(ServiceError):
    """The request or a file it names is wrong; nothing was changed."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [Problem(message)]


class NotFound(BadInput):
    pass


class PermissionDenied(ServiceError):
    exit_code = 4


class SignInRefused(PermissionDenied):
    """Wrong name or PIN, a disabled account, or a lock-out. The message never says which
    of name or PIN was wrong."""
