"""Reading a rubric file into a Rubric. Hand-edited files go wrong in small ways, so loading
is strict: every mistake is reported at once with its file, line and key (syntax first, then
the shape, then references), and only a file that passes all three becomes a Rubric.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bwv_review.domain.rubric import (
    AnswerOption,
    CaseGradeRule,
    Check,
    CheckGroup,
    Dimension,
    DimensionGradeRule,
    GradeDefinition,
    GradeMapping,
    Rubric,
)
from bwv_review.domain.rubric_problems import Problems, RubricError, RubricProblem
from bwv_review.domain.rubric_references import check_references
from bwv_review.domain.rubric_schema import RubricDocument, check_shape
from bwv_review.domain.rubric_tags import LearningTag, TagGroup
from bwv_review.domain.vocab import LearningKind


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


def _build_rubric(document: RubricDocument, source: str) -> Rubric:
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
            TagGroup(
                id=g["id"],
                label=g["label"],
                kind=LearningKind(g.get("kind", LearningKind.LEARNING)),
            )
            for g in document.get("tag_groups", ())
        ),
        tags=tuple(
            LearningTag(id=t["id"], label=t["label"], group_id=t["group"], help=t.get("help", ""))
            for t in document.get("tags", ())
        ),
    )


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
    problems = Problems(file_name, source)
    check_shape(document, problems)
    problems.raise_if_any()
    check_references(document, problems)
    problems.raise_if_any()
    return _build_rubric(document, file_name)


def read_rubric_source(path: Path) -> str:
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
    return parse_rubric(read_rubric_source(path), str(path))
