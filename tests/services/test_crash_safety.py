"""Killing a reviewer's process mid-review loses no answer that was shown as saved.

A subprocess saves answers one by one and prints a line after each commit; the test kills
it with SIGKILL part-way through, then finds the database exactly as the printed saves left
it (or with the one save that committed but was not printed yet), and the audit chain whole.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import PURPOSE, build_panel
from tests.services.review_workers import actor_to_json, crash_sequence

REPO = Path(__file__).resolve().parents[2]
KILL_AFTER_SAVES = 40  # into the second round, so later saves overwrite earlier ones


def test_sigkill_mid_review_loses_no_saved_answer(workspace: Workspace, db_url: str) -> None:
    panel = build_panel(workspace, cases=1)
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    command = [sys.executable, "-m", "tests.services.review_workers", db_url]
    worker = subprocess.Popen(
        [*command, actor_to_json(panel.alice), str(assignment)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert worker.stdout is not None
    printed = []
    try:
        assert worker.stdout.readline() == "ready\n"
        for line in worker.stdout:
            printed.append(tuple(line.split()[1:]))
            if len(printed) == KILL_AFTER_SAVES:
                worker.send_signal(signal.SIGKILL)
                break
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    assert len(printed) == KILL_AFTER_SAVES  # the worker never ran out of answers to save

    view = workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    stored = {check_id: entry.answer_id for check_id, entry in view.answers.items()}
    expected = list(itertools.islice(crash_sequence(view.applicable), KILL_AFTER_SAVES + 1))
    assert [tuple(p) for p in printed] == expected[:KILL_AFTER_SAVES]

    def state_after(saves: int) -> dict[str, str]:
        state = {k: v for k, v in stored.items() if k not in view.applicable}
        state.update(dict(expected[:saves]))
        return state

    # Every printed save is there; at most one more committed before the kill landed.
    assert stored in (state_after(KILL_AFTER_SAVES), state_after(KILL_AFTER_SAVES + 1))
    assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact
