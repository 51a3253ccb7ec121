"""Reproducible stratified random sampling of cases: the same spec, seed and cases always
give the same draw, on any database and any Python version.

A panel must be able to show that its dip sample was random and was not re-drawn until it
looked convenient. So nothing here uses `random` or the database's ordering: each case gets
the rank SHA-256(seed + "\\n" + case key), where the key is the force reference (stable
across databases, unlike row ids), and each stratum takes its lowest ranks. Sorting those
hex strings in Python gives one order everywhere.

The spec is written the way a chair types it (see docs/sampling.md):
    filter   FIELD=VALUE[,VALUE...]            e.g. age_band=10-17,under 10
    stratum  CONDITION[&CONDITION...]:SIZE     e.g. strip_search=true&age_band=10-17:all
             rest:SIZE                         the cases no other stratum matched
SIZE is a whole number or `all`. A backslash keeps a following `,`, `&` or `:` literal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel

NOT_RECORDED = "not recorded"
"""The filter value that matches a blank field (blank means "not recorded", never a group)."""

REST = "rest"
ALL = "all"
REMAINDER = "remainder"
"""The take of the implicit `rest` stratum that fills a draw up to --size."""

MAX_SEED_CHARS = 100


class SpecError(ValueError):
    """A filter, stratum, size or seed that cannot be understood; `problems` lists each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class CaseFacts:
    """What sampling may look at in one case: a row of the sampling frame."""

    key: str  # the force reference: stable across databases and re-imports
    case_type: str
    occurred_on: date  # the UTC date
    area: str | None = None
    power: str | None = None
    object_of_search: str | None = None
    outcome: str | None = None
    age_band: str | None = None
    gender: str | None = None
    officer_defined_ethnicity: str | None = None
    self_defined_ethnicity: str | None = None
    strip_search: bool | None = None
    taser_highest_level: str | None = None
    has_footage: bool = False


# --- Fields a condition may test -----------------------------------------------------------

Matcher = Callable[[Any, tuple[str, ...]], bool]
Parser = Callable[[list[str]], tuple[str, ...]]


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def _parse_text(values: list[str]) -> tuple[str, ...]:
    return tuple(_fold(value) for value in values)


def _match_text(value: str | None, wanted: tuple[str, ...]) -> bool:
    if value is None or not value.strip():
        return NOT_RECORDED in wanted
    return _fold(value) in wanted


def _match_self_ethnicity(value: str | None, wanted: tuple[str, ...]) -> bool:
    """A self-defined value is `Group - Subgroup`; naming the group alone matches all of it."""
    if _match_text(value, wanted):
        return True
    return value is not None and _fold(value.split(" - ")[0]) in wanted


def _choice_parser(allowed: Sequence[str]) -> Parser:
    folded = {_fold(choice): choice for choice in [*allowed, NOT_RECORDED]}

    def parse(values: list[str]) -> tuple[str, ...]:
        unknown = [value for value in values if _fold(value) not in folded]
        if unknown:
            raise SpecError([f"{', '.join(map(repr, unknown))} not one of: {', '.join(folded)}"])
        return tuple(_fold(value) for value in values)

    return parse


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _parse_bool(values: list[str]) -> tuple[str, ...]:
    parsed = []
    for value in values:
        folded = _fold(value)
        if folded in _TRUE:
            parsed.append("true")
        elif folded in _FALSE:
            parsed.append("false")
        elif folded == NOT_RECORDED:
            parsed.append(NOT_RECORDED)
        else:
            raise SpecError([f"{value!r} is not true, false or {NOT_RECORDED!r}"])
    return tuple(parsed)


def _match_bool(value: bool | None, wanted: tuple[str, ...]) -> bool:
    if value is None:
        return NOT_RECORDED in wanted
    return ("true" if value else "false") in wanted


def _parse_dates(values: list[str]) -> tuple[str, ...]:
    """`FROM..TO`, both ISO dates and inclusive; either side may be left open."""
    if len(values) != 1 or ".." not in values[0]:
        raise SpecError(["a date range is FROM..TO, e.g. 2026-01-01..2026-03-31"])
    start, _, end = (part.strip() for part in values[0].partition(".."))
    try:
        parsed = [date.fromisoformat(part).isoformat() if part else "" for part in (start, end)]
    except ValueError:
        raise SpecError([f"{values[0]!r}: dates are YYYY-MM-DD"]) from None
    if parsed[0] and parsed[1] and parsed[0] > parsed[1]:
        raise SpecError([f"{values[0]!r}: the range ends before it starts"])
    return (parsed[0], parsed[1])


def _match_dates(value: date, wanted: tuple[str, ...]) -> bool:
    start, end = wanted
    day = value.isoformat()
    return (not start or start <= day) and (not end or day <= end)


_TASER_WORDS = ("any", "none")


def _parse_taser(values: list[str]) -> tuple[str, ...]:
    """A level, `level+` (that level or higher), `any` (any Taser use) or `none`."""
    levels = {level.value for level in TaserLevel}
    parsed = []
    for value in values:
        folded = _fold(value)
        if folded in _TASER_WORDS or folded.removesuffix("+") in levels:
            parsed.append(folded)
        else:
            choices = ", ".join([*_TASER_WORDS, *levels])
            raise SpecError([f"{value!r} is not a Taser level (one of {choices}, or LEVEL+)"])
    return tuple(parsed)


def _match_taser(value: str | None, wanted: tuple[str, ...]) -> bool:
    if value is None:
        return "none" in wanted
    if "any" in wanted or value in wanted:
        return True
    try:
        rank = TaserLevel(value).rank
    except ValueError:
        return False
    return any(w.endswith("+") and rank >= TaserLevel(w[:-1]).rank for w in wanted)


@dataclass(frozen=True)
class _Field:
    read: Callable[[CaseFacts], Any]
    parse: Parser
    matches: Matcher


FIELDS: Mapping[str, _Field] = {
    "case_type": _Field(
        lambda c: c.case_type, _choice_parser([t.value for t in CaseType]), _match_text
    ),
    "date": _Field(lambda c: c.occurred_on, _parse_dates, _match_dates),
    "area": _Field(lambda c: c.area, _parse_text, _match_text),
    "power": _Field(lambda c: c.power, _parse_text, _match_text),
    "object": _Field(lambda c: c.object_of_search, _parse_text, _match_text),
    "outcome": _Field(lambda c: c.outcome, _parse_text, _match_text),
    "age_band": _Field(
        lambda c: c.age_band, _choice_parser([b.value for b in AgeBand]), _match_text
    ),
    "gender": _Field(lambda c: c.gender, _parse_text, _match_text),
    "ethnicity": _Field(lambda c: c.officer_defined_ethnicity, _parse_text, _match_text),
    "self_ethnicity": _Field(
        lambda c: c.self_defined_ethnicity, _parse_text, _match_self_ethnicity
    ),
    "strip_search": _Field(lambda c: c.strip_search, _parse_bool, _match_bool),
    "taser": _Field(lambda c: c.taser_highest_level, _parse_taser, _match_taser),
    "has_footage": _Field(lambda c: c.has_footage, _parse_bool, _match_bool),
}
"""Every field a filter or stratum may name (docs/sampling.md describes each)."""


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
            return cls(field, FIELDS[field].parse(values))
        except SpecError as exc:
            raise SpecError([f"{text!r}: {problem}" for problem in exc.problems]) from None

    @property
    def text(self) -> str:
        """The canonical form, which parses back to an equal condition."""
        if self.field == "date":
            return f"date={self.values[0]}..{self.values[1]}"
        return f"{self.field}={','.join(_escape(value) for value in self.values)}"

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
        labels = [stratum.label for stratum in parsed_strata]
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


# --- Drawing --------------------------------------------------------------------------------


def rank_key(seed: str, case_key: str) -> str:
    """A case's place in the random order: the same on every machine, database and Python."""
    return hashlib.sha256(f"{seed}\n{case_key}".encode()).hexdigest()


@dataclass(frozen=True)
class StratumDraw:
    label: str
    wanted: int | None  # None: all of the stratum
    frame_count: int
    chosen: tuple[str, ...]  # case keys, lowest rank first

    @property
    def short_by(self) -> int:
        """How many fewer cases than asked for the stratum held (0 when it had enough)."""
        return 0 if self.wanted is None else self.wanted - len(self.chosen)


@dataclass(frozen=True)
class Draw:
    seed: str
    frame_size: int
    strata: tuple[StratumDraw, ...]

    @property
    def chosen(self) -> list[tuple[str, str]]:
        """(stratum label, case key) in draw order: strata in spec order, ranks within."""
        return [(s.label, key) for s in self.strata for key in s.chosen]


def draw_sample(frame: Sequence[CaseFacts], spec: SampleSpec, seed: str) -> Draw:
    """Filter the frame, put each case in its first matching stratum, and take each
    stratum's lowest ranks. Pure: the result depends only on the arguments."""
    seed = check_seed(seed)
    keys = [case.key for case in frame]
    if len(set(keys)) != len(keys):
        raise ValueError("the frame holds the same case key twice")
    in_frame = [case for case in frame if spec.in_frame(case)]
    ranked = sorted(in_frame, key=lambda case: (rank_key(seed, case.key), case.key))
    named = [s for s in spec.strata if not s.is_rest]
    members: dict[Stratum, list[str]] = {s: [] for s in spec.strata}
    rest = next((s for s in spec.strata if s.is_rest), None)
    for case in ranked:
        home = next((s for s in named if s.matches(case)), rest)
        if home is not None:
            members[home].append(case.key)
    results = []
    drawn = 0
    for stratum in [*named, *([rest] if rest else [])]:
        cases = members[stratum]
        wanted: int | None
        if stratum.take == ALL:
            wanted = None
        elif stratum.take == REMAINDER:
            wanted = max(0, (spec.size or 0) - drawn)
        else:
            wanted = int(stratum.take)
        chosen = cases if wanted is None else cases[:wanted]
        drawn += len(chosen)
        # With no named strata the "rest" is the whole frame; call it that.
        label = stratum.label if named else ALL
        results.append(StratumDraw(label, wanted, len(cases), tuple(chosen)))
    return Draw(seed, len(in_frame), tuple(results))


COMPOSITION_FIELDS = {
    "officer_defined_ethnicity": "Officer-defined ethnicity",
    "age_band": "Age range",
    "case_type": "Case type",
}


@dataclass(frozen=True)
class Composition:
    """Counts per value of one field, in the frame and in the sample, so the chair sees
    before confirming whether the sample over- or under-represents a group."""

    field: str
    label: str
    frame: Mapping[str, int]
    sample: Mapping[str, int]

    def values(self) -> list[str]:
        """Values by frame count, largest first, then any found only in the sample."""
        ordered = sorted(self.frame, key=lambda value: (-self.frame[value], value))
        return ordered + sorted(set(self.sample) - set(self.frame))


def composition(frame: Sequence[CaseFacts], spec: SampleSpec, result: Draw) -> list[Composition]:
    in_frame = [case for case in frame if spec.in_frame(case)]
    chosen = {key for _, key in result.chosen}
    compositions = []
    for field_name, label in COMPOSITION_FIELDS.items():
        frame_counts: dict[str, int] = {}
        sample_counts: dict[str, int] = {}
        for case in in_frame:
            value = getattr(case, field_name) or NOT_RECORDED
            frame_counts[value] = frame_counts.get(value, 0) + 1
            if case.key in chosen:
                sample_counts[value] = sample_counts.get(value, 0) + 1
        compositions.append(Composition(field_name, label, frame_counts, sample_counts))
    return compositions
