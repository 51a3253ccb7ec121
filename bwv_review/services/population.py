"""Population tables: people by census group and police force area, the denominators of
searches per 1,000 people and of relative rates.

A table is imported whole (all areas or none, every problem by line), by an administrator,
with the source and census year the report prints beside every rate; the import and its
audit event commit together. Tables are never merged: the force-wide context reads the
newest census year that covers the force (the latest import of it when one year was
imported twice), so a rate always comes from one named table.

Example:

    report = workspace.population.import_file(
        admin, Path("census.csv"), source="ONS Census 2011, QS201EW", year=2011, purpose="..."
    )
    figures = workspace.population.latest_for(actor, "avon-and-somerset")
    figures.people_by_group["black"], figures.source, figures.year
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.ingest.population import read_population_csv
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.permissions import Permission, require
from bwv_review.services.text_input import typed_name
from bwv_review.services.workspace_settings import FORCES
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import PopulationCount, PopulationTable
from bwv_review.store.types import utc_now

# The first census of England and Wales was 1801.
EARLIEST_YEAR = 1801
SOURCE_CHARS = 200
# 43 areas take 2 KB; a file this big is something else, and is not read into memory.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class PopulationImport:
    """What one import did; `already_imported` when the same file, source and year were."""

    table_id: int
    file: str
    sha256: str
    source: str
    year: int
    areas: int
    shape: str
    already_imported: bool = False


@dataclass(frozen=True)
class PopulationFigures:
    """One area's people by group from one table, with what the report cites."""

    table_id: int
    source: str
    year: int
    area_slug: str
    people_by_group: Mapping[str, int]
    imported_at: datetime


def _refusal(path: Path, reason: str, problems: list[Problem] | None = None) -> BadInput:
    return BadInput(f"{path}: {reason}", problems or [Problem(reason, file=str(path))])


def latest_population(session: Session, area_slug: str) -> PopulationFigures | None:
    """The newest census year's figures for an area (latest import within a year), or None.
    For services that read it inside their own transaction."""
    table = session.scalar(
        select(PopulationTable)
        .where(
            PopulationTable.id.in_(
                select(PopulationCount.table_id).where(PopulationCount.area_slug == area_slug)
            )
        )
        .order_by(PopulationTable.year.desc(), PopulationTable.id.desc())
        .limit(1)
    )
    if table is None:
        return None
    counts = session.execute(
        select(PopulationCount.ethnic_group, PopulationCount.population).where(
            PopulationCount.table_id == table.id, PopulationCount.area_slug == area_slug
        )
    ).all()
    return PopulationFigures(
        table.id,
        table.source,
        table.year,
        area_slug,
        {group: int(people) for group, people in counts},
        table.imported_at,
    )


class PopulationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def import_file(
        self, actor: Actor, path: Path, *, source: str, year: int, purpose: str
    ) -> PopulationImport:
        """Import a population CSV (wide or long form, docs/population.md) all-or-nothing."""
        require(actor, Permission.IMPORT_DATA)
        source_text = typed_name(source, "population source", limit=SOURCE_CHARS)
        if not source_text:
            raise BadInput(
                "say where the figures come from with --source (e.g. 'ONS Census 2021, TS021')"
            )
        this_year = utc_now().year
        if not EARLIEST_YEAR <= year <= this_year:
            raise BadInput(f"year {year}: give the census year, {EARLIEST_YEAR} to {this_year}")
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _refusal(
                    path, f"over {MAX_FILE_BYTES // (1024 * 1024)} MB: not a population table"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise _refusal(path, f"cannot read the file: {exc.strerror or exc}") from exc
        sha256 = hashlib.sha256(data).hexdigest()
        # Read from the bytes hashed, so the figures stored are the file the hash names.
        reading = read_population_csv(io.BytesIO(data), FORCES)
        if reading.errors:
            problems = [Problem(e.message, file=str(path), line=e.line) for e in reading.errors]
            raise _refusal(path, f"{len(problems)} problem(s); nothing was imported", problems)
        detail = {
            "file_name": path.name,
            "sha256": sha256,
            "source": source_text,
            "year": year,
            "areas": len(reading.areas),
            "shape": reading.shape,
        }
        with self._db.transaction() as session:
            existing = session.scalar(
                select(PopulationTable).where(
                    PopulationTable.file_sha256 == sha256,
                    PopulationTable.source == source_text,
                    PopulationTable.year == year,
                )
            )
            if existing is not None:
                append_event(
                    session,
                    actor=actor.username,
                    action="population.import_unchanged",
                    purpose=purpose,
                    entity_type="population_table",
                    entity_id=existing.id,
                    detail=detail,
                )
                return PopulationImport(
                    existing.id,
                    str(path),
                    sha256,
                    source_text,
                    year,
                    len(reading.areas),
                    reading.shape,
                    already_imported=True,
                )
            table = PopulationTable(
                source=source_text,
                year=year,
                file_name=path.name[:255],
                file_sha256=sha256,
                imported_by=actor.user_id,
            )
            session.add(table)
            session.flush()
            session.add_all(
                PopulationCount(
                    table_id=table.id,
                    area_slug=area.area_slug,
                    ethnic_group=group,
                    population=people,
                )
                for area in reading.areas
                for group, people in area.people_by_group.items()
            )
            append_event(
                session,
                actor=actor.username,
                action="population.imported",
                purpose=purpose,
                entity_type="population_table",
                entity_id=table.id,
                detail=detail,
            )
            return PopulationImport(
                table.id, str(path), sha256, source_text, year, len(reading.areas), reading.shape
            )

    def latest_for(self, actor: Actor, area_slug: str) -> PopulationFigures | None:
        """The figures the report uses for a force: public data, so any role may read them."""
        require(actor, Permission.VIEW_STATISTICS)
        with self._db.transaction() as session:
            return latest_population(session, area_slug)
