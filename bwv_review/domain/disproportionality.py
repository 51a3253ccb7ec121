"""How often each census group is searched, against how many people the group has, and the
relative rate of each group against White people with its 95% confidence interval.

Records name ethnicity two ways. Self-defined is `Group - Subgroup` (`Black/African/
Caribbean/Black British - Caribbean`) and belongs to the group before " - "; officer-defined
is the group itself (older files have no officer-defined Mixed). Both are classified by
`domain.police_vocab` when a file is imported, so the values here are the stored canonical
ones. Two markers stay out of every rate and are counted beside it: "not recorded" (the
field is blank) and "not stated" (`Other ethnic group - Not stated`: the person chose not
to say). Neither is Other.

The relative rate is Katz's: RR = (a/Na)/(b/Nb), 95% CI exp(ln RR +/- 1.96 sqrt(1/a + 1/b -
1/Na - 1/Nb)). It means little from a handful of searches, so with a or b zero, or under 10
searches in either group, no ratio is given, only the counts and "too few to compare".

Example:

>>> rate = relative_rate("black", 120, 30_000, 600, 1_500_000)
>>> rate.text
'Black people were searched 10.0 times as often as White people (95% CI 8.2 to 12.2)'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bwv_review.domain.police_vocab import (
    ETHNIC_GROUPS,
    NOT_RECORDED,
    NOT_STATED,
    OFFICER_DEFINED_ETHNICITY,
    SELF_DEFINED_ETHNICITY,
    UNRECOGNISED,
)

# The five census groups in report order, the reference group first.
CENSUS_GROUPS: tuple[str, ...] = ETHNIC_GROUPS
REFERENCE_GROUP = "white"
GROUP_LABELS = {
    "white": "White",
    "black": "Black",
    "asian": "Asian",
    "mixed": "Mixed",
    "other": "Other",
}
# How each group reads as the subject of a sentence about people.
_PEOPLE = {
    "white": "White people",
    "black": "Black people",
    "asian": "Asian people",
    "mixed": "people of mixed ethnicity",
    "other": "people of other ethnic groups",
}
MIN_SEARCHES_TO_COMPARE = 10
TOO_FEW = "too few to compare"
_Z_95 = 1.959963984540054


def people(group: str) -> str:
    """ "Black people", "people of mixed ethnicity": a group as the people it counts."""
    return _PEOPLE[group]


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def self_defined_group(raw: str | None) -> str | None:
    """A published self-defined string -> a census group, NOT_STATED or UNRECOGNISED; None
    when blank (not recorded). The group is the part before " - "."""
    return SELF_DEFINED_ETHNICITY.classify(raw)


def officer_defined_group(raw: str | None) -> str | None:
    """A published officer-defined string -> a census group, or a marker, as above."""
    return OFFICER_DEFINED_ETHNICITY.classify(raw)


@dataclass(frozen=True)
class GroupCounts:
    """Searches by census group, and the ones that are in no group, counted apart."""

    by_group: Mapping[str, int]
    not_recorded: int
    not_stated: int
    unrecognised: int

    @property
    def in_groups(self) -> int:
        """The searches rates are computed over."""
        return sum(self.by_group.values())

    @property
    def total(self) -> int:
        return self.in_groups + self.not_recorded + self.not_stated + self.unrecognised

    def count(self, group: str) -> int:
        return self.by_group.get(group, 0)


def tally(values: Iterable[str | None]) -> GroupCounts:
    """Count stored canonical values (a group, NOT_STATED, UNRECOGNISED, or None/NOT_RECORDED
    for a blank) into groups and markers."""
    counted = Counter(NOT_RECORDED if value is None else value for value in values)
    unknown = set(counted) - {*CENSUS_GROUPS, NOT_RECORDED, NOT_STATED, UNRECOGNISED}
    if unknown:
        raise ValueError(f"not a census group or marker: {', '.join(sorted(unknown))}")
    return GroupCounts(
        by_group={group: counted[group] for group in CENSUS_GROUPS},
        not_recorded=counted[NOT_RECORDED],
        not_stated=counted[NOT_STATED],
        unrecognised=counted[UNRECOGNISED],
    )


def per_thousand(searches: int, population: int) -> float | None:
    """Searches per 1,000 people; None when the group has no one in the table."""
    if population <= 0:
        return None
    return 1000 * searches / population


@dataclass(frozen=True)
class RelativeRate:
    """One group's searches per head against White people's. `ratio` and its interval are
    None when the counts are too few; `reason` then says why in words."""

    group: str
    searches: int
    population: int
    reference_searches: int
    reference_population: int
    ratio: float | None
    low: float | None
    high: float | None
    reason: str | None = None

    @property
    def text(self) -> str:
        """The finding in plain words, or the counts with "too few to compare"."""
        subject, reference = people(self.group), people(REFERENCE_GROUP)
        if self.ratio is None or self.low is None or self.high is None:
            return (
                f"{_sentence_start(subject)}: {self.searches:,} searches; "
                f"{reference}: {self.reference_searches:,} searches: {self.reason or TOO_FEW}"
            )
        return (
            f"{_sentence_start(subject)} were searched {self.ratio:.1f} times as often as "
            f"{reference} (95% CI {self.low:.1f} to {self.high:.1f})"
        )


def relative_rate(
    group: str,
    searches: int,
    population: int,
    reference_searches: int,
    reference_population: int,
) -> RelativeRate:
    """Katz's relative rate of `group` against White people, with its 95% interval."""
    if group not in CENSUS_GROUPS:
        raise ValueError(f"{group!r} is not a census group")
    if min(searches, population, reference_searches, reference_population) < 0:
        raise ValueError("searches and populations cannot be negative")
    figures = (group, searches, population, reference_searches, reference_population)
    if population == 0 or reference_population == 0:
        return RelativeRate(*figures, None, None, None, "no population figure to compare with")
    if min(searches, reference_searches) < MIN_SEARCHES_TO_COMPARE:
        return RelativeRate(*figures, None, None, None, TOO_FEW)
    a, na, b, nb = searches, population, reference_searches, reference_population
    ratio = (a / na) / (b / nb)
    spread = _Z_95 * math.sqrt(1 / a + 1 / b - 1 / na - 1 / nb)
    log_ratio = math.log(ratio)
    return RelativeRate(*figures, ratio, math.exp(log_ratio - spread), math.exp(log_ratio + spread))
