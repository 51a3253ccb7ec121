"""The force-wide context section: what the public stop-and-search records say about the
whole force over the report's period (from services.force_context), so a reader can set the
panel's small sample beside every search the force recorded.

These are published records, counted whole: they describe searches, not the people the
panel watched, so no cell is hidden. Which months are held, the population source and
year, and what the rates leave out are printed with the figures, never assumed.
"""

from __future__ import annotations

from bwv_review.domain.disproportionality import CENSUS_GROUPS, GROUP_LABELS
from bwv_review.reports.document import Block, BulletList, Cell, Paragraph, Section, Table
from bwv_review.services.force_context import EthnicityBasis, ForceContext

HEADING = "Force-wide context from the public records"
LEFT_OUT = "left out"


def _outcome_table(context: ForceContext, basis: EthnicityBasis) -> Table:
    outcomes = {o.group: o for o in basis.outcomes}
    rows = []
    for group in CENSUS_GROUPS:
        if group == "mixed" and not basis.has_mixed:
            rows.append((Cell(GROUP_LABELS[group]), *(Cell("not in these records"),) * 3))
            continue
        found = outcomes[group]
        rows.append(
            (
                Cell(found.label),
                Cell(f"{found.searches:,}"),
                Cell(found.no_further_action.text),
                Cell(found.outcome_linked.text),
            )
        )
    counts = basis.counts
    for label, count in (
        ("Not recorded", counts.not_recorded),
        ("Not stated", counts.not_stated),
        ("Not recognised", counts.unrecognised),
    ):
        if count or label != "Not recognised":
            rows.append((Cell(label), Cell(f"{count:,}"), Cell(LEFT_OUT), Cell(LEFT_OUT)))
    return Table(
        f"{context.force_name}: searches by {basis.name} ethnicity and their outcomes",
        ("Group", "Searches", "No further action", "Outcome linked to the object"),
        tuple(rows),
        note="Shares are of the group's searches.",
    )


def _rate_blocks(context: ForceContext, basis: EthnicityBasis) -> list[Block]:
    if not basis.rates:
        return []
    rows = []
    for rate in basis.rates:
        per_thousand = "not shown" if rate.per_thousand is None else f"{rate.per_thousand:.1f}"
        compared = rate.relative.text if rate.relative else "the group others are compared with"
        rows.append(
            (
                Cell(rate.label),
                Cell(f"{rate.searches:,}"),
                Cell(f"{rate.population:,}"),
                Cell(per_thousand),
                Cell(compared),
            )
        )
    source = context.population
    cited = f" Population: {source.source} ({source.year})." if source else ""
    return [
        Table(
            f"{context.force_name}: searches per 1,000 people by {basis.name} ethnicity",
            ("Group", "Searches", "People", "Searches per 1,000 people", "Compared with White"),
            tuple(rows),
            note="Relative rates with a 95% confidence interval (Katz)." + cited,
        ),
        BulletList(tuple(f"{r.relative.text}." for r in basis.rates if r.relative)),
    ]


def force_context_section(context: ForceContext) -> Section:
    blocks: list[Block] = [Paragraph(context.coverage_text, style="lead")]
    if context.searches:
        blocks.append(
            Paragraph(
                f"{context.force_name} recorded {context.searches:,} searches in the months "
                "held. Self-defined ethnicity is what the person said; officer-defined is "
                "what the officer recorded."
            )
        )
        for basis in (context.self_defined, context.officer_defined):
            blocks.append(_outcome_table(context, basis))
            blocks.extend(_rate_blocks(context, basis))
    blocks.append(BulletList(tuple(n for n in context.notes if n != context.coverage_text)))
    return Section(HEADING, tuple(blocks))


def no_context_section(reason: str) -> Section:
    """Why the section is empty (no force set, or a period the records cannot be matched
    to), so a reader never wonders whether it was left out on purpose."""
    return Section(HEADING, (Paragraph(reason),))
