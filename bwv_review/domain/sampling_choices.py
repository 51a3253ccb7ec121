"""The values a chair may tick for each field, read from the sampling frame with how many
cases hold each, so a filter or stratum is chosen from what is there instead of typed.

Each value is given as a filter takes it (`Condition.of(field, [value])` accepts it and
matches exactly the cases counted), and with the words a person reads. Blank fields are
counted as "not recorded", never as a group of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bwv_review.domain.sampling_fields import FIELDS, NOT_RECORDED, CaseFacts
from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel

NO_TASER = "none"

CHOICE_FIELDS = (
    "case_type",
    "age_band",
    "ethnicity",
    "self_ethnicity",
    "gender",
    "strip_search",
    "taser",
    "outcome",
    "object",
    "power",
    "area",
    "has_footage",
)
"""The fields offered as ticks, in the order a chair looks for them; dates are a range."""

_ORDERED: dict[str, tuple[str, ...]] = {
    "case_type": tuple(t.value for t in CaseType),
    "age_band": tuple(b.value for b in AgeBand),
    "taser": (*(level.value for level in TaserLevel), NO_TASER),
    "strip_search": ("true", "false"),
    "has_footage": ("true", "false"),
}
"""Fields with a natural order keep it; the others list their commonest values first."""


@dataclass(frozen=True)
class ValueCount:
    value: str  # as a filter or stratum takes it
    label: str  # as a person reads it
    count: int  # cases of the frame holding it


@dataclass(frozen=True)
class FieldValues:
    field: str  # as a filter or stratum names it
    label: str
    values: tuple[ValueCount, ...]


@dataclass(frozen=True)
class FrameValues:
    size: int  # cases in the frame
    first_date: date | None  # None when the frame is empty
    last_date: date | None
    fields: tuple[FieldValues, ...]

    def field(self, name: str) -> FieldValues:
        return next(field for field in self.fields if field.field == name)


def _spec_value(field: str, raw: object) -> str:
    """The value a filter takes for what a case holds."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if raw is None or not str(raw).strip():
        return NO_TASER if field == "taser" else NOT_RECORDED
    return " ".join(str(raw).split())


def _commonest(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda spelling: (-spellings[spelling], spelling))


def _field_values(field: str, frame: Sequence[CaseFacts]) -> FieldValues:
    spec = FIELDS[field]
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for case in frame:
        value = _spec_value(field, spec.read(case))
        folded = value.casefold()  # matching ignores case, so counting does too
        counts[folded] += 1
        spellings.setdefault(folded, Counter())[value] += 1
    # Each value is shown as most cases spell it (ties: the first alphabetically).
    shown = {k: _commonest(spelt) for k, spelt in spellings.items()}
    order = _ORDERED.get(field)
    if order is not None:
        rank = {value: index for index, value in enumerate(order)}
        keys = sorted(counts, key=lambda k: (rank.get(k, len(rank)), k == NOT_RECORDED, k))
    else:
        keys = sorted(counts, key=lambda k: (k == NOT_RECORDED, -counts[k], k))
    values = tuple(ValueCount(shown[k], spec.word(shown[k]), counts[k]) for k in keys)
    return FieldValues(field, spec.label, values)


def frame_values(frame: Sequence[CaseFacts]) -> FrameValues:
    """Every value each offered field holds in the frame, with its count."""
    days = [case.occurred_on for case in frame]
    fields = tuple(_field_values(field, frame) for field in CHOICE_FIELDS)
    return FrameValues(len(frame), min(days, default=None), max(days, default=None), fields)
