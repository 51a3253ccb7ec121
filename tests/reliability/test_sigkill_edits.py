"""SIGKILL at random moments while a reviewer's process edits a review: every edit it
printed as saved is in the database, the file passes `PRAGMA integrity_check`, and the
audit chain verifies. One trial per case, so each starts from an empty review.

CI kills 20 times; BWV_RELIABILITY_FULL=1 kills 100 times (docs/reliability.md).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time

from bwv_review.services.workspace import Workspace
from bwv_review.store.db import sqlite_file
from tests.reliability.counts import trials
from tests.reliability.edit_worker import (
    applicable_checks,
    edit_forever,
    state_after,
    stored_state,
)
from tests.services.review_fixtures import PURPOSE, build_panel, give_own_pin

FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["tests.reliability.edit_worker"])
KILLS = trials(20, 100)
PIN = "582914"
# Up to this long after the worker is ready: long enough for tens of edits, so kills land
# in every kind of edit and part-way through transactions.
MAX_KILL_DELAY_S = 1.0


def test_sigkill_during_review_edits_loses_no_printed_save(sqlite_url: str) -> None:
    workspace = Workspace.create(sqlite_url)
    try:
        panel = build_panel(workspace, cases=(KILLS + 1) // 2)
        for reviewer in (panel.alice, panel.bob):
            give_own_pin(workspace, panel.admin, reviewer, PIN)
        targets = [
            (reviewer, panel.assignment(workspace, reviewer, case_id))
            for case_id in panel.case_ids
            for reviewer in (panel.alice, panel.bob)
        ][:KILLS]
        rng = random.Random(13)
        printed_total = 0
        for trial, (reviewer, assignment) in enumerate(targets):
            printed = _edit_until_killed(
                sqlite_url, reviewer.username, assignment, rng.uniform(0, MAX_KILL_DELAY_S)
            )
            printed_total += printed
            stored = stored_state(workspace, reviewer, assignment)
            checks = applicable_checks(
                workspace.reviews.open_case(reviewer, assignment, purpose=PURPOSE).applicable
            )
            expected, one_more = state_after(printed, checks), state_after(printed + 1, checks)
            # Every printed edit is there; the one being made when the kill landed may be.
            assert stored in (expected, one_more), f"trial {trial}: {printed} edits printed"
            assert _integrity(sqlite_url) == "ok", f"trial {trial}"
        assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact
        print(f"\n{KILLS} SIGKILLs, {printed_total} printed edits, 0 lost")
        assert printed_total > KILLS  # the kills landed while edits were being made
    finally:
        workspace.close()


def _integrity(db_url: str) -> str:
    path = sqlite_file(db_url)
    assert path is not None
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _edit_until_killed(db_url: str, username: str, assignment: int, delay_s: float) -> int:
    """Start the worker, kill it `delay_s` after it is ready; the number of edits it
    reported saved. The fork server has the app imported already, so a trial costs the
    sign-in and the edits, not an interpreter start."""
    receiving, sending = FORKS.Pipe(duplex=False)
    worker = FORKS.Process(
        target=edit_forever, args=(db_url, username, PIN, assignment, sending), daemon=True
    )
    worker.start()
    sending.close()
    try:
        assert receiving.poll(60), "the worker did not sign in within a minute"
        assert receiving.recv() == "ready"
        time.sleep(delay_s)
        os.kill(worker.pid or 0, signal.SIGKILL)
        worker.join(timeout=30)
        saved: list[int] = []
        while True:
            try:
                saved.append(receiving.recv())
            except EOFError:
                break
    finally:
        worker.kill()
        worker.join()
        receiving.close()
    assert worker.exitcode == -signal.SIGKILL
    assert saved == list(range(len(saved)))
    return len(saved)
