"""Importing data.police.uk stop-and-search files: the public sampling frame.

One file is one transaction: its rows, its `RecordImport` and its audit event commit
together or not at all. The file is read once, streaming, straight into the bulk insert;
when a row turns out to be malformed, inserting stops, reading goes on to find every other
bad row (up to a cap), and the transaction is rolled back, so the database is unchanged and
the publisher learns everything to fix at once. A row's identity is the file's SHA-256 plus
its line, so exact duplicate rows (group searches) stay distinct searches and the same file
imported twice adds nothing.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from bwv_review.ingest.police_csv import (
    RECORD_COLUMNS,
    HashingReader,
    RecordRow,
    RowError,
    identify_file,
    read_csv,
)
from bwv_review.ingest.police_json import read_json
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.bulk import indexes_built_after, insert_rows
from bwv_review.store.db import Database
from bwv_review.store.models import PoliceRecord, RecordImport

# Enough to see the pattern of what is wrong; a file with thousands of bad rows is usually
# not a stop-and-search file at all.
MAX_ROW_ERRORS_REPORTED = 50
_READ_CHUNK_BYTES = 1 << 20
_UNRECOGNISED_INDEX = RECORD_COLUMNS.index("unrecognised_fields")
# A published CSV row is at least this long (the real files: 200-230 bytes), so a file's
# size over it does not overestimate the rows it brings by much.
_MIN_BYTES_PER_ROW = 150

Reader = Callable[[BinaryIO], Iterator[RecordRow | RowError]]


@dataclass(frozen=True)
class ImportReport:
    """What one file's import did. `rows_added` is 0 when the file was already imported."""

    file: str
    sha256: str
    import_id: int
    already_imported: bool
    rows_added: int
    force: str | None
    month: str | None
    source_format: str
    replaced_import_id: int | None = None
    unrecognised: dict[str, int] = field(default_factory=dict)


@dataclass
class _RowSieve:
    """Passes rows to the insert until the first bad row, then only collects errors."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    unrecognised: Counter[str] = field(default_factory=Counter)

    def rows(self, items: Iterable[RecordRow | RowError]) -> Iterator[RecordRow]:
        for item in items:
            if isinstance(item, RowError):
                self.error_count += 1
                if len(self.errors) < MAX_ROW_ERRORS_REPORTED:
                    self.errors.append(Problem(item.message, file=self.file, line=item.line))
            elif not self.error_count:
                flagged = item[_UNRECOGNISED_INDEX]
                if flagged is not None:
                    self.unrecognised.update(str(flagged).split(","))
                yield item


@dataclass(frozen=True)
class _Source:
    """The file being imported, as the person named it and as its bytes hash."""

    path: Path
    sha256: str
    size_bytes: int

    @property
    def shown(self) -> str:
        return str(self.path)

    @property
    def format(self) -> str:
        return "json" if self.path.suffix.lower() == ".json" else "csv"

    @property
    def reader(self) -> Reader:
        return read_json if self.format == "json" else read_csv

    def refusal(self, reason: str, problems: list[Problem] | None = None) -> BadInput:
        return BadInput(f"{self.shown}: {reason}", problems or [Problem(reason, file=self.shown)])


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class RecordsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def import_file(
        self, actor: Actor, path: Path, *, replace: bool = False, purpose: str
    ) -> ImportReport:
        """Import one data.police.uk file (CSV, or JSON from the API) all-or-nothing.

        A file already imported (same SHA-256) adds nothing. A different file for a force
        and month already held (a corrected download) is refused unless `replace`, which
        marks the old import superseded: its rows stay, because cases may point at them,
        but statistics and sampling read only the current import.
        """
        require(actor, Permission.IMPORT_DATA)
        try:
            source = _Source(path, _sha256_of(path), path.stat().st_size)
            with self._db.transaction() as session:
                return self._import(session, actor, source, replace=replace, purpose=purpose)
        except OSError as exc:
            reason = f"cannot read the file: {exc.strerror or exc}"
            raise BadInput(f"{path}: {reason}", [Problem(reason, file=str(path))]) from exc

    def _import(
        self, session: Session, actor: Actor, source: _Source, *, replace: bool, purpose: str
    ) -> ImportReport:
        identity = identify_file(source.path.name)
        force = identity.force if identity else None
        month = identity.month if identity else None
        sha256, shown = source.sha256, source.shown
        detail = {"file_name": source.path.name, "sha256": sha256, "format": source.format}

        existing = session.scalar(select(RecordImport).where(RecordImport.file_sha256 == sha256))
        if existing is not None:
            append_event(
                session,
                actor=actor.username,
                action="records.import_unchanged",
                purpose=purpose,
                entity_type="record_import",
                entity_id=existing.id,
                detail={**detail, "rows": 0, "already_imported_as": existing.file_name},
            )
            return ImportReport(
                shown, sha256, existing.id, True, 0, existing.force, existing.month, source.format
            )

        previous = self._current_import_for(session, force, month)
        if previous is not None and not replace:
            raise source.refusal(
                f"{force} {month} is already imported from {previous.file_name} "
                f"(a different file, imported {previous.imported_at:%Y-%m-%d}); nothing was "
                "imported. If this is a corrected download, import it again with --replace."
            )

        record_import = RecordImport(
            file_sha256=sha256,
            file_name=source.path.name,
            force=force,
            month=month,
            source_format=source.format,
            row_count=0,
            imported_by=actor.username,
        )
        session.add(record_import)
        session.flush()

        sieve = _RowSieve(shown)
        table: Table = PoliceRecord.__table__  # type: ignore[assignment]
        expected_rows = source.size_bytes // _MIN_BYTES_PER_ROW
        with (
            source.path.open("rb") as raw,
            indexes_built_after(session, table, expected_rows=expected_rows),
        ):
            hashing = HashingReader(raw)
            items = source.reader(io.BufferedReader(hashing, _READ_CHUNK_BYTES))
            rows_added = insert_rows(
                session,
                table,
                RECORD_COLUMNS,
                sieve.rows(items),
                fixed={"import_id": record_import.id},
            )
            read_sha256 = hashing.hexdigest_of_all()
        if sieve.error_count:
            listed = len(sieve.errors)
            shown_count = "" if sieve.error_count == listed else f", the first {listed} listed"
            raise source.refusal(
                f"{sieve.error_count} row(s) cannot be imported{shown_count}; nothing was imported",
                sieve.errors,
            )
        if read_sha256 != sha256:
            raise source.refusal("the file changed while it was read; nothing was imported")

        record_import.row_count = rows_added
        unrecognised = dict(sorted(sieve.unrecognised.items()))
        if previous is not None:
            previous.superseded_by_id = record_import.id
            append_event(
                session,
                actor=actor.username,
                action="records.import_superseded",
                purpose=purpose,
                entity_type="record_import",
                entity_id=previous.id,
                detail={
                    "file_name": previous.file_name,
                    "sha256": previous.file_sha256,
                    "rows": previous.row_count,
                    "superseded_by_import_id": record_import.id,
                },
            )
        append_event(
            session,
            actor=actor.username,
            action="records.imported",
            purpose=purpose,
            entity_type="record_import",
            entity_id=record_import.id,
            detail={
                **detail,
                "rows": rows_added,
                "force": force,
                "month": month,
                "unrecognised": unrecognised,
                "replaces_import_id": previous.id if previous else None,
            },
        )
        return ImportReport(
            shown,
            sha256,
            record_import.id,
            False,
            rows_added,
            force,
            month,
            source.format,
            previous.id if previous else None,
            unrecognised,
        )

    @staticmethod
    def _current_import_for(
        session: Session, force: str | None, month: str | None
    ) -> RecordImport | None:
        if force is None or month is None:
            return None
        return session.scalar(
            select(RecordImport).where(
                RecordImport.force == force,
                RecordImport.month == month,
                RecordImport.superseded_by_id.is_(None),
            )
        )
