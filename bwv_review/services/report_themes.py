"""What the panel learned and asked: learning-point themes with the number of cases tagged
(learning apart from good practice), the chair's anonymised vignettes, the questions put to
the force with its answers, and the organisational learning tracker.

A case is named "Case 3" (its place in the scope); the internal report adds its force
reference. In the published report the panel's free text passes through the redactor, so
a reference, pseudonym, name or encounter date typed by mistake never leaves.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import is_blank
from bwv_review.domain.vocab import LearningKind, ReviewStatus, TrackerStatus
from bwv_review.reports.document import Block, Cell, Paragraph, Section, Table, Variant
from bwv_review.services.report_figures import ScopeCase, grade_label
from bwv_review.services.report_scope import ResolvedScope, long_date
from bwv_review.services.report_tables import count_cell
from bwv_review.store.models import Assignment, LearningPoint, LearningTrackerItem, Review

Redact = Callable[[str], str]
UNTAGGED = "untagged"
_STATUS_LABELS = {
    TrackerStatus.OPEN: "Open",
    TrackerStatus.IN_PROGRESS: "In progress",
    TrackerStatus.CLOSED: "Closed",
}


def case_name(case: ScopeCase, variant: Variant) -> str:
    if variant is Variant.INTERNAL:
        return f"Case {case.number} ({case.reference})"
    return f"Case {case.number}"


def tagged_cases(
    session: Session, scope: ResolvedScope
) -> dict[tuple[str, LearningKind], set[tuple[int, int]]]:
    """(tag id, kind) -> the (session, case) pairs members tagged so in submitted reviews."""
    found: dict[tuple[str, LearningKind], set[tuple[int, int]]] = defaultdict(set)
    for kind, tags_json, session_id, case_id in session.execute(
        select(
            LearningPoint.kind, LearningPoint.tags_json, Assignment.session_id, Assignment.case_id
        )
        .join(Review, Review.id == LearningPoint.review_id)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .where(Assignment.session_id.in_(scope.ids), Review.status == ReviewStatus.SUBMITTED)
    ):
        for tag in json.loads(tags_json) or [UNTAGGED]:
            found[(tag, kind)].add((session_id, case_id))
    return found


def themes_section(
    tagged: dict[tuple[str, LearningKind], set[tuple[int, int]]], rubric: Rubric, variant: Variant
) -> Section:
    labels = {t.id: t.label for t in rubric.tags}
    groups = {t.id: t.group_id for t in rubric.tags}
    group_labels = {g.id: g.label for g in rubric.tag_groups}
    tags = sorted(
        {tag for tag, _ in tagged},
        key=lambda tag: (
            -sum(len(tagged.get((tag, kind), ())) for kind in LearningKind),
            labels.get(tag, tag),
        ),
    )
    rows = []
    for tag in tags:
        rows.append(
            (
                Cell(labels.get(tag, "No tag given" if tag == UNTAGGED else tag)),
                Cell(group_labels.get(groups.get(tag, ""), "")),
                count_cell(len(tagged.get((tag, LearningKind.LEARNING), ())), variant),
                count_cell(len(tagged.get((tag, LearningKind.GOOD_PRACTICE), ())), variant),
            )
        )
    blocks: list[Block] = [
        Paragraph(
            "Members mark moments in the footage as learning or as good practice and tag "
            "them with a theme. Each figure is the number of cases with at least one such "
            "moment, so a case counts once however many members marked it."
        )
    ]
    if rows:
        blocks.append(
            Table(
                "Themes: cases tagged",
                ("Theme", "Group", "Cases: learning", "Cases: good practice"),
                tuple(rows),
            )
        )
    else:
        blocks.append(Paragraph("No learning points were recorded in submitted reviews."))
    return Section("Themes", tuple(blocks))


def vignettes_section(
    cases: Sequence[ScopeCase], rubric: Rubric, variant: Variant, redact: Redact
) -> Section:
    blocks: list[Block] = []
    for case in cases:
        if is_blank(case.vignette):
            continue
        blocks.append(
            Paragraph(f"{case_name(case, variant)}: {grade_label(rubric, case.grade)}", "lead")
        )
        blocks.append(Paragraph(redact(case.vignette), style="quote"))
    if not blocks:
        blocks.append(Paragraph("The chair wrote no case accounts for this period."))
    return Section("Cases in brief: the chair's accounts", tuple(blocks))


def questions_section(cases: Sequence[ScopeCase], variant: Variant, redact: Redact) -> Section:
    blocks: list[Block] = []
    for case in cases:
        if not case.asks_force:
            continue
        blocks.append(Paragraph(case_name(case, variant), style="lead"))
        question = case.questions if not is_blank(case.questions) else "(question not written)"
        blocks.append(Paragraph(f"The panel asked: {redact(question)}"))
        response = (
            f"The force answered: {redact(case.response)}"
            if not is_blank(case.response)
            else "No answer from the force is recorded yet."
        )
        blocks.append(Paragraph(response, style="quote"))
    if not blocks:
        blocks.append(Paragraph("The panel put no questions to the force."))
    return Section("Questions to the force and its answers", tuple(blocks))


def tracker_section(session: Session, scope: ResolvedScope, redact: Redact) -> Section:
    """Items raised in the scope's sessions, and any raised earlier that were still open
    when its last meeting came (or closed since)."""
    latest = max(scope.meeting_dates, default=None)
    earlier = LearningTrackerItem.status != TrackerStatus.CLOSED
    if latest is not None:
        earlier = (LearningTrackerItem.raised_on <= latest) & (
            earlier | (LearningTrackerItem.closed_on >= latest)
        )
    items = session.scalars(
        select(LearningTrackerItem)
        .where(or_(LearningTrackerItem.raised_in_session_id.in_(scope.ids), earlier))
        .order_by(LearningTrackerItem.raised_on, LearningTrackerItem.id)
    ).all()
    rows = []
    for item in items:
        dates = [f"raised {long_date(item.raised_on)}"]
        if item.due_on:
            dates.append(f"due {long_date(item.due_on)}")
        if item.closed_on:
            dates.append(f"closed {long_date(item.closed_on)}")
        rows.append(
            (
                Cell(redact(item.recommendation)),
                Cell(redact(item.theme)),
                Cell(redact(item.owner)),
                Cell(_STATUS_LABELS[item.status]),
                Cell("; ".join(dates)),
                Cell(redact(item.force_response) or "No response yet"),
            )
        )
    blocks: list[Block]
    if rows:
        blocks = [
            Table(
                "The organisational learning tracker",
                ("Recommendation", "Theme", "Owner", "Status", "Dates", "Force response"),
                tuple(rows),
            )
        ]
    else:
        blocks = [Paragraph("The learning tracker holds no items for this period.")]
    return Section("The learning tracker", tuple(blocks))
