"""What the Reports tab offers the chair to choose from: every review session with its
quarter, meeting date and status, and what a chosen scope holds, resolved by the same rule
the report itself uses (services/report_scope.py), so the screen never says a scope is ready
to issue when the report would refuse it."""

from __future__ import annotations

from sqlalchemy import select

from bwv_review.services.actor import Actor
from bwv_review.services.permissions import Permission, require
from bwv_review.services.report_scope import ReportScope, ResolvedScope, resolve_scope
from bwv_review.store.db import Database
from bwv_review.store.models import ReviewSession


class ReportChoicesService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def sessions(self, actor: Actor) -> ResolvedScope:
        """Every session a report could cover, by meeting date (undated last), then name."""
        require(actor, Permission.COMPILE_REPORTS)
        with self._db.transaction() as session:
            names = tuple(session.scalars(select(ReviewSession.name)))
            if not names:
                return ResolvedScope(())
            return resolve_scope(session, ReportScope.of_sessions(*names))

    def resolve(self, actor: Actor, scope: ReportScope) -> ResolvedScope:
        """The sessions `scope` covers; a name or a date range that finds none is refused
        in words."""
        require(actor, Permission.COMPILE_REPORTS)
        with self._db.transaction() as session:
            return resolve_scope(session, scope)
