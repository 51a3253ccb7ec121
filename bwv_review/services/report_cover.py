"""The report's cover: the panel, the period and its meetings, who attended (counted by
role, never named) and how the cases were chosen (each draw's filters, strata, seed and
frame size, and the cases the chair added by hand), so a reader can judge the sample.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.sampling import ALL, REST, Condition, SampleSpec
from bwv_review.domain.vocab import Role
from bwv_review.reports.document import Block, BulletList, Cell, Paragraph, Section, Table, Variant
from bwv_review.services.report_figures import ScopeCase
from bwv_review.services.report_scope import ResolvedScope, ScopeSession, long_date, month_year
from bwv_review.services.report_tables import column_cells, count_cell
from bwv_review.store.models import SampleDraw, SessionMember, UserRole

_ATTENDED = {True: "Attended", False: "Sent apologies", None: "Not recorded"}


def meeting_words(scope: ResolvedScope) -> str:
    dates = scope.meeting_dates
    if not dates:
        return "No meeting date is recorded."
    listed = ", ".join(long_date(d) for d in dates)
    return f"Meeting{'s' if len(dates) > 1 else ''}: {listed}."


def cover_section(
    session: Session,
    scope: ResolvedScope,
    cases: Sequence[ScopeCase],
    panel_name: str,
    variant: Variant,
    *,
    demo: bool,
) -> Section:
    sessions = ", ".join(s.name for s in scope.sessions)
    blocks: list[Block] = [
        Paragraph(f"{panel_name}: report for {scope.period}.", style="lead"),
        Paragraph(f"Sessions covered: {sessions}. {meeting_words(scope)}"),
    ]
    if demo:
        blocks.append(
            Paragraph(
                "Demonstration data: every case, person and finding in this report is invented.",
                style="caveat",
            )
        )
    if scope.draft:
        open_ones = ", ".join(s.name for s in scope.sessions if not s.finalised)
        blocks.append(
            Paragraph(
                f"DRAFT: {open_ones} {'is' if ', ' not in open_ones else 'are'} not finalised, "
                "so the figures may still change. A draft is for the panel's own checking "
                "and is never issued.",
                style="caveat",
            )
        )
    blocks.append(_attendance(session, scope, variant))
    return Section(
        "About this report",
        tuple(blocks),
        subsections=(_sampling(session, scope, cases, variant),),
    )


def _attendance(session: Session, scope: ResolvedScope, variant: Variant) -> Table:
    """Members by role and whether they attended the meeting; a member holding the chair's
    role counts as a chair."""
    counts: Counter[tuple[str, bool | None]] = Counter()
    for user_id, attended in session.execute(
        select(SessionMember.user_id, SessionMember.attended).where(
            SessionMember.session_id.in_(scope.ids)
        )
    ):
        roles = set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))
        role = Role.CHAIR.label if Role.CHAIR in roles else Role.REVIEWER.label
        counts[(role, attended)] += 1
    rows = []
    for role in (Role.CHAIR.label, Role.REVIEWER.label):
        if not any(r == role for r, _ in counts):
            continue
        rows.append(
            (
                Cell(role),
                *(count_cell(counts[(role, state)], variant) for state in _ATTENDED),
            )
        )
    return Table(
        "Panel members at the meetings, by role (a member of several sessions counts once "
        "for each)",
        ("Role", *_ATTENDED.values()),
        tuple(rows),
        note="Members are counted, never named.",
    )


def _sampling(
    session: Session, scope: ResolvedScope, cases: Sequence[ScopeCase], variant: Variant
) -> Section:
    blocks: list[Paragraph | BulletList | Table] = []
    for scoped in scope.sessions:
        blocks.extend(_draw_blocks(session, scoped, variant))
        added = sum(1 for c in cases if c.session_id == scoped.id and c.source != "sample")
        if added:
            blocks.append(
                Paragraph(
                    f"{scoped.name}: {added} case{'s' if added != 1 else ''} added by the "
                    "chair outside the random draw, for a theme the panel chose."
                )
            )
    return Section("How the cases were chosen", tuple(blocks), level=2)


def _filter_words(condition: Condition, variant: Variant) -> str:
    """The published report gives a date filter's months, not its days: a frame that ends
    on the day of the last search in it would print an encounter date."""
    if condition.field != "date" or variant is not Variant.PUBLISHED:
        return condition.words
    start, end = (_month(value) for value in condition.values)
    if start and end:
        return f"dated {start} to {end}" if start != end else f"dated {start}"
    return f"dated from {start}" if start else f"dated up to {end}"


def _month(value: str) -> str:
    return month_year(date.fromisoformat(value)) if value else ""


def _draw_blocks(
    session: Session, scoped: ScopeSession, variant: Variant
) -> list[Paragraph | BulletList | Table]:
    if scoped.sample_draw_id is None:
        return [Paragraph(f"{scoped.name}: the chair chose its cases; no random draw was used.")]
    draw = session.get_one(SampleDraw, scoped.sample_draw_id)
    spec = SampleSpec.from_json(json.loads(draw.spec_json))
    filters = [_filter_words(f, variant) for f in spec.filters] or ["every case the force provided"]
    words = {stratum.label: stratum.words for stratum in spec.strata}
    strata = json.loads(draw.stratum_counts_json)
    # The frame size and the sample size are printed, so each column is protected
    # against its total.
    in_frame = column_cells([s["in_frame"] for s in strata], variant)
    drawn = column_cells([s["drawn"] for s in strata], variant)
    rows = []
    for stratum, frame_cell, drawn_cell in zip(strata, in_frame, drawn, strict=True):
        label = stratum["stratum"]
        name = {ALL: "Whole frame", REST: "All other cases"}.get(label) or words.get(label, label)
        wanted = "all" if stratum["wanted"] is None else str(stratum["wanted"])
        rows.append((Cell(name[:1].upper() + name[1:]), Cell(wanted), frame_cell, drawn_cell))
    return [
        Paragraph(
            f"{scoped.name}: a random dip sample (draw {draw.name!r}) from a frame of "
            f"{draw.frame_size} cases, seed {draw.seed!r}. The same seed and frame give the "
            "same cases again, so anyone can check the draw was not re-run until it suited."
        ),
        BulletList(tuple(f"Frame: {text}" for text in filters)),
        Table(
            f"{scoped.name}: the draw's groups (strata)",
            ("Group", "Asked for", "In the frame", "Drawn"),
            tuple(rows),
        ),
    ]
