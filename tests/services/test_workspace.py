"""Only `Workspace.create` (init, the first run) makes a workspace: opening a path with
nothing there says so and creates nothing, and a workspace whose file is deleted, or moved
and replaced, while it is open refuses to save instead of saving where no one will look."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bwv_review.domain.vocab import Role
from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.services.workspace import NoWorkspace, Workspace
from bwv_review.store.db import Database

PIN = "975310"
PURPOSE = "test"


def test_opening_a_missing_file_names_it_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "panel" / "bwv-review.sqlite3"
    with pytest.raises(NoWorkspace) as refused:
        Workspace.open(f"sqlite:///{missing}")
    assert str(refused.value) == f"no workspace at {missing}; restore it from backup or run init"
    assert not missing.exists() and not missing.parent.exists()


def test_opening_a_database_no_init_set_up_creates_no_tables(postgres_url: str) -> None:
    with pytest.raises(NoWorkspace, match="restore it from backup or run init"):
        Workspace.open(postgres_url)
    db = Database(postgres_url)
    try:
        assert inspect(db.engine).get_table_names() == []
    finally:
        db.dispose()


def test_create_then_open_finds_the_same_workspace(db_url: str) -> None:
    created = Workspace.create(db_url)
    created.auth.create_first_admin("alice", "Alice", PIN, purpose=PURPOSE)
    created.close()
    opened = Workspace.open(db_url)
    try:
        assert opened.auth.has_users()
    finally:
        opened.close()


@pytest.fixture
def open_workspace(tmp_path: Path) -> tuple[Workspace, Path]:
    path = tmp_path / "panel.sqlite3"
    workspace = Workspace.create(f"sqlite:///{path}")
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose=PURPOSE)
    return workspace, path


def _add_reviewer(workspace: Workspace, username: str) -> None:
    admin = workspace.auth.sign_in("alice", PIN, purpose=PURPOSE)
    workspace.auth.create_user(admin, username, username, PIN, [Role.REVIEWER], purpose=PURPOSE)


def _wal_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def test_a_file_deleted_while_open_refuses_the_next_save(
    open_workspace: tuple[Workspace, Path],
) -> None:
    workspace, path = open_workspace
    try:
        for part in _wal_files(path):
            part.unlink(missing_ok=True)
        with pytest.raises(DatabaseUnavailable) as refused:
            _add_reviewer(workspace, "bob")
        assert str(path) in str(refused.value)
        assert "deleted or moved" in str(refused.value)
        assert "nothing more is saved" in str(refused.value)
        assert not path.exists()
    finally:
        workspace.close()


def test_a_file_moved_and_replaced_while_open_refuses_the_next_save(
    open_workspace: tuple[Workspace, Path], tmp_path: Path
) -> None:
    workspace, path = open_workspace
    other_path = tmp_path / "other.sqlite3"
    other = Workspace.create(f"sqlite:///{other_path}")
    other.auth.create_first_admin("alice", "Another Alice", PIN, purpose=PURPOSE)
    other.close()
    moved = tmp_path / "moved-away.sqlite3"
    try:
        for original, away in zip(_wal_files(path), _wal_files(moved), strict=True):
            if original.exists():
                original.rename(away)
        shutil.copyfile(other_path, path)

        with pytest.raises(DatabaseUnavailable) as refused:
            _add_reviewer(workspace, "bob")
        assert str(path) in str(refused.value) and "replaced" in str(refused.value)
    finally:
        workspace.close()
    for where in (path, moved):
        reopened = Workspace.open(f"sqlite:///{where}")
        try:
            admin = reopened.auth.sign_in("alice", PIN, purpose=PURPOSE)
            usernames = [u.username for u in reopened.users.list_users(admin)]
            assert usernames == ["alice"], f"bob was written into {where}"
        finally:
            reopened.close()


def test_a_file_put_back_where_it_was_saves_again(open_workspace: tuple[Workspace, Path]) -> None:
    """Moved away and back is the same file (same inode): nothing to refuse."""
    workspace, path = open_workspace
    aside = path.with_name("aside.sqlite3")
    try:
        path.rename(aside)
        with pytest.raises(DatabaseUnavailable):
            _add_reviewer(workspace, "bob")
        aside.rename(path)
        _add_reviewer(workspace, "bob")
    finally:
        workspace.close()
