"""Accounts: argon2-hashed PINs or passwords, sign-in with lock-out, and the first admin.

A wrong name and a wrong PIN fail with the same words and do the same work (a dummy hash
is verified for unknown names, and their failures are counted and locked out too), so the
sign-in screen does not reveal who has an account.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, SignInRefused
from bwv_review.services.permissions import Permission, require
from bwv_review.services.text_input import typed_name
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import SignInFailure, User, UserRole
from bwv_review.store.types import utc_now

MIN_SECRET_LENGTH = 6
MAX_FAILED_SIGN_INS = 5
LOCK_OUT_FOR = timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
SIGN_IN_REFUSED = "Sign-in refused: the name or PIN is not right."
CURRENT_PIN_WRONG = "Your current PIN is not right; nothing was changed."


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        pseudonym=user.pseudonym,
        roles=user.role_set,
    )


def name_key(name: str) -> str:
    """How `sign_in_failures` knows a name: as sign-in matches it (trimmed, any case)."""
    return hashlib.sha256(name.strip().lower().encode("utf-8")).hexdigest()


def _insert_for(session: Session) -> Callable[..., Any]:
    """The dialect's INSERT, which has ON CONFLICT on both SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


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

    @cached_property
    def _dummy_hash(self) -> str:
        """What a name no account has is checked against, made with this hasher's
        parameters so the check costs what a real one does. Made at the first sign-in, not
        when the workspace opens: a report, a CLI command or a bench signs no one in, and an
        argon2 hash is most of a second and 64 MiB on a busy laptop."""
        return self._hasher.hash("not-a-real-secret")

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
        temporary: bool = True,
    ) -> Actor:
        """The PIN is temporary unless said otherwise: the administrator knows it, so the
        person chooses their own at first sign-in. `temporary=False` is for PINs that are
        meant to be shared, such as the demonstration's published ones."""
        require(actor, Permission.MANAGE_USERS)
        with self._db.transaction() as session:
            user = self._insert_user(session, username, display_name, secret, list(roles))
            user.pin_is_temporary = temporary
            append_event(
                session,
                actor=actor.username,
                action="user.created",
                purpose=purpose,
                entity_type="user",
                entity_id=user.id,
                detail={
                    "username": user.username,
                    "roles": sorted(user.role_set),
                    "temporary_pin": temporary,
                },
            )
            return actor_for(user)

    def pin_is_temporary(self, actor: Actor) -> bool:
        """Whether the signed-in person must choose their own PIN before going on."""
        with self._db.transaction() as session:
            user = session.get(User, actor.user_id)
            return user is not None and user.pin_is_temporary

    def change_own_secret(self, actor: Actor, current: str, new: str, *, purpose: str) -> None:
        """Anyone may change their own PIN, given the current one (so a screen left signed
        in cannot be used to take the account over). A wrong current PIN counts towards
        the lock-out as a wrong sign-in does, and is committed although the call raises.
        The new PIN follows the usual rules and must differ from the current one: a
        temporary PIN kept is still known to the administrator who set it."""
        refusal: SignInRefused | None = None
        with self._db.transaction() as session:
            user = session.get(User, actor.user_id)
            if user is None or not user.is_active:
                raise SignInRefused(SIGN_IN_REFUSED)
            subject: dict[str, Any] = {
                "actor": user.username,
                "entity_type": "user",
                "entity_id": user.id,
            }
            now = utc_now()
            if user.locked_until is not None and user.locked_until > now:
                append_event(
                    session, action="auth.pin_change_refused_locked", purpose=purpose, **subject
                )
                refusal = SignInRefused(
                    f"This account is locked after {MAX_FAILED_SIGN_INS} wrong PINs; "
                    "ask an administrator."
                )
            elif not self._verify(user.secret_hash, current):
                detail = self._count_failure(session, user, user.username, now)
                append_event(
                    session,
                    action="auth.pin_change_refused",
                    purpose=purpose,
                    detail=detail,
                    **subject,
                )
                refusal = SignInRefused(CURRENT_PIN_WRONG)
            else:
                if new == current:
                    raise BadInput("choose a new PIN, different from the one you have now")
                user.secret_hash = self.hash_secret(new)
                was_temporary = user.pin_is_temporary
                user.pin_is_temporary = False
                user.failed_sign_ins = 0
                append_event(
                    session,
                    action="user.pin_changed",
                    purpose=purpose,
                    detail={"was_temporary": was_temporary},
                    **subject,
                )
                return
        assert refusal is not None
        raise refusal

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
            display_name=typed_name(display_name, "display name") or username,
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
        """Check the PIN; count failures and lock the name for a while after too many.

        Every try does the same work whoever the name belongs to: one argon2 verification
        (a dummy hash for a name no account has), then either a counted failure (on the
        account, or in `sign_in_failures` for an unknown name) or, while locked, only the
        audit event. So an unknown name locks after the same failures, with the same words,
        as a real one. Failures are committed even though the call raises, so that a
        lock-out holds.
        """
        name = username.strip()
        refusal: SignInRefused | None = None
        dummy_hash = self._dummy_hash  # before the look-up: every first try makes it
        with self._db.transaction() as session:
            user = session.scalar(select(User).where(func.lower(User.username) == name.lower()))
            secret_ok = self._verify(dummy_hash if user is None else user.secret_hash, secret)
            now = utc_now()
            subject: dict[str, Any] = (
                {"actor": name[:64] or "(blank)"}
                if user is None
                else {"actor": user.username, "entity_type": "user", "entity_id": user.id}
            )
            locked_until = self._locked_until(session, user, name)
            if locked_until is not None and locked_until > now:
                minutes = max(1, round((locked_until - now).total_seconds() / 60))
                append_event(
                    session, action="auth.sign_in_refused_locked", purpose=purpose, **subject
                )
                refusal = SignInRefused(
                    f"This account is locked after {MAX_FAILED_SIGN_INS} wrong PINs. "
                    f"Try again in about {minutes} minute(s) or ask an administrator."
                )
            elif user is None or not user.is_active or not secret_ok:
                detail = self._count_failure(session, user, name, now)
                if user is None:
                    detail["reason"] = "unknown user"
                append_event(
                    session,
                    action="auth.sign_in_failed",
                    purpose=purpose,
                    detail=detail,
                    **subject,
                )
                refusal = SignInRefused(SIGN_IN_REFUSED)
            else:
                user.failed_sign_ins = 0
                user.locked_until = None
                if self._hasher.check_needs_rehash(user.secret_hash):
                    user.secret_hash = self._hasher.hash(secret)
                append_event(session, action="auth.signed_in", purpose=purpose, **subject)
                return actor_for(user)
        assert refusal is not None
        raise refusal

    @staticmethod
    def _locked_until(session: Session, user: User | None, name: str) -> datetime | None:
        if user is not None:
            return user.locked_until
        return session.scalar(
            select(SignInFailure.locked_until).where(SignInFailure.name_key == name_key(name))
        )

    @staticmethod
    def _count_failure(
        session: Session, user: User | None, name: str, now: datetime
    ) -> dict[str, object]:
        """Add one failure in a single statement (so concurrent tries on PostgreSQL cannot
        lose a count and buy extra guesses), and lock once there are enough."""
        if user is None:
            key = name_key(name)
            upsert = _insert_for(session)(SignInFailure).values(name_key=key, failed_sign_ins=1)
            counted = upsert.on_conflict_do_update(
                index_elements=[SignInFailure.name_key],
                set_={"failed_sign_ins": SignInFailure.failed_sign_ins + 1},
            ).returning(SignInFailure.failed_sign_ins)
            row: Any = SignInFailure
            where = SignInFailure.name_key == key
        else:
            row, where = User, User.id == user.id
            counted = (
                update(User)
                .where(where)
                .values(failed_sign_ins=User.failed_sign_ins + 1)
                .returning(User.failed_sign_ins)
            )
        failures = int(session.execute(counted).scalar_one())
        detail: dict[str, object] = {"failed_sign_ins": failures}
        if failures >= MAX_FAILED_SIGN_INS:
            until = now + LOCK_OUT_FOR
            session.execute(update(row).where(where).values(locked_until=until, failed_sign_ins=0))
            detail["locked_until"] = until.isoformat()
        return detail

    def _verify(self, secret_hash: str, secret: str) -> bool:
        try:
            return self._hasher.verify(secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False
