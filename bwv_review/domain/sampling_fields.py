"""What sampling may look at in a case, and the fields a filter or stratum may test: each
field's reader, how its typed values are parsed, and how a case's value is matched.

Split from `domain.sampling`, which draws; `domain.sampling_spec` reads the chair's syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel

NOT_RECORDED = "not recorded"
"""The filter value that matches a blank field (blank means "not recorded", never a group)."""


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
    """Spaces tidied, case kept: a reason reads "outcome Arrest" as the manifest spells it,
    while matching ignores case."""
    tidied = (" ".join(value.split()) for value in values)
    return tuple(NOT_RECORDED if _fold(value) == NOT_RECORDED else value for value in tidied)


def _match_text(value: str | None, wanted: tuple[str, ...]) -> bool:
    if value is None or not value.strip():
        return NOT_RECORDED in wanted
    return _fold(value) in {_fold(w) for w in wanted}


def _match_self_ethnicity(value: str | None, wanted: tuple[str, ...]) -> bool:
    """A self-defined value is `Group - Subgroup`; naming the group alone matches all of it."""
    if _match_text(value, wanted):
        return True
    return value is not None and _fold(value.split(" - ")[0]) in {_fold(w) for w in wanted}


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


# --- Words a person reads for a parsed value ------------------------------------------------


def _as_typed(value: str) -> str:
    return value


def _case_type_word(value: str) -> str:
    return CaseType(value).label if value in CaseType._value2member_map_ else value


def _yes_no_word(value: str) -> str:
    return {"true": "yes", "false": "no"}.get(value, value)


def _taser_word(value: str) -> str:
    if value == "any":
        return "any level"
    if value.endswith("+"):
        return f"{_taser_word(value[:-1])} or higher"
    return value.replace("_", " ")


@dataclass(frozen=True)
class _Field:
    label: str
    read: Callable[[CaseFacts], Any]
    parse: Parser
    matches: Matcher
    word: Callable[[str], str] = _as_typed  # one parsed value as a person reads it


FIELDS: Mapping[str, _Field] = {
    "case_type": _Field(
        "Case type",
        lambda c: c.case_type,
        _choice_parser([t.value for t in CaseType]),
        _match_text,
        _case_type_word,
    ),
    "date": _Field("Date", lambda c: c.occurred_on, _parse_dates, _match_dates),
    "area": _Field("Area", lambda c: c.area, _parse_text, _match_text),
    "power": _Field("Power", lambda c: c.power, _parse_text, _match_text),
    "object": _Field("Object of search", lambda c: c.object_of_search, _parse_text, _match_text),
    "outcome": _Field("Outcome", lambda c: c.outcome, _parse_text, _match_text),
    "age_band": _Field(
        "Age range", lambda c: c.age_band, _choice_parser([b.value for b in AgeBand]), _match_text
    ),
    "gender": _Field("Gender", lambda c: c.gender, _parse_text, _match_text),
    "ethnicity": _Field(
        "Officer-defined ethnicity", lambda c: c.officer_defined_ethnicity, _parse_text, _match_text
    ),
    "self_ethnicity": _Field(
        "Self-defined ethnicity",
        lambda c: c.self_defined_ethnicity,
        _parse_text,
        _match_self_ethnicity,
    ),
    "strip_search": _Field(
        "Strip search", lambda c: c.strip_search, _parse_bool, _match_bool, _yes_no_word
    ),
    "taser": _Field(
        "Taser", lambda c: c.taser_highest_level, _parse_taser, _match_taser, _taser_word
    ),
    "has_footage": _Field(
        "Footage", lambda c: c.has_footage, _parse_bool, _match_bool, _yes_no_word
    ),
}
"""Every field a filter or stratum may name (docs/sampling.md describes each)."""


def describe(field: str, values: Sequence[str]) -> str:
    """A parsed condition in plain words, for a chair reading why a case is in the draw:
    "strip search yes", "age range under 10 or 10-17", "dated 2026-01-01 to 2026-03-31"."""
    if field == "date":
        start, end = values
        if start and end:
            return f"dated {start} to {end}"
        return f"dated from {start}" if start else f"dated up to {end}"
    spec = FIELDS[field]
    label = spec.label[0].lower() + spec.label[1:]
    return f"{label} {' or '.join(spec.word(value) for value in values)}"
