"""Answers → suggested dimension grades → suggested case grade, by the rubric's own rules.

The rules live in the rubric file (`[grading]`), so a panel tunes thresholds without code;
this module only applies them, and says which rule fired so a reviewer can see why a grade
was suggested before accepting or overriding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bwv_review.domain.rubric import CaseGradeRule, Check, DimensionGradeRule, Rubric


@dataclass(frozen=True)
class GradeSuggestion:
    """A suggested grade and the reason in words. `complete` is False while some applicable
    checks are still unanswered: the suggestion may change as the reviewer goes on."""

    grade_id: str | None
    reason: str
    complete: bool


def _threshold_met(count: int, total: int, min_count: int | None, min_share: float | None) -> bool:
    if min_count is not None:
        return count >= min_count
    return total > 0 and min_share is not None and count / total >= min_share


def _describe_threshold(
    min_count: int | None, min_share: float | None, singular: str, plural: str
) -> str:
    """The rule's threshold with its noun, so a reviewer reads "at least one check", never
    "at least one checks"."""
    if min_count is not None:
        return f"at least one {singular}" if min_count == 1 else f"at least {min_count} {plural}"
    return f"at least {round((min_share or 0) * 100)}% of {plural}"


def suggest_dimension_grade(
    rubric: Rubric,
    dimension_id: str,
    answers: Mapping[str, str],
    applicable_check_ids: frozenset[str] | None = None,
) -> GradeSuggestion:
    """Suggest a grade for one dimension from the answers given so far.

    `answers` maps check id → answer id. `applicable_check_ids`, when given, limits the
    dimension to the checks that apply to this case (others count as Not applicable).
    Not applicable answers never count; a dimension where nothing applies gets no grade.
    """
    dimension = rubric.dimension(dimension_id)
    not_applicable = rubric.not_applicable_answer_id
    relevant = [
        check
        for check in dimension.checks
        if applicable_check_ids is None or check.id in applicable_check_ids
    ]
    judged = [c for c in relevant if answers.get(c.id) not in (None, not_applicable)]
    unanswered = [c for c in relevant if c.id not in answers]
    complete = not unanswered
    if not judged:
        reason = "no check answered yet" if unanswered else "no check applies to this case"
        return GradeSuggestion(None, reason, complete)
    for rule in rubric.grading.dimension_rules:
        if _dimension_rule_holds(rule, dimension_id, judged, answers):
            return GradeSuggestion(rule.grade_id, _dimension_reason(rubric, rule), complete)
    otherwise = rubric.grading.dimension_otherwise_grade_id
    return GradeSuggestion(otherwise, "no rule for a lower grade applies", complete)


def _dimension_rule_holds(
    rule: DimensionGradeRule, dimension_id: str, judged: list[Check], answers: Mapping[str, str]
) -> bool:
    if rule.dimension_ids and dimension_id not in rule.dimension_ids:
        return False
    base = [c for c in judged if c.critical] if rule.critical_only else judged
    count = sum(1 for c in base if answers[c.id] == rule.answer_id)
    return _threshold_met(count, len(base), rule.min_count, rule.min_share)


def _dimension_reason(rubric: Rubric, rule: DimensionGradeRule) -> str:
    kind = "critical check" if rule.critical_only else "check"
    answer = rubric.answer(rule.answer_id).label
    threshold = _describe_threshold(rule.min_count, rule.min_share, kind, f"{kind}s")
    return f"{threshold} answered {answer}"


def suggest_case_grade(
    rubric: Rubric, dimension_grades: Mapping[str, str | None]
) -> GradeSuggestion:
    """Suggest the case grade from the dimension grades (None = not graded / not applicable).

    Case rules are tried in order; if none holds, the case takes the worst dimension grade
    that has a severity, and if none has, the rubric's "if nothing assessed" grade.
    """
    graded = {dim: grade for dim, grade in dimension_grades.items() if grade is not None}
    complete = len(graded) == len(dimension_grades)
    for rule in rubric.grading.case_rules:
        if _case_rule_holds(rule, graded):
            reason = _case_reason(rubric, rule)
            return GradeSuggestion(rule.grade_id, reason, complete)
    with_severity = [
        (rubric.grade(grade).severity, dim, grade)
        for dim, grade in graded.items()
        if rubric.grade(grade).severity is not None
    ]
    if not with_severity:
        fallback = rubric.grading.case_if_nothing_assessed_grade_id
        return GradeSuggestion(fallback, "no dimension could be graded", complete)
    _, dimension_id, worst = max(with_severity, key=lambda item: (item[0], item[1]))
    label = rubric.dimension(dimension_id).label
    grade_label = rubric.grade(worst).label
    reason = f"{label}, the lowest dimension grade, is {grade_label}"
    return GradeSuggestion(worst, reason, complete)


def _case_reason(rubric: Rubric, rule: CaseGradeRule) -> str:
    """A rule about one named dimension reads as a sentence about that dimension ("Legal
    is graded Cannot assess"), any other as its threshold."""
    dimension_grade = rubric.grade(rule.dimension_grade_id).label
    labels = [rubric.dimension(d).label for d in sorted(rule.dimension_ids)]
    if len(labels) == 1 and rule.min_count == 1:
        return f"{labels[0]} is graded {dimension_grade}"
    threshold = _describe_threshold(rule.min_count, rule.min_share, "dimension", "dimensions")
    scope = f" among {', '.join(labels)}" if labels else ""
    return f"{threshold} graded {dimension_grade}{scope}"


def _case_rule_holds(rule: CaseGradeRule, graded: Mapping[str, str]) -> bool:
    considered = {
        dim: grade
        for dim, grade in graded.items()
        if not rule.dimension_ids or dim in rule.dimension_ids
    }
    count = sum(1 for grade in considered.values() if grade == rule.dimension_grade_id)
    return _threshold_met(count, len(considered), rule.min_count, rule.min_share)
