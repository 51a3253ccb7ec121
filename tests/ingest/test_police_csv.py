"""Reading data.police.uk CSV files: the real files, line endings, BOM, quoting, malformed
rows named by line, and a fuzzer that only ever sees rows or clean row errors."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bwv_review.ingest.police_csv import (
    PUBLISHED_COLUMNS,
    RAW_COLUMNS,
    RECORD_COLUMNS,
    FileIdentity,
    HashingReader,
    RowError,
    identify_file,
    read_csv,
)
from bwv_review.store.models import PoliceRecord

DATA = Path(__file__).resolve().parents[2] / "resources" / "data"
AVON = DATA / "2018-01-avon-and-somerset-stop-and-search.csv"
ESSEX = DATA / "2019-12-essex-stop-and-search.csv"

HEADER = ",".join(PUBLISHED_COLUMNS)
GOOD = (
    "Person search,2019-12-01T00:01:00+00:00,False,,51.770766,0.094481,Male,18-24,"
    "White - English/Welsh/Scottish/Northern Irish/British,White,"
    "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,"
    "False,False"
)


def _read(text: str | bytes) -> list[tuple[object, ...] | RowError]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(read_csv(io.BytesIO(data)))


def _column(row: tuple[object, ...], name: str) -> object:
    return row[RECORD_COLUMNS.index(name)]


@pytest.mark.parametrize(("path", "rows"), [(AVON, 522), (ESSEX, 1523)])
def test_real_files_read_every_row_without_error(path: Path, rows: int) -> None:
    items = _read(path.read_bytes())
    assert not [item for item in items if isinstance(item, RowError)]
    assert len(items) == rows
    # Identity is the line: rows start on line 2 and follow one per line.
    assert [_column(row, "line_number") for row in items] == list(range(2, rows + 2))  # type: ignore[arg-type]


def test_essex_keeps_under_10_and_not_stated() -> None:
    items = _read(ESSEX.read_bytes())
    ages = {_column(row, "age_band") for row in items}  # type: ignore[arg-type]
    assert "under 10" in ages
    groups = [_column(row, "self_defined_ethnicity_group") for row in items]  # type: ignore[arg-type]
    assert groups.count("not stated") == 159


def test_crlf_lf_bom_and_quoting_read_the_same() -> None:
    plain = _read(f"{HEADER}\n{GOOD}\n")
    crlf = _read(f"{HEADER}\r\n{GOOD}\r\n")
    bom = _read(b"\xef\xbb\xbf" + f"{HEADER}\r\n{GOOD}".encode())
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(
        [PUBLISHED_COLUMNS, next(csv.reader([GOOD]))]
    )
    quoted = _read(buffer.getvalue())
    assert plain == crlf == bom == quoted
    assert len(plain) == 1 and not isinstance(plain[0], RowError)


def test_columns_may_come_in_any_order() -> None:
    fields = next(csv.reader([GOOD]))
    reversed_file = ",".join(reversed(PUBLISHED_COLUMNS)) + "\n" + ",".join(reversed(fields))
    assert _read(reversed_file) == _read(f"{HEADER}\n{GOOD}")


def test_a_quoted_field_over_two_lines_keeps_the_line_it_starts_on() -> None:
    fields = next(csv.reader([GOOD]))
    fields[3] = "Operation\nSceptre"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([PUBLISHED_COLUMNS, fields, fields])
    rows = _read(buffer.getvalue())
    assert [_column(row, "line_number") for row in rows] == [2, 4]  # type: ignore[arg-type]
    assert _column(rows[0], "policing_operation_raw") == "Operation\nSceptre"  # type: ignore[arg-type]


def test_the_published_strings_are_kept_exactly() -> None:
    (row,) = _read(f"{HEADER}\n{GOOD}")
    assert list(row[: len(PUBLISHED_COLUMNS)]) == next(csv.reader([GOOD]))  # type: ignore[index]
    assert _column(row, "outcome") == "no_further_action"  # type: ignore[arg-type]
    assert _column(row, "unrecognised_fields") is None  # type: ignore[arg-type]


def test_a_value_never_seen_is_kept_and_flagged() -> None:
    odd = GOOD.replace(",Male,", ",Nonbinary,").replace(",White,", ",Martian,")
    (row,) = _read(f"{HEADER}\n{odd}")
    assert _column(row, "gender_raw") == "Nonbinary"  # type: ignore[arg-type]
    assert _column(row, "gender") == "unrecognised"  # type: ignore[arg-type]
    assert _column(row, "officer_defined_ethnicity") == "unrecognised"  # type: ignore[arg-type]
    assert _column(row, "unrecognised_fields") == "gender,officer_defined_ethnicity"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (GOOD + ",extra", "16 fields, expected 15"),
        (GOOD.rsplit(",", 1)[0], "14 fields, expected 15"),
        (GOOD.replace("2019-12-01T00:01:00+00:00", "2019-12-32T00:01:00+00:00"), "Date:"),
        (GOOD.replace("False,,51", "Maybe,,51"), "Part of a policing operation: 'Maybe'"),
        (GOOD.replace(",False,False", ",False,Y"), "Removal of more than just outer clothing"),
        (GOOD.replace("51.770766", "north"), "Latitude: 'north' is not a number"),
        (GOOD.replace("Person search", ""), "Type: blank"),
        (GOOD.replace("Controlled drugs", "x" * 201), "Object of search: 201 characters"),
        (GOOD.replace("Controlled drugs", "Controlled\x00drugs"), "NUL"),
        # Each kind of field takes its own fast path; each still refuses what does not fit.
        (GOOD.replace("+00:00,", "+00:00" + " " * 40 + ","), "Date: 65 characters"),
        (GOOD.replace(",False,False", ",False," + "False".ljust(17)), "outer clothing: 17 char"),
        (GOOD.replace("51.770766", "51.77076" + "0" * 30), "Latitude: 38 characters"),
        (GOOD.replace("Misuse of Drugs", "Misuse" * 40), "Legislation: 262 characters"),
        (GOOD.replace("0.094481", "1e3"), "Longitude: '1e3' is outside"),
        (GOOD.replace("0.094481", "0_1"), "Longitude: '0_1' is not a number"),
    ],
)
def test_a_malformed_row_is_named_by_its_line(bad_row: str, message: str) -> None:
    items = _read(f"{HEADER}\n{GOOD}\n{bad_row}\n{GOOD}\n")
    errors = [item for item in items if isinstance(item, RowError)]
    assert len(items) == 3 and len(errors) == 1
    assert errors[0].line == 3
    assert message in errors[0].message


def test_every_problem_in_a_row_is_named_at_once() -> None:
    bad = GOOD.replace("2019-12-01T00:01:00+00:00", "soon").replace("False,,51", "x,,51")
    (error,) = _read(f"{HEADER}\n{bad}")
    assert isinstance(error, RowError)
    assert "Date:" in error.message and "Part of a policing operation" in error.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"Name,Date\nx,y\n", "missing 'Type'"),
        ((HEADER + ",Type\n").encode(), "repeated 'Type'"),
        (b"\xff\xfeT\x00y\x00", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_stop_and_search_file_is_one_error_on_line_1(
    content: bytes, message: str
) -> None:
    (error,) = _read(content)
    assert isinstance(error, RowError) and error.line == 1
    assert message in error.message


def test_bytes_that_are_not_utf8_are_blamed_on_their_own_line() -> None:
    lines = [HEADER, GOOD, GOOD.replace("Male", "M\xe4le"), GOOD]
    data = "\n".join(lines).encode("utf-8").replace("\xe4".encode(), b"\xe4")
    items = _read(data)
    errors = [item for item in items if isinstance(item, RowError)]
    assert len(items) == 3 and [error.line for error in errors] == [3]
    assert "not UTF-8" in errors[0].message


def test_blank_lines_hold_no_record_but_keep_line_numbers() -> None:
    rows = _read(f"{HEADER}\n\n{GOOD}\n\n")
    assert [_column(row, "line_number") for row in rows] == [3]  # type: ignore[arg-type]


def test_raw_widths_match_the_store() -> None:
    """A value the reader lets through must fit its column on PostgreSQL too."""
    for name, limit in RAW_COLUMNS:
        length = getattr(PoliceRecord.__table__.c[name].type, "length", None)
        assert length == limit, name


def test_file_names_give_force_and_month() -> None:
    assert identify_file("2019-12-essex-stop-and-search.csv") == FileIdentity("essex", "2019-12")
    assert identify_file("2018-01-avon-and-somerset-stop-and-search.json") == FileIdentity(
        "avon-and-somerset", "2018-01"
    )
    assert identify_file("2019-13-essex-stop-and-search.csv") is None
    assert identify_file("essex.csv") is None


def test_hashing_reader_hashes_the_whole_file_even_if_reading_stopped() -> None:
    data = AVON.read_bytes()
    hashing = HashingReader(io.BytesIO(data))
    hashing.read(10)
    assert hashing.hexdigest_of_all() == hashlib.sha256(data).hexdigest()


# --- fuzzing ---------------------------------------------------------------------------

_GOOD_FIELDS = next(csv.reader([GOOD]))
_NASTY_TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\r\n\x00\ufeffé-:T+0129')), max_size=30)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, int]:
    """A header and rows mixing good records, mutated fields and wrong field counts, with
    random line endings, quoting and BOM; returns the bytes and the number of data rows."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        fields = list(_GOOD_FIELDS)
        for index in draw(st.lists(st.integers(0, 14), max_size=3)):
            fields[index] = draw(_NASTY_TEXT)
        if draw(st.booleans()) and draw(st.booleans()):
            fields = [*fields[: draw(st.integers(0, 16))], draw(_NASTY_TEXT)]
        rows.append(fields)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    )
    writer.writerows([PUBLISHED_COLUMNS, *rows])
    data = buffer.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):  # damage: cut or flip bytes anywhere
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(max_size=4)) + data[position + 1 :]
    return data, len(rows)


@settings(max_examples=300, deadline=None)
@given(csv_files())
def test_fuzz_only_rows_or_clean_errors(file: tuple[bytes, int]) -> None:
    data, _ = file
    items = _read(data)
    lines = []
    for item in items:
        if isinstance(item, RowError):
            assert item.line >= 1 and item.message
        else:
            assert len(item) == len(RECORD_COLUMNS)
            lines.append(_column(item, "line_number"))
    assert lines == sorted(set(lines))  # identities never repeat


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    for item in _read(data):
        assert isinstance(item, RowError | tuple)
