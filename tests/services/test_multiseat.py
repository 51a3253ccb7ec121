"""Several laptops on one PostgreSQL database at once: two reviewer processes answering
and submitting, two chair processes editing the same panel outcome, and the chair's "what
changed since" poll, all at the same time.

Nothing is lost: every answer of both reviewers is stored, every chair edit is in the
outcome (a stale save is refused and redone, never silently overwritten), the poll reports
each submission exactly once, and the audit chain is whole.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import wait

from sqlalchemy import func, select

from bwv_review.domain.vocab import ReviewStatus
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Answer, Review
from tests.services.review_fixtures import PURPOSE, RUBRIC, build_panel
from tests.services.review_workers import actor_to_json, chair_seat, reviewer_seat

CASES = 3
EDITS_PER_CHAIR = 15
POLL_SECONDS = 0.2
DEADLINE_SECONDS = 240


def test_reviewers_and_chairs_at_once_lose_no_update(postgres_url: str) -> None:
    workspace = Workspace.create(postgres_url)
    try:
        _run(workspace, postgres_url)
    finally:
        workspace.close()


def _run(workspace: Workspace, db_url: str) -> None:
    panel = build_panel(workspace, cases=CASES)
    target = (panel.session_id, panel.case_ids[0])
    workspace.consensus.save_outcome(
        panel.chair, *target, OutcomeDraft(None, (), "", ""), expected_version=None, purpose="t"
    )
    cursor = workspace.consensus.changes_since(panel.chair, panel.session_id).cursor
    reviewers = {
        actor.username: [panel.assignment(workspace, actor, c) for c in panel.case_ids]
        for actor in (panel.alice, panel.bob)
    }
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(4)
    conflicts = spawn.Queue()
    seats = [
        spawn.Process(
            target=reviewer_seat,
            args=(db_url, actor_to_json(actor), reviewers[actor.username], start),
        )
        for actor in (panel.alice, panel.bob)
    ] + [
        spawn.Process(
            target=chair_seat,
            args=(db_url, actor_to_json(panel.chair), target, seat, EDITS_PER_CHAIR, start),
            kwargs={"conflicts": conflicts},
        )
        for seat in ("x", "y")
    ]
    for seat in seats:
        seat.start()

    # The chair's screen meanwhile: poll whenever a seat finishes or every POLL_SECONDS.
    submitted_seen: list[tuple[int, str | None]] = []
    running = {seat.sentinel: seat for seat in seats}
    waited = 0.0
    while running and waited < DEADLINE_SECONDS:
        for sentinel in wait(list(running), timeout=POLL_SECONDS):
            running.pop(sentinel).join()
        waited += POLL_SECONDS
        changes = workspace.consensus.changes_since(panel.chair, panel.session_id, cursor)
        cursor = changes.cursor
        submitted_seen += [
            (e.case_id, e.member) for e in changes.events if e.action == "review.submitted"
        ]
    assert not running, "a seat did not finish in time"
    assert [seat.exitcode for seat in seats] == [0, 0, 0, 0]
    refused = [conflicts.get(timeout=5), conflicts.get(timeout=5)]

    # Each submission was reported once, under the member's label.
    expected = {(c, label) for c in panel.case_ids for label in ("Member A", "Member B")}
    assert sorted(submitted_seen) == sorted(expected)

    # Every chair edit survived: none overwritten by the other laptop.
    outcome = workspace.consensus.outcome(panel.chair, *target)
    assert outcome is not None
    tokens = outcome.vignette.split()
    assert sorted(tokens) == sorted(f"{s}{n}" for s in "xy" for n in range(EDITS_PER_CHAIR))
    assert outcome.version == 1 + 2 * EDITS_PER_CHAIR

    # Every answer of both reviewers is stored and every review submitted.
    with workspace.db.transaction() as session:
        per_review = session.execute(
            select(Review.status, func.count(Answer.id))
            .join(Answer, Answer.review_id == Review.id)
            .group_by(Review.id, Review.status)
        ).all()
    assert len(per_review) == 2 * CASES
    assert all(
        status == ReviewStatus.SUBMITTED and n == len(RUBRIC.checks) for status, n in per_review
    )
    assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact
    print(f"multi-seat: {len(tokens)} chair edits kept, {sum(refused)} stale saves refused")
