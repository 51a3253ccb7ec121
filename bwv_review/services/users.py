"""Looking after accounts: list, disable, reset a PIN, change roles, and the confidentiality
statement every reviewer accepts before seeing anything.

An administrator cannot disable, or take the admin role away from, the last active
administrator: a panel locked out of its own workspace has to restore from a backup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.auth import AuthService, actor_for
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import User, UserRole
from bwv_review.store.types import utc_now

CONFIDENTIALITY_VERSION = "1"


def confidentiality_statement(version: str = CONFIDENTIALITY_VERSION) -> str:
    path = files("bwv_review.resources") / "statements" / f"confidentiality-v{version}.md"
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class UserSummary:
    username: str
    display_name: str
    pseudonym: str
    roles: tuple[str, ...]
    active: bool
    pin_is_temporary: bool
    locked_until: datetime | None
    confidentiality_version: str | None


@dataclass(frozen=True)
class PanelMember:
    """Someone who may sit on a session, as a chair choosing members sees them."""

    username: str
    display_name: str
    roles: tuple[Role, ...]


class UsersService:
    def __init__(self, db: Database, auth: AuthService) -> None:
        self._db = db
        self._auth = auth

    def list_users(self, actor: Actor) -> list[UserSummary]:
        require(actor, Permission.MANAGE_USERS)
        with self._db.transaction() as session:
            users = session.scalars(select(User).order_by(func.lower(User.username)))
            return [
                UserSummary(
                    user.username,
                    user.display_name,
                    user.pseudonym,
                    tuple(sorted(user.role_set)),
                    user.is_active,
                    user.pin_is_temporary,
                    user.locked_until,
                    user.confidentiality_version,
                )
                for user in users
            ]

    def panel_members(self, actor: Actor) -> list[PanelMember]:
        """The active reviewers and chairs, by name: what a chair needs to pick a session's
        members, and no more (no PIN state, no lock-outs, no disabled accounts)."""
        require(actor, Permission.LIST_PANEL_MEMBERS)
        with self._db.transaction() as session:
            users = session.scalars(
                select(User).where(User.is_active).order_by(func.lower(User.display_name))
            )
            return [
                PanelMember(user.username, user.display_name, tuple(sorted(user.role_set)))
                for user in users
                if user.role_set & {Role.REVIEWER, Role.CHAIR}
            ]

    def set_active(self, actor: Actor, username: str, active: bool, *, purpose: str) -> None:
        require(actor, Permission.MANAGE_USERS)
        with self._db.transaction() as session:
            user = _find(session, username)
            if not active and Role.ADMIN in user.role_set:
                _keep_an_admin(session, leaving=user)
            user.is_active = active
            action = "user.enabled" if active else "user.disabled"
            _audit(session, actor, action, user, purpose)

    def reset_secret(self, actor: Actor, username: str, new_secret: str, *, purpose: str) -> None:
        """Set a new PIN and lift any lock-out (the person forgot it, or was locked out).
        The PIN is temporary: the administrator knows it, so the person chooses their own
        at their next sign-in."""
        require(actor, Permission.MANAGE_USERS)
        secret_hash = self._auth.hash_secret(new_secret)
        with self._db.transaction() as session:
            user = _find(session, username)
            user.secret_hash = secret_hash
            user.pin_is_temporary = True
            user.failed_sign_ins = 0
            user.locked_until = None
            _audit(session, actor, "user.pin_reset", user, purpose)

    def set_roles(
        self, actor: Actor, username: str, roles: Iterable[Role], *, purpose: str
    ) -> frozenset[Role]:
        require(actor, Permission.MANAGE_USERS)
        wanted = frozenset(roles)
        if not wanted:
            raise BadInput("give the person at least one role (disable the account instead)")
        with self._db.transaction() as session:
            user = _find(session, username)
            if Role.ADMIN in user.role_set and Role.ADMIN not in wanted:
                _keep_an_admin(session, leaving=user)
            before = sorted(user.role_set)
            user.roles = [UserRole(role=role) for role in sorted(wanted)]
            session.flush()
            _audit(session, actor, "user.roles_changed", user, purpose, before=before)
            return wanted

    def needs_confidentiality(self, actor: Actor) -> bool:
        with self._db.transaction() as session:
            user = session.get(User, actor.user_id)
            return user is None or user.confidentiality_version != CONFIDENTIALITY_VERSION

    def accept_confidentiality(self, actor: Actor, *, purpose: str) -> Actor:
        with self._db.transaction() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise NotFound(f"no account for {actor.username}")
            user.confidentiality_version = CONFIDENTIALITY_VERSION
            user.confidentiality_accepted_at = utc_now()
            append_event(
                session,
                actor=user.username,
                action="user.confidentiality_accepted",
                purpose=purpose,
                entity_type="user",
                entity_id=user.id,
                detail={"version": CONFIDENTIALITY_VERSION},
            )
            return actor_for(user)


def _find(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise NotFound(f"no account called {username!r}")
    return user


def _keep_an_admin(session: Session, *, leaving: User) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.is_active, User.id != leaving.id)
    )
    if not others:
        raise BadInput(
            f"{leaving.username} is the last active administrator; make someone else an "
            "administrator first"
        )


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    user: User,
    purpose: str,
    before: list[Role] | None = None,
) -> None:
    detail: dict[str, object] = {"username": user.username, "roles": sorted(user.role_set)}
    if before is not None:
        detail["roles_before"] = before
    append_event(
        session,
        actor=actor.username,
        action=action,
        purpose=purpose,
        entity_type="user",
        entity_id=user.id,
        detail=detail,
    )
