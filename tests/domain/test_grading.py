"""Grade suggestions follow the default rubric's rules, and say why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwv_review.domain.grading import suggest_case_grade, suggest_dimension_grade
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.rubric_catalogue import load_default_rubric

RUBRIC = load_default_rubric()
CONDUCT = [c.id for c in RUBRIC.dimension("conduct").checks]
LEGAL = [c.id for c in RUBRIC.dimension("legal").checks]


def _all(check_ids: list[str], answer: str) -> dict[str, str]:
    return dict.fromkeys(check_ids, answer)


@pytest.mark.parametrize(
    ("changes", "expected", "reason_word"),
    [
        ({}, "good_practice", "no rule"),
        ({"courtesy": "partly_met"}, "good_practice", "no rule"),
        ({"courtesy": "partly_met", "tone": "partly_met"}, "adequate", "Partly met"),
        ({"tone": "not_met"}, "adequate", "Not met"),
        ({"tone": "not_met", "listening": "not_met", "courtesy": "not_met"}, "concern", "3"),
        ({"tone": "cannot_tell", "listening": "cannot_tell"}, "cannot_assess", "50%"),
    ],
)
def test_dimension_rules_apply_in_order(
    changes: dict[str, str], expected: str, reason_word: str
) -> None:
    answers = _all(CONDUCT, "met") | changes
    suggestion = suggest_dimension_grade(RUBRIC, "conduct", answers)
    assert suggestion.grade_id == expected
    assert reason_word in suggestion.reason
    assert suggestion.complete


def test_a_critical_check_not_met_is_a_concern_on_its_own() -> None:
    answers = _all(LEGAL, "met") | {"grounds_objective": "not_met"}
    suggestion = suggest_dimension_grade(RUBRIC, "legal", answers)
    assert suggestion.grade_id == "concern"
    assert "critical" in suggestion.reason


def test_not_applicable_answers_do_not_count_and_partial_answers_are_flagged() -> None:
    answers = {"courtesy": "met", "tone": "not_applicable", "listening": "not_applicable"}
    suggestion = suggest_dimension_grade(RUBRIC, "conduct", answers)
    assert suggestion.grade_id == "good_practice" and not suggestion.complete
    nothing = suggest_dimension_grade(RUBRIC, "conduct", _all(CONDUCT, "not_applicable"))
    assert nothing.grade_id is None and "applies" in nothing.reason
    empty = suggest_dimension_grade(RUBRIC, "conduct", {})
    assert empty.grade_id is None and not empty.complete


def test_checks_outside_the_case_are_left_out() -> None:
    applicable = frozenset(CONDUCT) - {"tone"}
    answers = _all(CONDUCT, "met") | {"tone": "not_met"}
    suggestion = suggest_dimension_grade(RUBRIC, "conduct", answers, applicable)
    assert suggestion.grade_id == "good_practice"


def test_case_takes_the_worst_dimension_unless_legality_cannot_be_assessed() -> None:
    grades = {"legal": "good_practice", "fair": "adequate", "proportionate": "good_practice"}
    worst = suggest_case_grade(RUBRIC, grades | {"conduct": "concern"})
    assert worst.grade_id == "concern" and "Professional" in worst.reason
    legal_unknown = suggest_case_grade(RUBRIC, grades | {"legal": "cannot_assess"})
    assert legal_unknown.grade_id == "cannot_assess" and "Legal" in legal_unknown.reason
    partly = suggest_case_grade(RUBRIC, {"legal": "good_practice", "fair": None})
    assert partly.grade_id == "good_practice" and not partly.complete
    assert suggest_case_grade(RUBRIC, {}).grade_id == "cannot_assess"


def _severity(rubric: Rubric, grade_id: str | None) -> int:
    if grade_id is None:
        return -1
    severity = rubric.grade(grade_id).severity
    return 99 if severity is None else severity


@given(
    answers=st.lists(st.sampled_from(["met", "partly_met", "not_met"]), min_size=4, max_size=4),
    worsen=st.integers(min_value=0, max_value=3),
)
def test_a_worse_answer_never_gives_a_better_grade(answers: list[str], worsen: int) -> None:
    before = dict(zip(CONDUCT, answers, strict=True))
    after = before | {CONDUCT[worsen]: "not_met"}
    graded_before = suggest_dimension_grade(RUBRIC, "conduct", before).grade_id
    graded_after = suggest_dimension_grade(RUBRIC, "conduct", after).grade_id
    assert _severity(RUBRIC, graded_after) >= _severity(RUBRIC, graded_before)


def test_reasons_read_as_finished_sentences_with_correct_plurals() -> None:
    one = suggest_dimension_grade(RUBRIC, "conduct", _all(CONDUCT, "met") | {"tone": "not_met"})
    assert one.reason == "at least one check answered Not met"
    critical = _all(LEGAL, "met") | {"grounds_objective": "not_met"}
    assert (
        suggest_dimension_grade(RUBRIC, "legal", critical).reason
        == "at least one critical check answered Not met"
    )
    three = _all(CONDUCT, "not_met")
    assert suggest_dimension_grade(RUBRIC, "conduct", three).reason == (
        "at least 3 checks answered Not met"
    )
    grades = {"legal": "good_practice", "fair": "adequate", "conduct": "good_practice"}
    worst = suggest_case_grade(RUBRIC, grades | {"proportionate": "concern"})
    assert worst.reason == "Proportionate, the lowest dimension grade, is Concern"
    legal = suggest_case_grade(RUBRIC, grades | {"legal": "cannot_assess"})
    assert legal.reason == "Legal is graded Cannot assess"
