"""The rubric files panels edit by hand: the shipped default, custom files, and the errors a
chair sees when a file is wrong (which must point at the right file, line and key)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwv_review.domain.rubric import (
    AnswerOption,
    CaseGradeRule,
    Check,
    CheckGroup,
    Dimension,
    DimensionGradeRule,
    GradeDefinition,
    GradeMapping,
    KeyLineIndex,
    LearningTag,
    Rubric,
    RubricError,
    TagGroup,
    available_rubrics,
    load_default_rubric,
    load_rubric,
)

# --- The default rubric ---------------------------------------------------------------------

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
    "good_practice_exemplar",
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


def test_default_rubric_loaded_by_path_equals_the_packaged_one(default: Rubric) -> None:
    path = Path(str(files("bwv_review.resources") / "rubrics" / "default.toml"))
    assert dataclasses.replace(load_rubric(path), source="default.toml") == default


def test_gowisely_is_eight_adjacent_legal_checks_with_a_letter_each(default: Rubric) -> None:
    gowisely = default.group_checks("gowisely")
    assert "".join(check.letter or "?" for check in gowisely) == "GOWISELY"
    assert {check.dimension_id for check in gowisely} == {"legal"}
    legal_ids = [check.id for check in default.dimension("legal").checks]
    first = legal_ids.index(gowisely[0].id)
    assert legal_ids[first : first + 8] == [check.id for check in gowisely]
    assert default.check_group("gowisely").label == "GOWISELY"


def test_every_learning_tag_a_training_lead_expects_is_there(default: Rubric) -> None:
    assert set(DOMAIN_TAG_IDS) <= {tag.id for tag in default.tags}
    group_ids = {group.id for group in default.tag_groups}
    assert all(tag.group_id in group_ids for tag in default.tags)


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


# --- A panel's own rubric -------------------------------------------------------------------

PANEL_RUBRIC = """\
format_version = 1

[rubric]
id = "panel"
title = "Panel rubric"
version = "1"

[[answers]]
id = "yes"
label = "Yes"
help = "Done."
rank = 2

[[answers]]
id = "no"
label = "No"
help = "Not done."
rank = 1

[[answers]]
id = "na"
label = "Not applicable"
help = "Does not apply."

[answering]
reason_required_for = ["no"]
not_applicable_answer = "na"

[[check_groups]]
id = "pair"
label = "A pair"
help = "Two checks shown together."

[[dimensions]]
id = "lawful"
label = "Lawful"
help = "Within the law."

[[dimensions.checks]]
id = "grounds"
text = "Grounds given"
help = "The officer said why."
critical = true
group = "pair"
letter = "G"
tags = ["weak_grounds"]

[[dimensions.checks]]
id = "object"
text = "Object given"
help = "The officer said what for."
applies_to = ["stop_and_search"]
group = "pair"
letter = "O"
reason_required_for = []

[[dimensions]]
id = "polite"
label = "Polite"
help = "Courteous."

[[dimensions.checks]]
id = "taser_warning_given"
text = "Taser warning given"
help = "Shouted a warning first."
applies_if = ["taser_used"]

[[grades]]
id = "fine"
label = "Fine"
colour = "#00aa00"
symbol = "+"
icon = "fine"
leads_to = "Thanks."
severity = 0

[[grades]]
id = "bad"
label = "Bad"
colour = "#aa0000"
symbol = "!"
icon = "bad"
leads_to = "A question."
severity = 1

[[grades]]
id = "unknown"
label = "Unknown"
colour = "#777777"
symbol = "?"
icon = "unknown"
leads_to = "Ask for footage."

[grading.dimension]
otherwise = "fine"

[[grading.dimension.rules]]
grade = "bad"
answer = "no"
min_count = 1
dimensions = ["lawful"]

[grading.case]
if_nothing_assessed = "unknown"

[[grading.case.rules]]
grade = "bad"
dimension_grade = "bad"
min_share = 0.5

[[tag_groups]]
id = "grounds_themes"
label = "Grounds"

[[tags]]
id = "weak_grounds"
label = "Weak grounds"
group = "grounds_themes"
"""


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
        tag_groups=(TagGroup("grounds_themes", "Grounds"),),
        tags=(LearningTag("weak_grounds", "Weak grounds", "grounds_themes", ""),),
    )


def _write(folder: Path, text: str, name: str = "panel.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_panel_rubric_loads_exactly_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, PANEL_RUBRIC)
    assert load_rubric(path) == _panel_rubric(str(path))


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "panel.toml"
    path.write_text(PANEL_RUBRIC, encoding="utf-8-sig")
    assert load_rubric(path).id == "panel"


def test_available_rubrics_offers_the_default_then_panel_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    panel = _write(second, PANEL_RUBRIC)
    broken = _write(first, PANEL_RUBRIC.replace('version = "1"', "version = 1"), "broken.toml")
    twin = _write(second, PANEL_RUBRIC, "twin.toml")
    _write(second, "not a rubric", "notes.txt")

    found = available_rubrics([first, second, tmp_path / "missing"])

    assert [(r.id, r.source) for r in found.rubrics] == [
        ("default", "default.toml"),
        ("panel", str(panel)),
    ]
    assert [str(e.problems[0]) for e in found.errors] == [
        f"{broken}:6: rubric.version: expected text in quotes, got the number 1",
        f"{twin}:6: rubric.version: {panel} already has id 'panel' and version '1'; "
        "change the id or raise the version",
    ]


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
        "unknown tag group 'grounds_theme' (expected one of grounds_themes)",
        id="unknown-tag-group",
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
    path = _write(tmp_path, text)

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
    path = _write(tmp_path, text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert [(p.line, p.key) for p in caught.value.problems] == [
        (6, "rubric.version"),
        (43, "dimensions[0].checks[0].critical"),
    ]
    assert str(caught.value).count("\n") == 1


# --- Finding the line of a key --------------------------------------------------------------

LOCATOR_SOURCE = """\
title = "x"
[a]
b.c = 1
"quoted key" = 2
text = \"\"\"
[not_a_table]
x = 1
\"\"\"
[[list]]
v = 1
[[list]]
v = [
  1,
  { w = 2, 'z' = 3 },
]
[[list.sub]]
s = 3
"""


@pytest.mark.parametrize(
    ("key_path", "line"),
    [
        (("title",), 1),
        (("a", "b", "c"), 3),
        (("a", "quoted key"), 4),
        (("a", "text"), 5),
        (("a", "x"), 2),
        (("not_a_table",), 1),
        (("list", 0, "v"), 10),
        (("list", 1), 11),
        (("list", 1, "v", 0), 13),
        (("list", 1, "v", 1, "z"), 14),
        (("list", 1, "sub", 0, "s"), 17),
        (("list", 1, "sub", 0, "missing"), 16),
        ((), 1),
    ],
)
def test_key_line_index_finds_keys_where_they_are_written(
    key_path: tuple[str | int, ...], line: int
) -> None:
    assert KeyLineIndex(LOCATOR_SOURCE).line_of(key_path) == line


@given(
    source=st.text(alphabet="[]{}=.,\"'#\\ \n\tab1-_"),
    key_path=st.lists(st.one_of(st.text(max_size=5), st.integers(-3, 30)), max_size=6),
)
def test_key_line_index_never_fails_and_stays_inside_the_text(
    source: str, key_path: list[str | int]
) -> None:
    """It decorates error messages, so a strange file must never turn into a crash."""
    line = KeyLineIndex(source).line_of(tuple(key_path))
    assert 1 <= line <= source.count("\n") + 1
