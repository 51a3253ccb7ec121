"""Reading a population table (people by census group and police force area) from CSV.

Two shapes are accepted, told apart by the header:

- wide: `police_force_area` and one column per group (`white,black,asian,mixed,other`),
  as the shipped Census 2011 file is; a `chinese` column is added to `asian`, because the
  census's high-level Asian group holds Chinese and the police's records do too;
- long: `area,group,population`, one line per area and group (`chinese` again added to
  Asian).

Any other column is refused by name rather than ignored: a column left out of the sums would
make every rate wrong without a word. Area names match the force ids the public records
use, ignoring case, "&" against "and", and spaces against hyphens (`Avon & Somerset` is
`avon-and-somerset`). Reading collects every problem with its line and returns no areas
when there is one, so a file imports whole or not at all.
"""

from __future__ import annotations

import _csv
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from bwv_review.domain.disproportionality import CENSUS_GROUPS
from bwv_review.ingest.police_csv import RowError

AREA_COLUMN = "police_force_area"
LONG_COLUMNS = ("area", "group", "population")
# Folded into Asian, as the census's high-level groups do.
ADDED_TO = {"chinese": "asian"}
_GROUP_WORDS = {group: group for group in CENSUS_GROUPS} | ADDED_TO
_WHOLE_NUMBER = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)$")
# A file of population figures is small; anything this long is not one.
_MAX_LINES = 10_000


@dataclass(frozen=True)
class AreaPopulation:
    """People in each of the five groups of one police force area."""

    area_slug: str
    area_name: str  # as the file writes it
    line: int
    people_by_group: Mapping[str, int]


@dataclass(frozen=True)
class PopulationReading:
    """Every area, or (when anything is wrong) none and every problem by line."""

    areas: tuple[AreaPopulation, ...] = ()
    errors: tuple[RowError, ...] = field(default_factory=tuple)
    shape: str = ""  # wide | long


def fold_area(text: str) -> str:
    """An area name or force id as it is compared: case, "&"/"and" and hyphens ignored."""
    return " ".join(text.replace("&", " and ").replace("-", " ").split()).casefold()


class _Areas:
    """Matches what a file calls an area to the force id, from ids and names alike."""

    def __init__(self, forces: Mapping[str, str]) -> None:
        self._by_folded = {fold_area(slug): slug for slug in forces}
        self._by_folded.update({fold_area(name): slug for slug, name in forces.items()})

    def slug(self, name: str) -> str | None:
        return self._by_folded.get(fold_area(name))


def _count(raw: str) -> int | None:
    text = raw.strip()
    if not _WHOLE_NUMBER.match(text):
        return None
    return int(text.replace(",", ""))


def read_population_csv(stream: BinaryIO, forces: Mapping[str, str]) -> PopulationReading:
    """Read a wide or long population CSV; `forces` maps force ids to their names."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        rows = _numbered_rows(csv.reader(text, strict=True))
    except _Unreadable as exc:
        return PopulationReading(errors=(RowError(exc.line, exc.reason),))
    if not rows:
        return PopulationReading(errors=(RowError(1, "the file is empty"),))
    header_line, header = rows[0]
    names = [name.strip().casefold() for name in header]
    areas = _Areas(forces)
    if names and names[0] == AREA_COLUMN:
        return _read_wide(header_line, names, rows[1:], areas)
    if names == list(LONG_COLUMNS):
        return _read_long(rows[1:], areas)
    wanted = f"{AREA_COLUMN} then {', '.join(CENSUS_GROUPS)}, or {','.join(LONG_COLUMNS)}"
    return PopulationReading(
        errors=(RowError(header_line, f"the header must be {wanted}; found {','.join(header)}"),)
    )


class _Unreadable(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _numbered_rows(reader: _csv.Reader) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on. Bytes that are not UTF-8 are decoded as
    placeholders, so the line holding them is the one named."""
    found: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        if line > _MAX_LINES:
            raise _Unreadable(line, f"more than {_MAX_LINES} lines: not a population table")
        try:
            fields = next(reader)
        except StopIteration:
            return found
        except csv.Error as exc:
            raise _Unreadable(line, f"not readable as CSV: {exc}") from None
        joined = "".join(fields)
        if not joined.isascii():
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                raise _Unreadable(line, "is not UTF-8 text (save the file as CSV UTF-8)") from None
        if any(value.strip() for value in fields):
            found.append((line, fields))


def _read_wide(
    header_line: int, names: list[str], rows: list[tuple[int, list[str]]], areas: _Areas
) -> PopulationReading:
    errors: list[RowError] = []
    group_columns = names[1:]
    unknown = [name for name in group_columns if name not in _GROUP_WORDS]
    repeated = sorted({name for name in group_columns if group_columns.count(name) > 1})
    missing = [group for group in CENSUS_GROUPS if group not in group_columns]
    if unknown:
        errors.append(
            RowError(
                header_line,
                f"unknown column(s) {', '.join(map(repr, unknown))}: the columns are "
                f"{AREA_COLUMN}, {', '.join(CENSUS_GROUPS)} and, if wanted, chinese "
                "(added to asian)",
            )
        )
    if repeated:
        errors.append(RowError(header_line, f"column(s) given twice: {', '.join(repeated)}"))
    if missing:
        errors.append(RowError(header_line, f"missing column(s): {', '.join(missing)}"))
    if errors:
        return PopulationReading(errors=tuple(errors), shape="wide")
    found: dict[str, AreaPopulation] = {}
    for line, fields in rows:
        if len(fields) != len(names):
            errors.append(RowError(line, f"{len(fields)} fields, expected {len(names)}"))
            continue
        problems: list[str] = []
        people = dict.fromkeys(CENSUS_GROUPS, 0)
        for name, raw in zip(group_columns, fields[1:], strict=True):
            value = _count(raw)
            if value is None:
                problems.append(f"{name}: {raw.strip()!r} is not a whole number of people")
            else:
                people[_GROUP_WORDS[name]] += value
        area = _area(line, fields[0], areas, found, problems)
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        elif area is not None:
            found[area] = AreaPopulation(area, fields[0].strip(), line, people)
    return _reading(found, errors, "wide")


def _area(
    line: int,
    name: str,
    areas: _Areas,
    found: Mapping[str, AreaPopulation],
    problems: list[str],
) -> str | None:
    slug = areas.slug(name)
    if not name.strip():
        problems.append(f"{AREA_COLUMN}: blank")
    elif slug is None:
        problems.append(f"no police force area called {name.strip()!r}")
    elif slug in found:
        problems.append(f"{name.strip()!r} is given again (first at line {found[slug].line})")
    return slug


def _read_long(rows: list[tuple[int, list[str]]], areas: _Areas) -> PopulationReading:
    errors: list[RowError] = []
    people: dict[str, dict[str, int]] = {}
    first: dict[str, tuple[int, str]] = {}
    given: dict[tuple[str, str], int] = {}
    for line, fields in rows:
        if len(fields) != len(LONG_COLUMNS):
            errors.append(RowError(line, f"{len(fields)} fields, expected {len(LONG_COLUMNS)}"))
            continue
        name, group_raw, population_raw = (value.strip() for value in fields)
        problems: list[str] = []
        slug = areas.slug(name)
        if not name:
            problems.append("area: blank")
        elif slug is None:
            problems.append(f"no police force area called {name!r}")
        group_word = group_raw.casefold()
        if group_word not in _GROUP_WORDS:
            problems.append(
                f"group {group_raw!r} is not one of {', '.join(CENSUS_GROUPS)} or chinese"
            )
        value = _count(population_raw)
        if value is None:
            problems.append(f"population: {population_raw!r} is not a whole number of people")
        if slug is not None and (slug, group_word) in given:
            problems.append(
                f"{name} {group_raw} is given again (first at line {given[(slug, group_word)]})"
            )
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        assert slug is not None and value is not None
        given[(slug, group_word)] = line
        first.setdefault(slug, (line, name))
        counts = people.setdefault(slug, dict.fromkeys(CENSUS_GROUPS, 0))
        counts[_GROUP_WORDS[group_word]] += value
    found: dict[str, AreaPopulation] = {}
    for slug, (line, name) in first.items():
        missing = [g for g in CENSUS_GROUPS if (slug, g) not in given]
        if missing:
            errors.append(RowError(line, f"{name}: no line for {', '.join(missing)}"))
        else:
            found[slug] = AreaPopulation(slug, name, line, people[slug])
    return _reading(found, sorted(errors, key=lambda e: e.line), "long")


def _reading(
    found: Mapping[str, AreaPopulation], errors: list[RowError], shape: str
) -> PopulationReading:
    if errors:
        return PopulationReading(errors=tuple(errors), shape=shape)
    if not found:
        return PopulationReading(errors=(RowError(2, "no areas: the file has a header only"),))
    return PopulationReading(areas=tuple(found.values()), shape=shape)
