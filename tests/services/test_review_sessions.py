"""The chair's session work on both backends: members and cases, default assignment of
every case to every member, adopting a draw, opening, the meeting and finalising."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, SampleDraw, SampleDrawCase
from tests.services.review_fixtures import (
    PURPOSE,
    answer_all,
    build_panel,
    make_case,
    make_person,
)


def test_every_member_is_assigned_every_case_until_the_chair_narrows_it(
    workspace: Workspace,
) -> None:
    panel = build_panel(workspace, open_it=False)
    sessions = workspace.review_sessions
    detail = sessions.detail(panel.chair, panel.session_id)
    members = [(m.username, m.label) for m in detail.members]
    assert members == [("alice", "Member A"), ("bob", "Member B")]
    everyone = (panel.alice.user_id, panel.bob.user_id)
    assert [c.reviewer_ids for c in detail.cases] == [everyone, everyone]
    assert [(c.source, c.reason) for c in detail.cases] == [("manual", "theme: drugs")] * 2

    sessions.set_assignees(panel.chair, panel.session_id, panel.case_ids[0], ["bob"], purpose="t")
    sessions.add_members(panel.chair, panel.session_id, ["outsider"], purpose=PURPOSE)
    detail = sessions.detail(panel.chair, panel.session_id)
    assert detail.cases[0].reviewer_ids == (panel.bob.user_id, panel.outsider.user_id)
    assert len(detail.cases[1].reviewer_ids) == 3
    assert detail.summary.assignments == 5


def test_reviewers_see_nothing_of_a_draft_and_cannot_run_sessions(workspace: Workspace) -> None:
    panel = build_panel(workspace, open_it=False)
    assert workspace.reviews.queue(panel.alice) == []
    assert workspace.review_sessions.list_sessions(panel.alice) == []
    with pytest.raises(PermissionDenied, match="run review sessions"):
        workspace.review_sessions.open(panel.alice, panel.session_id, purpose=PURPOSE)
    workspace.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    assert [s.name for s in workspace.review_sessions.list_sessions(panel.alice)] == [
        "2026 Q3 panel"
    ]
    assert len(workspace.reviews.queue(panel.alice)) == 2


def test_every_chair_sees_every_session_and_joins_its_panel_to_read_cases(
    workspace: Workspace,
) -> None:
    """Issue 8 defect 9: an administrator who is also a chair saw no sessions."""
    panel = build_panel(workspace)
    dora = make_person(workspace, "dora", Role.ADMIN, Role.CHAIR)
    sessions, consensus = workspace.review_sessions, workspace.consensus
    assert [s.name for s in sessions.list_sessions(dora)] == ["2026 Q3 panel"]
    detail = sessions.detail(dora, panel.session_id)
    assert [m.username for m in detail.members] == ["alice", "bob"] and not detail.on_panel
    assert sessions.detail(panel.chair, panel.session_id).on_panel  # the creator is on it
    assert consensus.changes_since(dora, panel.session_id).events == ()
    # Case content waits for membership.
    with pytest.raises(PermissionDenied, match="join it as a panel member"):
        consensus.compare_case(dora, panel.session_id, panel.case_ids[0], purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="join it as a panel member"):
        consensus.agreement(dora, panel.session_id)
    with pytest.raises(PermissionDenied, match="join it as a panel member"):
        consensus.outcome(dora, panel.session_id, panel.case_ids[0])

    sessions.join(dora, panel.session_id, purpose=PURPOSE)
    detail = sessions.detail(dora, panel.session_id)
    assert detail.on_panel
    assert [(m.username, m.label) for m in detail.members][-1] == ("dora", "Member C")
    assert detail.summary.assignments == 4  # joining assigns no cases
    assert consensus.compare_case(
        dora, panel.session_id, panel.case_ids[0], purpose=PURPOSE
    ).pending == ("Member A", "Member B")
    with workspace.db.transaction() as session:
        joined = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "session.member_joined")
        ).all()
        assert [(e.actor, e.entity_id) for e in joined] == [("dora", str(panel.session_id))]
    with pytest.raises(BadInput, match="already a member"):
        sessions.join(dora, panel.session_id, purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="record panel outcomes"):
        sessions.join(panel.alice, panel.session_id, purpose=PURPOSE)


def test_a_second_chair_may_finalise_without_joining(workspace: Workspace) -> None:
    panel = build_panel(workspace)
    vice = make_person(workspace, "vice", Role.CHAIR)
    assert workspace.review_sessions.finalise(vice, panel.session_id, purpose=PURPOSE) == 4
    assert workspace.review_sessions.detail(vice, panel.session_id).summary.status == "finalised"
    # A reviewer still sees only the sessions they sit on.
    assert workspace.review_sessions.list_sessions(panel.outsider) == []


def test_adopting_a_draw_adds_its_cases_in_draw_order_once(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=1, open_it=False)
    drawn = [make_case(workspace, ref) for ref in ("DRAW-B", "DRAW-A")]
    with workspace.db.transaction() as session:
        draw = SampleDraw(
            name="Q3 dip",
            seed="s",
            spec_json="{}",
            frame_size=3,
            stratum_counts_json="[]",
            created_by=panel.chair.user_id,
        )
        session.add(draw)
        session.flush()
        session.add_all(
            SampleDrawCase(draw_id=draw.id, case_id=case_id, stratum="rest", rank=rank)
            for rank, case_id in enumerate([*drawn, panel.case_ids[0]], start=1)
        )
    sessions = workspace.review_sessions
    assert sessions.adopt_draw(panel.chair, panel.session_id, "Q3 dip", purpose=PURPOSE) == 2
    assert sessions.adopt_draw(panel.chair, panel.session_id, "Q3 dip", purpose=PURPOSE) == 0
    detail = sessions.detail(panel.chair, panel.session_id)
    assert detail.sample_draw_id is not None
    assert {c.force_reference: c.source for c in detail.cases} == {
        "CASE-001": "manual",
        "DRAW-A": "sample",
        "DRAW-B": "sample",
    }
    with pytest.raises(NotFound, match="no sample draw"):
        sessions.adopt_draw(panel.chair, panel.session_id, "nope", purpose=PURPOSE)


def test_hand_picked_cases_need_a_reason_and_come_once(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=1, open_it=False)
    make_case(workspace, "EXTRA-1")
    sessions = workspace.review_sessions
    with pytest.raises(BadInput, match="say why"):
        sessions.add_case(panel.chair, panel.session_id, "EXTRA-1", "  ", purpose=PURPOSE)
    with pytest.raises(BadInput, match="already in this session"):
        sessions.add_case(panel.chair, panel.session_id, "CASE-001", "again", purpose=PURPOSE)
    with pytest.raises(NotFound, match="no case"):
        sessions.add_case(panel.chair, panel.session_id, "NOPE", "why", purpose=PURPOSE)


def test_a_started_reviewer_keeps_the_case(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=1)
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    workspace.reviews.save_answer(panel.alice, assignment, "courtesy", "met", purpose=PURPOSE)
    with pytest.raises(BadInput, match="has started"):
        workspace.review_sessions.set_assignees(
            panel.chair, panel.session_id, panel.case_ids[0], ["bob"], purpose=PURPOSE
        )
    with pytest.raises(BadInput, match="members of this session"):
        workspace.review_sessions.set_assignees(
            panel.chair, panel.session_id, panel.case_ids[0], ["outsider"], purpose=PURPOSE
        )


def test_meeting_records_and_finalising_locks_the_reviews(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=2)
    sessions, reviews = workspace.review_sessions, workspace.reviews
    first = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    answer_all(workspace, panel.alice, first)
    reviews.submit(panel.alice, first, purpose=PURPOSE)
    sessions.record_attendance(panel.chair, panel.session_id, "alice", True, purpose=PURPOSE)
    sessions.record_attendance(panel.chair, panel.session_id, "bob", False, purpose=PURPOSE)
    sessions.set_discussed(panel.chair, panel.session_id, panel.case_ids[0], True, purpose="t")
    with pytest.raises(BadInput, match="not a member"):
        sessions.record_attendance(panel.chair, panel.session_id, "outsider", True, purpose="t")

    assert sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE) == 3
    detail = sessions.detail(panel.chair, panel.session_id)
    assert [m.attended for m in detail.members] == [True, False]
    assert [c.discussed for c in detail.cases] == [True, False]
    assert detail.summary.status == "finalised"
    second = panel.assignment(workspace, panel.bob, panel.case_ids[1])
    with pytest.raises(BadInput, match="finalised"):
        reviews.save_answer(panel.bob, second, "courtesy", "met", purpose=PURPOSE)
    with pytest.raises(BadInput, match="finalised"):
        sessions.set_discussed(panel.chair, panel.session_id, panel.case_ids[1], True, purpose="t")
    assert all(item.locked for item in reviews.queue(panel.bob))
    with workspace.db.transaction() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "review_session")
        ).all()
    assert actions.count("session.attendance") == 2
    assert actions[-1] == "session.finalised"


def test_sessions_need_a_name_a_quarter_and_known_members(workspace: Workspace) -> None:
    panel = build_panel(workspace, cases=1, open_it=False)
    create = workspace.review_sessions.create
    with pytest.raises(BadInput, match="already a session"):
        create(panel.chair, "2026 Q3 panel", "2026-Q3", None, [], purpose=PURPOSE)
    with pytest.raises(BadInput, match="quarter"):
        create(panel.chair, "Another", " ", None, [], purpose=PURPOSE)
    with pytest.raises(NotFound, match="nobody"):
        create(panel.chair, "Another", "2026-Q4", date(2027, 1, 5), ["nobody"], purpose="t")
    empty = create(panel.chair, "Empty", "2026-Q4", None, [], purpose=PURPOSE)
    with pytest.raises(BadInput, match="before opening"):
        workspace.review_sessions.open(panel.chair, empty, purpose=PURPOSE)
    assert workspace.review_sessions.session_id(panel.chair, "Empty") == empty
