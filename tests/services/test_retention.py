"""RetentionService.purge on SQLite and PostgreSQL: an open session's cases are skipped
and named; once the session is finalised the purge removes the case's personal fields and
reviewers' texts, keeps answers and learning-point stamps, writes one audit event with
counts, and the chain still verifies. Encounters younger than the period stay whole."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import LearningKind
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Answer, AuditEvent, Case, Clip, LearningPoint, Review
from tests.services.review_fixtures import PURPOSE, answer_all, build_panel, make_case

# The fixtures' encounters are on 2026-07-01 at 14:30 UTC.
A_YEAR_ON = date(2027, 9, 1)


def _case(ws: Workspace, reference: str) -> Case:
    with ws.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.force_reference == reference)).one()
        session.expunge(case)
        return case


def _texts(ws: Workspace) -> dict[str, list[object]]:
    with ws.db.transaction() as session:
        return {
            "answers": sorted(session.execute(select(Answer.check_id, Answer.value)).all()),
            "reasons": [r for r in session.scalars(select(Answer.reason)) if r],
            "notes": list(
                session.scalars(select(Review.general_note).where(Review.general_note.is_not(None)))
            ),
            "points": list(
                session.execute(
                    select(LearningPoint.position_ms, LearningPoint.kind, LearningPoint.note)
                ).all()
            ),
            "paths": sorted(session.scalars(select(Clip.relative_path))),
        }


def test_open_sessions_are_skipped_then_a_finalised_one_is_purged(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=2)
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    reviews = workspace.reviews
    answer_all(workspace, panel.alice, assignment, "not_met")
    reviews.set_text(
        panel.alice, assignment, ReviewText.GENERAL_NOTE, "PC spoke to Mr X", purpose=PURPOSE
    )
    clip_id = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(
        clip_id, 42_040, 1051, 2, LearningKind.LEARNING, (), "his face at 0:42"
    )
    reviews.add_learning_point(panel.alice, assignment, stamp, purpose=PURPOSE)
    make_case(workspace, "LONE-001")  # in no session
    before = _texts(workspace)
    assert before["reasons"] and before["notes"] == ["PC spoke to Mr X"]

    first = workspace.retention.purge(
        panel.admin, 365, dry_run=False, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert [case.reference for case in first.cases] == ["LONE-001"]
    assert first.skipped_open == ("CASE-001", "CASE-002")
    assert _case(workspace, "CASE-001").grounds_text is not None
    lone = _case(workspace, "LONE-001")
    assert (lone.grounds_text, lone.officer_pseudonym) == (None, None)
    assert lone.occurred_at == datetime(2026, 7, 1, tzinfo=UTC)
    assert lone.power == "Misuse of Drugs Act 1971 s.23"  # public-record fields stay

    workspace.review_sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE)
    planned = workspace.retention.purge(
        panel.admin, 365, dry_run=True, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert _texts(workspace)["notes"] == ["PC spoke to Mr X"]  # a dry run changes nothing
    done = workspace.retention.purge(
        panel.admin, 365, dry_run=False, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert done.cases == planned.cases
    assert [case.reference for case in done.cases] == ["CASE-001", "CASE-002"]
    assert done.skipped_open == ()
    after = _texts(workspace)
    assert after["answers"] == before["answers"]
    assert (after["reasons"], after["notes"]) == ([], [])
    assert after["points"] == [(42_040, LearningKind.LEARNING, "")]
    assert all(path.startswith("purged/") for path in after["paths"])

    with workspace.db.transaction() as session:
        events = session.scalars(
            select(AuditEvent.detail_json).where(AuditEvent.action == "retention.purged")
        ).all()
    assert [json.loads(detail)["cases"] for detail in events] == [1, 2]
    assert not [d for d in events if "Mr X" in d or "CASE-" in d or "OFF-7" in d]
    assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact
    again = workspace.retention.purge(
        panel.admin, 365, dry_run=True, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert again.cases == ()


def test_younger_encounters_stay_and_only_an_administrator_purges(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=1, open_it=False)
    # 2026-07-01 is 427 days before A_YEAR_ON: not more than 427 days, so a 427-day period
    # does not take it yet; a 426-day one does.
    kept = workspace.retention.purge(
        panel.admin, 427, dry_run=False, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert kept.cases == ()
    taken = workspace.retention.purge(
        panel.admin, 426, dry_run=True, purpose=PURPOSE, today=A_YEAR_ON
    )
    assert [case.reference for case in taken.cases] == ["CASE-001"]  # a draft session's case
    with pytest.raises(PermissionDenied):
        workspace.retention.purge(panel.chair, 1, dry_run=True, purpose=PURPOSE)
    with pytest.raises(BadInput, match="--older-than 0: give a number of days"):
        workspace.retention.purge(panel.admin, 0, dry_run=True, purpose=PURPOSE)
