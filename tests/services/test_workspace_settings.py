"""The panel's settings on both backends: unset on a new workspace, changed only by an
administrator (audited, and not at all when nothing changes), the force taken by its id or
its name, and set-up without an account only while the workspace has none."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.services.workspace_settings import PanelSettings, force_id
from bwv_review.store.models import AuditEvent

PIN = "424242"


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")


def _setting_events(workspace: Workspace) -> list[AuditEvent]:
    with workspace.db.transaction() as session:
        query = select(AuditEvent).where(AuditEvent.action == "workspace.settings_changed")
        return list(session.scalars(query.order_by(AuditEvent.seq)))


def test_a_new_workspace_has_none_and_an_administrator_sets_them(
    workspace: Workspace, admin: Actor
) -> None:
    assert workspace.panel.current() == PanelSettings(None, None, demo=False)
    changed = workspace.panel.change(
        admin, panel_name="  North Panel ", force="Avon & Somerset", purpose="test"
    )
    assert changed == PanelSettings("North Panel", "avon-and-somerset", demo=False)
    assert changed.force_name == "Avon and Somerset"
    workspace.panel.change(admin, force="essex", purpose="test")
    assert workspace.panel.current() == PanelSettings("North Panel", "essex", demo=False)
    events = _setting_events(workspace)
    assert [json.loads(e.detail_json) for e in events] == [
        {"panel_name": "North Panel", "force": "avon-and-somerset"},
        {"force": "essex"},
    ]
    assert {e.actor for e in events} == {"alice"}


def test_a_save_that_changes_nothing_writes_nothing(workspace: Workspace, admin: Actor) -> None:
    workspace.panel.change(admin, panel_name="North Panel", force="kent", purpose="test")
    workspace.panel.change(admin, panel_name="North Panel", force="Kent", purpose="test")
    assert len(_setting_events(workspace)) == 1


def test_only_an_administrator_changes_them(workspace: Workspace, admin: Actor) -> None:
    chair = workspace.auth.create_user(admin, "carol", "Carol", PIN, [Role.CHAIR], purpose="t")
    with pytest.raises(PermissionDenied, match="panel's name and force"):
        workspace.panel.change(chair, panel_name="Mine now", purpose="test")
    with pytest.raises(PermissionDenied):
        workspace.panel.mark_as_demo(chair, purpose="test")
    assert workspace.panel.current().panel_name is None


def test_a_force_that_is_not_one_is_refused_naming_the_nearest(
    workspace: Workspace, admin: Actor
) -> None:
    with pytest.raises(BadInput, match=r"no police force called 'essx'.*'essex'"):
        workspace.panel.change(admin, panel_name="Kept?", force="essx", purpose="test")
    assert workspace.panel.current() == PanelSettings(None, None, demo=False)
    with pytest.raises(BadInput, match="control character"):
        workspace.panel.change(admin, panel_name="North\x1bPanel", purpose="test")
    with pytest.raises(BadInput, match="give the panel a name"):
        workspace.panel.change(admin, panel_name="   ", purpose="test")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("avon-and-somerset", "avon-and-somerset"),
        ("AVON AND SOMERSET", "avon-and-somerset"),
        ("Devon & Cornwall", "devon-and-cornwall"),
        ("Metropolitan Police Service", "metropolitan"),
        ("city of london", "city-of-london"),
    ],
)
def test_a_force_is_known_by_its_id_or_its_name(typed: str, expected: str) -> None:
    assert force_id(typed) == expected


def test_set_up_is_for_a_workspace_without_accounts(workspace: Workspace) -> None:
    workspace.panel.set_up(panel_name="North Panel", force="kent", purpose="test")
    assert workspace.panel.current().force == "kent"
    assert _setting_events(workspace)[0].actor == "init"
    admin = workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    with pytest.raises(BadInput, match="panel set --as ADMIN"):
        workspace.panel.set_up(panel_name="Taken over", force=None, purpose="test")
    workspace.panel.mark_as_demo(admin, purpose="test")
    assert workspace.panel.current() == PanelSettings("North Panel", "kent", demo=True)


def test_the_retention_period_is_unset_until_an_administrator_sets_it(
    workspace: Workspace, admin: Actor
) -> None:
    assert workspace.panel.current().retention_days is None  # no period: no purge warnings
    workspace.panel.change(admin, panel_name="North Panel", purpose="test")
    assert workspace.panel.set_retention(admin, 365, purpose="test").retention_days == 365
    assert workspace.panel.current() == PanelSettings("North Panel", None, False, 365)
    workspace.panel.set_retention(admin, 365, purpose="test")  # unchanged: nothing written
    workspace.panel.set_retention(admin, None, purpose="test")
    assert workspace.panel.current().retention_days is None
    assert [json.loads(e.detail_json) for e in _setting_events(workspace)][1:] == [
        {"retention_days": 365},
        {"retention_days": None},
    ]
    for days in (0, -3, 40000):
        with pytest.raises(BadInput, match=f"retention days {days}: give a number of days"):
            workspace.panel.set_retention(admin, days, purpose="test")
    chair = workspace.auth.create_user(admin, "carol", "Carol", PIN, [Role.CHAIR], purpose="t")
    with pytest.raises(PermissionDenied):
        workspace.panel.set_retention(chair, 30, purpose="test")
    assert workspace.panel.current().retention_days is None
