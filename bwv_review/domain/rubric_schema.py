"""The shape of a rubric file: which tables and keys it has and what type each value is.

Nothing unknown is ignored, because a silently ignored typo ("critcal") would change how
cases are graded. References between entries are checked afterwards, in
``rubric_references.py``, once the shape is known to hold.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bwv_review.domain.rubric_problems import Problems
from bwv_review.domain.toml_key_lines import KeyPath
from bwv_review.domain.vocab import LearningKind

FORMAT_VERSION = 1

RubricDocument = Mapping[str, Any]
"""A rubric file as tomllib reads it; once ``check_shape`` passes, every required key is there
with the right type."""

_Validator = Callable[[Problems, object, KeyPath], None]


@dataclass(frozen=True)
class _Key:
    validate: _Validator
    required: bool = True


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _scalar(problem_in: Callable[[object], str | None]) -> _Validator:
    def validate(problems: Problems, value: object, path: KeyPath) -> None:
        message = problem_in(value)
        if message is not None:
            problems.add(path, message)

    return validate


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected text in quotes, got {_describe(value)}"
    return None if value.strip() else "must not be empty"


def _pattern_problem(pattern: str, expected: str) -> Callable[[object], str | None]:
    compiled = re.compile(pattern)

    def problem_in(value: object) -> str | None:
        if isinstance(value, str) and compiled.fullmatch(value):
            return None
        return f"expected {expected}, got {_describe(value)}"

    return problem_in


def _boolean_problem(value: object) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_describe(value)}"


def _whole_number_problem(minimum: int) -> Callable[[object], str | None]:
    def problem_in(value: object) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return None
        return f"expected a whole number of at least {minimum}, got {_describe(value)}"

    return problem_in


def _share_problem(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
        return None
    return f"expected a share above 0 and at most 1 (e.g. 0.5), got {_describe(value)}"


def _choice_problem(choices: Sequence[str]) -> Callable[[object], str | None]:
    def problem_in(value: object) -> str | None:
        if isinstance(value, str) and value in choices:
            return None
        return f"expected one of {', '.join(choices)}, got {_describe(value)}"

    return problem_in


def _format_version_problem(value: object) -> str | None:
    if value == FORMAT_VERSION and not isinstance(value, bool):
        return None
    return f"this app reads format_version {FORMAT_VERSION}, got {_describe(value)}"


def _list_of(item: _Validator, *, non_empty: bool = False) -> _Validator:
    def validate(problems: Problems, value: object, path: KeyPath) -> None:
        if not isinstance(value, list):
            problems.add(path, f"expected a list in [brackets], got {_describe(value)}")
        elif non_empty and not value:
            problems.add(path, "needs at least one entry")
        else:
            for index, element in enumerate(value):
                item(problems, element, (*path, index))

    return validate


def _table(spec: Mapping[str, _Key]) -> _Validator:
    def validate(problems: Problems, value: object, path: KeyPath) -> None:
        if not isinstance(value, dict):
            problems.add(path, f"expected a table, got {_describe(value)}")
            return
        for key in value:
            if key not in spec:
                problems.add((*path, key), _unknown_key_message(key, spec))
        for key, rule in spec.items():
            if key in value:
                rule.validate(problems, value[key], (*path, key))
            elif rule.required:
                problems.add((*path, key), "required key is missing")

    return validate


def _unknown_key_message(key: str, spec: Mapping[str, _Key]) -> str:
    close = difflib.get_close_matches(key, spec, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(spec)}"
    return f"unknown key {key!r} ({hint})"


_TEXT = _scalar(_text_problem)
_ID = _scalar(_pattern_problem(r"[a-z][a-z0-9_]*", "an id of lower-case letters, digits and _"))
_IDS = _list_of(_ID)
_BOOLEAN = _scalar(_boolean_problem)
_COUNT = _scalar(_whole_number_problem(1))
_ORDER = _scalar(_whole_number_problem(0))
_SHARE = _scalar(_share_problem)
_COLOUR = _scalar(_pattern_problem(r"#[0-9a-fA-F]{6}", 'a colour such as "#2e7d32"'))
_ICON = _scalar(_pattern_problem(r"[a-z0-9][a-z0-9-]*", 'an icon name such as "grade-concern"'))


def _optional(validator: _Validator) -> _Key:
    return _Key(validator, required=False)


_RUBRIC_HEADER = _table(
    {
        "id": _Key(_ID),
        "title": _Key(_TEXT),
        "version": _Key(_TEXT),
        "description": _optional(_TEXT),
    }
)
_ANSWER = _table(
    {"id": _Key(_ID), "label": _Key(_TEXT), "help": _Key(_TEXT), "rank": _optional(_ORDER)}
)
_ANSWERING = _table({"reason_required_for": _Key(_IDS), "not_applicable_answer": _Key(_ID)})
_CHECK_GROUP = _table({"id": _Key(_ID), "label": _Key(_TEXT), "help": _Key(_TEXT)})
_CHECK = _table(
    {
        "id": _Key(_ID),
        "text": _Key(_TEXT),
        "help": _Key(_TEXT),
        "critical": _optional(_BOOLEAN),
        "reason_required_for": _optional(_IDS),
        "applies_to": _optional(_IDS),
        "applies_if": _optional(_IDS),
        "group": _optional(_ID),
        "letter": _optional(_TEXT),
        "tags": _optional(_IDS),
    }
)
_DIMENSION = _table(
    {
        "id": _Key(_ID),
        "label": _Key(_TEXT),
        "help": _Key(_TEXT),
        "checks": _Key(_list_of(_CHECK, non_empty=True)),
    }
)
_GRADE = _table(
    {
        "id": _Key(_ID),
        "label": _Key(_TEXT),
        "colour": _Key(_COLOUR),
        "symbol": _Key(_TEXT),
        "icon": _Key(_ICON),
        "leads_to": _Key(_TEXT),
        "severity": _optional(_ORDER),
    }
)
_THRESHOLD_KEYS = {
    "min_count": _optional(_COUNT),
    "min_share": _optional(_SHARE),
    "dimensions": _optional(_IDS),
}
_DIMENSION_RULE = _table(
    {
        "grade": _Key(_ID),
        "answer": _Key(_ID),
        "critical_only": _optional(_BOOLEAN),
        **_THRESHOLD_KEYS,
    }
)
_CASE_RULE = _table({"grade": _Key(_ID), "dimension_grade": _Key(_ID), **_THRESHOLD_KEYS})
_GRADING = _table(
    {
        "dimension": _Key(
            _table({"otherwise": _Key(_ID), "rules": _optional(_list_of(_DIMENSION_RULE))})
        ),
        "case": _Key(
            _table({"if_nothing_assessed": _Key(_ID), "rules": _optional(_list_of(_CASE_RULE))})
        ),
    }
)
_POINT_KIND = _scalar(_choice_problem([kind.value for kind in LearningKind]))
_TAG_GROUP = _table({"id": _Key(_ID), "label": _Key(_TEXT), "kind": _optional(_POINT_KIND)})
_TAG = _table({"id": _Key(_ID), "label": _Key(_TEXT), "group": _Key(_ID), "help": _optional(_TEXT)})
_DOCUMENT = _table(
    {
        "format_version": _Key(_scalar(_format_version_problem)),
        "rubric": _Key(_RUBRIC_HEADER),
        "answers": _Key(_list_of(_ANSWER, non_empty=True)),
        "answering": _Key(_ANSWERING),
        "check_groups": _optional(_list_of(_CHECK_GROUP)),
        "dimensions": _Key(_list_of(_DIMENSION, non_empty=True)),
        "grades": _Key(_list_of(_GRADE, non_empty=True)),
        "grading": _Key(_GRADING),
        "tag_groups": _optional(_list_of(_TAG_GROUP)),
        "tags": _optional(_list_of(_TAG)),
    }
)


def check_shape(document: RubricDocument, problems: Problems) -> None:
    _DOCUMENT(problems, document, ())
