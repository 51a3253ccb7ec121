"""The audit chain on both backends: appends link up, the database refuses edits, an edit
made behind its back is found, and concurrent writers cannot fork the chain."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bwv_review.store.audit import GENESIS_HASH, append_event, verify_chain
from bwv_review.store.db import Database
from bwv_review.store.migrate import upgrade_to_head
from bwv_review.store.models import AuditEvent


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


def _append(db: Database, n: int, actor: str = "alice") -> None:
    for i in range(n):
        with db.transaction() as session:
            append_event(
                session,
                actor=actor,
                action="clip.viewed",
                purpose="review session 2026-Q3",
                entity_type="clip",
                entity_id=i,
                detail={"position_ms": i * 1000, "note": "naïve \u202e text"},
            )


def test_events_form_a_chain_from_genesis(db: Database) -> None:
    _append(db, 5)
    with db.transaction() as session:
        events = session.query(AuditEvent).order_by(AuditEvent.seq).all()
        report = verify_chain(session)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert report.intact and report.events_checked == 5
    assert report.last_hash == events[-1].hash


def test_the_database_refuses_to_update_or_delete_an_event(db: Database) -> None:
    _append(db, 2)
    for statement in (
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 2",
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(statement))
    with db.transaction() as session:
        assert verify_chain(session).intact


def _disable_protection(db: Database) -> None:
    """What someone with the database owner's rights could do."""
    with db.transaction() as session:
        if db.is_sqlite:
            session.execute(text("DROP TRIGGER audit_events_no_update"))
            session.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


@pytest.mark.parametrize(
    ("tamper", "broken_seq", "intact_before", "reason"),
    [
        ("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3", 3, 2, "edited"),
        ("UPDATE audit_events SET detail_json = '{}' WHERE seq = 4", 4, 3, "edited"),
        ("DELETE FROM audit_events WHERE seq = 2", 3, 1, "missing"),
    ],
)
def test_verify_names_the_first_event_changed_behind_its_back(
    db: Database, tamper: str, broken_seq: int, intact_before: int, reason: str
) -> None:
    _append(db, 6)
    _disable_protection(db)
    with db.transaction() as session:
        session.execute(text(tamper))
    with db.transaction() as session:
        report = verify_chain(session)
    assert report.first_break is not None
    assert report.first_break.seq == broken_seq
    assert reason in report.first_break.reason
    assert report.events_checked == intact_before


def test_a_rewritten_chain_tail_is_caught_at_the_first_rewritten_event(db: Database) -> None:
    _append(db, 4)
    _disable_protection(db)
    with db.transaction() as session:
        session.execute(text("UPDATE audit_events SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
    with db.transaction() as session:
        report = verify_chain(session)
    assert report.first_break is not None and report.first_break.seq == 2


def test_concurrent_writers_never_fork_the_chain(db: Database) -> None:
    writers, per_writer = 4, 15
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            _append(db, per_writer, actor=name)
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    with db.transaction() as session:
        report = verify_chain(session)
    assert report.intact
    assert report.events_checked == writers * per_writer
