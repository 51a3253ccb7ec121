"""A chair's check of one session's footage before the meeting (issue 11), on SQLite and
PostgreSQL: a missing, a changed, a due-for-deletion and a good clip, told apart in words;
who may check; the audit event; and a share this laptop cannot reach, said as such."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus, Role
from bwv_review.services.errors import PermissionDenied
from bwv_review.services.session_footage import ClipState, SessionFootage
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, Clip
from tests.services.review_fixtures import PURPOSE, make_person
from tests.services.session_footage_fixtures import (
    CHANGED,
    GONE,
    GOOD,
    ROOT,
    SOON,
    SOON_DAYS_LEFT,
    FootageSession,
    break_two_clips,
    build_footage_session,
)

TODAY = date(2026, 4, 20)
ACTION = "session.footage_verified"


@pytest.fixture
def machine(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "config" / "settings.json")


@pytest.fixture
def setup(workspace: Workspace, tmp_path: Path, machine: Settings) -> FootageSession:
    return build_footage_session(workspace, tmp_path, machine, TODAY)


def _verify(ws: Workspace, setup: FootageSession, settings: Settings) -> SessionFootage:
    return ws.session_footage.verify_session(
        setup.chair, setup.session_id, settings, purpose=PURPOSE, today=TODAY
    )


def _by_case(found: SessionFootage) -> dict[str, ClipState]:
    return {clip.case_reference: clip.state for clip in found.clips}


def _statuses(ws: Workspace) -> dict[int, ClipStatus]:
    with ws.db.transaction() as session:
        return {
            clip_id: status for clip_id, status in session.execute(select(Clip.id, Clip.status))
        }


def _events(ws: Workspace) -> list[AuditEvent]:
    with ws.db.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)))


def test_verify_tells_missing_changed_due_and_good_clips_apart(
    workspace: Workspace, setup: FootageSession, machine: Settings
) -> None:
    before = workspace.session_footage.footage(setup.chair, setup.session_id, machine, today=TODAY)
    # Before any check: only the deletion date is a warning.
    assert set(_by_case(before).values()) == {ClipState.OK}
    [due] = before.warnings
    assert (due.case_reference, due.days_left) == (SOON, SOON_DAYS_LEFT)
    assert due.deletion_problem == "Due for deletion in 2 day(s), on 2026-04-22."
    assert due.deletion_action.startswith("Review it before then, or ask the force to keep it")

    break_two_clips(setup)
    found = _verify(workspace, setup, machine)
    assert found.checked_now and not found.cancelled and found.shares == ()
    assert _by_case(found) == {
        GOOD: ClipState.OK,
        GONE: ClipState.MISSING,
        CHANGED: ClipState.CHANGED,  # same size and time: only the hash tells
        SOON: ClipState.OK,
    }
    clips = {clip.case_reference: clip for clip in found.clips}
    assert "no file at its place" in clips[GONE].problem
    assert "ask the administrator to relink it" in clips[GONE].action
    assert "contents differ" in clips[CHANGED].problem
    assert "Ask the force for the original" in clips[CHANGED].action
    assert clips[GOOD].problem == clips[GOOD].action == "" and not clips[GOOD].needs_attention
    assert clips[SOON].deletion_soon and clips[SOON].state is ClipState.OK
    assert [c.case_reference for c in found.warnings] == [CHANGED, GONE, SOON]

    # Written for every laptop, as verify writes it, and read back before the next meeting.
    statuses = _statuses(workspace)
    assert statuses[setup.clip_ids[GONE]] is ClipStatus.MISSING
    assert statuses[setup.clip_ids[CHANGED]] is ClipStatus.CHANGED
    assert statuses[setup.clip_ids[GOOD]] is ClipStatus.OK
    after = workspace.session_footage.footage(setup.chair, setup.session_id, machine, today=TODAY)
    assert _by_case(after)[GONE] is ClipState.MISSING
    assert _by_case(after)[CHANGED] is ClipState.CHANGED

    [event] = _events(workspace)
    assert (event.actor, event.entity_type, event.entity_id) == (
        "chair",
        "review_session",
        str(setup.session_id),
    )
    detail = json.loads(event.detail_json)
    assert detail["missing"] == [setup.clip_ids[GONE]]
    assert detail["changed"] == [setup.clip_ids[CHANGED]]
    assert (detail["clips"], detail["ok"], detail["cancelled"]) == (4, 2, False)


def test_a_clip_of_another_size_is_changed_without_hashing(
    workspace: Workspace, setup: FootageSession, machine: Settings
) -> None:
    with setup.path(GOOD).open("ab") as handle:
        handle.write(b"appended")
    clip = next(c for c in _verify(workspace, setup, machine).clips if c.case_reference == GOOD)
    assert clip.state is ClipState.CHANGED and "bytes, not" in clip.problem


def test_only_the_sessions_own_chair_or_panel_may_check_its_footage(
    workspace: Workspace, setup: FootageSession, machine: Settings
) -> None:
    other_chair = make_person(workspace, "vicechair", Role.CHAIR)
    workspace.review_sessions.create(
        other_chair, "Other panel", "2026-Q2", None, [], purpose=PURPOSE
    )
    service = workspace.session_footage
    for refused in (other_chair, setup.reviewer, setup.admin):
        with pytest.raises(PermissionDenied):
            service.footage(refused, setup.session_id, machine, today=TODAY)
        with pytest.raises(PermissionDenied):
            service.verify_session(refused, setup.session_id, machine, purpose=PURPOSE, today=TODAY)
    assert _events(workspace) == []  # a refusal writes nothing

    _verify(workspace, setup, machine)  # the session's chair
    workspace.review_sessions.join(other_chair, setup.session_id, purpose=PURPOSE)
    service.verify_session(other_chair, setup.session_id, machine, purpose=PURPOSE, today=TODAY)
    assert [e.actor for e in _events(workspace)] == ["chair", "vicechair"]


def _unmounted(setup: FootageSession, machine: Settings, tmp_path: Path) -> None:
    setup.share.rename(tmp_path / "elsewhere")


def _empty_mount_point(setup: FootageSession, machine: Settings, tmp_path: Path) -> None:
    setup.share.rename(tmp_path / "elsewhere")
    setup.share.mkdir()


def _not_mapped(setup: FootageSession, machine: Settings, tmp_path: Path) -> None:
    machine.set("footage_roots", {})


@pytest.mark.parametrize("lose", [_unmounted, _empty_mount_point, _not_mapped])
def test_a_share_this_laptop_cannot_reach_is_said_never_every_clip_missing(
    workspace: Workspace, setup: FootageSession, machine: Settings, tmp_path: Path, lose: object
) -> None:
    assert callable(lose)
    lose(setup, machine, tmp_path)
    found = _verify(workspace, setup, machine)
    [share] = found.shares
    assert share.root == ROOT and share.clips == 4
    assert f"The footage share {ROOT!r} is not reachable on this laptop" in share.message
    assert found.count(ClipState.MISSING) == 0
    assert found.count(ClipState.NOT_REACHABLE) == 4
    assert [c.case_reference for c in found.warnings] == [SOON]  # its deletion is still near
    assert set(_statuses(workspace).values()) == {ClipStatus.OK}
    [event] = _events(workspace)
    assert json.loads(event.detail_json)["shares_not_reachable"] == [ROOT]


def test_an_unmapped_share_is_said_before_any_check(
    workspace: Workspace, setup: FootageSession, machine: Settings
) -> None:
    machine.set("footage_roots", {})
    found = workspace.session_footage.footage(setup.chair, setup.session_id, machine, today=TODAY)
    [share] = found.shares
    assert "not reachable on this laptop: no folder is set for it here" in share.message


def test_a_cancelled_check_keeps_what_it_finished_and_leaves_the_rest_unchecked(
    workspace: Workspace, setup: FootageSession, machine: Settings
) -> None:
    break_two_clips(setup)
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2  # asked before the first clip and in its one chunk, then stop

    found = workspace.session_footage.verify_session(
        setup.chair, setup.session_id, machine, purpose=PURPOSE, today=TODAY, cancel=cancel
    )
    assert found.cancelled
    states = _by_case(found)  # hashed in the order listed: CHANGED-3 first
    assert states[GONE] is ClipState.MISSING  # seen without hashing
    assert states[CHANGED] is ClipState.CHANGED
    assert states[GOOD] is states[SOON] is ClipState.NOT_CHECKED
    statuses = _statuses(workspace)
    assert statuses[setup.clip_ids[CHANGED]] is ClipStatus.CHANGED
    assert statuses[setup.clip_ids[GONE]] is ClipStatus.MISSING
    [event] = _events(workspace)
    assert json.loads(event.detail_json)["cancelled"] is True
