"""The shipped default rubric as the app uses it: its dimensions, checks, answers, grades and
tags, and which checks apply to which cases."""

from __future__ import annotations

import pytest

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.rubric_catalogue import load_default_rubric
from bwv_review.domain.rubric_loading import parse_rubric
from bwv_review.domain.vocab import LearningKind
from tests.domain.rubric_fixtures import PANEL_RUBRIC

DOMAIN_TAG_IDS = [
    "bwv_late_start",
    "bwv_early_stop",
    "bwv_poor_framing",
    *(f"gowisely_incomplete_{letter}" for letter in "gowisely"),
    "grounds_weak",
    "grounds_not_explained",
    "grounds_not_matching_record",
    "ethnicity_not_asked",
    "receipt_not_offered",
    "handcuffing_necessity",
    "phone_search",
    "strip_search",
    "child_appropriate_adult",
    "de_escalation_communication",
    "taser_warning",
    "taser_aftercare",
    "spit_guard",
    "medical_aftercare",
    "language_respect",
    "supervisor_sign_off",
    "s163_not_recorded",
]

GOOD_PRACTICE_TAG_IDS = [
    "good_practice_exemplar",
    "bwv_early_and_throughout",
    "gowisely_in_full",
    "grounds_explained_clearly",
    "receipt_offered",
    "de_escalation_calm",
    "respectful_language",
    "child_care_appropriate_adult",
    "taser_warning_and_aftercare",
    "medical_aftercare_given",
]


@pytest.fixture(scope="module")
def default() -> Rubric:
    return load_default_rubric()


def test_default_rubric_has_the_four_dimensions_in_order(default: Rubric) -> None:
    assert [(d.id, d.label) for d in default.dimensions] == [
        ("legal", "Legal"),
        ("fair", "Fair"),
        ("proportionate", "Proportionate"),
        ("conduct", "Professional conduct"),
    ]
    assert all(dimension.checks for dimension in default.dimensions)


def test_gowisely_is_eight_adjacent_legal_checks_with_a_letter_each(default: Rubric) -> None:
    gowisely = default.group_checks("gowisely")
    assert "".join(check.letter or "?" for check in gowisely) == "GOWISELY"
    assert {check.dimension_id for check in gowisely} == {"legal"}
    legal_ids = [check.id for check in default.dimension("legal").checks]
    first = legal_ids.index(gowisely[0].id)
    assert legal_ids[first : first + 8] == [check.id for check in gowisely]
    assert default.check_group("gowisely").label == "GOWISELY"


def test_every_learning_tag_a_training_lead_expects_is_there(default: Rubric) -> None:
    assert set(DOMAIN_TAG_IDS) <= {tag.id for tag in default.tags_for(LearningKind.LEARNING)}
    group_ids = {group.id for group in default.tag_groups}
    assert all(tag.group_id in group_ids for tag in default.tags)


def test_good_practice_points_are_offered_good_practice_tags_only(default: Rubric) -> None:
    good = [tag.id for tag in default.tags_for(LearningKind.GOOD_PRACTICE)]
    learning = {tag.id for tag in default.tags_for(LearningKind.LEARNING)}
    assert good == GOOD_PRACTICE_TAG_IDS
    assert learning.isdisjoint(good)
    assert learning | set(good) == {tag.id for tag in default.tags}
    assert all(tag.help for tag in default.tags_for(LearningKind.GOOD_PRACTICE))


def test_answers_form_a_scale_with_two_answers_off_it(default: Rubric) -> None:
    assert [(a.id, a.rank) for a in default.answers] == [
        ("met", 3),
        ("partly_met", 2),
        ("not_met", 1),
        ("cannot_tell", None),
        ("not_applicable", None),
    ]
    assert default.not_applicable_answer_id == "not_applicable"


def test_partly_met_and_not_met_need_a_reason_on_every_check(default: Rubric) -> None:
    for check in default.checks:
        assert check.reason_required_for == {"partly_met", "not_met"}, check.id
        assert check.requires_reason("not_met")
        assert not check.requires_reason("met")


def test_grades_never_rely_on_colour_alone(default: Rubric) -> None:
    assert [g.id for g in default.grades] == [
        "good_practice",
        "adequate",
        "concern",
        "cannot_assess",
    ]
    for field in ("colour", "symbol", "icon", "label"):
        values = [getattr(grade, field) for grade in default.grades]
        assert len(set(values)) == len(values), field
    assert all(grade.leads_to for grade in default.grades)
    assert [g.severity for g in default.grades] == [0, 1, 2, None]


def test_critical_not_met_suggests_concern(default: Rubric) -> None:
    rules = default.grading.dimension_rules
    assert any(r.critical_only and r.answer_id == "not_met" for r in rules)
    assert {r.grade_id for r in rules if r.critical_only} == {"concern"}
    assert default.grading.dimension_otherwise_grade_id == "good_practice"


@pytest.mark.parametrize(
    ("check_id", "case_type", "conditions", "applies"),
    [
        ("taser_justified", "taser", set(), True),
        ("taser_justified", "stop_and_search", set(), False),
        ("taser_justified", "stop_and_search", {"taser_used"}, True),
        ("strip_search_necessity", "stop_and_search", set(), False),
        ("strip_search_necessity", "stop_and_search", {"strip_search"}, True),
        ("force_stops_at_control", "vehicle_stop_s163", {"force_used"}, True),
        ("handcuffs_justified", "use_of_force", set(), False),
        ("gowisely_grounds", "vehicle_stop_s163", set(), False),
        ("courtesy", "vehicle_stop_s163", set(), True),
    ],
)
def test_checks_for_some_cases_only_apply_there(
    default: Rubric, check_id: str, case_type: str, conditions: set[str], applies: bool
) -> None:
    assert default.check(check_id).applies(case_type, conditions) is applies


# --- Which tags each kind of point is offered -----------------------------------------------

PANEL = parse_rubric(PANEL_RUBRIC, "panel.toml")


def test_each_kind_of_point_is_offered_the_tags_marked_for_it() -> None:
    assert [tag.id for tag in PANEL.tags_for(LearningKind.LEARNING)] == ["weak_grounds"]
    assert [tag.id for tag in PANEL.tags_for(LearningKind.GOOD_PRACTICE)] == ["calm_voice"]
    assert [group.id for group in PANEL.tag_groups_for(LearningKind.LEARNING)] == ["grounds_themes"]
    assert [group.id for group in PANEL.tag_groups_for(LearningKind.GOOD_PRACTICE)] == ["done_well"]


def test_a_rubric_that_marks_no_tag_as_good_practice_offers_every_tag_for_either_kind() -> None:
    """Rubrics written before good-practice tags existed keep offering what they always did."""
    unmarked = parse_rubric(PANEL_RUBRIC.replace('kind = "good_practice"\n', ""), "panel.toml")
    assert {group.kind for group in unmarked.tag_groups} == {LearningKind.LEARNING}
    for kind in LearningKind:
        assert unmarked.tags_for(kind) == unmarked.tags
        assert unmarked.tag_groups_for(kind) == unmarked.tag_groups
