"""Account care on both backends: roles, disabling, PIN resets, the last administrator, and
the confidentiality statement."""

from __future__ import annotations

import pytest

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied, SignInRefused
from bwv_review.services.users import CONFIDENTIALITY_VERSION, confidentiality_statement
from bwv_review.services.workspace import Workspace

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
