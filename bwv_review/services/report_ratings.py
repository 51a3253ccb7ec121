"""What members answered: how often each rubric dimension and check was Met, Partly met or
Not met, GOWISELY compliance letter by letter, and how far members agreed (the consensus
view's Krippendorff figures, in words).

Counted over members' submitted answers as they now hold (an answer corrected after
finalising counts as corrected), so a case reviewed by three members gives three answers
to each check. Not applicable answers are left out: they say nothing about the officer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.agreement import Agreement
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.vocab import ReviewStatus
from bwv_review.reports.document import Block, BulletList, Cell, Paragraph, Section, Table, Variant
from bwv_review.services.consensus import session_agreement
from bwv_review.services.report_scope import ResolvedScope
from bwv_review.services.report_tables import cross_table, share_text
from bwv_review.store.models import Amendment, Answer, Assignment, Review


def answer_counts(session: Session, scope: ResolvedScope) -> Counter[tuple[str, str]]:
    """(check id, answer id) -> how many submitted answers, amendments applied."""
    rows = session.execute(
        select(Answer.id, Answer.check_id, Answer.value)
        .join(Review, Review.id == Answer.review_id)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .where(Assignment.session_id.in_(scope.ids), Review.status == ReviewStatus.SUBMITTED)
    ).all()
    corrected = {
        target_id: value
        for target_id, value in session.execute(
            select(Amendment.target_id, Amendment.amended_value)
            .where(
                Amendment.session_id.in_(scope.ids),
                Amendment.target == "answer",
                Amendment.field == "value",
            )
            .order_by(Amendment.id)
        )
    }
    counts: Counter[tuple[str, str]] = Counter()
    for answer_id, check_id, value in rows:
        counts[(check_id, corrected.get(answer_id) or value)] += 1
    return counts


def _judged_answers(rubric: Rubric) -> tuple[tuple[str, str], ...]:
    """(id, label) of the answers a table counts: all but Not applicable."""
    return tuple((a.id, a.label) for a in rubric.answers if a.id != rubric.not_applicable_answer_id)


def ratings_section(
    counts: Mapping[tuple[str, str], int], rubric: Rubric, variant: Variant
) -> Section:
    answers = _judged_answers(rubric)
    labels = [label for _, label in answers]
    dimension_counts = [
        [sum(counts.get((c.id, a), 0) for c in d.checks) for a, _ in answers]
        for d in rubric.dimensions
    ]
    subsections = [
        Section(
            "By dimension",
            (
                cross_table(
                    "Members' answers by rubric dimension",
                    "Dimension",
                    [d.label for d in rubric.dimensions],
                    labels,
                    dimension_counts,
                    variant,
                ),
            ),
            level=2,
        )
    ]
    for dimension in rubric.dimensions:
        subsections.append(
            Section(
                f"{dimension.label}: check by check",
                (
                    cross_table(
                        f"Members' answers to the {dimension.label} checks",
                        "Check",
                        [c.text for c in dimension.checks],
                        labels,
                        [[counts.get((c.id, a), 0) for a, _ in answers] for c in dimension.checks],
                        variant,
                    ),
                ),
                level=3,
            )
        )
    for group in rubric.check_groups:
        subsections.append(_group_compliance(counts, rubric, group.id, group.label, variant))
    return Section(
        "What the panel checked",
        (
            Paragraph(
                "Counts of members' answers: each member answers every check of each case "
                "they review. Not applicable answers are left out."
            ),
        ),
        subsections=tuple(subsections),
    )


def _group_compliance(
    counts: Mapping[tuple[str, str], int],
    rubric: Rubric,
    group_id: str,
    label: str,
    variant: Variant,
) -> Section:
    """Per letter: how many answers were Met out of those that judged the point."""
    met = max((a for a in rubric.answers if a.rank is not None), key=lambda a: a.rank or 0).id
    judged = [a for a, _ in _judged_answers(rubric)]
    rows = []
    for check in rubric.group_checks(group_id):
        total = sum(counts.get((check.id, a), 0) for a in judged)
        given = counts.get((check.id, met), 0)
        shown = share_text(given, total, variant) if total else "not judged in any review"
        rows.append((Cell(check.letter or check.id), Cell(check.text), Cell(shown)))
    return Section(
        f"{label} compliance",
        (
            Table(
                f"{label}: answers of Met for each point, out of the answers judging it",
                ("Letter", "Point", "Met"),
                tuple(rows),
            ),
        ),
        level=2,
    )


def agreement_words(what: str, agreement: Agreement) -> str:
    if agreement.alpha is None:
        figure = ""
    else:
        figure = f" (Krippendorff's alpha {agreement.alpha:.2f}"
        figure += f" from {agreement.ratings} ratings of {agreement.units} items)"
    return f"{what}: {agreement.reading}{figure}."


def agreement_section(session: Session, scope: ResolvedScope, rubric: Rubric) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "Members grade each case on their own before the meeting. Agreement is measured "
            "with Krippendorff's alpha: 1 is full agreement, 0 no more than chance; 0.8 and "
            "above is close agreement, 0.667 to 0.8 mostly agreed. Fewer than 10 ratings "
            "are too few to say."
        )
    ]
    for scoped in scope.sessions:
        found = session_agreement(session, scoped.id, rubric)
        items = [agreement_words("Case grades", found.case_grade)]
        items.extend(
            agreement_words(f"{d.label} checks", found.per_dimension[d.id])
            for d in rubric.dimensions
        )
        blocks.append(Paragraph(scoped.name, style="lead"))
        blocks.append(BulletList(tuple(items)))
    return Section("How far members agreed", tuple(blocks))
