"""Reading data.police.uk stop-and-search CSV files into rows ready for the store.

Reading streams: rows come out one at a time as plain tuples in `RECORD_COLUMNS` order, so a
million-row file never sits in memory and the store can insert batches straight from them.
A row that cannot be read (wrong field count, bad date, bad flag or coordinate, a value too
long for its column) comes out as a `RowError` with its line, so the caller can report every
bad row and import nothing. The same `record_row` turns a JSON API item into a row
(`police_json`), so both formats mean exactly the same thing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from bwv_review.domain.police_vocab import (
    AGE_BANDS,
    GENDERS,
    LATITUDE_RANGE_DEG,
    LONGITUDE_RANGE_DEG,
    OFFICER_DEFINED_ETHNICITY,
    OUTCOMES,
    SEARCH_TYPES,
    SELF_DEFINED_ETHNICITY,
    UNRECOGNISED,
    Vocabulary,
    parse_coordinate,
    parse_flag,
    parse_published_time,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# The published header, in the published order.
PUBLISHED_COLUMNS = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
# Where each published string is kept, exactly as published, with the widest value the
# store's column takes (None: unlimited). A longer value is a malformed row here rather than
# a database error half-way through an import.
RAW_COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("type_raw", 100),
    ("date_raw", 64),
    ("part_of_operation_raw", 16),
    ("policing_operation_raw", None),
    ("latitude_raw", 32),
    ("longitude_raw", 32),
    ("gender_raw", 64),
    ("age_range_raw", 64),
    ("self_defined_ethnicity_raw", 200),
    ("officer_defined_ethnicity_raw", 64),
    ("legislation_raw", 200),
    ("object_of_search_raw", 200),
    ("outcome_raw", 200),
    ("outcome_linked_raw", 16),
    ("removal_of_outer_clothing_raw", 16),
)
CANONICAL_COLUMNS = (
    "line_number",
    "occurred_at",
    "date_only",
    "search_type",
    "part_of_operation",
    "latitude",
    "longitude",
    "gender",
    "age_band",
    "self_defined_ethnicity_group",
    "officer_defined_ethnicity",
    "outcome",
    "outcome_linked",
    "removal_of_outer_clothing",
    "unrecognised_fields",
)
RECORD_COLUMNS = tuple(name for name, _ in RAW_COLUMNS) + CANONICAL_COLUMNS
FIELD_COUNT = len(PUBLISHED_COLUMNS)
_MAX_CHARS = tuple(limit if limit is not None else float("inf") for _, limit in RAW_COLUMNS)

RecordRow = tuple[object, ...]

# Published column index -> vocabulary, for the fields that have one.
_CATEGORICAL: tuple[tuple[int, Vocabulary], ...] = (
    (0, SEARCH_TYPES),
    (6, GENDERS),
    (7, AGE_BANDS),
    (8, SELF_DEFINED_ETHNICITY),
    (9, OFFICER_DEFINED_ETHNICITY),
    (12, OUTCOMES),
)
# The categorical fields, then legislation and object of search: free text, but the same
# few strings again and again, so their length is checked once per combination too.
_REPEATING = (*(index for index, _ in _CATEGORICAL), 10, 11)
_repeating_strings = operator.itemgetter(*_REPEATING)
_REPEATING_MAX_CHARS = tuple(_MAX_CHARS[index] for index in _REPEATING)
Classified = tuple[tuple[str | None, ...], str | None]
# Records of one force repeat the same few combinations of these eight strings, so each
# combination is checked and classified once; bounded so that a hostile file cannot grow it
# forever. Only combinations that fit their columns are kept.
_classified_memo: dict[tuple[str, ...], Classified] = {}
_published_time_memo: dict[str, tuple[datetime, int]] = {}
# The spellings data.police.uk uses for a flag, looked up before `_flag`: three a row.
_FLAGS: dict[str, int | None] = {"True": 1, "False": 0, "": None}
_MEMO_LIMIT = 50_000
_DATE_MAX_CHARS, _FLAG_MAX_CHARS, _COORDINATE_MAX_CHARS = (
    _MAX_CHARS[1],
    _MAX_CHARS[2],
    _MAX_CHARS[4],
)
_LATITUDE_LOW, _LATITUDE_HIGH = LATITUDE_RANGE_DEG
_LONGITUDE_LOW, _LONGITUDE_HIGH = LONGITUDE_RANGE_DEG

_NOT_UTF8 = "holds bytes that are not UTF-8 text (is this a data.police.uk file?)"
_FILE_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(.+)-stop-and-search\.(?:csv|json)$", re.I)


@dataclass(frozen=True)
class RowError:
    """A row that cannot be imported. `line` is the file's line (CSV) or item number (JSON)."""

    line: int
    message: str


@dataclass(frozen=True)
class FileIdentity:
    """Force and month, read from data.police.uk's `YYYY-MM-<force>-stop-and-search` name."""

    force: str
    month: str  # YYYY-MM


def identify_file(file_name: str) -> FileIdentity | None:
    match = _FILE_NAME.match(file_name)
    if match is None:
        return None
    year, month, force = match.groups()
    return FileIdentity(force=force.lower(), month=f"{year}-{month}")


def record_row(line: int, fields: Sequence[str]) -> RecordRow:
    """The 15 published strings of one record -> a row in RECORD_COLUMNS order.

    Raises ValueError naming every column that is wrong, so one pass over a bad file tells
    its publisher everything to fix. A million rows go through here, so the common case is
    one straight pass and only a row that fails is examined column by column.
    """
    try:
        joined = "".join(fields)
        if not _is_text(joined) or "\x00" in joined:
            raise ValueError
        canonical, unrecognised = _classify(_repeating_strings(fields))
        if canonical[0] is None:
            raise ValueError
        occurred_at, date_only = _published_time(fields[1])
        try:
            flags = (_FLAGS[fields[2]], _FLAGS[fields[13]], _FLAGS[fields[14]])
        except KeyError:
            flags = (_flag(fields[2]), _flag(fields[13]), _flag(fields[14]))
        # parse_coordinate inlined (two a row); anything unusual takes the full check.
        latitude_raw, longitude_raw = fields[4], fields[5]
        try:
            latitude = float(latitude_raw) if latitude_raw else None
            longitude = float(longitude_raw) if longitude_raw else None
        except ValueError:
            latitude = parse_coordinate(latitude_raw, LATITUDE_RANGE_DEG)
            longitude = parse_coordinate(longitude_raw, LONGITUDE_RANGE_DEG)
        if (
            (latitude is not None and not _LATITUDE_LOW <= latitude <= _LATITUDE_HIGH)
            or (longitude is not None and not _LONGITUDE_LOW <= longitude <= _LONGITUDE_HIGH)
            or len(latitude_raw) > _COORDINATE_MAX_CHARS
            or len(longitude_raw) > _COORDINATE_MAX_CHARS
            or "_" in latitude_raw  # float() would read "5_1" as 51
            or "_" in longitude_raw
        ):
            raise ValueError
    except ValueError:
        raise ValueError("; ".join(_problems(fields))) from None
    search_type, gender, age_band, self_defined, officer_defined, outcome = canonical
    part_of_operation, outcome_linked, removal = flags
    return (
        *fields,
        line,
        occurred_at,
        date_only,
        search_type,
        part_of_operation,
        latitude,
        longitude,
        gender,
        age_band,
        self_defined,
        officer_defined,
        outcome,
        outcome_linked,
        removal,
        unrecognised,
    )


def _published_time(raw: str) -> tuple[datetime, int]:
    """`parse_published_time`, once per distinct string: the rows of a group search share
    their instant (in the real files, 2.6 rows per distinct time)."""
    try:
        return _published_time_memo[raw]
    except KeyError:
        pass
    when = parse_published_time(raw)
    if len(raw) > _DATE_MAX_CHARS:
        raise ValueError("too long")  # named by `_problems`
    if len(_published_time_memo) >= _MEMO_LIMIT:  # a long file's old instants do not return
        _published_time_memo.clear()
    stored = _published_time_memo[raw] = (when.utc, int(when.date_only))
    return stored


def _flag(raw: str) -> int | None:
    """`parse_flag` as the store keeps it (0/1): sqlite3 binds an int several times faster
    than a bool, which it sends through its adapter lookup (about 40 ns against 300 ns a
    value, four a row), and both databases store the same 0/1 or false/true."""
    flag = parse_flag(raw)
    if len(raw) > _FLAG_MAX_CHARS:
        raise ValueError("too long")  # named by `_problems`
    return None if flag is None else int(flag)


def _problems(fields: Sequence[str]) -> list[str]:
    """Everything wrong with a row that `record_row` refused, column by column."""
    joined = "".join(fields)
    problems = [] if _is_text(joined) else [_NOT_UTF8]
    if "\x00" in joined:
        problems.append("holds a NUL character (binary data, not text)")
    problems.extend(
        f"{column}: {len(value)} characters, at most {limit} fit"
        for column, value, limit in zip(PUBLISHED_COLUMNS, fields, _MAX_CHARS, strict=True)
        if len(value) > limit
    )
    if SEARCH_TYPES.classify(fields[0]) is None:
        problems.append("Type: blank (every record has one)")
    checks: list[tuple[int, Callable[[str], object]]] = [
        (1, parse_published_time),
        (2, parse_flag),
        (4, lambda raw: parse_coordinate(raw, LATITUDE_RANGE_DEG)),
        (5, lambda raw: parse_coordinate(raw, LONGITUDE_RANGE_DEG)),
        (13, parse_flag),
        (14, parse_flag),
    ]
    for index, check in checks:
        try:
            check(fields[index])
        except ValueError as exc:
            problems.append(f"{PUBLISHED_COLUMNS[index]}: {exc}")
    return problems


def _classify(strings: tuple[str, ...]) -> Classified:
    """Canonical values for the categorical fields, and the names of those unrecognised;
    `strings` are the `_REPEATING` fields, refused (ValueError) if one is too long."""
    try:
        return _classified_memo[strings]
    except KeyError:
        pass
    if any(map(operator.gt, map(len, strings), _REPEATING_MAX_CHARS)):
        raise ValueError("too long")  # named by `_problems`
    canonical = tuple(
        vocabulary.classify(raw)
        for (_, vocabulary), raw in zip(_CATEGORICAL, strings, strict=False)
    )
    names = [
        vocabulary.name
        for (_, vocabulary), value in zip(_CATEGORICAL, canonical, strict=True)
        if value == UNRECOGNISED
    ]
    result = (canonical, ",".join(names) or None)
    if len(_classified_memo) < _MEMO_LIMIT:
        _classified_memo[strings] = result
    return result


def _column_order(header: Sequence[str]) -> list[int]:
    """Where each published column sits in this file's header (any order is fine)."""
    names = [name.strip() for name in header]
    missing = [name for name in PUBLISHED_COLUMNS if name not in names]
    extra = [name for name in names if name not in PUBLISHED_COLUMNS]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if missing or extra or duplicated:
        parts = [
            f"{label} {', '.join(map(repr, found))}"
            for label, found in (
                ("missing", missing),
                ("unexpected", extra),
                ("repeated", duplicated),
            )
            if found
        ]
        raise ValueError("not a data.police.uk stop-and-search header: " + "; ".join(parts))
    return [names.index(name) for name in PUBLISHED_COLUMNS]


def _is_text(value: str) -> bool:
    """False when decoding met bytes that are not UTF-8 (kept as lone surrogates)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_csv(stream: BinaryIO) -> Iterator[RecordRow | RowError]:
    """Rows and row errors, in file order. UTF-8 with or without a BOM, CRLF or LF, quoted
    fields (which may span lines: a row's line is the line it starts on). Bytes that are not
    UTF-8 are decoded as placeholders so the row holding them is named, not a neighbour.
    After a header error nothing more can be trusted, so reading stops there."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            yield RowError(1, "the file is empty: expected the data.police.uk header")
            return
        if not _is_text("".join(header)):
            yield RowError(1, _NOT_UTF8)
            return
        order = _column_order(header)
    except (csv.Error, ValueError) as exc:
        yield RowError(1, str(exc))
        return
    reorder = None if order == list(range(FIELD_COUNT)) else operator.itemgetter(*order)
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(line, f"not readable as CSV: {exc}")
            continue
        if not fields:
            continue  # a blank line holds no record
        if len(fields) != FIELD_COUNT:
            yield RowError(line, f"{len(fields)} fields, expected {FIELD_COUNT}")
            continue
        try:
            yield record_row(line, fields if reorder is None else reorder(fields))
        except ValueError as exc:
            yield RowError(line, str(exc))


class HashingReader(io.RawIOBase):
    """Hashes exactly the bytes that are read, so a row's identity (file SHA-256, line) is
    the identity of the bytes that were parsed, even if the file changes during an import."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        super().__init__()
        self._raw = raw
        self._sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        count = self._raw.readinto(buffer)
        if count:
            self._sha256.update(memoryview(buffer)[:count])
        return count or 0

    def hexdigest_of_all(self) -> str:
        """The SHA-256 of the whole file: reads whatever the parser left unread."""
        while self.readinto(bytearray(1 << 20)):
            pass
        return self._sha256.hexdigest()
