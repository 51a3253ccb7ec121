"""Accounts: argon2-hashed PINs or passwords, sign-in with lock-out, and the first admin.

A wrong name and a wrong PIN fail with the same words and take the same time (a dummy hash
is verified for unknown names), so the sign-in screen does not reveal who has an account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, SignInRefused
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import User, UserRole
from bwv_review.store.types import utc_now

MIN_SECRET_LENGTH = 6
MAX_FAILED_SIGN_INS = 5
LOCK_OUT_FOR = timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
SIGN_IN_REFUSED = "Sign-in refused: the name or PIN is not right."


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        pseudonym=user.pseudonym,
        roles=user.role_set,
    )


def check_username(username: str) -> str:
    cleaned = username.strip()
    if not USERNAME_PATTERN.match(cleaned):
        raise BadInput(
            f"user name {username!r} is not allowed: use 2-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return cleaned


def check_secret(secret: str) -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise BadInput(f"the PIN or password must be at least {MIN_SECRET_LENGTH} characters")
    if secret != secret.strip():
        raise BadInput("the PIN or password must not start or end with a space")


class AuthService:
    def __init__(self, db: Database, hasher: PasswordHasher | None = None) -> None:
        self._db = db
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash = self._hasher.hash("not-a-real-secret")

    def hash_secret(self, secret: str) -> str:
        """Check a new PIN or password against the rules and return its argon2 hash."""
        check_secret(secret)
        return self._hasher.hash(secret)

    def has_users(self) -> bool:
        with self._db.transaction() as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    def create_first_admin(
        self, username: str, display_name: str, secret: str, *, purpose: str
    ) -> Actor:
        """The workspace's first account; refused once anyone exists, so it cannot be used
        to slip a second administrator past the others."""
        with self._db.transaction() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise BadInput(
                    "this workspace already has accounts; an administrator adds people with "
                    "`bwv-review users add`"
                )
            user = self._insert_user(
                session, username, display_name, secret, [Role.ADMIN, Role.CHAIR]
            )
            append_event(
                session,
                actor=user.username,
                action="user.created",
                purpose=purpose,
                entity_type="user",
                entity_id=user.id,
                detail={"roles": sorted(user.role_set), "first_admin": True},
            )
            return actor_for(user)

    def create_user(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        secret: str,
        roles: Iterable[Role],
        *,
        purpose: str,
    ) -> Actor:
        require(actor, Permission.MANAGE_USERS)
        with self._db.transaction() as session:
            user = self._insert_user(session, username, display_name, secret, list(roles))
            append_event(
                session,
                actor=actor.username,
                action="user.created",
                purpose=purpose,
                entity_type="user",
                entity_id=user.id,
                detail={"username": user.username, "roles": sorted(user.role_set)},
            )
            return actor_for(user)

    def _insert_user(
        self,
        session: Session,
        username: str,
        display_name: str,
        secret: str,
        roles: list[Role],
    ) -> User:
        username = check_username(username)
        secret_hash = self.hash_secret(secret)
        if not roles:
            raise BadInput("give the person at least one role")
        if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
            raise BadInput(f"there is already an account called {username!r}")
        user = User(
            username=username,
            display_name=display_name.strip() or username,
            # A placeholder until the id is known; pseudonyms are what anonymised views show.
            pseudonym=f"pending-{username}",
            secret_hash=secret_hash,
            is_active=True,
            failed_sign_ins=0,
            roles=[UserRole(role=role) for role in dict.fromkeys(roles)],
        )
        session.add(user)
        session.flush()
        user.pseudonym = f"M{user.id:03d}"
        session.flush()
        return user

    def sign_in(self, username: str, secret: str, *, purpose: str) -> Actor:
        """Check the PIN; count failures and lock the account for a while after too many.

        Failures are committed even though the call raises, so that a lock-out holds.
        """
        refusal: SignInRefused | None = None
        with self._db.transaction() as session:
            user = session.scalar(
                select(User).where(func.lower(User.username) == username.strip().lower())
            )
            now = utc_now()
            if user is None:
                self._verify(self._dummy_hash, secret)
                append_event(
                    session,
                    actor=username.strip()[:64] or "(blank)",
                    action="auth.sign_in_failed",
                    purpose=purpose,
                    detail={"reason": "unknown user"},
                )
                refusal = SignInRefused(SIGN_IN_REFUSED)
            elif user.locked_until is not None and user.locked_until > now:
                minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
                append_event(
                    session,
                    actor=user.username,
                    action="auth.sign_in_refused_locked",
                    purpose=purpose,
                    entity_type="user",
                    entity_id=user.id,
                )
                refusal = SignInRefused(
                    f"This account is locked after {MAX_FAILED_SIGN_INS} wrong PINs. "
                    f"Try again in about {minutes} minute(s) or ask an administrator."
                )
            elif not user.is_active or not self._verify(user.secret_hash, secret):
                user.failed_sign_ins += 1
                detail: dict[str, object] = {"failed_sign_ins": user.failed_sign_ins}
                if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                    user.locked_until = now + LOCK_OUT_FOR
                    user.failed_sign_ins = 0
                    detail["locked_until"] = user.locked_until.isoformat()
                append_event(
                    session,
                    actor=user.username,
                    action="auth.sign_in_failed",
                    purpose=purpose,
                    entity_type="user",
                    entity_id=user.id,
                    detail=detail,
                )
                refusal = SignInRefused(SIGN_IN_REFUSED)
            else:
                user.failed_sign_ins = 0
                user.locked_until = None
                if self._hasher.check_needs_rehash(user.secret_hash):
                    user.secret_hash = self._hasher.hash(secret)
                append_event(
                    session,
                    actor=user.username,
                    action="auth.signed_in",
                    purpose=purpose,
                    entity_type="user",
                    entity_id=user.id,
                )
                return actor_for(user)
        assert refusal is not None
        raise refusal

    def _verify(self, secret_hash: str, secret: str) -> bool:
        try:
            return self._hasher.verify(secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False
