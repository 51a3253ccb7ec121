"""The fast path for large imports: rows straight to the driver, inside the ORM transaction.

A million public records through ORM objects is about 5x slower than the sqlite3 shell and
would hold every object in memory; here rows stay plain tuples and stream from the reader
to the driver: one DBAPI `executemany` over an iterator on SQLite, `COPY ... FROM STDIN` on
PostgreSQL. The rows join the caller's session transaction, so a failure anywhere rolls them
back with everything else the service call did.

Rows must hold values the driver stores as the ORM would: str, int, float, bool, None, and
timezone-aware datetimes for `UTCDateTime` columns, which are converted here the way
`UTCDateTime` converts them (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from bwv_review.store.types import UTCDateTime

Row = Sequence[Any]

# SQLite's default page cache (2 MiB) spills index pages to the WAL again and again during a
# big insert; a larger cache for the insert alone halves that without approaching the 300 MB
# a million-row import may use.
SQLITE_BULK_CACHE_KIB = 64 * 1024


def _naive_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_datetime_text(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format, written by a C method instead of a
    # %-format per value (5 us -> 0.5 us a row).
    return None if value is None else _naive_utc(value).isoformat(" ", "microseconds")  # type: ignore[union-attr]


def _converters(
    table: Table, columns: Sequence[str], dialect_name: str
) -> list[tuple[int, Callable[[Any], Any]]]:
    convert = _sqlite_datetime_text if dialect_name == "sqlite" else _naive_utc
    return [
        (index, convert)
        for index, name in enumerate(columns)
        if isinstance(table.c[name].type, UTCDateTime)
    ]


def _prepared(
    rows: Iterable[Row], converters: list[tuple[int, Callable[[Any], Any]]], fixed: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        if converters:
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
        yield (*row, *fixed)


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    fixed: Mapping[str, Any] | None = None,
) -> int:
    """Insert `rows` (values in `columns` order) into `table` in the session's transaction;
    `fixed` adds the same value for more columns on every row. Returns the rows inserted."""
    fixed = dict(fixed or {})
    names = [*columns, *fixed]
    connection = session.connection()
    dialect_name = connection.dialect.name
    prepared = _prepared(rows, _converters(table, columns, dialect_name), tuple(fixed.values()))
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
    target = connection.dialect.identifier_preparer.format_table(table)
    driver_connection = connection.connection.driver_connection
    cursor = driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if dialect_name == "postgresql":
            return _copy(cursor, f"COPY {target} ({quoted}) FROM STDIN", prepared)
        placeholders = ", ".join("?" for _ in names)
        cache_kib = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
        try:
            cursor.executemany(f"INSERT INTO {target} ({quoted}) VALUES ({placeholders})", prepared)
            inserted = int(cursor.rowcount)  # executemany sums what each execution changed
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache_kib)}")
        return inserted
    finally:
        cursor.close()


def _copy(cursor: Any, statement: str, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
