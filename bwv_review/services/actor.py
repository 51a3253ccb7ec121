"""Who is acting and why: every service call that reads personal data or changes anything
takes an Actor and a purpose, so permissions and the audit log never have to guess."""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.domain.vocab import Role
from bwv_review.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    display_name: str
    pseudonym: str
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        return role in self.roles

    def require(self, *any_of: Role) -> None:
        """Refuse unless the actor holds at least one of the roles."""
        if not any(role in self.roles for role in any_of):
            needed = " or ".join(role.label.lower() for role in any_of)
            raise PermissionDenied(f"{self.username} is not allowed to do this: needs {needed}")
