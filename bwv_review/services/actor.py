"""Who is acting and why: every service call that reads personal data or changes anything
takes an Actor and a purpose, so permissions and the audit log never have to guess.
What each role may do is in services/permissions.py."""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.domain.vocab import Role


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    display_name: str
    pseudonym: str
    roles: frozenset[Role]
