"""The rubric: what a panel checks in each case and how its answers suggest grades.

A rubric is data a panel chair edits by hand (``resources/rubrics/default.toml`` ships with the
app; a panel adds its own ``*.toml`` files to a rubrics folder). Hand-edited files go wrong in
small ways, so loading is strict: every mistake is reported at once with its file, line and
key, and nothing unknown is ignored, because a silently ignored typo would change how cases
are graded. This module describes and validates a rubric; ``grading.py`` applies it.
"""

from __future__ import annotations

import bisect
import difflib
import re
import string
import tomllib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bwv_review.domain.vocab import CaseType

FORMAT_VERSION = 1

CASE_TYPES: tuple[str, ...] = tuple(case_type.value for case_type in CaseType)
"""Case types a check's ``applies_to`` may name; a case must use the same ids for its type."""

CASE_CONDITIONS: tuple[str, ...] = (
    "strip_search",
    "handcuffed",
    "force_used",
    "taser_used",
    "child",
)
"""Facts from a case record that a check's ``applies_if`` may name."""

KeyPath = tuple[str | int, ...]
"""Where a value sits in a TOML document: table keys and array indexes, outermost first."""


# --- The rubric model ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerOption:
    """One way to answer a check. ``rank`` orders answers from worst (lowest) to best; answers
    without a rank (Cannot tell, Not applicable) say nothing about quality, so agreement and
    averages leave them out."""

    id: str
    label: str
    help: str
    rank: int | None


@dataclass(frozen=True)
class CheckGroup:
    """Checks shown under one heading, such as GOWISELY; the report gives compliance per
    ``Check.letter`` of the group."""

    id: str
    label: str
    help: str


@dataclass(frozen=True)
class Check:
    """One question a reviewer answers about a case."""

    id: str
    dimension_id: str
    text: str
    help: str
    critical: bool
    reason_required_for: frozenset[str]
    applies_to: frozenset[str]
    applies_if: frozenset[str]
    group_id: str | None
    letter: str | None
    tag_ids: tuple[str, ...]

    def requires_reason(self, answer_id: str) -> bool:
        """A reason makes a critical answer reviewable by the chair and the force."""
        return answer_id in self.reason_required_for

    def applies(self, case_type: str, conditions: Collection[str]) -> bool:
        """Whether the form asks this check or starts it at Not applicable, so reviewers are
        not made to answer Taser questions about a search where no Taser was drawn."""
        if not self.applies_to and not self.applies_if:
            return True
        return case_type in self.applies_to or not self.applies_if.isdisjoint(conditions)


@dataclass(frozen=True)
class Dimension:
    """A heading such as Legal or Fair; each gets its own grade before the case does."""

    id: str
    label: str
    help: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class GradeDefinition:
    """A grade as shown and acted on. Colour is never the only signal: ``symbol`` (text) and
    ``icon`` (an icon name) carry the meaning for colour-blind readers and grey print.
    ``severity`` orders grades from best (0) to worst; None keeps a grade off that scale."""

    id: str
    label: str
    colour: str
    symbol: str
    icon: str
    leads_to: str
    severity: int | None


@dataclass(frozen=True)
class DimensionGradeRule:
    """Suggests ``grade_id`` for a dimension when at least ``min_count`` of its applicable
    checks (or ``min_share`` of them) got ``answer_id``. Exactly one threshold is set. Empty
    ``dimension_ids`` means every dimension."""

    grade_id: str
    answer_id: str
    min_count: int | None
    min_share: float | None
    critical_only: bool
    dimension_ids: frozenset[str]


@dataclass(frozen=True)
class CaseGradeRule:
    """Suggests ``grade_id`` for a case when at least ``min_count`` (or ``min_share``) of its
    dimensions, limited to ``dimension_ids`` when not empty, got ``dimension_grade_id``."""

    grade_id: str
    dimension_grade_id: str
    min_count: int | None
    min_share: float | None
    dimension_ids: frozenset[str]


@dataclass(frozen=True)
class GradeMapping:
    """Rules tried in order, the first that holds wins. A dimension otherwise gets
    ``dimension_otherwise_grade_id``; a case otherwise gets the worst severity among its
    dimension grades, or ``case_if_nothing_assessed_grade_id`` when none has a severity."""

    dimension_rules: tuple[DimensionGradeRule, ...]
    dimension_otherwise_grade_id: str
    case_rules: tuple[CaseGradeRule, ...]
    case_if_nothing_assessed_grade_id: str


@dataclass(frozen=True)
class TagGroup:
    """A heading in the tag picker and the learning export."""

    id: str
    label: str


@dataclass(frozen=True)
class LearningTag:
    """A theme a training lead collects across cases, attached to a moment in a clip."""

    id: str
    label: str
    group_id: str
    help: str


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _by_id(items: Iterable[_Item], wanted_id: str) -> _Item:
    for item in items:
        if item.id == wanted_id:
            return item
    raise KeyError(wanted_id)


@dataclass(frozen=True)
class Rubric:
    """A whole rubric as loaded. Reviews store ``id`` and ``version`` to know what they used."""

    id: str
    title: str
    version: str
    description: str
    source: str
    answers: tuple[AnswerOption, ...]
    not_applicable_answer_id: str
    check_groups: tuple[CheckGroup, ...]
    dimensions: tuple[Dimension, ...]
    grades: tuple[GradeDefinition, ...]
    grading: GradeMapping
    tag_groups: tuple[TagGroup, ...]
    tags: tuple[LearningTag, ...]

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(check for dimension in self.dimensions for check in dimension.checks)

    def answer(self, answer_id: str) -> AnswerOption:
        return _by_id(self.answers, answer_id)

    def dimension(self, dimension_id: str) -> Dimension:
        return _by_id(self.dimensions, dimension_id)

    def check(self, check_id: str) -> Check:
        return _by_id(self.checks, check_id)

    def check_group(self, group_id: str) -> CheckGroup:
        return _by_id(self.check_groups, group_id)

    def group_checks(self, group_id: str) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.group_id == group_id)

    def grade(self, grade_id: str) -> GradeDefinition:
        return _by_id(self.grades, grade_id)

    def tag(self, tag_id: str) -> LearningTag:
        return _by_id(self.tags, tag_id)


# --- Errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricProblem:
    """One mistake in a rubric file, placed so a chair can find it in a text editor."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class RubricError(ValueError):
    """Every problem found in one rubric file, in line order, so it can be fixed in one pass."""

    def __init__(self, problems: Iterable[RubricProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda problem: problem.line or 0))
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- Finding the line of a key --------------------------------------------------------------

_QUOTES = frozenset("\"'")
_BARE_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "_-")
_SCALAR_ENDS = frozenset(",]}\n#")
_MAX_DEPTH = 64


class KeyLineIndex:
    """The line where each key of a TOML text is written, because tomllib keeps no positions.

    It reads structure only (table headers, keys, array items) and trusts tomllib to have
    judged the syntax. On text that is not valid TOML it still returns some line rather than
    raising: a poor guess costs a line number, never the message it decorates.
    """

    def __init__(self, source: str) -> None:
        self._lines = _KeyScanner(source).scan()

    def line_of(self, key_path: KeyPath) -> int:
        """The key's line, else that of its nearest written parent (so a missing key points at
        its table's header), else line 1."""
        for end in range(len(key_path), 0, -1):
            line = self._lines.get(key_path[:end])
            if line is not None:
                return line
        return 1


class _KeyScanner:
    """A single pass over a TOML text that notes the first line of every key path."""

    def __init__(self, source: str) -> None:
        self._text = source
        self._pos = 0
        self._newline_offsets = [offset for offset, char in enumerate(source) if char == "\n"]
        self._table: KeyPath = ()
        self._array_table_counts: dict[KeyPath, int] = {}
        self._lines: dict[KeyPath, int] = {}

    def scan(self) -> dict[KeyPath, int]:
        while self._skip_blank(newlines=True):
            start = self._pos
            if self._peek() == "[":
                self._header()
            else:
                self._key_value(self._table)
            if self._pos == start:
                self._pos += 1
        return self._lines

    def _header(self) -> None:
        line = self._line()
        is_array = self._text.startswith("[[", self._pos)
        self._pos += 2 if is_array else 1
        keys = self._key()
        self._skip_rest_of_line()
        if not keys:
            return
        table = self._resolve(keys)
        if is_array:
            index = self._array_table_counts.get(table, 0)
            self._array_table_counts[table] = index + 1
            self._note(table, line)
            table = (*table, index)
        self._table = table
        self._note(table, line)

    def _resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """Header keys name arrays of tables without their index: ``[[dimensions.checks]]``
        belongs to the latest ``[[dimensions]]``."""
        path: KeyPath = ()
        for key in keys[:-1]:
            path = (*path, key)
            count = self._array_table_counts.get(path)
            if count:
                path = (*path, count - 1)
        return (*path, keys[-1])

    def _key_value(self, table: KeyPath) -> None:
        line = self._line()
        keys = self._key()
        self._skip_spaces()
        if not keys or self._peek() != "=":
            self._skip_rest_of_line()
            return
        self._pos += 1
        path = (*table, *keys)
        self._note(path, line)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        self._skip_spaces()
        char = self._peek()
        if len(path) > _MAX_DEPTH:
            self._scalar()
        elif char in _QUOTES:
            self._string()
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:
            self._scalar()

    def _array(self, path: KeyPath) -> None:
        self._pos += 1
        index = 0
        while self._skip_blank(newlines=True) and self._peek() != "]":
            start = self._pos
            item = (*path, index)
            self._note(item, self._line())
            self._value(item)
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._pos += 1
            if self._pos == start:
                self._pos += 1
            index += 1
        self._pos += 1

    def _inline_table(self, path: KeyPath) -> None:
        self._pos += 1
        while self._skip_blank(newlines=True) and self._peek() != "}":
            start = self._pos
            self._key_value(path)
            self._skip_blank(newlines=False)
            if self._peek() == ",":
                self._pos += 1
            if self._pos == start:
                self._pos += 1
        self._pos += 1

    def _key(self) -> tuple[str, ...]:
        keys: list[str] = []
        while True:
            self._skip_spaces()
            if self._peek() in _QUOTES:
                keys.append(self._string())
            else:
                start = self._pos
                while self._peek() in _BARE_KEY_CHARS:
                    self._pos += 1
                if self._pos == start:
                    break
                keys.append(self._text[start : self._pos])
            self._skip_spaces()
            if self._peek() != ".":
                break
            self._pos += 1
        return tuple(keys)

    def _string(self) -> str:
        """Reads a string and returns its content; escapes keep the escaped character as
        written (``\\u`` is not decoded: no rubric key needs it)."""
        quote = self._peek()
        multiline = self._text.startswith(quote * 3, self._pos)
        delimiter = quote * 3 if multiline else quote
        self._pos += len(delimiter)
        content: list[str] = []
        while self._pos < len(self._text):
            if self._text.startswith(delimiter, self._pos):
                self._pos += len(delimiter)
                while multiline and self._peek() == quote:
                    self._pos += 1
                return "".join(content)
            char = self._text[self._pos]
            if char == "\n" and not multiline:
                break
            if char == "\\" and quote == '"':
                self._pos += 1
                char = self._peek()
            content.append(char)
            self._pos += 1
        return "".join(content)

    def _scalar(self) -> None:
        while self._pos < len(self._text) and self._peek() not in _SCALAR_ENDS:
            self._pos += 1

    def _skip_spaces(self) -> None:
        while self._peek() in (" ", "\t"):
            self._pos += 1

    def _skip_blank(self, *, newlines: bool) -> bool:
        """Skips spaces and comments (and line ends if asked); False at the end of the text."""
        blank = (" ", "\t", "\r", "\n") if newlines else (" ", "\t")
        while self._pos < len(self._text):
            char = self._peek()
            if char == "#":
                self._skip_comment()
            elif char in blank:
                self._pos += 1
            else:
                return True
        return False

    def _skip_comment(self) -> None:
        end = self._text.find("\n", self._pos)
        self._pos = len(self._text) if end < 0 else end

    def _skip_rest_of_line(self) -> None:
        while self._pos < len(self._text) and self._peek() != "\n":
            if self._peek() in _QUOTES:
                self._string()
            else:
                self._pos += 1

    def _peek(self) -> str:
        return self._text[self._pos : self._pos + 1]

    def _line(self) -> int:
        return bisect.bisect_left(self._newline_offsets, self._pos) + 1

    def _note(self, path: KeyPath, line: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], line)


def _format_key_path(path: KeyPath) -> str:
    """Renders a path the way a chair reads it: ``dimensions[0].checks[3].help``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


# --- Checking the shape of the file ---------------------------------------------------------


class _Problems:
    """Collects problems, each placed at the line of its key."""

    def __init__(self, file_name: str, source: str) -> None:
        self._file_name = file_name
        self._lines = KeyLineIndex(source)
        self._found: list[RubricProblem] = []

    def add(self, path: KeyPath, message: str) -> None:
        self._found.append(
            RubricProblem(self._file_name, self.line_of(path), _format_key_path(path), message)
        )

    def line_of(self, path: KeyPath) -> int:
        return self._lines.line_of(path)

    def raise_if_any(self) -> None:
        if self._found:
            raise RubricError(self._found)


_Validator = Callable[[_Problems, object, KeyPath], None]


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
    def validate(problems: _Problems, value: object, path: KeyPath) -> None:
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


def _format_version_problem(value: object) -> str | None:
    if value == FORMAT_VERSION and not isinstance(value, bool):
        return None
    return f"this app reads format_version {FORMAT_VERSION}, got {_describe(value)}"


def _list_of(item: _Validator, *, non_empty: bool = False) -> _Validator:
    def validate(problems: _Problems, value: object, path: KeyPath) -> None:
        if not isinstance(value, list):
            problems.add(path, f"expected a list in [brackets], got {_describe(value)}")
        elif non_empty and not value:
            problems.add(path, "needs at least one entry")
        else:
            for index, element in enumerate(value):
                item(problems, element, (*path, index))

    return validate


def _table(spec: Mapping[str, _Key]) -> _Validator:
    def validate(problems: _Problems, value: object, path: KeyPath) -> None:
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
_TAG_GROUP = _table({"id": _Key(_ID), "label": _Key(_TEXT)})
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


# --- Checking that references hold ----------------------------------------------------------

_Document = Mapping[str, Any]
_Entry = tuple[KeyPath, Mapping[str, Any]]


def _entries(document: _Document, key: str) -> list[_Entry]:
    return [((key, index), entry) for index, entry in enumerate(document.get(key, []))]


def _check_entries(document: _Document) -> list[_Entry]:
    return [
        ((*path, "checks", index), check)
        for path, dimension in _entries(document, "dimensions")
        for index, check in enumerate(dimension["checks"])
    ]


def _ids(document: _Document, key: str) -> list[str]:
    return [entry["id"] for _, entry in _entries(document, key)]


def _expect_known(
    problems: _Problems, path: KeyPath, value: str, known: Sequence[str], noun: str
) -> None:
    if value not in known:
        expected = f"expected one of {', '.join(known)}" if known else f"no {noun}s are defined"
        problems.add(path, f"unknown {noun} {value!r} ({expected})")


def _expect_all_known(
    problems: _Problems, entry: _Entry, key: str, known: Sequence[str], noun: str
) -> None:
    path, values = entry
    for index, value in enumerate(values.get(key, [])):
        _expect_known(problems, (*path, key, index), value, known, noun)


def _expect_unique(problems: _Problems, entries: Iterable[_Entry], key: str = "id") -> None:
    first_paths: dict[object, KeyPath] = {}
    for path, entry in entries:
        if key not in entry:
            continue
        key_path = (*path, key)
        first = first_paths.setdefault(entry[key], key_path)
        if first != key_path:
            problems.add(
                key_path, f"{key} {entry[key]!r} is already used at line {problems.line_of(first)}"
            )


def _check_unique_ids(document: _Document, problems: _Problems) -> None:
    """Dimension, check and tag ids share one namespace: reviews and the learning tracker store
    them side by side."""
    _expect_unique(
        problems,
        [*_entries(document, "dimensions"), *_check_entries(document), *_entries(document, "tags")],
    )
    for key in ("answers", "grades", "check_groups", "tag_groups"):
        _expect_unique(problems, _entries(document, key))
    _expect_unique(problems, _entries(document, "answers"), "rank")
    _expect_unique(problems, _entries(document, "grades"), "severity")


def _check_answering(document: _Document, problems: _Problems) -> None:
    answer_ids = _ids(document, "answers")
    answering = document["answering"]
    _expect_all_known(
        problems, (("answering",), answering), "reason_required_for", answer_ids, "answer"
    )
    path: KeyPath = ("answering", "not_applicable_answer")
    _expect_known(problems, path, answering["not_applicable_answer"], answer_ids, "answer")
    ranked = {entry["id"] for _, entry in _entries(document, "answers") if "rank" in entry}
    if answering["not_applicable_answer"] in ranked:
        problems.add(path, "the not-applicable answer must have no rank")


def _check_checks(document: _Document, problems: _Problems) -> None:
    answer_ids = _ids(document, "answers")
    group_ids = _ids(document, "check_groups")
    tag_ids = _ids(document, "tags")
    for entry in _check_entries(document):
        _expect_all_known(problems, entry, "reason_required_for", answer_ids, "answer")
        _expect_all_known(problems, entry, "applies_to", CASE_TYPES, "case type")
        _expect_all_known(problems, entry, "applies_if", CASE_CONDITIONS, "case condition")
        _expect_all_known(problems, entry, "tags", tag_ids, "learning tag")
        path, check = entry
        if "group" in check:
            _expect_known(problems, (*path, "group"), check["group"], group_ids, "check group")
        elif "letter" in check:
            problems.add((*path, "letter"), "a letter only makes sense with a group")


def _check_group_layout(document: _Document, problems: _Problems) -> None:
    """A group's checks must follow each other in one dimension so the form can show them
    under one heading."""
    last_positions: dict[str, tuple[int, int]] = {}
    for dimension_index, dimension in enumerate(document["dimensions"]):
        for check_index, check in enumerate(dimension["checks"]):
            group = check.get("group")
            if group is None:
                continue
            last = last_positions.get(group)
            if last is not None and last != (dimension_index, check_index - 1):
                problems.add(
                    ("dimensions", dimension_index, "checks", check_index, "group"),
                    f"checks of group {group!r} must follow each other in one dimension",
                )
            last_positions[group] = (dimension_index, check_index)


def _check_grading(document: _Document, problems: _Problems) -> None:
    grade_ids = _ids(document, "grades")
    answer_ids = _ids(document, "answers")
    dimension_ids = _ids(document, "dimensions")
    for level, fallback in (("dimension", "otherwise"), ("case", "if_nothing_assessed")):
        table = document["grading"][level]
        _expect_known(problems, ("grading", level, fallback), table[fallback], grade_ids, "grade")
        for index, rule in enumerate(table.get("rules", [])):
            path: KeyPath = ("grading", level, "rules", index)
            _expect_known(problems, (*path, "grade"), rule["grade"], grade_ids, "grade")
            if "answer" in rule:
                _expect_known(problems, (*path, "answer"), rule["answer"], answer_ids, "answer")
            if "dimension_grade" in rule:
                grade = rule["dimension_grade"]
                _expect_known(problems, (*path, "dimension_grade"), grade, grade_ids, "grade")
            _expect_all_known(problems, (path, rule), "dimensions", dimension_ids, "dimension")
            _check_threshold(problems, path, rule)


def _check_threshold(problems: _Problems, path: KeyPath, rule: Mapping[str, Any]) -> None:
    given = [key for key in ("min_count", "min_share") if key in rule]
    if len(given) != 1:
        where = (*path, given[-1]) if given else path
        problems.add(where, "give exactly one of min_count or min_share")


def _check_tags(document: _Document, problems: _Problems) -> None:
    group_ids = _ids(document, "tag_groups")
    for path, tag in _entries(document, "tags"):
        _expect_known(problems, (*path, "group"), tag["group"], group_ids, "tag group")


_REFERENCE_CHECKS = (
    _check_unique_ids,
    _check_answering,
    _check_checks,
    _check_group_layout,
    _check_grading,
    _check_tags,
)


# --- Building the model ---------------------------------------------------------------------


def _build_check(
    check: Mapping[str, Any], dimension_id: str, default_reasons: frozenset[str]
) -> Check:
    reasons = check.get("reason_required_for")
    return Check(
        id=check["id"],
        dimension_id=dimension_id,
        text=check["text"],
        help=check["help"],
        critical=check.get("critical", False),
        reason_required_for=default_reasons if reasons is None else frozenset(reasons),
        applies_to=frozenset(check.get("applies_to", ())),
        applies_if=frozenset(check.get("applies_if", ())),
        group_id=check.get("group"),
        letter=check.get("letter"),
        tag_ids=tuple(check.get("tags", ())),
    )


def _build_dimension(dimension: Mapping[str, Any], default_reasons: frozenset[str]) -> Dimension:
    return Dimension(
        id=dimension["id"],
        label=dimension["label"],
        help=dimension["help"],
        checks=tuple(
            _build_check(check, dimension["id"], default_reasons) for check in dimension["checks"]
        ),
    )


def _build_grading(grading: Mapping[str, Any]) -> GradeMapping:
    dimension, case = grading["dimension"], grading["case"]
    return GradeMapping(
        dimension_rules=tuple(
            DimensionGradeRule(
                grade_id=rule["grade"],
                answer_id=rule["answer"],
                min_count=rule.get("min_count"),
                min_share=rule.get("min_share"),
                critical_only=rule.get("critical_only", False),
                dimension_ids=frozenset(rule.get("dimensions", ())),
            )
            for rule in dimension.get("rules", ())
        ),
        dimension_otherwise_grade_id=dimension["otherwise"],
        case_rules=tuple(
            CaseGradeRule(
                grade_id=rule["grade"],
                dimension_grade_id=rule["dimension_grade"],
                min_count=rule.get("min_count"),
                min_share=rule.get("min_share"),
                dimension_ids=frozenset(rule.get("dimensions", ())),
            )
            for rule in case.get("rules", ())
        ),
        case_if_nothing_assessed_grade_id=case["if_nothing_assessed"],
    )


def _build_rubric(document: _Document, source: str) -> Rubric:
    header = document["rubric"]
    answering = document["answering"]
    default_reasons = frozenset(answering["reason_required_for"])
    return Rubric(
        id=header["id"],
        title=header["title"],
        version=header["version"],
        description=header.get("description", ""),
        source=source,
        answers=tuple(
            AnswerOption(id=a["id"], label=a["label"], help=a["help"], rank=a.get("rank"))
            for a in document["answers"]
        ),
        not_applicable_answer_id=answering["not_applicable_answer"],
        check_groups=tuple(
            CheckGroup(id=g["id"], label=g["label"], help=g["help"])
            for g in document.get("check_groups", ())
        ),
        dimensions=tuple(_build_dimension(d, default_reasons) for d in document["dimensions"]),
        grades=tuple(
            GradeDefinition(
                id=g["id"],
                label=g["label"],
                colour=g["colour"],
                symbol=g["symbol"],
                icon=g["icon"],
                leads_to=g["leads_to"],
                severity=g.get("severity"),
            )
            for g in document["grades"]
        ),
        grading=_build_grading(document["grading"]),
        tag_groups=tuple(
            TagGroup(id=g["id"], label=g["label"]) for g in document.get("tag_groups", ())
        ),
        tags=tuple(
            LearningTag(id=t["id"], label=t["label"], group_id=t["group"], help=t.get("help", ""))
            for t in document.get("tags", ())
        ),
    )


# --- Loading --------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax_problem(file_name: str, source: str, error: tomllib.TOMLDecodeError) -> RubricProblem:
    """tomllib puts the position only in its message, so it is read back from there."""
    text = str(error)
    position = _TOML_POSITION.search(text)
    if position is None:
        return RubricProblem(file_name, None, "", f"TOML syntax error: {text}")
    reason = text[: position.start()]
    if position.group(1) is None:
        line, where = source.count("\n") + 1, "at the end of the file"
    else:
        line, where = int(position.group(1)), f"at column {position.group(2)}"
    return RubricProblem(file_name, line, "", f"TOML syntax error {where}: {reason}")


def parse_rubric(source: str, file_name: str) -> Rubric:
    """Checks the shape of the whole file before any reference, so a missing table is reported
    once instead of as a cascade of unknown ids."""
    try:
        document = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise RubricError([_syntax_problem(file_name, source, error)]) from error
    problems = _Problems(file_name, source)
    _DOCUMENT(problems, document, ())
    problems.raise_if_any()
    for check in _REFERENCE_CHECKS:
        check(document, problems)
    problems.raise_if_any()
    return _build_rubric(document, file_name)


def _read_source(path: Path) -> str:
    """utf-8-sig because Windows editors may start a UTF-8 file with a byte-order mark, which
    tomllib would reject."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problem = RubricProblem(str(path), None, "", f"cannot read the file as UTF-8: {error}")
        raise RubricError([problem]) from error


def load_rubric(path: Path | str) -> Rubric:
    """Problems name the path as given, so the chair sees the file they dropped in."""
    path = Path(path)
    return parse_rubric(_read_source(path), str(path))


def load_default_rubric() -> Rubric:
    """Read through importlib.resources so it works from a checkout, a wheel and the frozen
    build alike."""
    resource = files("bwv_review.resources") / "rubrics" / "default.toml"
    return parse_rubric(resource.read_text(encoding="utf-8-sig"), "default.toml")


@dataclass(frozen=True)
class AvailableRubrics:
    """The rubrics a panel can choose from, and the files that could not be offered and why."""

    rubrics: tuple[Rubric, ...]
    errors: tuple[RubricError, ...]


def _toml_files(folders: Iterable[Path]) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from sorted(path for path in folder.glob("*.toml") if path.is_file())


def _expect_new_identity(rubric: Rubric, known: Iterable[Rubric], source: str) -> None:
    """Reviews record a rubric by id and version, so two files sharing both would be confused."""
    twin = next((k for k in known if (k.id, k.version) == (rubric.id, rubric.version)), None)
    if twin is not None:
        line = KeyLineIndex(source).line_of(("rubric", "version"))
        message = (
            f"{twin.source} already has id {rubric.id!r} and version {rubric.version!r};"
            " change the id or raise the version"
        )
        raise RubricError([RubricProblem(rubric.source, line, "rubric.version", message)])


def available_rubrics(extra_dirs: Iterable[Path]) -> AvailableRubrics:
    """The built-in rubric first, then every ``*.toml`` in the given folders (by name), so a
    panel adds a rubric by dropping a file in a folder. A broken file is reported, not fatal."""
    rubrics = [load_default_rubric()]
    errors: list[RubricError] = []
    for path in _toml_files(extra_dirs):
        try:
            source = _read_source(path)
            rubric = parse_rubric(source, str(path))
            _expect_new_identity(rubric, rubrics, source)
        except RubricError as error:
            errors.append(error)
        else:
            rubrics.append(rubric)
    return AvailableRubrics(tuple(rubrics), tuple(errors))
