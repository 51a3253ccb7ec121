"""The fast path for large imports: rows straight to the driver, inside the ORM transaction.

A million public records through ORM objects is about 5x slower than the sqlite3 shell and
would hold every object in memory; here rows stay plain tuples and stream from the reader
to the driver: on SQLite a DBAPI `executemany` of multi-row INSERTs (one statement per few
dozen rows, which halves the per-statement cost), on PostgreSQL `COPY ... FROM STDIN`. The
rows join the caller's session transaction, so a failure anywhere rolls them back with
everything else the service call did.

Rows must hold values the driver stores as the ORM would: str, int, float, bool, None, and
timezone-aware datetimes for `UTCDateTime` columns, which are converted here the way
`UTCDateTime` converts them (tests compare the two).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Table, literal
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bwv_review.store.types import UTCDateTime

Row = Sequence[Any]
Converter = Callable[[Any], Any]

# SQLite's default page cache (2 MiB) spills index pages to the WAL again and again during a
# big insert; a larger cache for the insert alone avoids that, well inside 300 MB.
SQLITE_BULK_CACHE_KIB = 64 * 1024
# Rows per INSERT statement on SQLite; fewer if the build allows fewer bound variables.
SQLITE_ROWS_PER_STATEMENT = 32
_SQLITE_DATETIME_CHARS = len("2019-12-01 00:01:00.000000")  # an offset would follow
_CONVERT_CHUNK_ROWS = 4096


def _naive_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


# Public records repeat their instants (a search of a group is one row each), so each
# distinct instant is formatted once; bounded so a long file cannot grow it without end.
@lru_cache(maxsize=1 << 16)
def _sqlite_datetime_text(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format ("YYYY-MM-DD HH:MM:SS.ffffff", naive UTC),
    # written by one C method instead of a %-format per value (5 us -> 0.3 us a row).
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:_SQLITE_DATETIME_CHARS]


def _datetime_indexes(table: Table, columns: Sequence[str]) -> list[int]:
    return [i for i, name in enumerate(columns) if isinstance(table.c[name].type, UTCDateTime)]


def _apply(rows: Iterable[Row], indexes: list[int], convert: Converter) -> Iterator[Row]:
    # A list comprehension over a few thousand rows at a time: a generator step per row
    # costs as much as the conversion.
    iterator = iter(rows)
    while chunk := list(islice(iterator, _CONVERT_CHUNK_ROWS)):
        for index in indexes:  # usually one: slicing beats copying each row into a list
            chunk = [(*row[:index], convert(row[index]), *row[index + 1 :]) for row in chunk]
        yield from chunk


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    fixed: Mapping[str, Any] | None = None,
) -> int:
    """Insert `rows` (values in `columns` order) into `table` in the session's transaction;
    `fixed` gives more columns one value for every row. Returns the rows inserted."""
    fixed = dict(fixed or {})
    connection = session.connection()
    dialect = connection.dialect
    indexes = _datetime_indexes(table, columns)
    driver_error = dialect.loaded_dbapi.Error
    try:
        if dialect.name == "postgresql":
            converted = _apply(rows, indexes, _naive_utc) if indexes else rows
            return _copy(connection, table, columns, converted, fixed)
        return _sqlite_insert(connection, table, columns, rows, fixed, indexes)
    except driver_error as exc:
        # The same exceptions the ORM raises, so `Database.transaction` can tell a locked
        # or unreachable database from bad data here too.
        raise DBAPIError.instance(
            f"bulk insert into {table.name}", None, exc, driver_error
        ) from exc


@contextmanager
def indexes_built_after(session: Session, table: Table, *, expected_rows: int) -> Iterator[None]:
    """On SQLite, drops `table`'s own indexes for the load inside it and builds them again
    from their stored SQL before it ends, when the load brings more rows than the table
    holds: sorting all rows once is cheaper than a B-tree insert at a random place per row
    (a million records: about a third of SQLite's time). It is DDL in the caller's
    transaction, so a failure rolls the drop back with the rows; readers see the old schema
    until commit. Indexes behind a constraint (UNIQUE) cannot be dropped and stay. On
    PostgreSQL nothing changes: COPY is already fast, and DROP INDEX would lock the table
    against every other reader for the whole load."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name != "sqlite" or not isinstance(driver, sqlite3.Connection):
        yield
        return
    quoted = connection.dialect.identifier_preparer.format_table(table)
    highest = f"SELECT max(rowid) FROM {quoted}"  # nosec B608: a model table, dialect-quoted
    held = driver.execute(highest).fetchone()[0] or 0
    indexes: list[tuple[str, str]] = (
        driver.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (table.name,),
        ).fetchall()
        if expected_rows > held
        else []
    )
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in indexes:
        driver.execute(f"DROP INDEX {quote(name)}")
    yield
    for _name, sql in indexes:
        driver.execute(sql)


def _copy(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    fixed: Mapping[str, Any],
) -> int:
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in [*columns, *fixed])
    statement = f"COPY {preparer.format_table(table)} ({names}) FROM STDIN"
    extra = tuple(fixed.values())
    count = 0
    driver = connection.connection.driver_connection
    assert driver is not None  # a connection checked out of the pool, not yet closed
    cursor = driver.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row((*row, *extra))
                count += 1
    finally:
        cursor.close()
    return count


def _sqlite_insert(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    fixed: Mapping[str, Any],
    datetime_indexes: list[int],
) -> int:
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in [*columns, *fixed])
    # Fixed values go into the SQL once, as literals, instead of being bound on every row.
    constants = [
        str(
            literal(value, table.c[name].type).compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        for name, value in fixed.items()
    ]
    one_row = "(" + ", ".join(["?"] * len(columns) + constants) + ")"
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)  # the pysqlite dialect's DB-API connection
    max_variables = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, max_variables // len(columns)))

    def insert(row_count: int) -> str:
        values = ", ".join([one_row] * row_count)
        into = f"{preparer.format_table(table)} ({names})"
        return f"INSERT INTO {into} VALUES {values}"  # nosec B608: model names, placeholders

    groups = _Groups(rows, per_statement, len(columns), datetime_indexes)
    cursor = driver.cursor()
    cache_kib = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        cursor.executemany(insert(per_statement), groups)
        count = int(cursor.rowcount)  # executemany sums what each statement changed
        if groups.rest:
            cursor.execute(insert(len(groups.rest)), groups.flat(groups.rest))
            count += len(groups.rest)
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(cache_kib)}")
        cursor.close()
    return count


class _Groups:
    """Rows flattened `size` at a time for one multi-row INSERT each, their datetimes
    turned into SQLite's text; the last, shorter group is left in `rest` for a statement of
    its own."""

    def __init__(
        self, rows: Iterable[Row], size: int, width: int, datetime_indexes: list[int]
    ) -> None:
        self._rows = iter(rows)
        self._size = size
        self._width = width
        self._datetime_indexes = datetime_indexes
        self.rest: list[Row] = []

    def __iter__(self) -> Iterator[list[Any]]:
        while True:
            group = list(islice(self._rows, self._size))
            if len(group) < self._size:
                self.rest = group
                return
            yield self.flat(group)

    def flat(self, group: list[Row]) -> list[Any]:
        values = list(chain.from_iterable(group))
        for index in self._datetime_indexes:
            # One column of the flat list, every `width`th value: converted by one C-level
            # map instead of rebuilding each row's tuple around its one datetime.
            values[index :: self._width] = map(_sqlite_datetime_text, values[index :: self._width])
        return values
