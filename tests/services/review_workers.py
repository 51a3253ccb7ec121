"""Code that runs in other processes for the multi-seat and crash tests: a reviewer's
laptop saving answers, and a chair's laptop editing a panel outcome.

Each worker opens its own Workspace on the shared database URL, as a real laptop would.
Run as a module it is the crash worker: it saves answers one by one and prints a line
after each commit, until it is killed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import ConcurrentEdit, OutcomeDraft
from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import PURPOSE, RUBRIC

CRASH_ANSWERS = ("met", "partly_met", "not_met", "cannot_tell")


def actor_to_json(actor: Actor) -> str:
    return json.dumps({**asdict(actor), "roles": sorted(actor.roles)})


def actor_from_json(text: str) -> Actor:
    data = json.loads(text)
    return Actor(**{**data, "roles": frozenset(Role(r) for r in data["roles"])})


def crash_sequence(applicable: frozenset[str]) -> Iterator[tuple[str, str]]:
    """The n-th save of the crash worker, the same in the worker and in the test: every
    applicable check in turn, cycling through answers, without end."""
    checks = [c.id for c in RUBRIC.checks if c.id in applicable]
    round_number = 0
    while True:
        for check_id in checks:
            yield check_id, CRASH_ANSWERS[round_number % len(CRASH_ANSWERS)]
        round_number += 1


def crash_worker(db_url: str, actor_json: str, assignment_id: int) -> None:
    actor = actor_from_json(actor_json)
    workspace = Workspace.open(db_url)
    view = workspace.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
    print("ready", flush=True)
    for check_id, answer in crash_sequence(view.applicable):
        workspace.reviews.save_answer(
            actor, assignment_id, check_id, answer, "a reason", purpose=PURPOSE
        )
        print(f"saved {check_id} {answer}", flush=True)


def reviewer_seat(db_url: str, actor_json: str, assignment_ids: list[int], start: Barrier) -> None:
    """Answer every case assigned, one save at a time, and submit each."""
    actor = actor_from_json(actor_json)
    workspace = Workspace.open(db_url)
    try:
        start.wait()
        for assignment_id in assignment_ids:
            view = workspace.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
            for check in RUBRIC.checks:
                if check.id in view.applicable:
                    reason = "seen" if check.requires_reason("partly_met") else None
                    workspace.reviews.save_answer(
                        actor, assignment_id, check.id, "partly_met", reason, purpose=PURPOSE
                    )
            workspace.reviews.submit(actor, assignment_id, purpose=PURPOSE)
    finally:
        workspace.close()


def chair_seat(
    db_url: str,
    actor_json: str,
    target: tuple[int, int],
    seat: str,
    edits: int,
    start: Barrier,
    conflicts: Queue[int],
) -> None:
    """Add `edits` tokens to the outcome's vignette, each a read-modify-write based on the
    version read; a refused save is re-read and tried again, as the GUI asks a person to.
    Puts the number of refused saves on `conflicts`."""
    actor = actor_from_json(actor_json)
    session_id, case_id = target
    refused = 0
    workspace = Workspace.open(db_url)
    try:
        start.wait()
        for n in range(edits):
            while True:
                current = workspace.consensus.outcome(actor, session_id, case_id)
                assert current is not None
                draft = OutcomeDraft(
                    current.consensus_grade,
                    (),
                    f"{current.vignette} {seat}{n}".strip(),
                    current.questions_to_force,
                )
                try:
                    workspace.consensus.save_outcome(
                        actor,
                        session_id,
                        case_id,
                        draft,
                        expected_version=current.version,
                        purpose=PURPOSE,
                    )
                    break
                except ConcurrentEdit:
                    refused += 1
        conflicts.put(refused)
    finally:
        workspace.close()


if __name__ == "__main__":
    crash_worker(sys.argv[1], sys.argv[2], int(sys.argv[3]))
