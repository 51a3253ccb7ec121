"""The report's force-wide section over real public records and the real Census 2011
table: the relative rate it prints is checked against one worked out here by hand."""

from __future__ import annotations

import math

from sqlalchemy import func, select, update

from bwv_review.domain.vocab import Role
from bwv_review.reports.document import BulletList, Paragraph, Section, Table, Variant
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import PoliceRecord, ReviewSession
from tests.conftest import POLICE_DATA_DIR
from tests.services.report_fixtures import SESSION, build_report_panel
from tests.services.review_fixtures import PURPOSE, make_person

HEADING = "Force-wide context from the public records"
# The census row for Avon & Somerset in resources/data (Chinese is added to Asian).
WHITE_PEOPLE, BLACK_PEOPLE = 1_491_970, 30_923


def _section(workspace: Workspace, chair, variant: Variant) -> Section:  # type: ignore[no-untyped-def]
    document = workspace.reports.build_report(chair, ReportScope.of_sessions(SESSION), variant)
    return next(s for s in document.sections if s.heading == HEADING)


def test_the_force_section_gives_the_relative_rate_worked_by_hand(workspace: Workspace) -> None:
    panel = build_report_panel(workspace)
    without_force = _section(workspace, panel.chair, Variant.INTERNAL)
    assert "names no police force" in without_force.blocks[0].text  # type: ignore[union-attr]

    admin = make_person(workspace, "importer", Role.ADMIN)
    workspace.panel.change(admin, force="avon-and-somerset", purpose=PURPOSE)
    records = POLICE_DATA_DIR / "2018-01-avon-and-somerset-stop-and-search.csv"
    workspace.records.import_file(admin, records, purpose=PURPOSE)
    census = POLICE_DATA_DIR / "census-2011-ethnic-group-by-police-force-area.csv"
    workspace.population.import_file(
        admin, census, source="ONS Census 2011", year=2011, purpose=PURPOSE
    )
    with workspace.db.transaction() as session:
        session.execute(
            update(ReviewSession)
            .where(ReviewSession.id == panel.session_id)
            .values(quarter="2018-Q1")
        )

        def searches(group: str) -> int:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(PoliceRecord)
                    .where(PoliceRecord.self_defined_ethnicity_group == group)
                )
                or 0
            )

        black, white = searches("black"), searches("white")
        total = session.scalar(select(func.count()).select_from(PoliceRecord))
    ratio = (black / BLACK_PEOPLE) / (white / WHITE_PEOPLE)
    spread = 1.96 * math.sqrt(1 / black + 1 / white - 1 / BLACK_PEOPLE - 1 / WHITE_PEOPLE)
    low, high = ratio * math.exp(-spread), ratio * math.exp(spread)
    expected = (
        f"Black people were searched {ratio:.1f} times as often as White people "
        f"(95% CI {low:.1f} to {high:.1f})."
    )

    for variant in Variant:  # public records: the same figures in both variants
        section = _section(workspace, panel.chair, variant)
        lead = section.blocks[0]
        assert isinstance(lead, Paragraph) and "January 2018" in lead.text
        assert "1 of the 3 months" in lead.text
        assert f"recorded {total:,} searches" in section.blocks[1].text  # type: ignore[union-attr]
        bullets = [i for b in section.blocks if isinstance(b, BulletList) for i in b.items]
        assert expected in bullets
        assert any("Asian" in item and "too few to compare" in item for item in bullets)
        assert "Population: ONS Census 2011 (2011)." in bullets
        assert any("years before this period" in item for item in bullets)
        rates = next(b for b in section.blocks if isinstance(b, Table) and "per 1,000" in b.caption)
        black_row = next(row for row in rates.rows if row[0].text == "Black")
        assert black_row[1].text == f"{black:,}" and black_row[2].text == f"{BLACK_PEOPLE:,}"
