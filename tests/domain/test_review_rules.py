"""The form's rules without a database: completeness, reasons, overrides, labels and
disagreement."""

from __future__ import annotations

import pytest

from bwv_review.domain.review_rules import (
    AnswerEntry,
    GradeChoice,
    ReviewRuleError,
    applicable_check_ids,
    case_conditions,
    check_answer,
    check_tags,
    evaluate_form,
    is_disagreement,
    member_label,
)
from bwv_review.domain.rubric_catalogue import bundled_rubrics, find_rubric, load_default_rubric
from bwv_review.domain.vocab import LearningKind

RUBRIC = load_default_rubric()


def _all(answer: str, reason: str | None = None) -> dict[str, AnswerEntry]:
    return {c.id: AnswerEntry(answer, reason) for c in RUBRIC.checks}


def test_member_labels_run_a_to_z_then_aa() -> None:
    assert [member_label(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "Member A",
        "Member B",
        "Member Z",
        "Member AA",
        "Member AB",
        "Member ZZ",
        "Member AAA",
    ]


def test_conditions_come_from_the_record() -> None:
    assert case_conditions("taser", strip_search=None, taser_level=None, age_band="10-17") == {
        "taser_used",
        "force_used",
        "child",
    }
    search = case_conditions("stop_and_search", strip_search=True, taser_level=None, age_band=None)
    assert search == {"strip_search"}
    applicable = applicable_check_ids(RUBRIC, "stop_and_search", search)
    assert "strip_search_necessity" in applicable and "taser_justified" not in applicable


def test_every_gap_is_named_and_a_complete_form_can_be_submitted() -> None:
    answers = _all("met")
    del answers["gowisely_station"]
    answers["courtesy"] = AnswerEntry("not_met", None)
    state = evaluate_form(RUBRIC, answers, frozenset(answers), {}, None)
    assert not state.submittable
    station = RUBRIC.check("gowisely_station").text
    courtesy = RUBRIC.check("courtesy").text
    assert state.problems == (
        f"unanswered: {station}",
        f"a reason is needed for Not met: {courtesy}",
    )
    every = frozenset(c.id for c in RUBRIC.checks)
    state = evaluate_form(RUBRIC, _all("met"), every, {}, None)
    assert state.submittable and state.case_grade == "good_practice"
    assert (state.answered, state.total) == (len(RUBRIC.checks), len(RUBRIC.checks))


def test_an_override_needs_a_reason_and_then_wins() -> None:
    answers = _all("met")
    choice = {"legal": GradeChoice("concern", None)}
    state = evaluate_form(RUBRIC, answers, frozenset(answers), choice, None)
    assert state.problems == (
        "say why Legal is graded Concern rather than the suggested Good practice",
    )
    choice = {"legal": GradeChoice("concern", "grounds were a hunch")}
    state = evaluate_form(RUBRIC, answers, frozenset(answers), choice, None)
    assert state.submittable and state.dimension_grades["legal"] == "concern"
    assert state.case_grade == "concern"  # the case suggestion follows the chosen grades


def test_unknown_checks_and_answers_are_refused() -> None:
    with pytest.raises(ReviewRuleError, match="no check"):
        check_answer(RUBRIC, "gowisely_x", "met")
    with pytest.raises(ReviewRuleError, match="not an answer"):
        check_answer(RUBRIC, "courtesy", "maybe")


def test_a_good_practice_point_takes_good_practice_tags_and_a_learning_point_learning_tags() -> (
    None
):
    good, learning = LearningKind.GOOD_PRACTICE, LearningKind.LEARNING
    assert check_tags(RUBRIC, ["receipt_offered", "gowisely_in_full"], good) == (
        "receipt_offered",
        "gowisely_in_full",
    )
    assert check_tags(RUBRIC, ["receipt_not_offered", "receipt_not_offered"], learning) == (
        "receipt_not_offered",
    )


def test_a_tag_of_the_other_kind_is_refused_by_label_and_id() -> None:
    with pytest.raises(ReviewRuleError) as refused:
        check_tags(RUBRIC, ["receipt_offered"], LearningKind.LEARNING)
    assert str(refused.value) == (
        "tag 'Receipt offered' (receipt_offered) is a good-practice tag"
        " and cannot go on a learning point"
    )
    with pytest.raises(ReviewRuleError) as refused:
        check_tags(
            RUBRIC,
            ["grounds_weak", "receipt_offered", "bwv_late_start"],
            LearningKind.GOOD_PRACTICE,
        )
    assert str(refused.value) == (
        "tags 'Grounds weak' (grounds_weak), 'BWV started late' (bwv_late_start) are learning"
        " tags and cannot go on a good-practice point"
    )
    with pytest.raises(ReviewRuleError, match=r"unknown learning tag\(s\): nope"):
        check_tags(RUBRIC, ["nope"], LearningKind.GOOD_PRACTICE)


def test_on_2026_1_a_good_practice_point_keeps_any_of_its_tags() -> None:
    old = find_rubric(bundled_rubrics(), "default", "2026.1")
    assert old is not None
    assert check_tags(old, ["grounds_weak"], LearningKind.GOOD_PRACTICE) == ("grounds_weak",)


def test_disagreement_counts_every_answer_given() -> None:
    assert not is_disagreement(["met", "met", None])
    assert is_disagreement(["met", "cannot_tell"])
    assert not is_disagreement([None, None])


def test_a_reason_of_only_spaces_is_no_reason() -> None:
    """Reasons are stored as typed now (issue 9, defect 8), so blank is decided here."""
    answers = _all("met")
    answers["courtesy"] = AnswerEntry("not_met", " \n\t ")
    every = frozenset(c.id for c in RUBRIC.checks)
    state = evaluate_form(RUBRIC, answers, every, {}, GradeChoice("concern", "   "))
    courtesy = RUBRIC.check("courtesy").text
    assert f"a reason is needed for Not met: {courtesy}" in state.problems
    assert any(p.startswith("say why the case is graded Concern") for p in state.problems)
