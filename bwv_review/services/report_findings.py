"""The findings: the panel's agreed grade by what kind of case it was and by who was stopped
(grade x ethnicity and grade x age band drawn as charts beside their tables), and whether
the sample looks like the frame it was drawn from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.sampling import COMPOSITION_FIELDS, SampleSpec, composition
from bwv_review.reports.document import BarChart, Block, Paragraph, Section, Variant
from bwv_review.services.report_figures import ScopeCase, by_grade, grade_labels, value_label
from bwv_review.services.report_scope import ResolvedScope
from bwv_review.services.report_tables import chart_or_note, cross_table, side_by_side
from bwv_review.services.sampling import case_frame
from bwv_review.services.stats import CASE_FIELDS
from bwv_review.store.models import Case, SampleDraw, SampleDrawCase

# services.stats field, what the table's rows are, whether a chart goes with it
_BY_CASE = (
    ("case_type", "Type of case"),
    ("power", "Power or legislation"),
    ("object_of_search", "Object of the search"),
    ("outcome", "Outcome"),
    ("outcome_linked", "Outcome linked to the object"),
)
_BY_PERSON = (
    ("self_defined_ethnicity", "Self-defined ethnicity"),
    ("officer_defined_ethnicity", "Officer-defined ethnicity"),
    ("age_range", "Age band"),
    ("gender", "Gender"),
)
CHARTED = frozenset({"self_defined_ethnicity", "age_range"})
_COMPOSITION_FIELD = {  # domain.sampling composition field -> services.stats field
    "officer_defined_ethnicity": "officer_defined_ethnicity",
    "age_band": "age_range",
    "case_type": "case_type",
}


def grade_caption(heading: str) -> str:
    return f"Panel grade by {heading[:1].lower()}{heading[1:]}"


def _grade_blocks(
    cases: Sequence[ScopeCase], field: str, heading: str, rubric: Rubric, variant: Variant
) -> list[Block]:
    breakdown = by_grade(cases, field, rubric)
    groups = breakdown.levels[0]
    columns = grade_labels(rubric)
    counts = [[breakdown.count(group, grade) for grade in columns] for group in groups]
    labels = [value_label(field, group) for group in groups]
    table = cross_table(grade_caption(heading), heading, labels, columns, counts, variant)
    if field not in CHARTED:
        return [table]
    chart = chart_or_note(grade_caption(heading), table, counts, "Cases")
    # A chart carries its table, and the renderers print it beside the bars.
    return [chart] if isinstance(chart, BarChart) else [chart, table]


def findings_section(cases: Sequence[ScopeCase], rubric: Rubric, variant: Variant) -> Section:
    by_case: list[Block] = []
    for field, heading in _BY_CASE:
        by_case.extend(_grade_blocks(cases, field, heading, rubric, variant))
    by_person: list[Block] = [
        Paragraph(
            "Self-defined ethnicity is what the person said; officer-defined is what the "
            "officer recorded. Both are grouped into the five census groups; a blank is "
            '"not recorded" and a person who chose not to say is "not stated".'
        )
    ]
    for field, heading in _BY_PERSON:
        by_person.extend(_grade_blocks(cases, field, heading, rubric, variant))
    searches: list[Block] = _grade_blocks(
        cases, "strip_search", "More than outer clothing removed", rubric, variant
    )
    tasered = [c for c in cases if c.values["taser_highest_level"]]
    if tasered:
        searches.extend(
            _grade_blocks(tasered, "taser_highest_level", "Highest Taser level", rubric, variant)
        )
    else:
        searches.append(Paragraph("No case in scope involved Taser."))
    return Section(
        "Findings",
        (
            Paragraph(
                f"Each table counts the {len(cases)} cases before the panel by the grade the "
                "panel agreed after discussion. Small groups say little: a difference of "
                "one or two cases is not a pattern."
            ),
        ),
        subsections=(
            Section("The kind of case", tuple(by_case), level=2),
            Section("Who was stopped", tuple(by_person), level=2),
            Section("Strip searches and Taser", tuple(searches), level=2),
        ),
    )


def _in_report_order(field: str, values: list[str]) -> list[str]:
    """Values as every other table of the field orders them (age bands youngest first),
    the rest after in the frame's order."""
    order = [value_label(field, value) for value in CASE_FIELDS[field].order]
    rank = {label: index for index, label in enumerate(order)}
    return sorted(values, key=lambda v: rank.get(value_label(field, v), len(rank)))


def sample_frame_section(session: Session, scope: ResolvedScope, variant: Variant) -> Section:
    """Each draw's sample beside the frame it was drawn from, by ethnicity, age and type."""
    frame, _ids = case_frame(session)
    blocks: list[Block] = []
    for scoped in scope.sessions:
        if scoped.sample_draw_id is None:
            continue
        draw = session.get_one(SampleDraw, scoped.sample_draw_id)
        spec = SampleSpec.from_json(json.loads(draw.spec_json))
        chosen = set(
            session.scalars(
                select(Case.force_reference)
                .join(SampleDrawCase, SampleDrawCase.case_id == Case.id)
                .where(SampleDrawCase.draw_id == draw.id)
            )
        )
        parts = composition(frame, spec, chosen)
        in_frame = sum(parts[0].frame.values()) if parts else 0
        if in_frame != draw.frame_size:
            blocks.append(
                Paragraph(
                    f"{scoped.name}: the draw's frame held {draw.frame_size} cases; the same "
                    f"filters select {in_frame} now (cases were added or removed since), so "
                    "the frame below is as it stands today.",
                    style="caveat",
                )
            )
        for part in parts:
            field = _COMPOSITION_FIELD[part.field]
            values = _in_report_order(field, part.values())
            blocks.append(
                side_by_side(
                    f"{scoped.name}: {COMPOSITION_FIELDS[part.field].lower()} in the frame "
                    "and in the sample",
                    part.label,
                    [value_label(field, v) for v in values],
                    (
                        ("In the frame", [part.frame.get(v, 0) for v in values]),
                        ("In the sample", [part.sample.get(v, 0) for v in values]),
                    ),
                    variant,
                )
            )
    if not blocks:
        blocks.append(Paragraph("No session in scope drew its cases at random."))
    intro = Paragraph(
        "A random sample drawn with groups (strata) taken whole, such as every strip search, "
        "is meant to over-represent those groups; elsewhere a large gap between a group's "
        "share of the frame and of the sample is chance, and worth knowing when reading "
        "the findings."
    )
    return Section("Is the sample like the frame?", (intro, *blocks))
