"""The data.police.uk JSON API shape means exactly what the CSV means, and bad documents or
items are clean errors."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bwv_review.ingest.police_csv import PUBLISHED_COLUMNS, RECORD_COLUMNS, RowError, read_csv
from bwv_review.ingest.police_json import read_json

ITEM: dict[str, Any] = {
    "age_range": "18-24",
    "outcome": "A no further action disposal",
    "involved_person": True,
    "self_defined_ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
    "gender": "Male",
    "legislation": "Misuse of Drugs Act 1971 (section 23)",
    "outcome_linked_to_object_of_search": False,
    "datetime": "2019-12-01T00:01:00+00:00",
    "removal_of_more_than_outer_clothing": False,
    "outcome_object": {"id": "bu-no-further-action", "name": "A no further action disposal"},
    "location": {
        "latitude": "51.770766",
        "street": {"id": 1234, "name": "On or near Harlow Road"},
        "longitude": "0.094481",
    },
    "operation": False,
    "officer_defined_ethnicity": "White",
    "type": "Person search",
    "operation_name": None,
    "object_of_search": "Controlled drugs",
}
SAME_AS_CSV = (
    "Person search,2019-12-01T00:01:00+00:00,False,,51.770766,0.094481,Male,18-24,"
    "White - English/Welsh/Scottish/Northern Irish/British,White,"
    "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,"
    "False,False"
)


def _read(document: Any) -> list[tuple[object, ...] | RowError]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return list(read_json(io.BytesIO(data)))


def _csv_rows(*lines: str) -> list[tuple[object, ...] | RowError]:
    text = ",".join(PUBLISHED_COLUMNS) + "\n" + "\n".join(lines)
    return list(read_csv(io.BytesIO(text.encode())))


def _without_line(row: tuple[object, ...] | RowError) -> tuple[object, ...]:
    assert isinstance(row, tuple)
    line = RECORD_COLUMNS.index("line_number")
    return row[:line] + row[line + 1 :]


def test_an_api_item_is_the_same_record_as_its_csv_line() -> None:
    (from_json,) = _read([ITEM])
    (from_csv,) = _csv_rows(SAME_AS_CSV)
    assert _without_line(from_json) == _without_line(from_csv)
    assert from_json[RECORD_COLUMNS.index("line_number")] == 1  # type: ignore[index]


def test_nulls_are_blanks_and_an_unlocated_search_has_no_coordinates() -> None:
    item = {**ITEM, "location": None, "gender": None, "outcome_linked_to_object_of_search": None}
    (row,) = _read([item])
    assert isinstance(row, tuple)
    assert row[RECORD_COLUMNS.index("latitude")] is None
    assert row[RECORD_COLUMNS.index("gender")] is None
    assert row[RECORD_COLUMNS.index("outcome_linked")] is None


def test_older_api_answers_put_the_outcome_in_outcome_itself() -> None:
    (nothing,) = _read([{**ITEM, "outcome_object": None, "outcome": False}])
    (arrest,) = _read([{**ITEM, "outcome_object": None, "outcome": "Suspect arrested"}])
    assert nothing[RECORD_COLUMNS.index("outcome")] is None  # type: ignore[index]
    assert arrest[RECORD_COLUMNS.index("outcome")] == "arrest"  # type: ignore[index]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({**ITEM, "datetime": "soon"}, "Date:"),
        ({**ITEM, "operation": "yes"}, "operation: expected true, false or null"),
        ({**ITEM, "age_range": 18}, "age_range: expected text or null"),
        ({**ITEM, "location": "Harlow"}, "location: expected an object"),
        ({**ITEM, "gender": "\ud800"}, "surrogate"),
        ("not an item", "expected an object"),
    ],
)
def test_a_bad_item_is_named_by_its_number(item: Any, message: str) -> None:
    items = _read([ITEM, item, ITEM])
    errors = [entry for entry in items if isinstance(entry, RowError)]
    assert len(items) == 3 and len(errors) == 1
    assert errors[0].line == 2 and errors[0].message.startswith("item 2: ")
    assert message in errors[0].message


@pytest.mark.parametrize(
    ("document", "line", "message"),
    [
        (b'[\n{"type": "Person search",\n', 3, "not valid JSON"),
        (b'{"error": "no data"}', 1, "expected a JSON array"),
        (b"\xff\xfe[]", 1, "not UTF-8"),
        (b"[" * 100_000, 1, "not valid JSON"),
    ],
)
def test_a_document_that_is_not_an_array_of_items_is_one_error(
    document: bytes, line: int, message: str
) -> None:
    (error,) = _read(document)
    assert isinstance(error, RowError)
    assert error.line == line and message in error.message


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def api_documents(draw: st.DrawFn) -> Any:
    items = []
    for _ in range(draw(st.integers(0, 4))):
        item = dict(ITEM)
        for key in draw(st.lists(st.sampled_from([*ITEM, "location"]), max_size=3)):
            item[key] = draw(_JSON_VALUES)
        items.append(item)
    return items


@settings(max_examples=300, deadline=None)
@given(st.one_of(api_documents(), _JSON_VALUES))
def test_fuzz_only_rows_or_clean_errors(document: Any) -> None:
    for entry in _read(document):
        if isinstance(entry, RowError):
            assert entry.line >= 1 and entry.message
        else:
            assert len(entry) == len(RECORD_COLUMNS)


def test_json_and_csv_agree_on_the_csv_fixture_rows() -> None:
    """Every row of a small CSV, re-expressed as API items, reads back identically."""
    lines = [SAME_AS_CSV, SAME_AS_CSV.replace("False,False", ",True")]
    csv_rows = _csv_rows(*lines)
    items = []
    for fields in csv.reader(lines):
        flag = {"True": True, "False": False, "": None}
        items.append(
            {
                "type": fields[0],
                "datetime": fields[1],
                "operation": flag[fields[2]],
                "operation_name": fields[3] or None,
                "location": {"latitude": fields[4], "longitude": fields[5]},
                "gender": fields[6],
                "age_range": fields[7],
                "self_defined_ethnicity": fields[8],
                "officer_defined_ethnicity": fields[9],
                "legislation": fields[10],
                "object_of_search": fields[11],
                "outcome_object": {"id": "x", "name": fields[12]},
                "outcome_linked_to_object_of_search": flag[fields[13]],
                "removal_of_more_than_outer_clothing": flag[fields[14]],
            }
        )
    assert [_without_line(row) for row in _read(items)] == [_without_line(row) for row in csv_rows]
