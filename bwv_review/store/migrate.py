"""Bringing a database to the schema this version of the app expects (Alembic head).

Both `bwv-review init` and the app's start call `upgrade_to_head`, so a laptop that missed
an update catches up the first time it opens the shared database. Alembic itself (about a
fifth of the app's start-up) is imported only when there is something to upgrade: a
database already at head is recognised by its alembic_version row and the migrations
folder's file names (quick_look.head_revision_id).
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from bwv_review.store.quick_look import head_revision_id

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config  # only when migrating: see the module's docstring

    config = Config()
    config.set_main_option("script_location", str(files("bwv_review.store") / "migrations"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # Alembic's own view, for tests and checks

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when no migration has ever run there."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        if len(rows) <= 1:
            return str(rows[0][0]) if rows else None
        from alembic.runtime.migration import MigrationContext  # it explains several heads

        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    if current_revision(engine) == head_revision_id():
        return
    from alembic import command  # only when migrating: see the module's docstring

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
