"""Copying a SQLite workspace file whole and consistently, for backups and restores.

SQLite's online backup API copies every page inside one read transaction, so the copy is
the database as it was at one moment even while other laptops' apps keep writing; copying
the file with `cp` could take half of a transaction, or miss what still sits in the WAL.
The copy is a single file (journal mode DELETE), readable by its owner only, and is
checked with `PRAGMA integrity_check` before anyone is told it exists.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from bwv_review.store.db import SQLITE_BUSY_TIMEOUT_MS

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every bwv-review workspace has had since its first migration.
WORKSPACE_TABLES = frozenset({"alembic_version", "audit_events", "cases", "users"})


class CopyRefused(RuntimeError):
    """The copy was not made (or was removed again); the message names the file and why."""


def _create_owner_only(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise CopyRefused(f"{path}: a file is already there; nothing was overwritten") from None
    except OSError as exc:
        raise CopyRefused(f"{path}: cannot create the copy ({exc.strerror})") from exc


def integrity(connection: sqlite3.Connection) -> str:
    """'ok', or SQLite's first complaints joined into one line."""
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows[:5])


def copy_database(source: Path, target: Path) -> None:
    """Copy the database at `source` into a new file at `target` (never over one), then
    check the copy. A copy that fails its check is removed, so a bad backup cannot be
    mistaken for a good one."""
    for side_file in (target, Path(f"{target}-wal"), Path(f"{target}-journal")):
        if side_file.exists():
            raise CopyRefused(f"{side_file}: a file is already there; nothing was overwritten")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _create_owner_only(target)
    try:
        timeout_s = SQLITE_BUSY_TIMEOUT_MS / 1000
        with (
            contextlib.closing(sqlite3.connect(source, timeout=timeout_s)) as src,
            contextlib.closing(sqlite3.connect(target, timeout=timeout_s)) as dst,
        ):
            src.backup(dst)  # all pages in one step: one consistent moment
            dst.execute("PRAGMA journal_mode = DELETE")
            verdict = integrity(dst)
        if verdict != "ok":
            raise CopyRefused(f"{target}: the copy failed SQLite's integrity check: {verdict}")
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise CopyRefused(f"{source}: cannot copy the database ({exc})") from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def workspace_file_problem(path: Path) -> str | None:
    """Why the file at `path` is not a bwv-review workspace file, or None when it is one.
    Read only: the file is opened immutable, so checking a backup never changes it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    if header.startswith(b"PGDMP"):
        return "it is a PostgreSQL dump; restore it with pg_restore (docs/retention-and-backup.md)"
    if header != SQLITE_HEADER:
        return "it is not a SQLite database"
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            tables = {
                str(row[0])
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            missing = sorted(WORKSPACE_TABLES - tables)
            if missing:
                return (
                    f"a SQLite database, but not a bwv-review workspace (no {', '.join(missing)})"
                )
            verdict = integrity(connection)
    except sqlite3.Error as exc:
        return f"SQLite cannot read it ({exc})"
    return None if verdict == "ok" else f"it fails SQLite's integrity check: {verdict}"
