"""A case's record as the reviewer reads it: label/value pairs (the service has already left
names out), a two-column table that leaves the footage its height, and the content warning
drawn from the record's own facts.
"""

from __future__ import annotations

import html

from bwv_review.services.review_views import CaseRecord


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def record_rows(case: CaseRecord) -> list[tuple[str, str]]:
    """The record as label/value pairs; the service has already left names out."""
    return [
        ("Reference", case.force_reference),
        ("Type", case.case_type.replace("_", " ").capitalize()),
        ("When", case.occurred_at.strftime("%d %b %Y, %H:%M")),
        ("Area", case.area or "not recorded"),
        ("Power", case.power or "not recorded"),
        ("Object of search", case.object_of_search or "not recorded"),
        ("Grounds (as written)", case.grounds_text or "not recorded"),
        ("Outcome", case.outcome or "not recorded"),
        ("Outcome linked to object", _yes_no(case.outcome_linked)),
        ("More than outer clothing removed", _yes_no(case.strip_search)),
        ("Age band", case.subject_age_band or "not recorded"),
        ("Gender", case.subject_gender or "not recorded"),
        ("Self-defined ethnicity", case.subject_self_defined_ethnicity or "not recorded"),
        ("Officer-defined ethnicity", case.subject_officer_defined_ethnicity or "not recorded"),
        ("Taser (highest level)", case.taser_highest_level or "none"),
        ("Officer", case.officer_pseudonym or "not recorded"),
    ]


def record_html(case: CaseRecord) -> str:
    """The record in two columns of label and value, so the footage keeps the height. The
    values are the force's text, escaped: grounds such as "aged <25" must read as written,
    and markup in a record must never make the screen fetch a file."""
    cells = [
        f"<td><b>{label}</b>&nbsp;</td><td>{html.escape(value)}&nbsp;&nbsp;</td>"
        for label, value in record_rows(case)
    ]
    half = (len(cells) + 1) // 2
    rows = "".join(
        f"<tr>{left}{right}</tr>"
        for left, right in zip(cells[:half], [*cells[half:], "<td></td><td></td>"], strict=False)
    )
    return f"<table cellspacing='0'>{rows}</table>"


def content_warning(case: CaseRecord) -> str:
    """Why this footage may be hard to watch, from the record's own facts."""
    reasons = []
    if case.case_type in ("use_of_force", "taser") or case.taser_highest_level:
        reasons.append("force or a Taser is used")
    if case.strip_search:
        reasons.append("a search removes more than outer clothing")
    if case.subject_age_band in ("under 10", "10-17"):
        reasons.append("the person is a child")
    why = f" In this case {' and '.join(reasons)}." if reasons else ""
    return (
        "This footage shows a real encounter and may be distressing." + why + " You can pause "
        "at any time (Space in the player), and talk to the panel chair if it affects you."
    )
