"""The rules of one reviewer's form and of comparing members' forms, with no storage.

Services fetch rows and hand plain values here, so what "complete", "needs a reason" or "a
disagreement" means is decided in one place and tested without a database. Grades are only
suggested here through ``grading.py``; a reviewer may choose another grade, but must then
say why, because a chair reading the consensus view needs to know what the rules missed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bwv_review.domain.grading import GradeSuggestion, suggest_case_grade, suggest_dimension_grade
from bwv_review.domain.rubric import Check, Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import AgeBand, CaseType, LearningKind

CHILD_AGE_BANDS = frozenset({AgeBand.UNDER_10.value, AgeBand.AGE_10_17.value})
FORCE_CASE_TYPES = frozenset({CaseType.USE_OF_FORCE.value, CaseType.TASER.value})


class ReviewRuleError(ValueError):
    """An input the form cannot take (an unknown check, answer, grade or tag). Text is
    checked by text_fields.py, the one rule for every field."""


class OutcomeAction(StrEnum):
    """What the panel asks for after discussing a case; stored in panel outcomes."""

    COMMEND_OFFICER = "commend_officer"
    FEEDBACK_TO_OFFICER = "feedback_to_officer"
    QUESTION_TO_FORCE = "question_to_force"
    REFER_TO_PROFESSIONAL_STANDARDS = "refer_to_professional_standards"
    REQUEST_MISSING_FOOTAGE = "request_missing_footage"

    @property
    def label(self) -> str:
        return {
            OutcomeAction.COMMEND_OFFICER: "Commend the officer",
            OutcomeAction.FEEDBACK_TO_OFFICER: "Feedback to the officer",
            OutcomeAction.QUESTION_TO_FORCE: "Question to the force",
            OutcomeAction.REFER_TO_PROFESSIONAL_STANDARDS: "Refer to Professional Standards",
            OutcomeAction.REQUEST_MISSING_FOOTAGE: "Request missing footage",
        }[self]


def case_conditions(
    case_type: str, *, strip_search: bool | None, taser_level: str | None, age_band: str | None
) -> frozenset[str]:
    """The facts of a case record that bring conditional checks into the form.

    The record has no handcuffing flag, so "handcuffed" is never inferred: such checks start
    at Not applicable and the reviewer answers them when the footage shows handcuffs.
    """
    facts = set()
    if strip_search:
        facts.add("strip_search")
    if taser_level or case_type == CaseType.TASER.value:
        facts.add("taser_used")
    if case_type in FORCE_CASE_TYPES:
        facts.add("force_used")
    if age_band in CHILD_AGE_BANDS:
        facts.add("child")
    return frozenset(facts)


def applicable_check_ids(
    rubric: Rubric, case_type: str, conditions: Collection[str]
) -> frozenset[str]:
    return frozenset(c.id for c in rubric.checks if c.applies(case_type, conditions))


def check_answer(rubric: Rubric, check_id: str, answer_id: str) -> Check:
    """The check, once the answer is known to be one the rubric offers."""
    try:
        check = rubric.check(check_id)
    except KeyError:
        raise ReviewRuleError(f"the rubric has no check {check_id!r}") from None
    if answer_id not in {a.id for a in rubric.answers}:
        offered = ", ".join(a.id for a in rubric.answers)
        raise ReviewRuleError(f"{answer_id!r} is not an answer (use one of {offered})")
    return check


def check_grade(rubric: Rubric, grade_id: str) -> str:
    if grade_id not in {g.id for g in rubric.grades}:
        offered = ", ".join(g.id for g in rubric.grades)
        raise ReviewRuleError(f"{grade_id!r} is not a grade (use one of {offered})")
    return grade_id


_POINTS = {
    LearningKind.LEARNING: "a learning point",
    LearningKind.GOOD_PRACTICE: "a good-practice point",
}
_TAGS = {LearningKind.LEARNING: "learning", LearningKind.GOOD_PRACTICE: "good-practice"}


def check_tags(rubric: Rubric, tag_ids: Iterable[str], kind: LearningKind) -> tuple[str, ...]:
    """The tags a point of ``kind`` keeps: known to the rubric and offered for that kind, so
    good practice is never filed under a failing, nor a failing under good practice."""
    known = {t.id for t in rubric.tags}
    tags = tuple(dict.fromkeys(tag_ids))
    unknown = [t for t in tags if t not in known]
    if unknown:
        raise ReviewRuleError(f"unknown learning tag(s): {', '.join(unknown)}")
    fitting = {t.id for t in rubric.tags_for(kind)}
    misfits = [rubric.tag(t) for t in tags if t not in fitting]
    if misfits:
        (other,) = set(LearningKind) - {kind}
        names = ", ".join(f"{tag.label!r} ({tag.id})" for tag in misfits)
        if len(misfits) == 1:
            these = f"tag {names} is a {_TAGS[other]} tag"
        else:
            these = f"tags {names} are {_TAGS[other]} tags"
        raise ReviewRuleError(f"{these} and cannot go on {_POINTS[kind]}")
    return tags


@dataclass(frozen=True)
class AnswerEntry:
    answer_id: str
    reason: str | None


@dataclass(frozen=True)
class GradeChoice:
    """A grade the reviewer picked; it overrides the suggestion and then needs a reason."""

    grade_id: str
    reason: str | None


@dataclass(frozen=True)
class FormState:
    """Where a review stands: suggestions, the grades that would be submitted, and every
    thing that still blocks submission, in words naming the check or dimension."""

    dimension_suggestions: Mapping[str, GradeSuggestion]
    dimension_grades: Mapping[str, str | None]
    case_suggestion: GradeSuggestion
    case_grade: str | None
    answered: int
    total: int
    problems: tuple[str, ...]

    @property
    def submittable(self) -> bool:
        return not self.problems


def evaluate_form(
    rubric: Rubric,
    answers: Mapping[str, AnswerEntry],
    applicable: frozenset[str],
    dimension_choices: Mapping[str, GradeChoice],
    case_choice: GradeChoice | None,
) -> FormState:
    """Suggest grades from the answers, apply the reviewer's choices, and list what is
    missing: unanswered checks, reasons the rubric requires, and unexplained overrides."""
    problems: list[str] = []
    plain = {check_id: entry.answer_id for check_id, entry in answers.items()}
    for check in rubric.checks:
        entry = answers.get(check.id)
        if entry is None:
            problems.append(f"unanswered: {check.text}")
        elif check.requires_reason(entry.answer_id) and is_blank(entry.reason):
            label = rubric.answer(entry.answer_id).label
            problems.append(f"a reason is needed for {label}: {check.text}")
    suggestions: dict[str, GradeSuggestion] = {}
    grades: dict[str, str | None] = {}
    for dimension in rubric.dimensions:
        suggestion = suggest_dimension_grade(rubric, dimension.id, plain, applicable)
        suggestions[dimension.id] = suggestion
        choice = dimension_choices.get(dimension.id)
        grades[dimension.id] = choice.grade_id if choice else suggestion.grade_id
        problems.extend(_override_problem(rubric, dimension.label, suggestion, choice))
    graded = {dim: grade for dim, grade in grades.items() if grade is not None}
    case_suggestion = suggest_case_grade(rubric, graded)
    case_grade = case_choice.grade_id if case_choice else case_suggestion.grade_id
    problems.extend(_override_problem(rubric, "the case", case_suggestion, case_choice))
    return FormState(
        dimension_suggestions=suggestions,
        dimension_grades=grades,
        case_suggestion=case_suggestion,
        case_grade=case_grade,
        answered=sum(1 for check in rubric.checks if check.id in answers),
        total=len(rubric.checks),
        problems=tuple(problems),
    )


def _override_problem(
    rubric: Rubric, what: str, suggestion: GradeSuggestion, choice: GradeChoice | None
) -> list[str]:
    if choice is None or choice.grade_id == suggestion.grade_id or not is_blank(choice.reason):
        return []
    suggested = rubric.grade(suggestion.grade_id).label if suggestion.grade_id else "no grade"
    chosen = rubric.grade(choice.grade_id).label
    return [f"say why {what} is graded {chosen} rather than the suggested {suggested}"]


def member_label(index: int) -> str:
    """Member A, B, ... Z, AA, AB ...: stable anonymous names by position (0-based)."""
    if index < 0:
        raise ValueError("a member's position is never negative")
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"Member {letters}"


def is_disagreement(answer_ids: Iterable[str | None]) -> bool:
    """Members disagree on a check when those who answered did not all give one answer;
    a Cannot tell beside a Met is worth discussing too, so every answer counts."""
    return len({a for a in answer_ids if a is not None}) > 1
