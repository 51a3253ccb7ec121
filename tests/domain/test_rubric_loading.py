"""Reading a panel's own rubric file, and the errors a chair sees when a file is wrong (which
must point at the right file, line and key)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

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
from bwv_review.domain.rubric_loading import load_rubric
from bwv_review.domain.rubric_problems import RubricError
from bwv_review.domain.rubric_tags import LearningTag, TagGroup
from bwv_review.domain.vocab import LearningKind
from tests.domain.rubric_fixtures import PANEL_RUBRIC, write_rubric


def _panel_rubric(source: str) -> Rubric:
    grounds = Check(
        id="grounds",
        dimension_id="lawful",
        text="Grounds given",
        help="The officer said why.",
        critical=True,
        reason_required_for=frozenset({"no"}),
        applies_to=frozenset(),
        applies_if=frozenset(),
        group_id="pair",
        letter="G",
        tag_ids=("weak_grounds",),
    )
    obj = dataclasses.replace(
        grounds,
        id="object",
        text="Object given",
        help="The officer said what for.",
        critical=False,
        reason_required_for=frozenset(),
        applies_to=frozenset({"stop_and_search"}),
        letter="O",
        tag_ids=(),
    )
    warning = dataclasses.replace(
        obj,
        id="taser_warning_given",
        dimension_id="polite",
        text="Taser warning given",
        help="Shouted a warning first.",
        reason_required_for=frozenset({"no"}),
        applies_to=frozenset(),
        applies_if=frozenset({"taser_used"}),
        group_id=None,
        letter=None,
    )
    return Rubric(
        id="panel",
        title="Panel rubric",
        version="1",
        description="",
        source=source,
        answers=(
            AnswerOption("yes", "Yes", "Done.", 2),
            AnswerOption("no", "No", "Not done.", 1),
            AnswerOption("na", "Not applicable", "Does not apply.", None),
        ),
        not_applicable_answer_id="na",
        check_groups=(CheckGroup("pair", "A pair", "Two checks shown together."),),
        dimensions=(
            Dimension("lawful", "Lawful", "Within the law.", (grounds, obj)),
            Dimension("polite", "Polite", "Courteous.", (warning,)),
        ),
        grades=(
            GradeDefinition("fine", "Fine", "#00aa00", "+", "fine", "Thanks.", 0),
            GradeDefinition("bad", "Bad", "#aa0000", "!", "bad", "A question.", 1),
            GradeDefinition(
                "unknown", "Unknown", "#777777", "?", "unknown", "Ask for footage.", None
            ),
        ),
        grading=GradeMapping(
            dimension_rules=(
                DimensionGradeRule("bad", "no", 1, None, False, frozenset({"lawful"})),
            ),
            dimension_otherwise_grade_id="fine",
            case_rules=(CaseGradeRule("bad", "bad", None, 0.5, frozenset()),),
            case_if_nothing_assessed_grade_id="unknown",
        ),
        tag_groups=(
            TagGroup("grounds_themes", "Grounds", LearningKind.LEARNING),
            TagGroup("done_well", "Done well", LearningKind.GOOD_PRACTICE),
        ),
        tags=(
            LearningTag("weak_grounds", "Weak grounds", "grounds_themes", ""),
            LearningTag("calm_voice", "Calm voice", "done_well", "Stayed calm when shouted at."),
        ),
    )


def test_a_panel_rubric_loads_exactly_as_written(tmp_path: Path) -> None:
    path = write_rubric(tmp_path, PANEL_RUBRIC)
    assert load_rubric(path) == _panel_rubric(str(path))


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "panel.toml"
    path.write_text(PANEL_RUBRIC, encoding="utf-8-sig")
    assert load_rubric(path).id == "panel"


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "gone.toml"
    with pytest.raises(RubricError) as caught:
        load_rubric(missing)
    assert str(caught.value).startswith(f"{missing}: cannot read the file")


# --- Broken files: every error names the file, the line and the key ------------------------


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


def _drop_dimensions(text: str) -> str:
    start, end = text.index("[[dimensions]]"), text.index("[[grades]]")
    return (
        text[:start].replace("format_version = 1\n", "format_version = 1\ndimensions = []\n")
        + (text[end:])
    )


BROKEN_FILES = [
    pytest.param(
        _replace('title = "Panel rubric"', 'title = "Panel rubric'),
        'title = "Panel rubric',
        "",
        "TOML syntax error at column",
        id="syntax-error",
    ),
    pytest.param(
        _replace("format_version = 1", "format_version = 2"),
        "format_version = 2",
        "format_version",
        "this app reads format_version 1, got the number 2",
        id="unsupported-format",
    ),
    pytest.param(
        _replace("critical = true", "critcal = true"),
        "critcal = true",
        "dimensions[0].checks[0].critcal",
        "unknown key 'critcal' (did you mean 'critical'?)",
        id="typo-in-key",
    ),
    pytest.param(
        _replace("critical = true", 'critical = "yes"'),
        'critical = "yes"',
        "dimensions[0].checks[0].critical",
        "expected true or false, got text 'yes'",
        id="wrong-type",
    ),
    pytest.param(
        _replace(
            '[[dimensions.checks]]\nid = "taser_warning_given"\ntext = "Taser warning given"\n'
            'help = "Shouted a warning first."\n',
            '[[dimensions.checks]]  # no help\nid = "taser_warning_given"\n'
            'text = "Taser warning given"\n',
        ),
        "# no help",
        "dimensions[1].checks[0].help",
        "required key is missing",
        id="missing-required-key",
    ),
    pytest.param(
        _drop_dimensions,
        "dimensions = []",
        "dimensions",
        "needs at least one entry",
        id="empty-dimensions",
    ),
    pytest.param(
        _replace(
            '[rubric]\nid = "panel"\ntitle = "Panel rubric"\nversion = "1"\n',
            'rubric = { id = "panel", title = "Panel rubric", version = 1 }\n',
        ),
        "rubric = {",
        "rubric.version",
        "expected text in quotes, got the number 1",
        id="inline-table",
    ),
    pytest.param(
        _replace('id = "object"', 'id = "grounds"  # again'),
        "# again",
        "dimensions[0].checks[1].id",
        "id 'grounds' is already used at line 40",
        id="duplicate-check-id",
    ),
    pytest.param(
        _replace('id = "polite"', 'id = "taser_warning_given"  # clash'),
        'id = "taser_warning_given"\n',
        "dimensions[1].checks[0].id",
        "id 'taser_warning_given' is already used at line 58",
        id="check-id-clashes-with-dimension-id",
    ),
    pytest.param(
        _replace("reason_required_for = []", 'reason_required_for = [\n  "yes",\n  "maybe",\n]'),
        '"maybe"',
        "dimensions[0].checks[1].reason_required_for[1]",
        "unknown answer 'maybe' (expected one of yes, no, na)",
        id="unknown-answer-in-reason-rule",
    ),
    pytest.param(
        _replace('grade = "bad"\nanswer = "no"', 'grade = "awful"\nanswer = "no"'),
        'grade = "awful"',
        "grading.dimension.rules[0].grade",
        "unknown grade 'awful' (expected one of fine, bad, unknown)",
        id="unknown-grade-in-mapping",
    ),
    pytest.param(
        _replace('dimensions = ["lawful"]', 'dimensions = ["lawfull"]'),
        'dimensions = ["lawfull"]',
        "grading.dimension.rules[0].dimensions[0]",
        "unknown dimension 'lawfull' (expected one of lawful, polite)",
        id="missing-dimension",
    ),
    pytest.param(
        _replace("min_count = 1", "min_count = 1\nmin_share = 0.2"),
        "min_share = 0.2",
        "grading.dimension.rules[0].min_share",
        "give exactly one of min_count or min_share",
        id="two-thresholds",
    ),
    pytest.param(
        _replace('applies_to = ["stop_and_search"]', 'applies_to = ["stop_search"]'),
        "stop_search",
        "dimensions[0].checks[1].applies_to[0]",
        "unknown case type 'stop_search' (expected one of stop_and_search, use_of_force,",
        id="unknown-case-type",
    ),
    pytest.param(
        _replace('group = "grounds_themes"', 'group = "grounds_theme"'),
        'group = "grounds_theme"',
        "tags[0].group",
        "unknown tag group 'grounds_theme' (expected one of grounds_themes, done_well)",
        id="unknown-tag-group",
    ),
    pytest.param(
        _replace('kind = "good_practice"', 'kind = "good"'),
        'kind = "good"',
        "tag_groups[1].kind",
        "expected one of good_practice, learning, got text 'good'",
        id="unknown-tag-kind",
    ),
    pytest.param(
        _replace('tags = ["weak_grounds"]', 'tags = ["calm_voice"]'),
        'tags = ["calm_voice"]',
        "dimensions[0].checks[0].tags[0]",
        "'calm_voice' is a good-practice tag; a check offers learning tags for when it is not met",
        id="check-offers-a-good-practice-tag",
    ),
    pytest.param(
        _replace('applies_if = ["taser_used"]', 'applies_if = ["taser_used"]\ngroup = "pair"'),
        'group = "pair"\n\n[[grades]]',
        "dimensions[1].checks[0].group",
        "checks of group 'pair' must follow each other in one dimension",
        id="group-split-across-dimensions",
    ),
]


def _line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, marker
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize(("edit", "marker", "key", "message"), BROKEN_FILES)
def test_a_broken_file_names_file_line_and_key(
    tmp_path: Path, edit: Callable[[str], str], marker: str, key: str, message: str
) -> None:
    text = edit(PANEL_RUBRIC)
    path = write_rubric(tmp_path, text)

    with pytest.raises(RubricError) as caught:
        load_rubric(path)

    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (str(path), _line_of(text, marker), key)
    assert problem.message.startswith(message)
    location = f"{path}:{problem.line}: {key}: " if key else f"{path}:{problem.line}: "
    assert str(caught.value).startswith(location + message)


def test_the_line_numbers_used_above_are_the_ones_in_the_file() -> None:
    assert _line_of(PANEL_RUBRIC, 'id = "grounds"') == 40
    assert _line_of(PANEL_RUBRIC, 'id = "polite"') == 58


def test_several_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    text = PANEL_RUBRIC.replace("critical = true", "critical = 1").replace(
        'version = "1"', "version = 1"
    )
    path = write_rubric(tmp_path, text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert [(p.line, p.key) for p in caught.value.problems] == [
        (6, "rubric.version"),
        (43, "dimensions[0].checks[0].critical"),
    ]
    assert str(caught.value).count("\n") == 1
