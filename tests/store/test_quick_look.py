"""The standard-library look that chooses the first window (store/quick_look.py): a real
workspace file is recognised, and anything else gives no look, so the app takes the full
path and its own messages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bwv_review.services.workspace import Workspace
from bwv_review.store.migrate import head_revision
from bwv_review.store.quick_look import WorkspaceLook, head_revision_id, look_at, plain_sqlite_path


def _workspace(path: Path, *, with_account: bool) -> None:
    workspace = Workspace.create(f"sqlite:///{path}")
    if with_account:
        workspace.auth.create_first_admin("alice", "Alice", "246813", purpose="test")
    workspace.close()


def test_the_head_read_from_file_names_is_alembics() -> None:
    assert head_revision_id() == head_revision()


def test_a_workspace_with_accounts_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    _workspace(path, with_account=True)
    assert look_at(path) == WorkspaceLook(has_users=True, demo=False)


def test_a_workspace_without_accounts_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    _workspace(path, with_account=False)
    assert look_at(path) == WorkspaceLook(has_users=False, demo=False)


def test_a_missing_file_gives_no_look_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    assert look_at(path) is None
    assert not path.exists()


def test_a_file_that_is_not_a_database_gives_no_look(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("this is not a database\n" * 100)
    assert look_at(path) is None


def test_an_older_schema_gives_no_look(tmp_path: Path) -> None:
    """It must be upgraded by the full path (Alembic) before anyone signs in."""
    path = tmp_path / "ws.sqlite3"
    _workspace(path, with_account=True)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0009'")
    assert look_at(path) is None


def test_a_locked_workspace_gives_no_look(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    _workspace(path, with_account=True)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert look_at(path) is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_only_plain_sqlite_addresses_are_read_without_sqlalchemy() -> None:
    assert plain_sqlite_path("sqlite:////srv/panel/ws.sqlite3") == Path("/srv/panel/ws.sqlite3")
    assert plain_sqlite_path("sqlite:///ws.sqlite3") == Path("ws.sqlite3")
    for other in (
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:////srv/a%20b.sqlite3",
        "sqlite:////srv/ws.sqlite3?mode=ro",
        "postgresql://panel@db.example.org/bwv",
    ):
        assert plain_sqlite_path(other) is None, other
