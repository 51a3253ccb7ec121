"""Logging to a rotating file in the user log dir: enough history to diagnose a problem a
volunteer reports, never unbounded. Log lines carry no PINs, no footage content and no text
people typed.

What people typed reaches a log line by one road in practice: a database error, whose text
holds the statement's parameters and, on PostgreSQL, a DETAIL with the row's values ("Failing
row contains (...)"). Engines hide parameters (store/db.py); `safe_exception_text` keeps only
the statement, the error's class, SQLSTATE and the constraint, table and column it names.
Log files and crash reports are readable by their owner only, rotated files included.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Any

LOG_FILE_NAME = "bwv-review.log"
MAX_LOG_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5
PRIVATE_FILE_MODE = 0o600
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_DIAG_FIELDS = ("sqlstate", "constraint_name", "table_name", "column_name", "datatype_name")


def _driver_error_text(orig: BaseException) -> str:
    """What the driver said, minus any value. SQLite's messages name only schema objects
    (values are always bound parameters); PostgreSQL's may quote values in the message and
    always in DETAIL, so only its diagnostic fields are kept."""
    kind = f"{type(orig).__module__}.{type(orig).__qualname__}"
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorname", None)
        message = str(orig).splitlines()[0] if str(orig) else ""
        return f"({kind}) {message}" + (f" [{code}]" if code else "")
    diag = getattr(orig, "diag", None)
    fields = [
        f"{name}={value}"
        for name in _DIAG_FIELDS
        if diag is not None and (value := getattr(diag, name, None))
    ]
    return f"({kind}) " + (" ".join(fields) or "details withheld: they may hold personal data")


def safe_exception_text(exc: BaseException) -> str:
    """`Type: message` for a log or crash report, with a database error's values left out."""
    name = type(exc).__qualname__
    # No SQLAlchemy error exists before SQLAlchemy is imported, and a crash before then
    # must not be made to load it (the first window is shown without it).
    statement_error = getattr(sys.modules.get("sqlalchemy.exc"), "StatementError", None)
    if statement_error is not None and isinstance(exc, statement_error):
        driver = _driver_error_text(exc.orig) if exc.orig is not None else "(no driver error)"
        statement = " ".join(str(exc.statement or "").split())
        return f"{name}: {driver} [SQL: {statement}] [parameters withheld]"
    if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg"):
        return f"{name}: {_driver_error_text(exc)}"
    text = str(exc)
    return f"{name}: {text}" if text else name


def format_exception_safely(exc: BaseException) -> str:
    """Like traceback.format_exception, cause and context included, but each exception's
    message comes from safe_exception_text (a chained DBAPIError is where values hide)."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            link = "\nThe above exception was the direct cause of the following exception:\n\n"
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link = "\nDuring handling of the above exception, another exception occurred:\n\n"
            current = current.__context__
        else:
            current = None
    parts: list[str] = []
    for item, link_to_next in reversed(chain):
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(safe_exception_text(item) + "\n")
        parts.append(link_to_next)
    return "".join(parts)


class SafeFormatter(logging.Formatter):
    """Formats tracebacks, and exceptions passed as arguments, without database values."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, BaseException) for arg in record.args
        ):
            record.args = tuple(
                safe_exception_text(arg) if isinstance(arg, BaseException) else arg
                for arg in record.args
            )
        return super().format(record)

    def formatException(self, ei: Any) -> str:
        exc = ei[1]
        if exc is None:
            return super().formatException(ei)
        return format_exception_safely(exc).rstrip("\n")


def open_private(path: Path, *, new: bool = False) -> io.TextIOWrapper:
    """Open a text file for appending (or, with `new`, create it and fail if it exists)
    that only its owner may read, whatever the umask; a file an older version left readable
    is tightened on the way."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if new else os.O_APPEND)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE_FILE_MODE)
        return open(fd, "w" if new else "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each file it opens, the first and every one after a rotation, is 0600."""

    def _open(self) -> io.TextIOWrapper:
        return open_private(Path(self.baseFilename))


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Attach the rotating file handler once; calling again is harmless."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_path = log_dir / LOG_FILE_NAME
    root = logging.getLogger("bwv_review")
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(log_path):
            return log_path
    handler = PrivateRotatingFileHandler(
        log_path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(SafeFormatter(_FORMAT))
    root.addHandler(handler)
    return log_path
