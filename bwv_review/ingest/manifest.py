"""The force's case manifest (CSV or JSON): one case per row, with the clips that show it.

The manifest is how cases enter the workspace, and a half-imported one would leave a
sample frame that silently misses cases. So reading is strict and complete before anything
is stored: every problem is reported at once as `line: what is wrong`, values are checked
against what the database can hold on both backends (domain/text_fields.py), and a
clip path that could leave its footage root is refused. docs/manifest.md is the format's
reference; resources/manifests/ holds an example.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from bwv_review.domain.text_fields import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    TextFieldError,
    free_text,
    is_blank,
    name_text,
)
from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel

CLIP_SEPARATOR = ";"
"""Separates clip paths in the CSV `clips` column (JSON gives a list)."""

REQUIRED_COLUMNS = ("force_reference", "case_type", "occurred_at")

# Column -> the most characters the database holds for it.
TEXT_COLUMNS: Mapping[str, int] = {
    "force_reference": 100,
    "area": 200,
    "power": 200,
    "object_of_search": 200,
    "grounds": MAX_TEXT_CHARS,
    "outcome": 200,
    "gender": 64,
    "self_defined_ethnicity": 200,
    "officer_defined_ethnicity": 64,
    "officer_pseudonym": 64,
    "footage_root": 100,
}
BOOL_COLUMNS = ("outcome_linked", "strip_search")
ALL_COLUMNS = (
    *REQUIRED_COLUMNS,
    *(c for c in TEXT_COLUMNS if c != "force_reference"),
    *BOOL_COLUMNS,
    "age_band",
    "taser_highest_level",
    "footage_deleted_on",
    "clips",
)
MAX_PATH_CHARS = 1000
# BWV did not exist before 2000; the bounds also keep UTC conversion from overflowing.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ROOT_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
# Free text, kept as written (line endings as LF); every other column is one line, trimmed,
# by the rule every typed field follows (domain/text_fields.py).
FREE_TEXT_COLUMNS = frozenset({"grounds"})
# Control characters break exports and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class ManifestProblem:
    line: int | None
    message: str


class ManifestError(Exception):
    """The manifest cannot be imported; `problems` names every line that is wrong."""

    def __init__(self, file_name: str, problems: list[ManifestProblem]) -> None:
        super().__init__(f"{file_name}: {len(problems)} problem(s)")
        self.file_name = file_name
        self.problems = tuple(problems)


@dataclass(frozen=True)
class ManifestCase:
    """One validated row. Clip paths are relative to `footage_root`, with '/' separators."""

    line: int
    force_reference: str
    case_type: CaseType
    occurred_at: datetime  # aware, UTC
    area: str | None = None
    power: str | None = None
    object_of_search: str | None = None
    grounds: str | None = None
    outcome: str | None = None
    outcome_linked: bool | None = None
    age_band: AgeBand | None = None
    gender: str | None = None
    self_defined_ethnicity: str | None = None
    officer_defined_ethnicity: str | None = None
    strip_search: bool | None = None
    taser_highest_level: TaserLevel | None = None
    officer_pseudonym: str | None = None
    footage_root: str | None = None
    clip_paths: tuple[str, ...] = ()
    # The day the force deletes this encounter's footage, when the force says; otherwise
    # the recording date plus this machine's usual number of days.
    footage_deleted_on: date | None = None


@dataclass(frozen=True)
class Manifest:
    file_name: str
    sha256: str
    cases: tuple[ManifestCase, ...]


def read_manifest(path: Path) -> Manifest:
    """Read and validate a manifest file; the suffix (.csv or .json) says which format."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ManifestError(path.name, [ManifestProblem(None, "name a .csv or .json manifest")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(path.name, [ManifestProblem(None, f"cannot read: {exc}")]) from exc
    return parse_manifest(data, path.name, suffix.lstrip("."))


def parse_manifest(data: bytes, file_name: str, fmt: str) -> Manifest:
    """Validate a whole manifest; raise ManifestError listing every problem, or return all
    its cases. Nothing is partly accepted."""
    problems: list[ManifestProblem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManifestError(
            file_name, [ManifestProblem(line, "not UTF-8 text; save the file as UTF-8")]
        ) from None
    rows = _csv_rows(text, problems) if fmt == "csv" else _json_rows(text, problems)
    cases = []
    for line, row in rows:
        case = _case_from_row(line, row, problems)
        if case is not None:
            cases.append(case)
    _check_duplicates(cases, problems)
    if not cases and not problems:
        problems.append(ManifestProblem(None, "the manifest lists no cases"))
    if problems:
        raise ManifestError(file_name, sorted(problems, key=lambda p: p.line or 0))
    return Manifest(file_name, hashlib.sha256(data).hexdigest(), tuple(cases))


# --- CSV ----------------------------------------------------------------------------------


def _column_name(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def _csv_rows(text: str, problems: list[ManifestProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            problems.append(ManifestProblem(1, "the file is empty: the first line names columns"))
            return
        columns = [_column_name(name) for name in header]
        if not _columns_ok(columns, 1, problems, header=True):
            return
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                problems.append(
                    ManifestProblem(line, f"{len(values)} values for {len(columns)} columns")
                )
                continue
            yield line, dict(zip(columns, values, strict=True))
    except csv.Error as exc:
        problems.append(ManifestProblem(reader.line_num, f"not readable as CSV: {exc}"))


def _columns_ok(
    columns: list[str], line: int | None, problems: list[ManifestProblem], *, header: bool
) -> bool:
    """Unknown and doubled names are always wrong; a CSV header must also name every
    required column (a JSON case just leaves out keys it has no value for)."""
    before = len(problems)
    unknown = [c for c in columns if c not in ALL_COLUMNS]
    if unknown:
        problems.append(
            ManifestProblem(
                line,
                f"unknown column(s) {', '.join(map(repr, unknown))}; "
                f"the columns are: {', '.join(ALL_COLUMNS)}",
            )
        )
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        problems.append(ManifestProblem(line, f"column(s) given twice: {', '.join(doubled)}"))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if header and missing:
        problems.append(ManifestProblem(line, f"missing column(s): {', '.join(missing)}"))
    return len(problems) == before


# --- JSON ---------------------------------------------------------------------------------


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers its repeated keys (a dict keeps only the last)."""

    repeated_keys: tuple[str, ...] = ()


def _make_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    keys = [key for key, _ in pairs]
    obj.repeated_keys = tuple(sorted({k for k in keys if keys.count(k) > 1}))
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_make_object)
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _past_space(text: str, pos: int) -> int:
    space = _JSON_SPACE.match(text, pos)
    assert space is not None  # the pattern matches the empty string
    return space.end()


def _past(text: str, pos: int, mark: str) -> int:
    """The offset past whitespace, `mark` if it is next, and whitespace again."""
    pos = _past_space(text, pos)
    if text.startswith(mark, pos):
        pos += len(mark)
    return _past_space(text, pos)


def _located_cases(text: str, wrapped: bool) -> Iterator[tuple[int, Any]]:
    """Each case of a document known to be valid JSON, with the offset it starts at.

    The json module tells where a value ends (raw_decode) but not where it starts, so the list
    of cases (bare, or the wrapper's last "cases" member, as a dict keeps) is walked value by
    value.
    """
    pos = _past_space(text, 0)
    if wrapped:
        pos = _past(text, pos, "{")
        while text[pos] != "}":
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _past(text, pos, ":")
            if key == "cases":
                cases_at = pos
            _value, pos = _DECODER.raw_decode(text, pos)
            pos = _past(text, pos, ",")
        pos = cases_at
    pos = _past(text, pos, "[")
    while text[pos] != "]":
        start = pos
        case, pos = _DECODER.raw_decode(text, pos)
        yield start, case
        pos = _past(text, pos, ",")


def _json_rows(text: str, problems: list[ManifestProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        problems.append(ManifestProblem(exc.lineno, f"not valid JSON: {exc.msg}"))
        return
    except RecursionError:
        problems.append(ManifestProblem(None, "not a manifest: the JSON is nested too deeply"))
        return
    wrapped = isinstance(document, _JsonObject) and set(document) == {"cases"}
    if wrapped:
        document = document["cases"]
    if not isinstance(document, list):
        problems.append(ManifestProblem(1, 'the file holds a list of cases or {"cases": [...]}'))
        return
    newlines = [match.start() for match in re.finditer("\n", text)]
    for start, item in _located_cases(text, wrapped):
        if not isinstance(item, _JsonObject):
            problems.append(ManifestProblem(None, "each case is a JSON object"))
            continue
        line = bisect.bisect_left(newlines, start) + 1
        if item.repeated_keys:
            keys = ", ".join(item.repeated_keys)
            problems.append(ManifestProblem(line, f"key(s) given twice: {keys}"))
            continue
        if _columns_ok(list(item), line, problems, header=False):
            yield line, dict(item)


# --- One case -----------------------------------------------------------------------------


class _BadValue(ValueError):
    pass


_E = TypeVar("_E", bound=StrEnum)


def _text(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadValue(f"{column}: must be text, not {type(value).__name__}")
    limit = TEXT_COLUMNS.get(column, MAX_NAME_CHARS)
    try:
        if column in FREE_TEXT_COLUMNS:
            value = free_text(value, column, limit=limit)
        else:
            value = name_text(value, column, limit=limit)
    except TextFieldError as exc:
        raise _BadValue(f"{column}: {exc.problem}") from None
    return None if is_blank(value) else value


def _bool(row: Mapping[str, Any], column: str) -> bool | None:
    value = row.get(column)
    if value is None or isinstance(value, bool):
        return value
    text = _text(row, column)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise _BadValue(f"{column}: {text!r} is not true or false (or blank: not recorded)")


def _choice(row: Mapping[str, Any], column: str, enum: type[_E]) -> _E | None:
    text = _text(row, column)
    if text is None:
        return None
    wanted = _column_name(text)
    for member in enum:
        if wanted in (_column_name(member.value), _column_name(member.name)):
            return member
    choices = ", ".join(member.value for member in enum)
    raise _BadValue(f"{column}: {text!r} is not one of {choices}")


def _when(row: Mapping[str, Any]) -> datetime | None:
    text = _text(row, "occurred_at")
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _BadValue(
            f"occurred_at: {text!r} is not an ISO 8601 date and time, e.g. 2026-03-14T21:05+00:00"
        ) from None
    if when.tzinfo is None:
        raise _BadValue(f"occurred_at: {text!r} needs its UTC offset, e.g. +00:00 or +01:00")
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        raise _BadValue(f"occurred_at: {text!r} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return when.astimezone(UTC)


def _deletion_day(row: Mapping[str, Any]) -> date | None:
    text = _text(row, "footage_deleted_on")
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise _BadValue(
            f"footage_deleted_on: {text!r} is not an ISO 8601 date, e.g. 2026-04-14"
        ) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise _BadValue(
            f"footage_deleted_on: {text!r} is not between {EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return day


def clean_relative_path(text: str) -> str:
    """A clip path inside its footage root, with '/' separators; refuse anything that could
    point outside the root (absolute paths, drive letters, `..`)."""
    path = text.strip().replace("\\", "/")
    if not path:
        raise _BadValue("clips: a clip path is empty")
    if _CONTROL.search(path):
        raise _BadValue(f"clips: {text!r} holds a control character")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise _BadValue(f"clips: {text!r} is absolute; give it relative to its footage root")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _BadValue(f"clips: {text!r} refused: '..' would leave its footage root")
    cleaned = "/".join(parts)
    if not cleaned or len(cleaned) > MAX_PATH_CHARS:
        raise _BadValue(f"clips: {text!r} is not a usable path (1-{MAX_PATH_CHARS} characters)")
    return cleaned


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clip_paths(row: Mapping[str, Any]) -> tuple[str, ...]:
    value = row.get("clips")
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = [part for part in value.split(CLIP_SEPARATOR) if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise _BadValue("clips: a list of paths (JSON) or paths separated by ';' (CSV)")
    if not all(isinstance(item, str) for item in items):
        raise _BadValue("clips: every clip path is text")
    return tuple(clean_relative_path(item) for item in items)


def _case_from_row(
    line: int, row: Mapping[str, Any], problems: list[ManifestProblem]
) -> ManifestCase | None:
    """Check every field of one row; report each bad field, not just the first."""
    found: list[str] = []

    def attempt(read: Callable[..., Any], *args: Any) -> Any:
        try:
            return read(row, *args)
        except _BadValue as exc:
            found.append(str(exc))
            return None

    texts = {column: attempt(_text, column) for column in TEXT_COLUMNS}
    bools = {column: attempt(_bool, column) for column in BOOL_COLUMNS}
    case_type = attempt(_choice, "case_type", CaseType)
    age_band = attempt(_choice, "age_band", AgeBand)
    taser = attempt(_choice, "taser_highest_level", TaserLevel)
    occurred_at = attempt(_when)
    deleted_on = attempt(_deletion_day)
    clip_paths: tuple[str, ...] = attempt(_clip_paths) or ()
    root = texts["footage_root"]
    for column in REQUIRED_COLUMNS:
        if _is_blank(row.get(column)):
            found.append(f"{column}: required")
    if clip_paths and root is None:
        found.append("footage_root: required when clips are listed")
    if root is not None and not ROOT_NAME_PATTERN.match(root):
        found.append(f"footage_root: {root!r}: use letters, digits, spaces, '.', '_' or '-'")
    if len(set(clip_paths)) != len(clip_paths):
        found.append("clips: the same clip is listed twice")
    if found:
        problems.extend(ManifestProblem(line, message) for message in found)
        return None
    assert texts["force_reference"] is not None and case_type is not None
    assert occurred_at is not None
    return ManifestCase(
        line=line,
        force_reference=texts["force_reference"],
        case_type=case_type,
        occurred_at=occurred_at,
        area=texts["area"],
        power=texts["power"],
        object_of_search=texts["object_of_search"],
        grounds=texts["grounds"],
        outcome=texts["outcome"],
        outcome_linked=bools["outcome_linked"],
        age_band=age_band,
        gender=texts["gender"],
        self_defined_ethnicity=texts["self_defined_ethnicity"],
        officer_defined_ethnicity=texts["officer_defined_ethnicity"],
        strip_search=bools["strip_search"],
        taser_highest_level=taser,
        officer_pseudonym=texts["officer_pseudonym"],
        footage_root=root,
        clip_paths=clip_paths,
        footage_deleted_on=deleted_on,
    )


def _check_duplicates(cases: list[ManifestCase], problems: list[ManifestProblem]) -> None:
    """A reference or a clip may appear once per manifest: two rows for one encounter, or
    one file shown as two cases, would distort the sample."""
    first_line_of_reference: dict[str, int] = {}
    first_line_of_clip: dict[tuple[str | None, str], int] = {}
    for case in cases:
        reference = case.force_reference.casefold()
        if reference in first_line_of_reference:
            problems.append(
                ManifestProblem(
                    case.line,
                    f"force_reference {case.force_reference!r} already on line "
                    f"{first_line_of_reference[reference]}",
                )
            )
        first_line_of_reference.setdefault(reference, case.line)
        for path in case.clip_paths:
            key = (case.footage_root, path)
            if key in first_line_of_clip and first_line_of_clip[key] != case.line:
                problems.append(
                    ManifestProblem(
                        case.line, f"clip {path!r} already listed on line {first_line_of_clip[key]}"
                    )
                )
            first_line_of_clip.setdefault(key, case.line)
