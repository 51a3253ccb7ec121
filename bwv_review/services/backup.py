"""Backing up a workspace and restoring a backup into a new place.

A SQLite workspace is copied with SQLite's online backup API (store/sqlite_copy.py), so
the copy is consistent while reviewers keep saving. The backup's audit event is written
in the workspace before the copy is taken, so the copy itself records that it was made,
by whom and into which file. A PostgreSQL workspace is backed up by the server's own tool:
the app says which pg_dump command to run (without the password) rather than pretending
to have made a copy.

A restore only ever makes a new file: it never replaces a workspace, because a mistaken
restore over live data would silently lose whatever was saved since the backup.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database, sqlite_file
from bwv_review.store.sqlite_copy import CopyRefused, copy_database, workspace_file_problem

RESTORED_FILE_NAME = "bwv-review.sqlite3"
SQLITE_SUFFIXES = frozenset({".sqlite3", ".sqlite", ".db"})


@dataclass(frozen=True)
class BackupMade:
    file: Path
    size_bytes: int
    audit_seq: int


@dataclass(frozen=True)
class PgDumpAdvice:
    """What to run on a PostgreSQL workspace; `command` never holds the password."""

    command: str
    host: str
    database: str


def pg_dump_command(url: URL, out: Path) -> PgDumpAdvice:
    """The documented pg_dump call for the workspace at `url`; the password is left to
    PGPASSWORD or ~/.pgpass, so it never appears on a screen or in shell history."""
    host = url.host or "localhost"
    database = url.database or ""
    parts = ["pg_dump", "--format=custom", f"--file={out}", f"--host={host}"]
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts.append(database)
    return PgDumpAdvice(shlex.join(parts), host, database)


def restore_target(to: Path) -> Path:
    """The new workspace file a restore writes: `to` itself when it names a SQLite file,
    otherwise the usual file name inside the folder `to` (made if it is not there)."""
    if to.suffix.lower() in SQLITE_SUFFIXES and not to.is_dir():
        return to
    if to.exists() and not to.is_dir():
        raise BadInput(f"{to}: a file is already there; restore into a new folder or file")
    return to / RESTORED_FILE_NAME


def restore_copy(backup: Path, to: Path) -> Path:
    """Copy the backup at `backup` into a new workspace file under `to` and return its
    path. Refused, naming the path, when the file is not a bwv-review backup or when a
    workspace is already at the target."""
    if not backup.is_file():
        raise BadInput(f"{backup}: no such backup file")
    problem = workspace_file_problem(backup)
    if problem is not None:
        raise BadInput(f"{backup}: not a bwv-review backup: {problem}")
    target = restore_target(to)
    if target.exists():
        raise BadInput(
            f"{target}: a workspace is already there; a restore never overwrites one, "
            "so give a new folder or file"
        )
    try:
        copy_database(backup, target)
    except CopyRefused as exc:
        raise BadInput(str(exc)) from exc
    return target


class BackupService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def back_up(self, actor: Actor, out: Path, *, purpose: str) -> BackupMade | PgDumpAdvice:
        """Copy a SQLite workspace into `out` (a new file), or say the pg_dump command
        for a PostgreSQL one. Nothing is recorded for the advice: nothing was copied."""
        require(actor, Permission.BACK_UP)
        source = sqlite_file(self._db.engine.url)
        if not self._db.is_sqlite or source is None:
            return pg_dump_command(self._db.engine.url, out)
        if out.is_dir():
            raise BadInput(f"{out} is a folder; give the backup file's name")
        if out.exists():
            raise BadInput(f"{out}: a file is already there; a backup never overwrites one")
        with self._db.transaction() as session:
            event = append_event(
                session,
                actor=actor.username,
                action="workspace.backed_up",
                purpose=purpose,
                detail={"file_name": out.name},
            )
            seq = event.seq
        try:
            copy_database(source, out)
        except CopyRefused as exc:
            raise BadInput(
                f"{exc}; the backup's audit event #{seq} is recorded, so run it again "
                "with another file"
            ) from exc
        return BackupMade(out, out.stat().st_size, seq)

    def record_restore(self, actor: Actor, backup: Path, *, purpose: str) -> int:
        """Note in the restored workspace that it came from `backup`; the event's seq."""
        require(actor, Permission.BACK_UP)
        with self._db.transaction() as session:
            event = append_event(
                session,
                actor=actor.username,
                action="workspace.restored",
                purpose=purpose,
                detail={"from_file_name": backup.name},
            )
            return event.seq
