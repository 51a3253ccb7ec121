"""Force-wide context for the report: what the public stop-and-search records say about the
force over the report's period, beside the panel's own sample.

The records come month by month, so the context first says which months of the period it
holds and computes over those only (a quarter with one month imported is described as one
month, never scaled up). It counts searches by self-defined and officer-defined census group
with "not recorded" and "not stated" beside them and never in a rate; the share of each
group's searches with "no further action" and with the outcome linked to the object, each
with its count and denominator; and, when a population table covers the force, searches
per 1,000 people and each group's relative rate against White people with its 95% interval,
citing the table's source and year, with a warning when that year is more than 5 years
before the period. Older files have no officer-defined Mixed, and the context says so
rather than showing a rate of zero.

Example (what the report builder calls):

    context = workspace.force_context.for_period(
        actor, "avon-and-somerset", date(2018, 1, 1), date(2018, 3, 31)
    )
    context.months_held            # ("2018-01",)
    context.coverage_text          # "Records held for 1 of the 3 months ...: January 2018."
    basis = context.self_defined   # or context.officer_defined
    basis.counts.count("black"), basis.counts.not_recorded, basis.counts.not_stated
    for outcome in basis.outcomes:
        outcome.group, outcome.no_further_action.text, outcome.outcome_linked.text
    for rate in basis.rates:       # empty without a population table
        rate.group, rate.per_thousand, rate.relative.text if rate.relative else "reference"
    context.population.source, context.population.year, context.population.warning
    context.notes                  # sentences to print under the figures
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bwv_review.domain.disproportionality import (
    CENSUS_GROUPS,
    GROUP_LABELS,
    REFERENCE_GROUP,
    GroupCounts,
    RelativeRate,
    per_thousand,
    relative_rate,
    tally,
)
from bwv_review.domain.small_numbers import Share, share
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.services.population import PopulationFigures, latest_population
from bwv_review.services.workspace_settings import FORCES
from bwv_review.store.db import Database
from bwv_review.store.models import PoliceRecord, RecordImport

# A population table older than this before the period gets a warning beside its rates.
STALE_AFTER_YEARS = 5
SELF_DEFINED = "self-defined"
OFFICER_DEFINED = "officer-defined"
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def month_label(month: str) -> str:
    """`2018-01` -> "January 2018" (no locale: the report reads the same everywhere)."""
    year, number = month.split("-")
    return f"{_MONTH_NAMES[int(number) - 1]} {year}"


def months_between(start: date, end: date) -> tuple[str, ...]:
    """Every `YYYY-MM` the period touches, in order."""
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


@dataclass(frozen=True)
class GroupOutcomes:
    """One group's searches and the two outcome shares, each over all the group's searches
    with the blanks counted beside: older files leave "outcome linked" blank rather than
    False, so a share over the filled-in ones alone would read 100%."""

    group: str
    searches: int
    no_further_action: Share
    outcome_linked: Share
    outcome_not_recorded: int
    linked_not_recorded: int

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


@dataclass(frozen=True)
class GroupRate:
    """One group's searches per 1,000 people; `relative` is None for White (the reference)."""

    group: str
    searches: int
    population: int
    per_thousand: float | None
    relative: RelativeRate | None

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


@dataclass(frozen=True)
class EthnicityBasis:
    """The figures by one of the two ethnicity fields."""

    name: str  # SELF_DEFINED | OFFICER_DEFINED
    counts: GroupCounts
    outcomes: tuple[GroupOutcomes, ...]
    rates: tuple[GroupRate, ...]
    has_mixed: bool  # False: these records have no Mixed group in this field


@dataclass(frozen=True)
class PopulationSource:
    """The table every rate comes from, as the report cites it."""

    source: str
    year: int
    table_id: int
    years_before_period: int
    warning: str | None


@dataclass(frozen=True)
class ForceContext:
    force: str
    force_name: str
    period_start: date
    period_end: date
    months_in_period: tuple[str, ...]
    months_held: tuple[str, ...]
    searches: int
    self_defined: EthnicityBasis
    officer_defined: EthnicityBasis
    population: PopulationSource | None
    notes: tuple[str, ...]

    @property
    def months_missing(self) -> tuple[str, ...]:
        return tuple(m for m in self.months_in_period if m not in self.months_held)

    @property
    def coverage_text(self) -> str:
        """Which months the figures are over, in words."""
        period = (
            f"{month_label(self.months_in_period[0])} to {month_label(self.months_in_period[-1])}"
        )
        if len(self.months_in_period) == 1:
            period = month_label(self.months_in_period[0])
        if not self.months_held:
            return f"No public records of {self.force_name} are held for {period}."
        held = ", ".join(month_label(m) for m in self.months_held)
        if self.months_held == self.months_in_period:
            if len(self.months_held) == 1:
                return f"Records held for {held}."
            return f"Records held for every month of {period}: {held}."
        return (
            f"Records held for {len(self.months_held)} of the {len(self.months_in_period)} "
            f"months of {period}: {held}. The figures are over those months only."
        )


# (group value, outcome, outcome linked) -> searches
_Cells = Counter[tuple[str | None, str | None, bool | None]]


class ForceContextService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_period(self, actor: Actor, force: str, start: date, end: date) -> ForceContext:
        """The force-wide context over the months of `start`..`end` (inclusive) held."""
        require(actor, Permission.VIEW_STATISTICS)
        if force not in FORCES:
            raise BadInput(f"no police force {force!r}: give its data.police.uk id")
        if end < start:
            raise BadInput(f"the period ends ({end}) before it starts ({start})")
        months = months_between(start, end)
        with self._db.transaction() as session:
            imports: dict[int, str] = {
                import_id: month
                for import_id, month in session.execute(
                    select(RecordImport.id, RecordImport.month).where(
                        RecordImport.force == force,
                        RecordImport.month.in_(months),
                        RecordImport.superseded_by_id.is_(None),
                    )
                ).all()
                if month is not None
            }
            self_cells = _cells(session, PoliceRecord.self_defined_ethnicity_group, imports)
            officer_cells = _cells(session, PoliceRecord.officer_defined_ethnicity, imports)
            figures = latest_population(session, force)
        held = tuple(sorted(set(imports.values())))
        population = _population_source(figures, start) if figures else None
        self_defined = _basis(SELF_DEFINED, self_cells, figures)
        officer_defined = _basis(OFFICER_DEFINED, officer_cells, figures)
        context = ForceContext(
            force=force,
            force_name=FORCES[force],
            period_start=start,
            period_end=end,
            months_in_period=months,
            months_held=held,
            searches=self_defined.counts.total,
            self_defined=self_defined,
            officer_defined=officer_defined,
            population=population,
            notes=(),
        )
        return dataclasses.replace(context, notes=_notes(context))


def _cells(
    session: Session, column: InstrumentedAttribute[str | None], imports: dict[int, str]
) -> _Cells:
    if not imports:
        return Counter()
    rows = session.execute(
        select(column, PoliceRecord.outcome, PoliceRecord.outcome_linked, func.count())
        .where(PoliceRecord.import_id.in_(list(imports)))
        .group_by(column, PoliceRecord.outcome, PoliceRecord.outcome_linked)
    ).all()
    return Counter({(group, outcome, linked): int(n) for group, outcome, linked, n in rows})


def _basis(name: str, cells: _Cells, figures: PopulationFigures | None) -> EthnicityBasis:
    by_group: Counter[str | None] = Counter()
    for (group, _, _), n in cells.items():
        by_group[group] += n
    counts = tally(by_group.elements())
    outcomes = tuple(_outcomes(group, cells) for group in CENSUS_GROUPS)
    has_mixed = name == SELF_DEFINED or counts.count("mixed") > 0
    rates = _rates(counts, figures, has_mixed=has_mixed) if figures else ()
    return EthnicityBasis(name, counts, outcomes, rates, has_mixed)


def _outcomes(group: str, cells: _Cells) -> GroupOutcomes:
    mine = {(outcome, linked): n for (g, outcome, linked), n in cells.items() if g == group}
    searches = sum(mine.values())
    outcome_blank = sum(n for (outcome, _), n in mine.items() if outcome is None)
    linked_blank = sum(n for (_, linked), n in mine.items() if linked is None)
    nfa = sum(n for (outcome, _), n in mine.items() if outcome == "no_further_action")
    linked = sum(n for (_, is_linked), n in mine.items() if is_linked)
    return GroupOutcomes(
        group,
        searches,
        share(nfa, searches),
        share(linked, searches),
        outcome_blank,
        linked_blank,
    )


def _rates(
    counts: GroupCounts, figures: PopulationFigures, *, has_mixed: bool
) -> tuple[GroupRate, ...]:
    people = figures.people_by_group
    reference_searches, reference_people = (
        counts.count(REFERENCE_GROUP),
        people.get(REFERENCE_GROUP, 0),
    )
    rates = []
    for group in CENSUS_GROUPS:
        searches, population = counts.count(group), people.get(group, 0)
        relative = None
        if group != REFERENCE_GROUP:
            relative = relative_rate(
                group, searches, population, reference_searches, reference_people
            )
            if group == "mixed" and not has_mixed:
                relative = dataclasses.replace(
                    relative,
                    ratio=None,
                    low=None,
                    high=None,
                    reason="these records have no officer-defined Mixed group",
                )
        shown = per_thousand(searches, population) if (group != "mixed" or has_mixed) else None
        rates.append(GroupRate(group, searches, population, shown, relative))
    return tuple(rates)


def _population_source(figures: PopulationFigures, start: date) -> PopulationSource:
    gap = start.year - figures.year
    warning = None
    if gap > STALE_AFTER_YEARS:
        warning = (
            f"The population figures are from {figures.year}, {gap} years before this period; "
            "the make-up of the area may have changed since, so read the rates with care."
        )
    return PopulationSource(figures.source, figures.year, figures.table_id, gap, warning)


def _left_out(basis: EthnicityBasis) -> str | None:
    """What the rates by one field leave out, in words: they count only searches with a
    group, so a field often left blank gives rates that are too low, not just uncertain."""
    counts = basis.counts
    if not counts.total or counts.in_groups == counts.total:
        return None
    parts = [f"{counts.not_recorded:,} not recorded"] if counts.not_recorded else []
    if counts.not_stated:
        parts.append(f"{counts.not_stated:,} not stated")
    if counts.unrecognised:
        parts.append(f"{counts.unrecognised:,} with a value not recognised")
    in_groups = share(counts.in_groups, counts.total)
    return (
        f"By {basis.name} ethnicity, {' and '.join(parts)}: these are left out of every rate, "
        f"which counts only the {in_groups.text} searches with a group."
    )


def _notes(context: ForceContext) -> tuple[str, ...]:
    notes = [context.coverage_text]
    for basis in (context.self_defined, context.officer_defined):
        note = _left_out(basis)
        if note:
            notes.append(note)
    if context.searches and not context.officer_defined.has_mixed:
        notes.append(
            "The officer-defined ethnicity in these records has no Mixed group (older "
            "data.police.uk files do not use it), so officer-defined figures for Mixed are "
            "not shown."
        )
    if context.population is None:
        notes.append(
            "No population table covers this force, so no rates per 1,000 people or "
            "relative rates are shown (an administrator can import one: docs/population.md)."
        )
    else:
        source = context.population
        notes.append(f"Population: {source.source} ({source.year}).")
        if source.warning:
            notes.append(source.warning)
    return tuple(notes)
