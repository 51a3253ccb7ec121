"""Counts over police records or cases by one field, or a cross-tab of two.

SQL groups by the stored values (a handful of groups, even over a million records); the
domain labels and orders them. Records of a superseded import (a corrected download
replaced it) are left out, so each force-month is counted once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bwv_review.domain.police_vocab import (
    AGE_BANDS,
    GENDERS,
    OFFICER_DEFINED_ETHNICITY,
    OUTCOMES,
    SEARCH_TYPES,
    SELF_DEFINED_ETHNICITY,
    Vocabulary,
)
from bwv_review.domain.stats import Breakdown, Labeller, label_by, label_stored, tabulate
from bwv_review.domain.vocab import CaseType, TaserLevel
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.store.db import Database
from bwv_review.store.models import Case, PoliceRecord, RecordImport

SOURCES = ("records", "cases")


@dataclass(frozen=True)
class _Field:
    column: Any  # a mapped column
    labeller: Labeller = label_stored
    order: tuple[str, ...] = ()


def _stored(column: Any, vocabulary: Vocabulary) -> _Field:
    """A column that already holds canonical values (set at import)."""
    return _Field(column, label_stored, vocabulary.order)


def _published(column: Any, vocabulary: Vocabulary) -> _Field:
    """A column that holds values as the force gave them: classified when counted."""
    return _Field(column, label_by(vocabulary), vocabulary.order)


_FLAG_ORDER = ("yes", "no")

RECORD_FIELDS: Mapping[str, _Field] = {
    "force": _Field(RecordImport.force),
    "month": _Field(RecordImport.month),
    "type": _stored(PoliceRecord.search_type, SEARCH_TYPES),
    "part_of_operation": _Field(PoliceRecord.part_of_operation, order=_FLAG_ORDER),
    "gender": _stored(PoliceRecord.gender, GENDERS),
    "age_range": _stored(PoliceRecord.age_band, AGE_BANDS),
    "self_defined_ethnicity": _stored(
        PoliceRecord.self_defined_ethnicity_group, SELF_DEFINED_ETHNICITY
    ),
    "self_defined_ethnicity_detail": _Field(PoliceRecord.self_defined_ethnicity_raw),
    "officer_defined_ethnicity": _stored(
        PoliceRecord.officer_defined_ethnicity, OFFICER_DEFINED_ETHNICITY
    ),
    "legislation": _Field(PoliceRecord.legislation_raw),
    "object_of_search": _Field(PoliceRecord.object_of_search_raw),
    "outcome": _stored(PoliceRecord.outcome, OUTCOMES),
    "outcome_detail": _Field(PoliceRecord.outcome_raw),
    "outcome_linked": _Field(PoliceRecord.outcome_linked, order=_FLAG_ORDER),
    "removal_of_outer_clothing": _Field(PoliceRecord.removal_of_outer_clothing, order=_FLAG_ORDER),
}

CASE_FIELDS: Mapping[str, _Field] = {
    "case_type": _Field(Case.case_type, order=tuple(kind.value for kind in CaseType)),
    "area": _Field(Case.area),
    "power": _Field(Case.power),
    "object_of_search": _Field(Case.object_of_search),
    "outcome": _published(Case.outcome, OUTCOMES),
    "outcome_detail": _Field(Case.outcome),
    "outcome_linked": _Field(Case.outcome_linked, order=_FLAG_ORDER),
    "strip_search": _Field(Case.strip_search, order=_FLAG_ORDER),
    "age_range": _published(Case.subject_age_band, AGE_BANDS),
    "gender": _published(Case.subject_gender, GENDERS),
    "self_defined_ethnicity": _published(
        Case.subject_self_defined_ethnicity, SELF_DEFINED_ETHNICITY
    ),
    "self_defined_ethnicity_detail": _Field(Case.subject_self_defined_ethnicity),
    "officer_defined_ethnicity": _published(
        Case.subject_officer_defined_ethnicity, OFFICER_DEFINED_ETHNICITY
    ),
    "taser_highest_level": _Field(
        Case.taser_highest_level, order=tuple(level.value for level in TaserLevel)
    ),
}


def fields_of(source: str) -> tuple[str, ...]:
    """The field names `breakdown` accepts for a source, for help texts and errors."""
    return tuple(_fields(source))


def _fields(source: str) -> Mapping[str, _Field]:
    if source == "records":
        return RECORD_FIELDS
    if source == "cases":
        return CASE_FIELDS
    raise BadInput(f"no statistics source {source!r}: choose {' or '.join(SOURCES)}")


class StatsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def breakdown(self, actor: Actor, *, source: str, by: Sequence[str]) -> Breakdown:
        """Counts by one field, or a cross-tab of two, over current records or all cases.

        Aggregate counts only, so any signed-in role may ask and nothing is logged; the
        cases behind a count are read through the case services, which log each view.
        """
        require(actor, Permission.VIEW_STATISTICS)
        known = _fields(source)
        unknown = [name for name in by if name not in known]
        if unknown or not 1 <= len(by) <= 2 or len(set(by)) != len(by):
            raise BadInput(
                f"count {source} by one field or two different fields, from: "
                + ", ".join(known)
                + (f" (not {', '.join(map(repr, unknown))})" if unknown else "")
            )
        chosen = [known[name] for name in by]
        columns = [spec.column for spec in chosen]
        query = select(*columns, func.count()).group_by(*columns)
        if source == "records":
            query = (
                query.select_from(PoliceRecord)
                .join(RecordImport)
                .where(RecordImport.superseded_by_id.is_(None))
            )
        else:
            query = query.select_from(Case)
        with self._db.transaction() as session:
            grouped = [(tuple(row[:-1]), int(row[-1])) for row in session.execute(query)]
        return tabulate(
            by, grouped, [spec.labeller for spec in chosen], [spec.order for spec in chosen]
        )
