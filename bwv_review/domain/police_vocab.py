"""What the strings in data.police.uk stop-and-search data mean.

The published vocabularies drift (the outcome list changed around 2019, newer files add
`Mixed` to officer-defined ethnicity), so each field keeps its published string and gets a
canonical value from here. Three markers are never confused with a group: a blank is
"not recorded" (stored as None), `Other ethnic group - Not stated` is "not stated" (the person
chose not to say), and a value never seen before is "unrecognised" (kept, counted, flagged),
never guessed into a neighbouring group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from bwv_review.domain.vocab import AgeBand

NOT_RECORDED = "not recorded"
NOT_STATED = "not stated"
UNRECOGNISED = "unrecognised"
# Report order for the markers: after every real value.
MARKERS = (NOT_STATED, UNRECOGNISED, NOT_RECORDED)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """One field's published strings and the canonical values they stand for.

    `canonical` is the report order. Lookups ignore case and runs of spaces; the canonical
    values themselves are accepted too, so data that was already mapped (a force manifest)
    classifies the same way. `group_prefixes` serves the `Group - Subgroup` form: a known
    group with a subgroup not listed yet still belongs to its stated group.
    """

    name: str
    canonical: tuple[str, ...]
    published: Mapping[str, str]
    not_stated: frozenset[str] = frozenset()
    group_prefixes: Mapping[str, str] = field(default_factory=dict)
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {_normalise(value): value for value in self.canonical}
        lookup.update({_normalise(text): value for text, value in self.published.items()})
        lookup.update({_normalise(text): NOT_STATED for text in self.not_stated})
        object.__setattr__(self, "_lookup", lookup)

    @property
    def order(self) -> tuple[str, ...]:
        """Every value a count over this field can show, in report order."""
        return (*self.canonical, *MARKERS)

    def classify(self, raw: str | None) -> str | None:
        """The canonical value, NOT_STATED or UNRECOGNISED; None for a blank."""
        if raw is None:
            return None
        key = _normalise(raw)
        if not key:
            return None
        found = self._lookup.get(key)
        if found is None and self.group_prefixes:
            group, separator, _subgroup = key.partition(" - ")
            if separator:
                found = self._lookup_group(group)
        return UNRECOGNISED if found is None else found

    def _lookup_group(self, group: str) -> str | None:
        for prefix, value in self.group_prefixes.items():
            if _normalise(prefix) == group:
                return value
        return None


def _vocabulary(name: str, canonical: Iterable[str], published: Mapping[str, str]) -> Vocabulary:
    return Vocabulary(name, tuple(canonical), published)


SEARCH_TYPES = _vocabulary(
    "type",
    ("person", "person_and_vehicle", "vehicle"),
    {
        "Person search": "person",
        "Person and Vehicle search": "person_and_vehicle",
        "Vehicle search": "vehicle",
    },
)

GENDERS = _vocabulary(
    "gender", ("male", "female", "other"), {"Male": "male", "Female": "female", "Other": "other"}
)

AGE_BANDS = _vocabulary("age_range", [band.value for band in AgeBand], {})

# The five groups of the 2011 census classification, which both ethnicity fields use.
ETHNIC_GROUPS = ("white", "black", "asian", "mixed", "other")

OFFICER_DEFINED_ETHNICITY = _vocabulary(
    "officer_defined_ethnicity",
    ETHNIC_GROUPS,
    {"White": "white", "Black": "black", "Asian": "asian", "Mixed": "mixed", "Other": "other"},
)

_SELF_DEFINED_GROUPS = {
    "White": "white",
    "Black/African/Caribbean/Black British": "black",
    "Asian/Asian British": "asian",
    "Mixed/Multiple ethnic groups": "mixed",
    "Other ethnic group": "other",
}
_SELF_DEFINED_SUBGROUPS = {
    "white": (
        "English/Welsh/Scottish/Northern Irish/British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Any other White background",
    ),
    "black": ("African", "Caribbean", "Any other Black/African/Caribbean background"),
    "asian": ("Indian", "Pakistani", "Bangladeshi", "Chinese", "Any other Asian background"),
    "mixed": (
        "White and Black Caribbean",
        "White and Black African",
        "White and Asian",
        "Any other Mixed/Multiple ethnic background",
    ),
    "other": ("Arab", "Any other ethnic group"),
}

SELF_DEFINED_ETHNICITY = Vocabulary(
    "self_defined_ethnicity",
    ETHNIC_GROUPS,
    {
        f"{group_text} - {subgroup}": group
        for group_text, group in _SELF_DEFINED_GROUPS.items()
        for subgroup in _SELF_DEFINED_SUBGROUPS[group]
    },
    not_stated=frozenset({"Other ethnic group - Not stated"}),
    group_prefixes=_SELF_DEFINED_GROUPS,
)

# Both outcome vocabularies, older (to about 2019) and newer, onto one canonical list.
OUTCOMES = _vocabulary(
    "outcome",
    (
        "no_further_action",
        "arrest",
        "summons",
        "drugs_warning",
        "caution",
        "penalty_notice",
        "community_resolution",
        "article_found_outcome_unavailable",
    ),
    {
        "Nothing found - no further action": "no_further_action",
        "A no further action disposal": "no_further_action",
        "Suspect arrested": "arrest",
        "Arrest": "arrest",
        "Suspect summonsed to court": "summons",
        "Summons / charged by post": "summons",
        "Offender given drugs possession warning": "drugs_warning",
        "Khat or Cannabis warning": "drugs_warning",
        "Offender cautioned": "caution",
        "Caution (simple or conditional)": "caution",
        "Offender given penalty notice": "penalty_notice",
        "Penalty Notice for Disorder": "penalty_notice",
        "Local resolution": "community_resolution",
        "Community resolution": "community_resolution",
        "Article found - Detailed outcome unavailable": "article_found_outcome_unavailable",
    },
)

FLAG_LABELS = {True: "yes", False: "no"}
# The spellings data.police.uk uses, looked up first because every row has three flags.
_PUBLISHED_FLAGS: dict[str, bool | None] = {"True": True, "False": False, "": None}
_FLAG_WORDS = {"true": True, "false": False}
# A bare `YYYY-MM-DD` is this long; data.police.uk times are longer.
_DATE_ONLY_CHARS = 10

# data.police.uk publishes coordinates in degrees; anything outside these is not a place.
LATITUDE_RANGE_DEG = (-90.0, 90.0)
LONGITUDE_RANGE_DEG = (-180.0, 180.0)


def parse_flag(raw: str) -> bool | None:
    """`True`, `False` or blank (not recorded), in any case. Anything else is a malformed
    row."""
    try:
        return _PUBLISHED_FLAGS[raw]
    except KeyError:
        pass
    text = raw.strip()
    if not text:
        return None
    try:
        return _FLAG_WORDS[text.casefold()]
    except KeyError:
        raise ValueError(f"{raw!r} is not True, False or blank") from None


class PublishedTime(NamedTuple):
    """An instant in UTC. `date_only` marks a published local midnight, which is how
    data.police.uk publishes a record with a date but no time (a real midnight search reads
    the same)."""

    utc: datetime
    date_only: bool


def parse_published_time(raw: str) -> PublishedTime:
    """ISO 8601 with a UTC offset, or a bare date (taken as midnight UTC)."""
    text = raw.strip()
    if not text:
        raise ValueError("the date is blank (every record has one)")
    try:
        if len(text) <= _DATE_ONLY_CHARS:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{raw!r} has no UTC offset, so the instant is unknown")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{raw!r} is out of range") from None
    local_midnight = not (moment.hour or moment.minute or moment.second or moment.microsecond)
    return PublishedTime(utc, local_midnight)


def parse_coordinate(raw: str, valid_range_deg: tuple[float, float]) -> float | None:
    """Degrees, or None when blank; a coordinate that is not a plain decimal number or not
    on Earth is a malformed row."""
    if not raw or raw.isspace():
        return None
    try:
        if "_" in raw:  # float() would read "5_1" as 51
            raise ValueError(raw)
        degrees = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    low, high = valid_range_deg
    if not low <= degrees <= high:  # also refuses nan
        raise ValueError(f"{raw!r} is outside {low:g}..{high:g} degrees")
    return degrees


_CANONICAL_IDS = frozenset(
    value
    for vocabulary in (SEARCH_TYPES, GENDERS, OFFICER_DEFINED_ETHNICITY, OUTCOMES)
    for value in vocabulary.canonical
)


def display_label(value: str) -> str:
    """How a canonical value reads on screen: `no_further_action` → "No further action".
    Published strings (age ranges such as "over 34") and the markers stay as they are."""
    if value in _CANONICAL_IDS:
        return value.replace("_", " ").capitalize()
    return value
