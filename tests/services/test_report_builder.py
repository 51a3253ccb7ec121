"""The report model built from a real workspace: every figure of the summary and of the
grade x ethnicity table checked against counts the test makes with its own queries."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select, update

from bwv_review.domain.police_vocab import SELF_DEFINED_ETHNICITY
from bwv_review.domain.rubric import Rubric
from bwv_review.reports.document import BarChart, ReportDocument, Section, Table, Variant
from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.report_builder import ReportBuilder
from bwv_review.services.report_narrative import NarrativeSection
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.review_access import installed_rubric
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import (
    Amendment,
    Assignment,
    AuditEvent,
    Case,
    Clip,
    PanelOutcome,
    Review,
    ReviewSession,
    SampleDraw,
    SessionCase,
    User,
)
from tests.services.report_fixtures import SESSION, ReportPanel, build_report_panel, count_session
from tests.services.review_fixtures import answer_all


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


def _tables(document: ReportDocument) -> list[Table]:
    """Every table, those a chart carries included."""
    found = []
    for section in _sections(document):
        for block in section.blocks:
            if isinstance(block, BarChart):
                found.append(block.table)
            elif isinstance(block, Table):
                found.append(block)
    return found


def _table(document: ReportDocument, caption: str) -> Table:
    matching = [t for t in _tables(document) if t.caption.startswith(caption)]
    assert len(matching) == 1, f"{len(matching)} tables {caption!r}"
    return matching[0]


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
        counts = count_session(session, sid)
        reviewed_ids = counts.reviewed
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
    assert rows["Cases drawn at random (sampled)"] == [str(counts.sampled)]
    assert rows["Cases before the panel (sampled and added)"] == [str(in_session)]
    assert rows["Cases reviewed (at least one member's review submitted)"] == [
        str(len(reviewed_ids))
    ]
    assert rows["Cases discussed at the meeting"] == [str(counts.discussed)]
    assert rows["Footage in the reviewed cases"] == [f"{footage_ms / 60_000:.0f} minutes"]
    actions = [o.actions_json for o in outcomes.values()]
    assert rows["Officers commended"] == [str(sum("commend_officer" in a for a in actions))]
    questions = [
        o
        for o in outcomes.values()
        if "question_to_force" in o.actions_json or o.questions_to_force.strip()
    ]
    assert rows["Cases with questions to the force"] == [str(len(questions))]
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


def _grades_now(session, sid: int) -> dict[int, str | None]:  # type: ignore[no-untyped-def]
    """case id -> agreed grade, the latest amendment applied, by plain queries."""
    outcomes = {
        o.case_id: o
        for o in session.scalars(select(PanelOutcome).where(PanelOutcome.session_id == sid))
    }
    grades = {
        cid: (o.consensus_grade.value if o.consensus_grade else None) for cid, o in outcomes.items()
    }
    by_outcome = {o.id: cid for cid, o in outcomes.items()}
    for amendment in session.scalars(select(Amendment).order_by(Amendment.id)):
        if amendment.target == "panel_outcome" and amendment.field == "consensus_grade":
            grades[by_outcome[amendment.target_id]] = amendment.amended_value
    return grades


def test_grade_by_ethnicity_matches_the_database(workspace: Workspace, panel: ReportPanel) -> None:
    document = workspace.reports.build_report(
        panel.chair, ReportScope.of_sessions(SESSION), Variant.INTERNAL
    )
    labels = {
        "good_practice": "Good practice",
        "adequate": "Adequate",
        "concern": "Concern",
        "cannot_assess": "Cannot assess",
        None: "No agreed grade",
    }
    with workspace.db.transaction() as session:
        grades = _grades_now(session, panel.session_id)
        expected: dict[tuple[str, str], int] = {}
        for case_id, ethnicity in session.execute(
            select(Case.id, Case.subject_self_defined_ethnicity)
            .join(SessionCase, SessionCase.case_id == Case.id)
            .where(SessionCase.session_id == panel.session_id)
        ):
            group = SELF_DEFINED_ETHNICITY.classify(ethnicity) or "not recorded"
            key = (group.capitalize(), labels[grades.get(case_id)])
            expected[key] = expected.get(key, 0) + 1
    table = _table(document, "Panel grade by self-defined ethnicity")
    header = table.header
    assert header[0] == "Self-defined ethnicity" and header[-1] == "Total"
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows[:-1]:
        for column, cell in zip(header[1:-1], row[1:-1], strict=True):
            if cell.text != "0":
                seen[(row[0].text, column)] = int(cell.text)
            assert (cell.flag is not None) == (0 < int(cell.text) < 5)
        assert int(row[-1].text) == sum(int(c.text) for c in row[1:-1])
    assert seen == expected
    assert table.rows[-1][-1].text == str(sum(expected.values()))
    charts = [b for s in _sections(document) for b in s.blocks if isinstance(b, BarChart)]
    (chart,) = [c for c in charts if c.title.endswith("self-defined ethnicity")]
    assert chart.table == table and chart.series
    for series in chart.series:  # the bars are the table's numbers
        j = table.header.index(series.name)
        assert series.values == tuple(float(row[j].text) for row in table.rows[:-1])


def test_published_names_no_case_officer_or_person(
    workspace: Workspace, panel: ReportPanel
) -> None:
    scope = ReportScope.of_sessions(SESSION)
    internal = "\n".join(
        workspace.reports.build_report(panel.chair, scope, Variant.INTERNAL).all_text()
    )
    published = workspace.reports.build_report(panel.chair, scope, Variant.PUBLISHED)
    text = "\n".join(published.all_text()).casefold()
    with workspace.db.transaction() as session:
        words = [r for (r,) in session.execute(select(Case.force_reference))]
        words += [p for (p,) in session.execute(select(Case.officer_pseudonym)) if p]
        for name, pseudonym in session.execute(select(User.display_name, User.pseudonym)):
            words += [name, pseudonym]
    assert "RPT-01" in internal  # the internal report names its cases, so the check can fail
    assert "Alice Brown" in internal  # the chair's vignette named a member: kept as typed
    assert [w for w in words if w.casefold() in text] == []
    assert "1 july 2026" not in text  # the encounter's date, typed in a vignette
    assert "[withheld]" in text
    assert published.marking.startswith("OFFICIAL:")


def test_a_preview_of_an_open_session_is_a_draft(workspace: Workspace) -> None:
    panel = build_report_panel(workspace, finalise=False)
    by_name = ReportScope.of_sessions(SESSION)
    by_date = ReportScope.of_meetings(date(2026, 9, 1), date(2026, 10, 31))
    first = workspace.reports.build_report(panel.chair, by_name, Variant.INTERNAL)
    second = workspace.reports.build_report(panel.chair, by_date, Variant.INTERNAL)
    assert first.draft and second.draft
    assert "DRAFT" in "\n".join(first.all_text())
    assert first == second  # one scope, whichever way it was chosen
    with pytest.raises(PermissionDenied):
        workspace.reports.build_report(panel.members[0], by_name, Variant.INTERNAL)
    with pytest.raises(NotFound, match="no review session met"):
        workspace.reports.build_report(
            panel.chair,
            ReportScope.of_meetings(date(2020, 1, 1), date(2020, 2, 1)),
            Variant.INTERNAL,
        )


def test_dated_is_the_latest_recorded_change_and_narrative_is_saved_as_typed(
    workspace: Workspace, panel: ReportPanel
) -> None:
    scope = ReportScope.of_sessions(SESSION)
    first = workspace.reports.build_report(panel.chair, scope, Variant.INTERNAL)
    with workspace.db.transaction() as session:
        latest = max(
            session.scalar(select(func.max(PanelOutcome.updated_at))),
            session.scalar(select(func.max(Amendment.amended_at))),
            session.scalar(select(func.max(ReviewSession.finalised_at))),
        )
    assert first.dated == latest
    again = workspace.reports.build_report(panel.chair, scope, Variant.INTERNAL)
    assert again == first  # nothing recorded between: the same report, audit log aside

    typed = "Recommendation one: <b>switch cameras on</b> & AT&T\nسطر عربي"
    saved = workspace.report_narrative.save(
        panel.chair,
        scope,
        NarrativeSection.RECOMMENDATIONS,
        typed,
        expected_version=None,
        purpose="test",
    )
    with pytest.raises(ConcurrentEdit):
        workspace.report_narrative.save(
            panel.chair,
            scope,
            NarrativeSection.RECOMMENDATIONS,
            "other",
            expected_version=None,
            purpose="test",
        )
    after = workspace.reports.build_report(panel.chair, scope, Variant.INTERNAL)
    assert after.dated == saved.updated_at > first.dated
    assert typed in after.all_text()
    headings = [s.heading for s in after.sections]
    assert headings.index("The panel's recommendations") > headings.index("Findings")
    with workspace.db.transaction() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("report.compiled") == 3 and "report.narrative_saved" in actions


def test_published_tables_hide_small_counts_and_agree_on_totals(
    workspace: Workspace, panel: ReportPanel
) -> None:
    document = workspace.reports.build_report(
        panel.chair, ReportScope.of_sessions(SESSION), Variant.PUBLISHED
    )
    tables = _tables(document)
    printed = [cell for t in tables for row in t.rows for cell in row[1:]]
    assert not [c.text for c in printed if c.text in {"1", "2", "3", "4"}]
    assert any(c.text == "<5" for c in printed) and any(c.text == "[c]" for c in printed)
    by_grade = _rows(_table(document, "Cases by the panel's agreed grade"))
    grade_columns = _table(document, "Panel grade by type of case").header[1:-1]
    summary = [by_grade[grade][0] for grade in grade_columns]
    for table in tables:
        if table.caption.startswith("Panel grade by") and "Taser" not in table.caption:
            # The grade totals are the summary's cases by grade: never printed plainer
            # in one table than in another, or the summary's hidden cells come back.
            totals = [c.text for c in table.rows[-1][1:-1]]
            assert totals in (summary, ["withheld"] * len(summary)), table.caption
    assert not any(isinstance(b, BarChart) for s in _sections(document) for b in s.blocks)


def test_a_case_reviewed_in_two_sessions_counts_once_in_each(
    workspace: Workspace, panel: ReportPanel
) -> None:
    """A year's report over two sessions: a case the second session took again counts for
    each, its footage too, and the scope is a draft while the second is open."""
    chair, alice = panel.chair, panel.members[0]
    again = panel.references[0]
    second = workspace.review_sessions.create(
        chair, "2026 Q4 report panel", "2026-Q4", date(2027, 1, 14), ["alice"], purpose="test"
    )
    workspace.review_sessions.add_case(chair, second, again, "seen again", purpose="test")
    workspace.review_sessions.open(chair, second, purpose="test")
    item = next(i for i in workspace.reviews.queue(alice) if i.session_id == second)
    answer_all(workspace, alice, item.assignment_id, "met")
    workspace.reviews.submit(alice, item.assignment_id, purpose="test")

    scope = ReportScope.of_sessions("2026 Q4 report panel", SESSION)
    document = workspace.reports.build_report(chair, scope, Variant.INTERNAL)
    with workspace.db.transaction() as session:
        reviewed = session.execute(
            select(Assignment.session_id, Assignment.case_id)
            .join(Review, Review.assignment_id == Assignment.id)
            .where(Review.status == "submitted")
            .distinct()
        ).all()
        footage_ms = sum(
            session.scalar(select(func.sum(Clip.duration_ms)).where(Clip.case_id == case_id))
            for _, case_id in reviewed
        )
        in_scope = session.scalar(select(func.count()).select_from(SessionCase))
    rows = _rows(_table(document, "Summary in numbers"))
    assert rows["Cases before the panel (sampled and added)"] == [str(in_scope)]
    assert rows["Cases reviewed (at least one member's review submitted)"] == [str(len(reviewed))]
    assert rows["Footage in the reviewed cases"] == [f"{footage_ms / 60_000:.0f} minutes"]
    assert document.draft and document.period == "2026-Q3 to 2026-Q4"
    assert "Meetings: 1 October 2026, 14 January 2027." in "\n".join(document.all_text())


def test_sessions_on_two_versions_of_one_rubric_report_together(
    workspace: Workspace, panel: ReportPanel
) -> None:
    """A year spans a rubric release that only added learning tags: its sessions are
    counted together under the newer version; a rubric with other checks is refused."""
    chair = panel.chair
    second = workspace.review_sessions.create(
        chair, "2026 Q4 report panel", "2026-Q4", date(2027, 1, 14), ["alice"], purpose="test"
    )
    with workspace.db.transaction() as session:
        session.execute(
            update(ReviewSession)
            .where(ReviewSession.id == panel.session_id)
            .values(rubric_version="2026.1")
        )
        newest = session.get_one(ReviewSession, second).rubric_version
    scope = ReportScope.of_sessions(SESSION, "2026 Q4 report panel")
    document = workspace.reports.build_report(chair, scope, Variant.INTERNAL)
    assert f"version {newest})" in "\n".join(document.all_text())

    # A panel's own rubric of the same id whose older version had one dimension fewer.
    def lookup(rubric_id: str, version: str) -> Rubric:
        rubric = installed_rubric(rubric_id, newest)
        if version == newest:
            return rubric
        return dataclasses.replace(rubric, version=version, dimensions=rubric.dimensions[:-1])

    with pytest.raises(BadInput, match="different checks or grades"):
        ReportBuilder(workspace.db, lookup).build_report(chair, scope, Variant.INTERNAL)
