"""Account care on both backends: roles, disabling, PIN resets, the last administrator, and
the confidentiality statement."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied, SignInRefused
from bwv_review.services.users import CONFIDENTIALITY_VERSION, confidentiality_statement
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent

PIN = "424242"


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")


def test_roles_change_and_the_last_admin_is_kept(workspace: Workspace, admin: Actor) -> None:
    workspace.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    assert workspace.users.set_roles(admin, "bob", [Role.REVIEWER, Role.CHAIR], purpose="test") == {
        Role.REVIEWER,
        Role.CHAIR,
    }
    with pytest.raises(BadInput, match="last active administrator"):
        workspace.users.set_roles(admin, "alice", [Role.CHAIR], purpose="test")
    with pytest.raises(BadInput, match="last active administrator"):
        workspace.users.set_active(admin, "alice", False, purpose="test")
    workspace.users.set_roles(admin, "bob", [Role.ADMIN], purpose="test")
    workspace.users.set_active(admin, "alice", False, purpose="test")
    with pytest.raises(SignInRefused):
        workspace.auth.sign_in("alice", PIN, purpose="test")
    listed = {u.username: u for u in workspace.users.list_users(admin)}
    assert listed["alice"].active is False and listed["bob"].roles == ("admin",)


def test_reset_pin_lifts_a_lock_out(workspace: Workspace, admin: Actor) -> None:
    workspace.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            workspace.auth.sign_in("bob", "000000", purpose="test")
    with pytest.raises(SignInRefused, match="locked"):
        workspace.auth.sign_in("bob", PIN, purpose="test")
    workspace.users.reset_secret(admin, "bob", "135135", purpose="test")
    assert workspace.auth.sign_in("bob", "135135", purpose="test").username == "bob"


def test_only_administrators_manage_accounts(workspace: Workspace, admin: Actor) -> None:
    bob = workspace.auth.create_user(admin, "bob", "Bob", PIN, [Role.CHAIR], purpose="test")
    with pytest.raises(PermissionDenied, match="manage users"):
        workspace.users.list_users(bob)
    with pytest.raises(PermissionDenied):
        workspace.users.reset_secret(bob, "alice", "999999", purpose="test")


def test_confidentiality_is_accepted_once_per_version(workspace: Workspace, admin: Actor) -> None:
    assert "Confidentiality statement" in confidentiality_statement()
    assert workspace.users.needs_confidentiality(admin)
    workspace.users.accept_confidentiality(admin, purpose="test")
    assert not workspace.users.needs_confidentiality(admin)
    listed = workspace.users.list_users(admin)
    assert listed[0].confidentiality_version == CONFIDENTIALITY_VERSION


def test_a_pin_an_administrator_sets_is_temporary_until_its_person_changes_it(
    workspace: Workspace, admin: Actor
) -> None:
    """Issue 11: added or reset by an administrator, a PIN must be changed at first
    sign-in; the first administrator chose their own."""
    assert not workspace.auth.pin_is_temporary(admin)
    workspace.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    bob = workspace.auth.sign_in("bob", PIN, purpose="test")
    assert workspace.auth.pin_is_temporary(bob)
    with pytest.raises(BadInput, match="different"):
        workspace.auth.change_own_secret(bob, PIN, PIN, purpose="test")
    with pytest.raises(BadInput, match="at least 6"):
        workspace.auth.change_own_secret(bob, PIN, "12", purpose="test")
    assert workspace.auth.pin_is_temporary(bob)
    workspace.auth.change_own_secret(bob, PIN, "864200", purpose="test")
    assert not workspace.auth.pin_is_temporary(bob)
    with pytest.raises(SignInRefused):
        workspace.auth.sign_in("bob", PIN, purpose="test")
    assert workspace.auth.sign_in("bob", "864200", purpose="test").username == "bob"
    workspace.users.reset_secret(admin, "bob", "135135", purpose="test")
    assert workspace.auth.pin_is_temporary(bob)
    listed = {u.username: u for u in workspace.users.list_users(admin)}
    assert listed["bob"].pin_is_temporary and not listed["alice"].pin_is_temporary
    with workspace.db.transaction() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("user.pin_changed") == 1 and actions.count("user.pin_reset") == 1


def test_changing_your_own_pin_needs_the_current_one_and_counts_wrong_ones(
    workspace: Workspace, admin: Actor
) -> None:
    for _ in range(4):
        with pytest.raises(SignInRefused, match="current PIN is not right"):
            workspace.auth.change_own_secret(admin, "000000", "999999", purpose="test")
    with pytest.raises(SignInRefused, match="current PIN is not right"):
        workspace.auth.change_own_secret(admin, "000000", "999999", purpose="test")
    with pytest.raises(SignInRefused, match="locked"):
        workspace.auth.change_own_secret(admin, PIN, "999999", purpose="test")
    with pytest.raises(SignInRefused, match="locked"):
        workspace.auth.sign_in("alice", PIN, purpose="test")


def test_shared_pins_are_not_temporary(workspace: Workspace, admin: Actor) -> None:
    """The demonstration's PINs are published: its accounts are added with temporary=False."""
    workspace.auth.create_user(
        admin, "demo", "Demo", PIN, [Role.REVIEWER], purpose="test", temporary=False
    )
    assert not workspace.auth.pin_is_temporary(workspace.auth.sign_in("demo", PIN, purpose="t"))


def test_a_chair_lists_who_may_sit_on_a_session_by_name_and_role(
    workspace: Workspace, admin: Actor
) -> None:
    """Issue 11: the member picker; names and roles only, active reviewers and chairs."""
    add = workspace.auth.create_user
    chair = add(admin, "cy", "Cy Chair", PIN, [Role.CHAIR, Role.REVIEWER], purpose="test")
    add(admin, "bo", "Bo Reviewer", PIN, [Role.REVIEWER], purpose="test")
    add(admin, "al", "al gone", PIN, [Role.REVIEWER], purpose="test")
    add(admin, "tl", "Tia Trainer", PIN, [Role.TRAINING_LEAD], purpose="test")
    workspace.users.set_active(admin, "al", False, purpose="test")
    listed = workspace.users.panel_members(chair)
    assert [(p.display_name, p.roles) for p in listed] == [
        ("Alice", (Role.ADMIN, Role.CHAIR)),
        ("Bo Reviewer", (Role.REVIEWER,)),
        ("Cy Chair", (Role.CHAIR, Role.REVIEWER)),
    ]
    reviewer = workspace.auth.sign_in("bo", PIN, purpose="test")
    with pytest.raises(PermissionDenied, match="who may sit on a session"):
        workspace.users.panel_members(reviewer)
    with pytest.raises(PermissionDenied):
        workspace.users.list_users(chair)
