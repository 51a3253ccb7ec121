"""Report documents built by hand for the renderer tests: every block type, flagged
cells, and the hostile text a member might type (markup, control characters, Urdu,
emoji, 20,000 characters)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bwv_review.reports.document import (
    BarChart,
    Block,
    BulletList,
    Cell,
    CellFlag,
    Paragraph,
    ReportDocument,
    Section,
    Series,
    Table,
    Variant,
)

MARKUP = [
    "<b>bold never closed",
    "<font name=x size=40>not a font</font>",
    "&amp; is typed, not an ampersand",
    "AT&T and R&D < 5 > 3",
    '<img src="file:///etc/passwd"/> an image tag',
    "<para><br/></para> ]]> <![CDATA[ x ]]>",
]
WELSH = "Roedd y swyddog yn gwrtais ac yn glir; ŵyr, ŷd, Ŵ, Ŷ, llongyfarchiadau."
POLISH = "Funkcjonariusz zachował się właściwie: zażółć gęślą jaźń. ĄĆĘŁŃÓŚŹŻ."
SOMALI = "Sarkaalku wuxuu si cad u sharaxay sababta baaritaanka, waana la ixtiraamay."
URDU = "پولیس افسر نے تلاشی کی وجہ واضح طور پر بتائی"
URDU_IN_ENGLISH = "The person said پولیس نے مدد کی in Urdu, then went on in English."
COMBINING = "Cafe\u0301 nai\u0308ve Zo\u0308e a\u0328 e\u0328 n\u0303 q\u0307\u0323"
EMOJI = "Member's note: 😀 👍🏽 🚓 ❤️ ✓"
CONTROLS = "bell\x07 null\x00 escape\x1b delete\x7f c1\x85 end"
HOSTILE = [*MARKUP, WELSH, POLISH, SOMALI, URDU, URDU_IN_ENGLISH, COMBINING, EMOJI, CONTROLS]
LONG_NOTE = " ".join(
    f"Sentence {number} of a very long note, written as the member typed it at length."
    for number in range(1, 270)
)
LONG_WORD = "x" * 3000

DATED = datetime(2026, 11, 30, 17, 45, 12, tzinfo=UTC)


def _grade_table() -> Table:
    return Table(
        caption="Panel grade by self-defined ethnicity",
        header=("Grade", "White", "Black", "Asian", "Mixed", "Other", "Total"),
        rows=(
            (
                Cell("Good"),
                Cell("12"),
                Cell("7"),
                Cell("3", CellFlag.SMALL),
                Cell("<5", CellFlag.SUPPRESSED),
                Cell("5"),
                Cell("29"),
            ),
            (
                Cell("Requires improvement"),
                Cell("6"),
                Cell("9"),
                Cell("5"),
                Cell("6"),
                Cell("5", CellFlag.SECONDARY),
                Cell("31"),
            ),
            (Cell("Total"), Cell("18"), Cell("16"), Cell("8"), Cell("8"), Cell("10"), Cell("60")),
        ),
        note="Counts of cases; a case is counted once, by the panel's agreed grade.",
    )


def _long_table() -> Table:
    rows = tuple(
        (Cell(f"Case type {number}"), Cell(str(number * 3)), Cell(f"{number}% ({number} of 100)"))
        for number in range(1, 80)
    )
    return Table(
        caption="Cases by type (a table that runs over pages)",
        header=("Case type", "Cases", "Share"),
        rows=rows,
    )


def _chart() -> BarChart:
    categories = ("Good", "Requires improvement", "Inadequate")
    table = Table(
        caption="Cases by panel grade (the chart's numbers)",
        header=("Grade", "Cases"),
        rows=tuple(
            (Cell(name), Cell(str(value)))
            for name, value in zip(categories, (29, 31, 4), strict=True)
        ),
    )
    return BarChart(
        title="Cases by panel grade",
        categories=categories,
        series=(Series("Cases", (29.0, 31.0, 4.0)),),
        value_label="Cases",
        alt_text="Bar chart: 29 cases were graded good, 31 requires improvement and 4 inadequate.",
        table=table,
    )


def full_document(*, draft: bool = True, variant: Variant = Variant.INTERNAL) -> ReportDocument:
    hostile_table = Table(
        caption="What members wrote <b>",
        header=("Field", "Text as typed"),
        rows=(
            *((Cell(f"Note {number}"), Cell(text)) for number, text in enumerate(HOSTILE, start=1)),
            (Cell("Long note"), Cell(LONG_NOTE)),
        ),
    )
    return ReportDocument(
        title="Stop and search scrutiny panel: quarterly report",
        subtitle="Report to the Police and Crime Commissioner",
        marking="OFFICIAL",
        period="1 July to 30 September 2026",
        variant=variant,
        draft=draft,
        author="Avon and Somerset stop and search scrutiny panel",
        subject="Body-worn video review: findings and learning",
        dated=DATED,
        sections=(
            Section(
                heading="Summary in numbers",
                blocks=(
                    Paragraph("The panel reviewed 60 cases of 412 in the frame.", style="lead"),
                    BulletList(
                        ("60 cases reviewed", "12.5 hours of footage", "4 questions to the force")
                    ),
                    _grade_table(),
                ),
                subsections=(
                    Section(heading="Grades", level=2, blocks=(_chart(),)),
                    Section(
                        heading="Small numbers",
                        level=3,
                        blocks=(
                            Paragraph(
                                "Rates from under 10 cases carry an interval.", style="caveat"
                            ),
                        ),
                    ),
                ),
            ),
            Section(
                heading="What members wrote",
                blocks=(
                    *(Paragraph(text) for text in HOSTILE),
                    Paragraph(LONG_NOTE),
                    Paragraph(LONG_WORD),
                    Paragraph(URDU, style="quote"),
                    BulletList((URDU, EMOJI, MARKUP[0])),
                    hostile_table,
                ),
                subsections=(Section(heading="Cases by type", level=2, blocks=(_long_table(),)),),
            ),
            Section(
                heading="Annex: definitions", blocks=(Paragraph("A case is one stop and search."),)
            ),
        ),
    )


def document_with(*blocks: Block, heading: str = "Findings") -> ReportDocument:
    """A final report holding one chapter of `blocks`."""
    return replace(full_document(draft=False), sections=(Section(heading=heading, blocks=blocks),))
