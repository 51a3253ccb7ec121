"""The schema: migrations match the models, and SQLite and PostgreSQL end up identical."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text, types
from sqlalchemy.exc import IntegrityError

from bwv_review.store.db import make_engine
from bwv_review.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from bwv_review.store.models import Base


def _upgraded(url: str) -> Engine:
    engine = make_engine(url, create=True)
    upgrade_to_head(engine)
    return engine


def test_migrations_reach_head_and_match_the_models(db_url: str) -> None:
    engine = _upgraded(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrading_twice_changes_nothing(sqlite_url: str) -> None:
    engine = _upgraded(sqlite_url)
    try:
        before = _schema(engine)
        upgrade_to_head(engine)
        assert _schema(engine) == before
    finally:
        engine.dispose()


def _normalised_type(column_type: types.TypeEngine[Any]) -> str:
    """Reduce a reflected type to what both backends can express the same way."""
    generic = column_type.as_generic() if hasattr(column_type, "as_generic") else column_type
    length = getattr(generic, "length", None)
    name = type(generic).__name__.upper()
    aliases = {"VARCHAR": "STRING", "DOUBLE": "FLOAT", "DOUBLE_PRECISION": "FLOAT", "REAL": "FLOAT"}
    name = aliases.get(name, name)
    return f"{name}({length})" if length else name


def _schema(engine: Engine) -> dict[str, Any]:
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        schema[table] = {
            "columns": {
                col["name"]: (_normalised_type(col["type"]), bool(col["nullable"]))
                for col in inspector.get_columns(table)
            },
            "primary_key": tuple(inspector.get_pk_constraint(table)["constrained_columns"]),
            "foreign_keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(
                (uq["name"], tuple(uq["column_names"]))
                for uq in inspector.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(table)
                # PostgreSQL also lists the index behind each unique constraint.
                if not ix.get("duplicates_constraint")
            ),
        }
    return schema


def test_sqlite_and_postgresql_schemas_are_identical(sqlite_url: str, postgres_url: str) -> None:
    sqlite_engine = _upgraded(sqlite_url)
    postgres_engine = _upgraded(postgres_url)
    try:
        sqlite_schema = _schema(sqlite_engine)
        postgres_schema = _schema(postgres_engine)
    finally:
        sqlite_engine.dispose()
        postgres_engine.dispose()
    assert set(sqlite_schema) == set(Base.metadata.tables)
    for table in sqlite_schema:
        assert sqlite_schema[table] == postgres_schema[table], table


def test_sqlite_file_is_private_durable_and_checks_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ws.sqlite3"
    engine = _upgraded(f"sqlite:///{path}")
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_file_order_is_chain_order() -> None:
    """Migration files are numbered 0001, 0002, ... in the order they run, each revision id
    the number its file name starts with, so a reader (and a new migration's author) can
    follow the chain by the folder listing."""
    scripts = ScriptDirectory.from_config(alembic_config())
    chain = list(reversed(list(scripts.walk_revisions())))  # base first
    assert [script.revision for script in chain] == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    for script in chain:
        assert script.path is not None
        assert Path(script.path).name.startswith(f"{script.revision}_")
    folder = Path(chain[0].path).parent
    files_in_folder = sorted(p.name for p in folder.glob("[0-9]*.py"))
    assert files_in_folder == [Path(script.path).name for script in chain]


def _filler(column: Any) -> Any:
    """A value of the column's type for a NOT NULL column without a default."""
    python_type = column["type"].python_type
    if python_type is bool:
        return False
    if python_type is int:
        return 0
    if python_type is datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)
    return "x"


def _insert_filled(connection: Any, table: str, values: dict[str, Any]) -> None:
    for column in inspect(connection).get_columns(table):
        needed = not column["nullable"] and column.get("default") is None
        if needed and column["name"] not in values and not column.get("autoincrement"):
            values[column["name"]] = _filler(column)
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def test_every_migration_upgrades_a_workspace_that_holds_accounts(db_url: str) -> None:
    """A migration that rebuilt the users table (SQLite's batch mode) passed on empty test
    databases and failed on every real one, whose roles point at their accounts."""
    engine = make_engine(db_url, create=True)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            _insert_filled(connection, "users", {"id": 1, "username": "ada"})
            _insert_filled(connection, "user_roles", {"user_id": 1, "role": "admin"})
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["ada"]
    finally:
        engine.dispose()


def test_role_check_accepts_the_auditor_after_0010_and_still_refuses_other_words(
    db_url: str,
) -> None:
    """0010 replaces the CHECK constraint on user_roles.role: before it an auditor cannot be
    stored, after it they can, and a word that is no role is still refused."""
    engine = make_engine(db_url, create=True)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0009")
            _insert_filled(connection, "users", {"id": 1, "username": "dpo"})
            _insert_filled(connection, "user_roles", {"user_id": 1, "role": "reviewer"})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _insert_filled(connection, "user_roles", {"user_id": 1, "role": "auditor"})
        upgrade_to_head(engine)
        with engine.begin() as connection:
            _insert_filled(connection, "user_roles", {"user_id": 1, "role": "auditor"})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _insert_filled(connection, "user_roles", {"user_id": 1, "role": "snooper"})
        with engine.connect() as connection:
            roles = connection.execute(text("SELECT role FROM user_roles ORDER BY role"))
            assert roles.scalars().all() == ["auditor", "reviewer"]
    finally:
        engine.dispose()
