"""Loading the library's tables (cases, public records) for browsing in the GUI.

The rows arrive as a column store (domain.frame_table) so that filtering and sorting a
million public records happen in memory in milliseconds instead of a query per keystroke.
Opening the case library is a consultation of personal data and is audited; the public
records are published data but are still only shown to the people who manage the library.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from bwv_review.domain.frame_table import ColumnSpec, FrameTable, FrameTableBuilder
from bwv_review.domain.police_vocab import display_label
from bwv_review.domain.vocab import CaseType
from bwv_review.services.actor import Actor
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Case, Clip, PoliceRecord, RecordImport

FETCH_BATCH_ROWS = 20_000
# Called with the number of rows read so far; return False to stop (the GUI's Cancel).
Progress = Callable[[int], bool]


class LoadCancelled(Exception):
    pass


RECORD_COLUMNS = (
    ColumnSpec("occurred_at", "Date", "time"),
    ColumnSpec("force", "Force"),
    ColumnSpec("search_type", "Type"),
    ColumnSpec("gender", "Gender"),
    ColumnSpec("age_band", "Age range"),
    ColumnSpec("self_defined_ethnicity", "Self-defined ethnicity"),
    ColumnSpec("officer_defined_ethnicity", "Officer-defined ethnicity"),
    ColumnSpec("legislation", "Legislation"),
    ColumnSpec("object_of_search", "Object of search"),
    ColumnSpec("outcome", "Outcome"),
    ColumnSpec("more_than_outer_clothing", "More than outer clothing"),
)

CASE_COLUMNS = (
    ColumnSpec("force_reference", "Reference"),
    ColumnSpec("occurred_at", "Date", "time"),
    ColumnSpec("case_type", "Type"),
    ColumnSpec("area", "Area"),
    ColumnSpec("power", "Power"),
    ColumnSpec("object_of_search", "Object"),
    ColumnSpec("outcome", "Outcome"),
    ColumnSpec("age_band", "Age range"),
    ColumnSpec("gender", "Gender"),
    ColumnSpec("officer_defined_ethnicity", "Officer-defined ethnicity"),
    ColumnSpec("strip_search", "More than outer clothing"),
    ColumnSpec("taser_highest_level", "Taser (highest)"),
    ColumnSpec("clips", "Clips"),
)


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class LibraryViewService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def records_table(self, actor: Actor, progress: Progress | None = None) -> FrameTable:
        """Every public record still current (rows of superseded files are left out)."""
        require(actor, Permission.VIEW_LIBRARY)
        query = (
            select(
                PoliceRecord.id,
                PoliceRecord.occurred_at,
                RecordImport.force,
                PoliceRecord.search_type,
                PoliceRecord.gender,
                PoliceRecord.age_band,
                PoliceRecord.self_defined_ethnicity_group,
                PoliceRecord.officer_defined_ethnicity,
                PoliceRecord.legislation_raw,
                PoliceRecord.object_of_search_raw,
                PoliceRecord.outcome,
                PoliceRecord.removal_of_outer_clothing,
            )
            .join(RecordImport, PoliceRecord.import_id == RecordImport.id)
            .where(RecordImport.superseded_by_id.is_(None))
            .order_by(PoliceRecord.occurred_at, PoliceRecord.id)
        )
        builder = FrameTableBuilder(RECORD_COLUMNS)
        with self._db.transaction() as session:
            rows = session.execute(query.execution_options(yield_per=FETCH_BATCH_ROWS))
            for count, row in enumerate(rows, start=1):
                record_id, occurred_at, force, *texts, outer_clothing = row
                labels = [None if v is None else display_label(v) for v in texts]
                builder.add(record_id, [occurred_at, force, *labels, yes_no(outer_clothing)])
                _report(progress, count)
        return builder.build()

    def cases_table(
        self, actor: Actor, *, purpose: str, progress: Progress | None = None
    ) -> FrameTable:
        require(actor, Permission.VIEW_LIBRARY)
        clip_counts = (
            select(Clip.case_id, func.count(Clip.id).label("clips"))
            .group_by(Clip.case_id)
            .subquery()
        )
        query = (
            select(Case, func.coalesce(clip_counts.c.clips, 0))
            .outerjoin(clip_counts, clip_counts.c.case_id == Case.id)
            .order_by(Case.occurred_at, Case.id)
        )
        builder = FrameTableBuilder(CASE_COLUMNS)
        with self._db.transaction() as session:
            for count, (case, clips) in enumerate(session.execute(query), start=1):
                builder.add(case.id, _case_cells(case, clips))
                _report(progress, count)
            table = builder.build()
            append_event(
                session,
                actor=actor.username,
                action="library.cases_viewed",
                purpose=purpose,
                detail={"cases": len(table)},
            )
        return table


def _case_cells(case: Case, clips: int) -> list[str | datetime | None]:
    return [
        case.force_reference,
        case.occurred_at,
        CaseType(case.case_type).label,
        case.area,
        case.power,
        case.object_of_search,
        case.outcome,
        case.subject_age_band,
        case.subject_gender,
        case.subject_officer_defined_ethnicity,
        yes_no(case.strip_search),
        case.taser_highest_level,
        str(clips),
    ]


def _report(progress: Progress | None, count: int) -> None:
    if progress is not None and count % FETCH_BATCH_ROWS == 0 and not progress(count):
        raise LoadCancelled(f"stopped after {count:,} rows")
