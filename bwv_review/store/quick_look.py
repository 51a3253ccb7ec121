"""A look at a SQLite workspace with the standard library alone, before SQLAlchemy loads.

The app decides whether to show sign-in from this look, so the first window needs neither
SQLAlchemy nor Alembic: the file is opened read-only (a URI with mode=ro, which never
creates it), and anything unusual about it (missing, locked, not a database, not set up,
a schema this version must upgrade) gives no look at all, so the caller takes the full
path through the workspace, which explains the problem in its own words.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

_REVISION_FILE = re.compile(r"^(\d+)_\w+\.py$")


@dataclass(frozen=True)
class WorkspaceLook:
    has_users: bool
    demo: bool


def head_revision_id() -> str:
    """The newest migration's id, read from the migrations folder's file names: revision
    ids are their numbers in chain order (0001_initial_schema.py is "0001"), so the
    largest is the head without asking Alembic."""
    versions = files("bwv_review.store") / "migrations" / "versions"
    numbers = [
        match.group(1)
        for entry in versions.iterdir()
        if (match := _REVISION_FILE.match(entry.name)) is not None
    ]
    assert numbers, "the migrations folder has no revisions"
    return max(numbers, key=int)


def plain_sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` address with nothing else in it (no query, not in
    memory), as db.sqlite_file reads it; None for every other address, which the caller
    leaves to SQLAlchemy to read."""
    prefix = "sqlite:///"
    database = url[len(prefix) :] if url.startswith(prefix) else ""
    if not database or any(sign in database for sign in "?%"):
        return None
    if database.startswith((":memory:", "file:")):
        return None
    return Path(database)


def look_at(path: Path) -> WorkspaceLook | None:
    """What the workspace file at `path` holds, when it is one at this version's schema;
    None for anything else (see the module's docstring)."""
    if not path.is_file():
        return None
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        # No waiting on a busy file: the full path waits (busy_timeout) and explains.
        connection = sqlite3.connect(uri, uri=True, timeout=0)
    except sqlite3.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if revision != [(head_revision_id(),)]:
            return None
        (users,) = connection.execute("SELECT count(*) FROM users").fetchone()
        demo = connection.execute("SELECT is_demo FROM workspace_settings").fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return WorkspaceLook(has_users=users > 0, demo=any(bool(row[0]) for row in demo))
