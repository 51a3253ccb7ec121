"""The annex: the rubric in full (every check, its help and the grades it leads to), what
each figure of the report counts, and the rules for small numbers, so a reader can check
any number against its definition."""

from __future__ import annotations

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.small_numbers import MIN_CASES_FOR_BARE_RATE, SMALL_CELL_LIMIT
from bwv_review.reports.document import Block, BulletList, Cell, Paragraph, Section, Table, Variant
from bwv_review.services.report_redaction import WITHHELD

DEFINITIONS = (
    "Sampling frame: the cases the force provided that the draw's filters select; the "
    "random sample is drawn from these.",
    "Sampled: cases the random draw took. Cases before the panel: those and any the chair "
    "added for a theme.",
    "Reviewed: cases with at least one member's review submitted.",
    "Discussed: cases the chair marked as discussed at the meeting.",
    "Footage: the total length of every clip of the reviewed cases.",
    "Agreed grade: the grade the panel agreed after discussion, as corrected after the "
    "meeting where it was; a case with none counts as 'No agreed grade'.",
    "Commended, question to the force, referral: the actions the panel agreed for a case "
    "(a case with a written question counts as one with a question).",
    "Not recorded: the record leaves the field blank. Not stated: the person chose not to "
    "say. Neither is ever counted in a group.",
)


def annex_section(rubric: Rubric, variant: Variant) -> Section:
    rules = [
        "Every percentage is printed with its count and denominator ('12 of 40 (30%)').",
        f"A share from fewer than {MIN_CASES_FOR_BARE_RATE} cases is never shown bare: its "
        "95% Wilson interval is printed beside it.",
    ]
    if variant is Variant.PUBLISHED:
        rules += [
            f"Counts from 1 to {SMALL_CELL_LIMIT - 1} are shown as '<5'. Where a table's "
            "totals would let a hidden count be worked out, further cells are hidden as "
            "'[c]'; where nothing can protect it, the totals are withheld.",
            "No force reference, officer pseudonym, encounter date or time, or place finer "
            "than the area appears in this version, and no person is named. Words in the "
            f"panel's own text that would identify a case or a person are shown as {WITHHELD}.",
        ]
    else:
        rules.append(
            f"Counts from 1 to {SMALL_CELL_LIMIT - 1} are flagged: they describe so few "
            "people that the published version hides them."
        )
    grades = Table(
        "The grades and what follows from them",
        ("Grade", "Symbol", "What follows"),
        tuple((Cell(g.label), Cell(g.symbol), Cell(g.leads_to)) for g in rubric.grades),
    )
    dimensions: list[Section] = []
    for dimension in rubric.dimensions:
        blocks: list[Block] = [Paragraph(dimension.help)]
        blocks.append(
            Table(
                f"The {dimension.label} checks",
                ("Check", "What the reviewer looks for"),
                tuple((Cell(c.text), Cell(c.help)) for c in dimension.checks),
            )
        )
        dimensions.append(Section(dimension.label, tuple(blocks), level=3))
    answers = BulletList(tuple(f"{a.label}: {a.help}" for a in rubric.answers))
    return Section(
        "Annex",
        (),
        subsections=(
            Section(
                f"The rubric: {rubric.title} (version {rubric.version})",
                (Paragraph(rubric.description), answers, grades),
                level=2,
                subsections=tuple(dimensions),
            ),
            Section("Definitions", (BulletList(DEFINITIONS),), level=2),
            Section("Small numbers", (BulletList(tuple(rules)),), level=2),
        ),
    )
