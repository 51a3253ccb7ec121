"""Reading the data.police.uk JSON API shape (`stops-force`, `stops-street`, ...).

An item is turned back into the 15 published CSV strings and then goes through the same
`record_row` as a CSV line, so both formats are validated and mapped identically. Items are
numbered from 1 and that number stands in for the line in a row's identity and in errors.
API files are one force-month (thousands of items), so the document is read whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bwv_review.ingest.police_csv import RecordRow, RowError, record_row

# The API keys that hold each published CSV column, in published order.
_KEYS = (
    "type",
    "datetime",
    "operation",
    "operation_name",
    "latitude",
    "longitude",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
)
_FLAG_KEYS = frozenset(
    {"operation", "outcome_linked_to_object_of_search", "removal_of_more_than_outer_clothing"}
)
_LOCATION_KEYS = frozenset({"latitude", "longitude"})


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # JSON can escape half of a surrogate pair
            raise ValueError(f"{key}: holds an unpaired \\u surrogate escape") from None
        return value
    raise ValueError(f"{key}: expected text or null, got {json.dumps(value)[:60]}")


def _flag(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    raise ValueError(f"{key}: expected true, false or null, got {json.dumps(value)[:60]}")


def _object(value: Any, key: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise ValueError(f"{key}: expected an object or null, got {json.dumps(value)[:60]}")


def _outcome(item: Mapping[str, Any]) -> str:
    """`outcome_object.name` when present; older API answers put the text (or `false` for
    nothing) in `outcome` itself."""
    named = _object(item.get("outcome_object"), "outcome_object").get("name")
    if named is not None:
        return _text(named, "outcome_object.name")
    outcome = item.get("outcome")
    return "" if outcome is False else _text(outcome, "outcome")


def published_fields(item: Any) -> list[str]:
    """One API item -> the 15 published CSV strings, in published order."""
    if not isinstance(item, dict):
        raise ValueError(f"expected an object, got {json.dumps(item)[:60]}")
    location = _object(item.get("location"), "location")
    fields = []
    for key in _KEYS:
        if key in _FLAG_KEYS:
            fields.append(_flag(item.get(key), key))
        elif key in _LOCATION_KEYS:
            fields.append(_text(location.get(key), f"location.{key}"))
        elif key == "outcome":
            fields.append(_outcome(item))
        else:
            fields.append(_text(item.get(key), key))
    return fields


def read_json(stream: BinaryIO) -> Iterator[RecordRow | RowError]:
    """Rows and item errors, in document order; a document that is not a JSON array of
    objects is one error at the line where parsing failed."""
    try:
        document = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield RowError(1, "not UTF-8 text (is this a data.police.uk JSON file?)")
        return
    except json.JSONDecodeError as exc:
        yield RowError(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})")
        return
    except RecursionError:
        yield RowError(1, "not valid JSON: nested too deeply")
        return
    if not isinstance(document, list):
        yield RowError(1, "expected a JSON array of stop-and-search items")
        return
    for number, item in enumerate(document, start=1):
        try:
            yield record_row(number, published_fields(item))
        except ValueError as exc:
            yield RowError(number, f"item {number}: {exc}")
