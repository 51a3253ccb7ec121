"""Accounts on both backends: the first admin, sign-in, lock-out, and permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, select

from bwv_review.domain.vocab import Role
from bwv_review.services.auth import MAX_FAILED_SIGN_INS, SIGN_IN_REFUSED, AuthService
from bwv_review.services.errors import BadInput, PermissionDenied, SignInRefused
from bwv_review.services.workspace import Workspace
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent, User

PIN = "246810"


def _actions(workspace: Workspace) -> list[str]:
    with workspace.db.transaction() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_first_admin_is_created_once_and_can_sign_in(workspace: Workspace) -> None:
    assert not workspace.auth.has_users()
    admin = workspace.auth.create_first_admin("alice", "Alice A", PIN, purpose="test")
    assert admin.roles == {Role.ADMIN, Role.CHAIR}
    assert admin.pseudonym == "M001"
    with pytest.raises(BadInput, match="already has accounts"):
        workspace.auth.create_first_admin("bob", "Bob", PIN, purpose="test")
    signed_in = workspace.auth.sign_in("ALICE", PIN, purpose="test")
    assert signed_in.user_id == admin.user_id
    assert _actions(workspace) == ["user.created", "auth.signed_in"]


def test_pin_is_stored_only_as_an_argon2_hash(workspace: Workspace) -> None:
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    with workspace.db.transaction() as session:
        stored = session.scalar(select(User.secret_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PIN not in stored


def test_wrong_pin_and_unknown_name_read_the_same(workspace: Workspace) -> None:
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    with pytest.raises(SignInRefused) as wrong_pin:
        workspace.auth.sign_in("alice", "000000", purpose="test")
    with pytest.raises(SignInRefused) as unknown:
        workspace.auth.sign_in("nobody", PIN, purpose="test")
    assert str(wrong_pin.value) == str(unknown.value) == SIGN_IN_REFUSED
    assert _actions(workspace)[-2:] == ["auth.sign_in_failed", "auth.sign_in_failed"]


def test_repeated_failures_lock_the_account_even_for_the_right_pin(workspace: Workspace) -> None:
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            workspace.auth.sign_in("alice", "999999", purpose="test")
    with pytest.raises(SignInRefused, match="locked"):
        workspace.auth.sign_in("alice", PIN, purpose="test")
    assert "auth.sign_in_refused_locked" in _actions(workspace)


def test_only_an_admin_adds_people(workspace: Workspace) -> None:
    admin = workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    reviewer = workspace.auth.create_user(
        admin, "rev1", "Reviewer One", PIN, [Role.REVIEWER], purpose="test"
    )
    assert reviewer.roles == {Role.REVIEWER}
    with pytest.raises(PermissionDenied, match="administrator"):
        workspace.auth.create_user(
            reviewer, "rev2", "Reviewer Two", PIN, [Role.ADMIN], purpose="test"
        )
    with pytest.raises(BadInput, match="already an account"):
        workspace.auth.create_user(admin, "REV1", "Dup", PIN, [Role.REVIEWER], purpose="test")


@pytest.mark.parametrize(
    ("username", "secret", "message"),
    [
        ("a", PIN, "not allowed"),
        ("robert'); DROP TABLE users;--", PIN, "not allowed"),
        ("alice", "123", "at least"),
        ("alice", " 123456", "space"),
    ],
)
def test_bad_names_and_pins_are_refused_with_reasons(
    workspace: Workspace, username: str, secret: str, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        workspace.auth.create_first_admin(username, "X", secret, purpose="test")
    assert not workspace.auth.has_users()


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, counting how often sign-in verifies a PIN."""

    def __init__(self) -> None:
        super().__init__()
        self.verifications = 0
        self.hashes = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashes += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verifications += 1
        return super().verify(hash, password)


def _writes_by_table(db: Database) -> tuple[list[str], Callable[[], None]]:
    """Every INSERT, UPDATE or DELETE the database is sent, by the table it writes."""
    written: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        words = statement.split()
        verb = words[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"}:
            table = words[2] if verb in {"INSERT", "DELETE"} else words[1]
            written.append(table.strip('"'))

    event.listen(db.engine, "after_cursor_execute", record)
    return written, lambda: event.remove(db.engine, "after_cursor_execute", record)


def _attempts(
    workspace: Workspace, username: str, secret: str, count: int
) -> list[tuple[str, int, list[str]]]:
    """Sign in `count` times and say, for each try, what it said and what work it did."""
    hasher = CountingHasher()
    auth = AuthService(workspace.db, hasher)
    # Which table keeps the count is the one difference allowed between the two paths.
    roles = {"users": "failure counter", "sign_in_failures": "failure counter"}
    seen: list[tuple[str, int, list[str]]] = []
    for _ in range(count):
        written, stop = _writes_by_table(workspace.db)
        before = hasher.verifications
        try:
            with pytest.raises(SignInRefused) as refused:
                auth.sign_in(username, secret, purpose="test")
        finally:
            stop()
        work = sorted(roles.get(table, table) for table in written)
        seen.append((str(refused.value), hasher.verifications - before, work))
    return seen


def test_an_unknown_name_locks_and_costs_what_a_real_one_does(workspace: Workspace) -> None:
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    tries = MAX_FAILED_SIGN_INS + 2  # the failures that lock, then two tries while locked
    real = _attempts(workspace, "alice", "999999", tries)
    unknown = _attempts(workspace, "nobody", "999999", tries)
    assert real == unknown
    messages = [message for message, _, _ in real]
    assert messages[:MAX_FAILED_SIGN_INS] == [SIGN_IN_REFUSED] * MAX_FAILED_SIGN_INS
    assert all("locked" in message for message in messages[MAX_FAILED_SIGN_INS:])
    assert all(verifications == 1 for _, verifications, _ in real)
    # Each failure is counted in a row and audited; a locked try is only audited.
    assert real[0][2] == ["audit_events", "failure counter"]
    assert real[-1][2] == ["audit_events"]
    # The right PIN for the real account and any PIN for the unknown name: still locked.
    assert _attempts(workspace, "alice", PIN, 1) == _attempts(workspace, "NoBody ", PIN, 1)


def test_a_disabled_account_is_checked_as_an_open_one(workspace: Workspace) -> None:
    admin = workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    workspace.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    workspace.users.set_active(admin, "bob", False, purpose="test")
    assert _attempts(workspace, "bob", PIN, 1) == _attempts(workspace, "carol", PIN, 1)


def test_the_dummy_hash_is_made_at_the_first_sign_in_whoever_tries(workspace: Workspace) -> None:
    """Opening a workspace hashes nothing (a report or a CLI command signs no one in); the
    first try makes the dummy hash for a real name as for an unknown one, so even the
    first try costs the same whoever the name belongs to."""
    workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    work = []
    for name in ("alice", "nobody"):
        hasher = CountingHasher()
        auth = AuthService(workspace.db, hasher)
        opened = hasher.hashes
        for _ in range(2):
            with pytest.raises(SignInRefused):
                auth.sign_in(name, "999999", purpose="test")
        work.append((opened, hasher.hashes, hasher.verifications))
    assert work == [(0, 1, 2), (0, 1, 2)]
