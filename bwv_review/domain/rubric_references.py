"""References inside a rubric file: every id a check, rule or tag names must be defined, and
ids that are stored side by side must not clash. Run once the file's shape holds, so a
missing table is reported once instead of as a cascade of unknown ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bwv_review.domain.rubric import CASE_CONDITIONS, CASE_TYPES
from bwv_review.domain.rubric_problems import Problems
from bwv_review.domain.rubric_schema import RubricDocument
from bwv_review.domain.toml_key_lines import KeyPath
from bwv_review.domain.vocab import LearningKind

_Entry = tuple[KeyPath, Mapping[str, Any]]


def _entries(document: RubricDocument, key: str) -> list[_Entry]:
    return [((key, index), entry) for index, entry in enumerate(document.get(key, []))]


def _check_entries(document: RubricDocument) -> list[_Entry]:
    return [
        ((*path, "checks", index), check)
        for path, dimension in _entries(document, "dimensions")
        for index, check in enumerate(dimension["checks"])
    ]


def _ids(document: RubricDocument, key: str) -> list[str]:
    return [entry["id"] for _, entry in _entries(document, key)]


def _expect_known(
    problems: Problems, path: KeyPath, value: str, known: Sequence[str], noun: str
) -> None:
    if value not in known:
        expected = f"expected one of {', '.join(known)}" if known else f"no {noun}s are defined"
        problems.add(path, f"unknown {noun} {value!r} ({expected})")


def _expect_all_known(
    problems: Problems, entry: _Entry, key: str, known: Sequence[str], noun: str
) -> None:
    path, values = entry
    for index, value in enumerate(values.get(key, [])):
        _expect_known(problems, (*path, key, index), value, known, noun)


def _expect_unique(problems: Problems, entries: Iterable[_Entry], key: str = "id") -> None:
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


def _check_unique_ids(document: RubricDocument, problems: Problems) -> None:
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


def _check_answering(document: RubricDocument, problems: Problems) -> None:
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


def _check_checks(document: RubricDocument, problems: Problems) -> None:
    answer_ids = _ids(document, "answers")
    group_ids = _ids(document, "check_groups")
    tag_ids = _ids(document, "tags")
    good_practice_tag_ids = _good_practice_tag_ids(document)
    for entry in _check_entries(document):
        _expect_all_known(problems, entry, "reason_required_for", answer_ids, "answer")
        _expect_all_known(problems, entry, "applies_to", CASE_TYPES, "case type")
        _expect_all_known(problems, entry, "applies_if", CASE_CONDITIONS, "case condition")
        _expect_all_known(problems, entry, "tags", tag_ids, "learning tag")
        path, check = entry
        for index, tag_id in enumerate(check.get("tags", [])):
            if tag_id in good_practice_tag_ids:
                problems.add(
                    (*path, "tags", index),
                    f"{tag_id!r} is a good-practice tag;"
                    " a check offers learning tags for when it is not met",
                )
        if "group" in check:
            _expect_known(problems, (*path, "group"), check["group"], group_ids, "check group")
        elif "letter" in check:
            problems.add((*path, "letter"), "a letter only makes sense with a group")


def _good_practice_tag_ids(document: RubricDocument) -> set[str]:
    good_practice_groups = {
        group["id"]
        for _, group in _entries(document, "tag_groups")
        if group.get("kind") == LearningKind.GOOD_PRACTICE.value
    }
    return {
        tag["id"] for _, tag in _entries(document, "tags") if tag["group"] in good_practice_groups
    }


def _check_group_layout(document: RubricDocument, problems: Problems) -> None:
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


def _check_grading(document: RubricDocument, problems: Problems) -> None:
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


def _check_threshold(problems: Problems, path: KeyPath, rule: Mapping[str, Any]) -> None:
    given = [key for key in ("min_count", "min_share") if key in rule]
    if len(given) != 1:
        where = (*path, given[-1]) if given else path
        problems.add(where, "give exactly one of min_count or min_share")


def _check_tags(document: RubricDocument, problems: Problems) -> None:
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


def check_references(document: RubricDocument, problems: Problems) -> None:
    for check in _REFERENCE_CHECKS:
        check(document, problems)
