"""The chair's sampling syntax: filters and strata as typed, parsed into a SampleSpec.

The spec is written the way a chair types it (see docs/sampling.md):
    filter   FIELD=VALUE[,VALUE...]            e.g. age_band=10-17,under 10
    stratum  CONDITION[&CONDITION...]:SIZE     e.g. strip_search=true&age_band=10-17:all
             rest:SIZE                         the cases no other stratum matched
SIZE is a whole number or `all`. A backslash keeps a following `,`, `&` or `:` literal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bwv_review.domain.sampling_fields import FIELDS, CaseFacts, SpecError, describe

REST = "rest"
ALL = "all"
REMAINDER = "remainder"
"""The take of the implicit `rest` stratum that fills a draw up to --size."""

MAX_SEED_CHARS = 100

# --- Parsing the chair's syntax ------------------------------------------------------------


def _split(text: str, separator: str) -> list[str]:
    """Split on `separator` except where a backslash escapes it; escapes are kept."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if char == "\\" and not escaped:
            escaped = True
            continue
        out.append(char)
        escaped = False
    return "".join(out)


def _escape(value: str) -> str:
    return "".join("\\" + c if c in ",&:\\" else c for c in value)


@dataclass(frozen=True)
class Condition:
    """FIELD=VALUE[,VALUE]: true when the case's field holds any of the values."""

    field: str
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Condition:
        name, equals, raw_values = text.partition("=")
        field = name.strip().lower().replace("-", "_")
        if not equals or not field:
            raise SpecError([f"{text!r}: write FIELD=VALUE, e.g. case_type=stop_and_search"])
        if field not in FIELDS:
            raise SpecError([f"{text!r}: unknown field {field!r} (fields: {', '.join(FIELDS)})"])
        values = [_unescape(part).strip() for part in _split(raw_values, ",")]
        if not all(values):
            raise SpecError([f"{text!r}: a value is empty"])
        try:
            return cls.of(field, values)
        except SpecError as exc:
            raise SpecError([f"{text!r}: {problem}" for problem in exc.problems]) from None

    @classmethod
    def of(cls, field: str, values: Sequence[str]) -> Condition:
        """A condition from a field and values chosen rather than typed (no escaping)."""
        return cls(field, FIELDS[field].parse(list(values)))

    @property
    def text(self) -> str:
        """The canonical form, which parses back to an equal condition."""
        if self.field == "date":
            return f"date={self.values[0]}..{self.values[1]}"
        return f"{self.field}={','.join(_escape(value) for value in self.values)}"

    @property
    def words(self) -> str:
        return describe(self.field, self.values)

    def matches(self, case: CaseFacts) -> bool:
        field = FIELDS[self.field]
        return field.matches(field.read(case), self.values)


Take = int | str  # a number of cases, ALL, or REMAINDER


@dataclass(frozen=True)
class Stratum:
    """A group sampled on its own. A case belongs to the first stratum it matches; `rest`
    holds the cases that match no other."""

    conditions: tuple[Condition, ...]
    take: Take

    @property
    def is_rest(self) -> bool:
        return not self.conditions

    @property
    def label(self) -> str:
        return "&".join(c.text for c in self.conditions) if self.conditions else REST

    @property
    def text(self) -> str:
        return f"{self.label}:{self.take}"

    @property
    def words(self) -> str:
        """The conditions in plain words ("strip search yes, age range 10-17"); "" for rest."""
        return ", ".join(condition.words for condition in self.conditions)

    @classmethod
    def parse(cls, text: str) -> Stratum:
        parts = _split(text, ":")
        if len(parts) < 2:
            raise SpecError([f"{text!r}: a stratum is CONDITIONS:SIZE, e.g. strip_search=true:all"])
        conditions_text, size_text = ":".join(parts[:-1]).strip(), parts[-1].strip().lower()
        take: Take
        if size_text == ALL:
            take = ALL
        elif size_text.isdigit():
            take = int(size_text)
        else:
            raise SpecError([f"{text!r}: the size after ':' is a whole number or 'all'"])
        if conditions_text.lower() == REST:
            return cls((), take)
        conditions = tuple(Condition.parse(part) for part in _split(conditions_text, "&"))
        return cls(conditions, take)

    def matches(self, case: CaseFacts) -> bool:
        return all(condition.matches(case) for condition in self.conditions)


@dataclass(frozen=True)
class SampleSpec:
    """Which cases form the frame (filters) and how many to draw from which groups."""

    filters: tuple[Condition, ...]
    strata: tuple[Stratum, ...]
    size: int | None

    @classmethod
    def parse(
        cls, filters: Sequence[str] = (), strata: Sequence[str] = (), size: int | None = None
    ) -> SampleSpec:
        """Read what a chair typed; every mistake is reported at once."""
        problems: list[str] = []
        parsed_filters = _collect(Condition.parse, filters, problems)
        parsed_strata = _collect(Stratum.parse, strata, problems)
        rests = [stratum for stratum in parsed_strata if stratum.is_rest]
        if size is not None and size < 0:
            problems.append("--size cannot be negative")
        if len(rests) > 1:
            problems.append("give at most one 'rest' stratum")
        if rests and size is not None:
            problems.append("give --size or a 'rest:N' stratum, not both")
        if not strata and size is None:
            problems.append("give --size, or at least one --stratum")
        labels = [stratum.label.casefold() for stratum in parsed_strata]
        if len(set(labels)) != len(labels):
            problems.append("two strata have the same conditions")
        if problems:
            raise SpecError(problems)
        if size is not None:
            # The rest of the frame fills the draw up to --size.
            parsed_strata.append(Stratum((), REMAINDER))
        return cls(tuple(parsed_filters), tuple(parsed_strata), size)

    def to_json(self) -> dict[str, Any]:
        """What is stored with a draw; `from_json` re-creates an equal spec."""
        typed = [s.text for s in self.strata if s.take != REMAINDER]
        return {"filters": [f.text for f in self.filters], "strata": typed, "size": self.size}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SampleSpec:
        return cls.parse(data["filters"], data["strata"], data["size"])

    def in_frame(self, case: CaseFacts) -> bool:
        return all(condition.matches(case) for condition in self.filters)


_T = TypeVar("_T")


def _collect(parse: Callable[[str], _T], texts: Sequence[str], problems: list[str]) -> list[_T]:
    parsed = []
    for text in texts:
        try:
            parsed.append(parse(text))
        except SpecError as exc:
            problems.extend(exc.problems)
    return parsed


def check_seed(seed: str) -> str:
    cleaned = seed.strip()
    if not cleaned or len(cleaned) > MAX_SEED_CHARS:
        raise SpecError([f"the seed must be 1-{MAX_SEED_CHARS} characters"])
    return cleaned
