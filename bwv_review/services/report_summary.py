"""The summary in numbers: how many cases the panel had to choose from, took, reviewed and
discussed, how much footage it watched, how it graded them and what it asked for."""

from __future__ import annotations

from bwv_review.reports.document import Cell, Paragraph, Section, Table, Variant
from bwv_review.services.report_figures import SummaryFigures
from bwv_review.services.report_tables import count_cell, one_way

SUMMARY_CAPTION = "Summary in numbers"
GRADES_CAPTION = "Cases by the panel's agreed grade"


def hours_text(footage_ms: int) -> str:
    """Hours to one decimal, and minutes when under an hour, so 20 minutes is not "0.3"."""
    minutes = footage_ms / 60_000
    if minutes < 60:
        return f"{minutes:.0f} minutes"
    return f"{footage_ms / 3_600_000:.1f} hours"


def summary_section(figures: SummaryFigures, variant: Variant) -> Section:
    frame = (
        count_cell(figures.frame, variant)
        if figures.frame is not None
        else Cell("no random draw used")
    )
    rows = (
        ("Cases in the sampling frame", frame),
        ("Cases drawn at random (sampled)", count_cell(figures.sampled, variant)),
        ("Cases before the panel (sampled and added)", count_cell(figures.in_scope, variant)),
        (
            "Cases reviewed (at least one member's review submitted)",
            count_cell(figures.reviewed, variant),
        ),
        ("Cases discussed at the meeting", count_cell(figures.discussed, variant)),
        ("Footage in the reviewed cases", Cell(hours_text(figures.footage_ms))),
        ("Officers commended", count_cell(figures.commendations, variant)),
        ("Cases with questions to the force", count_cell(figures.questions_to_force, variant)),
        ("Referrals to Professional Standards", count_cell(figures.referrals, variant)),
    )
    table = Table(
        SUMMARY_CAPTION,
        ("Measure", "Number"),
        tuple((Cell(label), value) for label, value in rows),
    )
    grades = one_way(
        GRADES_CAPTION,
        "Grade",
        tuple(figures.graded),
        tuple(figures.graded.values()),
        variant,
    )
    return Section(
        "Summary in numbers",
        (
            table,
            Paragraph(
                f"Shares are of the {figures.in_scope} cases before the panel. A share "
                "from fewer than 10 cases comes with its 95% interval: the range the true "
                "share is likely to lie in."
            ),
            grades,
        ),
    )
