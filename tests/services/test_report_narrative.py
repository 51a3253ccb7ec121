"""The chair's narrative sections: one of each per scope, saved as typed under the text rule,
versioned, audited, and for chairs only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.report_narrative import NarrativeSection
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, ReportNarrative
from tests.services.report_fixtures import SESSION, build_report_panel

FOCUS = NarrativeSection.SAMPLING_FOCUS


def _events(workspace: Workspace) -> int:
    with workspace.db.transaction() as session:
        query = select(func.count()).where(AuditEvent.action == "report.narrative_saved")
        return int(session.scalar(query) or 0)


def test_sections_are_saved_as_typed_and_versioned(workspace: Workspace) -> None:
    panel = build_report_panel(workspace, finalise=False)
    scope = ReportScope.of_sessions(SESSION)
    narrative = workspace.report_narrative
    assert [(v.section, v.text, v.version) for v in narrative.sections(panel.chair, scope)] == [
        (section, "", None) for section in NarrativeSection
    ]
    typed = "Children under 18 searched beyond outer clothing.\r\n\r\n<b>&amp; all of them</b>"
    first = narrative.save(panel.chair, scope, FOCUS, typed, expected_version=None, purpose="t")
    assert first.text == typed.replace("\r\n", "\n") and first.version == 1
    assert first.updated_by == "Ruth Okoro"
    same = narrative.save(panel.chair, scope, FOCUS, first.text, expected_version=1, purpose="t")
    assert same.version == 1 and _events(workspace) == 1  # nothing changed, nothing written
    by_dates = ReportScope.of_meetings(date(2026, 10, 1), date(2026, 10, 1))
    second = narrative.save(panel.chair, by_dates, FOCUS, "Taser", expected_version=1, purpose="t")
    assert second.version == 2 and _events(workspace) == 2  # the same scope, chosen by date
    with workspace.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ReportNarrative)) == 1


def test_bad_text_and_other_roles_are_refused(workspace: Workspace) -> None:
    panel = build_report_panel(workspace, finalise=False)
    scope = ReportScope.of_sessions(SESSION)
    with pytest.raises(BadInput, match="sampling focus contains a NUL"):
        workspace.report_narrative.save(
            panel.chair, scope, FOCUS, "a\0b", expected_version=None, purpose="t"
        )
    with pytest.raises(PermissionDenied, match="compile reports"):
        workspace.report_narrative.save(
            panel.members[0], scope, FOCUS, "mine", expected_version=None, purpose="t"
        )
    with pytest.raises(PermissionDenied):
        workspace.report_narrative.sections(panel.members[0], scope)
    assert _events(workspace) == 0
