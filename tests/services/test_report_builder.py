"""The report model built from a real workspace: every figure of the summary and of the
grade x ethnicity table checked against counts the test makes with its own queries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bwv_review.reports.document import ReportDocument, Section, Table, Variant
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import (
    Amendment,
    Assignment,
    Clip,
    PanelOutcome,
    Review,
    SampleDraw,
    SessionCase,
)
from tests.services.report_fixtures import SESSION, ReportPanel, build_report_panel


@pytest.fixture
def panel(workspace: Workspace) -> ReportPanel:
    return build_report_panel(workspace)


def _sections(document: ReportDocument) -> list[Section]:
    found = []

    def walk(section: Section) -> None:
        found.append(section)
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return found


def _table(document: ReportDocument, caption: str) -> Table:
    for section in _sections(document):
        for block in section.blocks:
            if isinstance(block, Table) and block.caption.startswith(caption):
                return block
    raise AssertionError(f"no table {caption!r}")


def _rows(table: Table) -> dict[str, list[str]]:
    return {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}


def test_summary_figures_match_the_database(workspace: Workspace, panel: ReportPanel) -> None:
    document = workspace.reports.build_report(
        panel.chair, ReportScope.of_sessions(SESSION), Variant.INTERNAL
    )
    sid = panel.session_id
    with workspace.db.transaction() as session:
        frame = session.scalar(select(SampleDraw.frame_size))
        in_session = session.scalar(
            select(func.count()).select_from(SessionCase).where(SessionCase.session_id == sid)
        )
        sampled = session.scalar(
            select(func.count())
            .select_from(SessionCase)
            .where(SessionCase.session_id == sid, SessionCase.source == "sample")
        )
        discussed = session.scalar(
            select(func.count())
            .select_from(SessionCase)
            .where(SessionCase.session_id == sid, SessionCase.discussed.is_(True))
        )
        reviewed_ids = set(
            session.scalars(
                select(Assignment.case_id)
                .join(Review, Review.assignment_id == Assignment.id)
                .where(Assignment.session_id == sid, Review.status == "submitted")
            )
        )
        footage_ms = session.scalar(
            select(func.sum(Clip.duration_ms)).where(Clip.case_id.in_(reviewed_ids))
        )
        outcomes = {o.case_id: o for o in session.scalars(select(PanelOutcome))}
        amended = {
            a.target_id: a.amended_value
            for a in session.scalars(select(Amendment).order_by(Amendment.id))
            if a.field == "consensus_grade"
        }
    grades = {
        case_id: amended.get(o.id, o.consensus_grade.value if o.consensus_grade else None)
        for case_id, o in outcomes.items()
    }
    rows = _rows(_table(document, "Summary in numbers"))
    assert rows["Cases in the sampling frame"] == [str(frame)]
    assert rows["Cases drawn at random (sampled)"] == [str(sampled)]
    assert rows["Cases before the panel (sampled and added)"] == [str(in_session)]
    assert rows["Cases reviewed (at least one member's review submitted)"] == [
        str(len(reviewed_ids))
    ]
    assert rows["Cases discussed at the meeting"] == [str(discussed)]
    assert rows["Footage in the reviewed cases"] == [f"{footage_ms / 60_000:.0f} minutes"]
    actions = [o.actions_json for o in outcomes.values()]
    assert rows["Officers commended"] == [str(sum("commend_officer" in a for a in actions))]
    assert rows["Referrals to Professional Standards"] == [
        str(sum("refer_to_professional" in a for a in actions))
    ]
    by_grade = _rows(_table(document, "Cases by the panel's agreed grade"))
    for grade_id, label in (("good_practice", "Good practice"), ("adequate", "Adequate")):
        count = sum(1 for g in grades.values() if g == grade_id)
        assert by_grade[label][0] == str(count)
    assert by_grade["No agreed grade"][0] == str(in_session - len(outcomes))
    assert by_grade["Total"][0] == str(in_session)
    assert not document.draft
