"""Opening the database: the embedded SQLite file or a shared PostgreSQL server.

SQLite runs in WAL mode with synchronous=FULL and foreign keys on, so a committed answer
survives a power cut; the file is created readable by its owner only, because it holds
personal data. Every transaction on SQLite begins IMMEDIATE: writers queue for the lock at
the start instead of failing half-way, which keeps "one service call, one transaction" true.

A SQLite file is created only when asked (`create=True`: init and the first run); opening a
path with no file says so instead of starting an empty workspace in its place. While open,
each transaction first checks that the file at the path is still the one opened (same
device and inode): SQLite would go on writing into a deleted or moved-away file, and the
app would report "saved" for answers no one will ever see.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from bwv_review.store.errors import DatabaseUnavailable as DatabaseUnavailable
from bwv_review.store.errors import NoWorkspace as NoWorkspace

try:
    import psycopg
except ImportError:  # the 'postgres' extra is optional for a single-laptop panel
    psycopg = None  # type: ignore[assignment]

SQLITE_BUSY_TIMEOUT_MS = 5000


def describe_url(url: str | URL) -> str:
    """The URL as a person may see it: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database address>"


def sqlite_file(url: str | URL) -> Path | None:
    """The file a SQLite URL names; None for other databases and in-memory ones."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database:
        return None
    if database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _prepare_sqlite_file(path: Path, *, create: bool) -> None:
    if path.exists():
        return
    if not create:
        raise NoWorkspace(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseUnavailable(f"cannot create the database file {path}: {exc}") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN IMMEDIATE below
        # is the only BEGIN issued.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | URL, *, create: bool = False, **kwargs: Any) -> Engine:
    """An engine for `url`, with the per-backend settings that keep data safe. A SQLite
    file that does not exist is created only with `create`; otherwise NoWorkspace."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"not a database address: {url!s}") from exc
    # A failed statement's parameters are what people typed (notes, names); they must not
    # reach an exception's text, and from there a log file or a crash report.
    kwargs.setdefault("hide_parameters", True)
    try:
        if parsed.get_backend_name() == "sqlite":
            if (path := sqlite_file(parsed)) is not None:
                _prepare_sqlite_file(path, create=create)
            engine = create_engine(parsed, **kwargs)
            _configure_sqlite(engine)
        else:
            engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    except NoSuchModuleError as exc:
        raise DatabaseUnavailable(
            f"{describe_url(parsed)}: no driver for this kind of database "
            "(for PostgreSQL install the 'postgres' extra: pip install 'bwv-review[postgres]')"
        ) from exc
    except ModuleNotFoundError as exc:
        raise DatabaseUnavailable(
            f"{describe_url(parsed)}: database driver missing ({exc.name}); "
            "install the 'postgres' extra: pip install 'bwv-review[postgres]'"
        ) from exc
    return engine


def explain_db_error(engine: Engine, exc: DBAPIError) -> DatabaseUnavailable:
    """Turn a driver error about reaching or locking the database into one clear sentence."""
    where = describe_url(engine.url)
    text = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        why = "the database is locked by another program; close it or wait, then try again"
    elif "disk is full" in lowered or "no space left" in lowered:
        why = (
            "the disk holding the database is full, so nothing more is saved; "
            "free some space there, then save again"
        )
    elif "not a database" in lowered or "malformed" in lowered:
        why = "the file is not a bwv-review database or is damaged; restore it from a backup"
    elif "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        why = "the file cannot be opened for writing (moved, deleted or no permission?)"
    elif "connection" in lowered or "could not" in lowered or "timeout" in lowered:
        why = "the database server cannot be reached; check the address and that it is running"
    else:
        why = text.strip().splitlines()[0] if text.strip() else type(exc.orig).__name__
    return DatabaseUnavailable(f"{where}: {why}")


def is_unavailable_error(exc: DBAPIError) -> bool:
    """True for errors about reaching or locking the database, as opposed to bad data.

    sqlite3 raises plain DatabaseError for "file is not a database"; its subclasses
    (IntegrityError and the rest) are about the data, so only the exact type counts.
    """
    orig = exc.orig
    if exc.connection_invalidated or type(orig) is sqlite3.DatabaseError:
        return True
    operational: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)
    if psycopg is not None:
        operational += (psycopg.OperationalError,)
    return isinstance(orig, operational)


class Database:
    """The engine and its session factory; services open one transaction per call."""

    def __init__(self, url: str | URL, *, create: bool = False, **engine_kwargs: Any) -> None:
        self.engine = make_engine(url, create=create, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._file = sqlite_file(self.engine.url)
        self._file_identity = _identity(self._file) if self._file is not None else None

    @property
    def url_for_display(self) -> str:
        return describe_url(self.engine.url)

    @property
    def location(self) -> str:
        """The SQLite file's path, or the server's address without its password: what
        NoWorkspace names and what this machine remembers having opened."""
        return str(self._file) if self._file is not None else self.url_for_display

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def check_file_is_the_one_opened(self) -> None:
        """Refuse to go on if the SQLite file was deleted, moved or replaced since it was
        opened (one os.stat: cheap enough for every transaction)."""
        if self._file is None:
            return
        identity = _identity(self._file)
        if identity is None:
            raise DatabaseUnavailable(
                f"{self._file}: the workspace file was deleted or moved while bwv-review had "
                "it open, so nothing more is saved; put it back or restore it from backup, "
                "then restart bwv-review"
            )
        if identity != self._file_identity:
            raise DatabaseUnavailable(
                f"{self._file}: another file has replaced the workspace opened from there, so "
                "nothing more is saved; restart bwv-review to open the file now at that place"
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error, and reports a
        database that cannot be reached, is locked or has gone as DatabaseUnavailable."""
        self.check_file_is_the_one_opened()
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            if is_unavailable_error(exc):
                raise explain_db_error(self.engine, exc) from exc
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode, or None when nothing (that we may see) is at the path."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
