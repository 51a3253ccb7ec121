"""The bulk path on SQLite and PostgreSQL: every row lands once, in the caller's transaction,
and a failure while reading or while storing leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Table, func, select, text
from sqlalchemy.exc import IntegrityError

from bwv_review.ingest.police_csv import RECORD_COLUMNS, RecordRow, record_row
from bwv_review.store.bulk import SQLITE_ROWS_PER_STATEMENT, indexes_built_after, insert_rows
from bwv_review.store.db import Database
from bwv_review.store.migrate import upgrade_to_head
from bwv_review.store.models import PoliceRecord, RecordImport

FIELDS = [
    "Person search",
    "2019-12-01T00:01:00+00:00",
    "False",
    "",
    "51.770766",
    "0.094481",
    "Male",
    "18-24",
    "White - Irish",
    "White",
    "Misuse of Drugs Act 1971 (section 23)",
    "Controlled drugs",
    "Arrest",
    "True",
    "",
]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, create=True)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


def _rows(count: int, *, first_line: int = 2) -> Iterator[RecordRow]:
    for line in range(first_line, first_line + count):
        yield record_row(line, FIELDS)


def _insert(db: Database, rows: Iterator[RecordRow]) -> int:
    with db.transaction() as session:
        record_import = RecordImport(
            file_sha256="ab" * 32,
            file_name="x.csv",
            source_format="csv",
            row_count=0,
            imported_by="test",
        )
        session.add(record_import)
        session.flush()
        return insert_rows(
            session,
            PoliceRecord.__table__,  # type: ignore[arg-type]
            RECORD_COLUMNS,
            rows,
            fixed={"import_id": record_import.id},
        )


def _stored(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(PoliceRecord)) or 0


@pytest.mark.parametrize(
    "count", [0, 1, SQLITE_ROWS_PER_STATEMENT, 3 * SQLITE_ROWS_PER_STATEMENT + 5]
)
def test_every_row_is_stored_once_whatever_the_grouping(db: Database, count: int) -> None:
    assert _insert(db, _rows(count)) == count
    with db.transaction() as session:
        lines = list(session.scalars(select(PoliceRecord.line_number).order_by("line_number")))
        sample = session.scalar(select(PoliceRecord).limit(1))
    assert lines == list(range(2, 2 + count))
    if count:
        assert sample is not None and sample.outcome == "arrest" and sample.outcome_linked is True
        assert sample.import_id is not None


def test_a_failure_while_reading_stores_nothing(db: Database) -> None:
    def failing() -> Iterator[RecordRow]:
        yield from _rows(100)
        raise OSError("the file went away")

    with pytest.raises(OSError, match="went away"):
        _insert(db, failing())
    assert _stored(db) == 0


def test_a_failure_while_storing_is_the_orm_exception(db: Database) -> None:
    def duplicates() -> Iterator[RecordRow]:
        for _ in range(100):
            yield from _rows(1)

    with pytest.raises(IntegrityError):
        _insert(db, duplicates())
    assert _stored(db) == 0


def _index_sql(db: Database) -> dict[str, str]:
    """The table's own indexes as the database holds them, whichever backend."""
    with db.transaction() as session:
        if db.is_sqlite:
            query = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'police_records' AND sql IS NOT NULL"
            )
        else:
            query = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'police_records'"
        return {str(name): str(sql) for name, sql in session.execute(text(query))}


def _load(db: Database, count: int, *, expected_rows: int, fail: bool = False) -> None:
    table: Table = PoliceRecord.__table__  # type: ignore[assignment]
    with db.transaction() as session:
        record_import = RecordImport(
            file_sha256=f"{count:064x}",
            file_name="x.csv",
            source_format="csv",
            row_count=0,
            imported_by="test",
        )
        session.add(record_import)
        session.flush()
        with indexes_built_after(session, table, expected_rows=expected_rows):
            insert_rows(
                session, table, RECORD_COLUMNS, _rows(count), fixed={"import_id": record_import.id}
            )
            if fail:
                raise OSError("the file went away")


def test_indexes_dropped_for_a_load_are_built_again_as_they_were(db: Database) -> None:
    before = _index_sql(db)
    assert "ix_police_records_occurred_at" in before
    _load(db, 300, expected_rows=300)  # more than the empty table holds: rebuilt on SQLite
    assert _index_sql(db) == before
    _load(db, 50, expected_rows=50)  # fewer than the table holds: kept as it is
    assert _index_sql(db) == before
    with db.transaction() as session:
        if db.is_sqlite:
            assert session.scalar(text("PRAGMA integrity_check")) == "ok"
        in_order = select(PoliceRecord.occurred_at).order_by(PoliceRecord.occurred_at)
        assert len(session.scalars(in_order).all()) == 350


def test_a_failed_load_keeps_the_indexes(db: Database) -> None:
    before = _index_sql(db)
    with pytest.raises(OSError, match="went away"):
        _load(db, 100, expected_rows=10_000, fail=True)
    assert _index_sql(db) == before
    assert _stored(db) == 0
