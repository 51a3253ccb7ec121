"""What someone with the database owner's rights could do to the audit log, for tests that
check it is found out: switch the append-only triggers off, edit, recompute every hash."""

from __future__ import annotations

from sqlalchemy import select, text

from bwv_review.store.audit import GENESIS_HASH, hash_of
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent


def disable_protection(db: Database, *, drop: bool = False) -> None:
    """Drop the triggers (SQLite can only drop them), or on PostgreSQL disable them."""
    with db.transaction() as session:
        if db.is_sqlite:
            session.execute(text("DROP TRIGGER audit_events_no_update"))
            session.execute(text("DROP TRIGGER audit_events_no_delete"))
        elif drop:
            session.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        else:
            session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


def rewrite_with_fresh_hashes(db: Database, *statements: str) -> None:
    """Tamper, then recompute every event's links and hash from the first on, as a careful
    forger would, so that the chain of hashes alone looks intact."""
    with db.transaction() as session:
        for statement in statements:
            session.execute(text(statement))
        prev_hash = GENESIS_HASH
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            event.prev_hash = prev_hash
            event.hash = hash_of(event)
            session.flush()
            prev_hash = event.hash
