"""The report of the demo workspace: the finalised 2018-Q1 session, and both sessions as a
draft, built from the demo as `bwv-review demo` leaves it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bwv_review.demo.accounts import CHAIR
from bwv_review.demo.build import FIRST_SESSION, NEXT_SESSION
from bwv_review.reports.document import ReportDocument, Section, Variant
from bwv_review.services.actor import Actor
from bwv_review.services.report_redaction import date_spellings
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import (
    Case,
    PoliceRecord,
    ReviewSession,
    SampleDraw,
    SessionCase,
    User,
)
from tests.conftest import BuiltDemo


@pytest.fixture
def demo(demo_home: BuiltDemo) -> Iterator[tuple[Workspace, Actor]]:
    assert demo_home.exit_code == 0, demo_home.output
    ws = Workspace.open(demo_home.db_url)
    try:
        yield ws, ws.auth.sign_in(CHAIR.username, CHAIR.pin, purpose="test")
    finally:
        ws.close()


def _section(document: ReportDocument, heading: str) -> Section:
    return next(s for s in document.sections if s.heading == heading)


def test_the_published_demo_report_names_nobody(demo: tuple[Workspace, Actor]) -> None:
    ws, chair = demo
    scope = ReportScope.of_sessions(FIRST_SESSION)
    internal = "\n".join(ws.reports.build_report(chair, scope, Variant.INTERNAL).all_text())
    published = ws.reports.build_report(chair, scope, Variant.PUBLISHED)
    text = "\n".join(published.all_text()).casefold()
    with ws.db.transaction() as session:
        words = list(session.scalars(select(Case.force_reference)))
        words += [p for p in session.scalars(select(Case.officer_pseudonym)) if p]
        for name, pseudonym in session.execute(select(User.display_name, User.pseudonym)):
            words += [name, pseudonym]
        days = {
            when.date()
            for when in session.scalars(
                select(Case.occurred_at)
                .join(SessionCase, SessionCase.case_id == Case.id)
                .join(ReviewSession, ReviewSession.id == SessionCase.session_id)
                .where(ReviewSession.name == FIRST_SESSION)
            )
        }
        # The draw's date filter bounds the frame and is printed as such: not an encounter.
        bounds = "".join(session.scalars(select(SampleDraw.spec_json)))
    in_internal = [w for w in words if w in internal]
    assert any(w.startswith("DEMO-") for w in in_internal)  # so the scan below can fail
    assert [w for w in words if w.casefold() in text] == []
    spelled = {
        spelling.casefold()
        for day in days
        if day.isoformat() not in bounds
        for spelling in date_spellings(day)
    }
    assert spelled  # most encounter days are no bound, so the scan below can fail
    assert [s for s in spelled if s in text] == []
    assert not published.draft


def test_the_demo_report_sets_the_force_records_beside_the_sample(
    demo: tuple[Workspace, Actor],
) -> None:
    ws, chair = demo
    document = ws.reports.build_report(
        chair, ReportScope.of_sessions(FIRST_SESSION), Variant.INTERNAL
    )
    with ws.db.transaction() as session:
        searches = session.scalar(select(func.count()).select_from(PoliceRecord))
    context = "\n".join(
        _section(document, "Force-wide context from the public records").blocks[1].text.splitlines()  # type: ignore[union-attr]
    )
    assert f"recorded {searches:,} searches" in context
    coverage = _section(document, "Force-wide context from the public records").blocks[0]
    assert "January 2018" in coverage.text  # type: ignore[union-attr]
    assert "1 of the 3 months" in coverage.text  # type: ignore[union-attr]


def test_both_demo_sessions_make_a_draft_dated_by_the_workspace(
    demo: tuple[Workspace, Actor],
) -> None:
    ws, chair = demo
    scope = ReportScope.of_sessions(FIRST_SESSION, NEXT_SESSION)
    first = ws.reports.build_report(chair, scope, Variant.INTERNAL)
    second = ws.reports.build_report(chair, scope, Variant.INTERNAL)
    assert first.draft and first.period == "2018-Q1 to 2018-Q2"
    assert first == second
    final = ws.reports.build_report(chair, ReportScope.of_sessions(FIRST_SESSION), Variant.INTERNAL)
    assert final.dated <= first.dated
