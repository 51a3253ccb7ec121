"""The audit chain on both backends: appends link up, the database refuses edits, an edit
made behind its back is found, and concurrent writers cannot fork the chain."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bwv_review.store.audit import (
    GENESIS_HASH,
    Checkpoint,
    CheckpointRefused,
    append_event,
    append_only_problems,
    chain_head,
    compare_with_checkpoint,
    verify_chain,
)
from bwv_review.store.db import Database
from bwv_review.store.migrate import upgrade_to_head
from bwv_review.store.models import AuditEvent
from bwv_review.store.types import utc_now
from tests.support.tamper import disable_protection, rewrite_with_fresh_hashes


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, create=True)
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
    statements = [
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 2",
    ]
    if not db.is_sqlite:  # a row trigger alone would let TRUNCATE empty the log
        statements.append("TRUNCATE audit_events")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(statement))
    with db.transaction() as session:
        assert verify_chain(session).intact


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
    disable_protection(db)
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
    disable_protection(db)
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


# ---------------------------------------------------------------------------------------
# What the hashes alone cannot show: a rewrite with every hash recomputed, a cut-off tail
# ---------------------------------------------------------------------------------------

KEY = bytes(range(32))


def _checkpoint(db: Database) -> Checkpoint:
    """A checkpoint as signed and read back from its file."""
    with db.transaction() as session:
        head = chain_head(session)
    assert head is not None
    document = Checkpoint(head, utc_now()).signed_document(KEY)
    return Checkpoint.from_signed_document(document, KEY)


def test_a_checkpoint_of_an_untouched_log_holds(db: Database) -> None:
    _append(db, 3)
    checkpoint = _checkpoint(db)
    assert checkpoint.head.seq == 3 and checkpoint.head.count == 3
    _append(db, 2)  # the log grows after a checkpoint; that is not tampering
    with db.transaction() as session:
        assert compare_with_checkpoint(session, checkpoint.head) is None
        assert append_only_problems(session) == []


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [
        (["UPDATE audit_events SET actor = 'mallory' WHERE seq = 2"], "rewritten"),
        # Delete, then close the gap so the chain has no hole either.
        (
            [
                "DELETE FROM audit_events WHERE seq = 2",
                "UPDATE audit_events SET seq = seq - 1 WHERE seq > 2",
            ],
            "truncated",
        ),
    ],
    ids=["edit", "delete"],
)
def test_a_rewrite_with_recomputed_hashes_passes_the_chain_but_not_the_checkpoint(
    db: Database, tamper: list[str], kind: str
) -> None:
    _append(db, 5)
    checkpoint = _checkpoint(db)
    disable_protection(db)
    rewrite_with_fresh_hashes(db, *tamper)
    with db.transaction() as session:
        assert verify_chain(session).intact  # the hashes alone are fooled
        mismatch = compare_with_checkpoint(session, checkpoint.head)
        protection = append_only_problems(session)
    assert mismatch is not None
    assert mismatch.kind == kind and "event #5 (id 5)" in mismatch.reason
    assert protection and "audit_events" in protection[0]


def test_deleting_the_newest_events_is_a_truncation(db: Database) -> None:
    _append(db, 6)
    checkpoint = _checkpoint(db)
    disable_protection(db)
    with db.transaction() as session:
        session.execute(text("DELETE FROM audit_events WHERE seq > 4"))
    with db.transaction() as session:
        assert verify_chain(session).intact
        mismatch = compare_with_checkpoint(session, checkpoint.head)
    assert mismatch is not None and mismatch.kind == "truncated"
    assert "event #6" in mismatch.reason and "ends at #4, 4 events" in mismatch.reason


def test_a_truncated_log_grown_back_is_a_rewrite(db: Database) -> None:
    _append(db, 4)
    checkpoint = _checkpoint(db)
    disable_protection(db)
    with db.transaction() as session:
        session.execute(text("DELETE FROM audit_events WHERE seq > 2"))
    _append(db, 2, actor="mallory")
    with db.transaction() as session:
        mismatch = compare_with_checkpoint(session, checkpoint.head)
    assert mismatch is not None and mismatch.kind == "rewritten" and "#4" in mismatch.reason


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc.replace('"count": 3', '"count": 2'),
        lambda doc: doc.replace('"seq": 3', '"seq": 2'),
        lambda doc: json.dumps({**json.loads(doc), "hash": "0" * 64}),
    ],
    ids=["count", "seq", "hash"],
)
def test_an_edited_checkpoint_is_forged(db: Database, edit: Callable[[str], str]) -> None:
    _append(db, 3)
    with db.transaction() as session:
        head = chain_head(session)
    assert head is not None
    document = Checkpoint(head, utc_now()).signed_document(KEY)
    edited = edit(document)
    assert edited != document
    with pytest.raises(CheckpointRefused, match="FORGED") as refused:
        Checkpoint.from_signed_document(edited, KEY)
    assert refused.value.forged
    with pytest.raises(CheckpointRefused, match="FORGED"):
        Checkpoint.from_signed_document(document, bytes(32))  # another machine's key


def test_a_file_that_is_no_checkpoint_is_not_called_forged() -> None:
    for document in ("not json", "[]", '{"format": "something else"}'):
        with pytest.raises(CheckpointRefused, match="not a checkpoint") as refused:
            Checkpoint.from_signed_document(document, KEY)
        assert not refused.value.forged


def test_missing_or_disabled_triggers_are_named(db: Database) -> None:
    _append(db, 1)
    disable_protection(db)
    with db.transaction() as session:
        disabled = append_only_problems(session)
    if db.is_sqlite:
        assert disabled == [
            "trigger audit_events_no_update is missing (events could be changed)",
            "trigger audit_events_no_delete is missing (events could be changed)",
        ]
        return
    assert disabled == [
        "trigger audit_events_append_only is disabled (events could be changed)",
        "trigger audit_events_no_truncate is disabled (events could be changed)",
    ]
    with db.transaction() as session:
        session.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        session.execute(text("DROP TRIGGER audit_events_no_truncate ON audit_events"))
        assert append_only_problems(session) == [
            "trigger audit_events_no_truncate is missing (events could be changed)"
        ]


def test_a_trigger_made_harmless_is_named_as_altered(db: Database) -> None:
    with db.transaction() as session:
        if db.is_sqlite:
            session.execute(text("DROP TRIGGER audit_events_no_update"))
            session.execute(
                text(
                    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
                    "WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
                )
            )
            expected = ["trigger audit_events_no_update has been altered"]
        else:
            session.execute(
                text(
                    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
                    "AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql"
                )
            )
            expected = [
                "trigger audit_events_append_only has been altered",
                "trigger audit_events_no_truncate has been altered",
            ]
    with db.transaction() as session:
        assert append_only_problems(session) == expected
