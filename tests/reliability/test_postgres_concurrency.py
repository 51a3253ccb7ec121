"""Eight reviewers' laptops editing their reviews on one PostgreSQL database at once, while
the chair changes the case's outcome from two laptops: no update is lost, every stale
outcome save is refused as a ConcurrentEdit (counted, then re-read and redone, as the
screen asks a person to), nothing is silently overwritten, and the audit chain is whole.

CI: 8 x 50 edits and 2 x 25 outcome changes; BWV_RELIABILITY_FULL=1: 8 x 300 and 2 x 150.
"""

from __future__ import annotations

import multiprocessing
from datetime import date

from bwv_review.domain.vocab import Role
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.workspace import Workspace
from tests.reliability.counts import trials
from tests.reliability.edit_worker import applicable_checks, edit_times, state_after, stored_state
from tests.services.review_fixtures import PURPOSE, build_panel, make_person
from tests.services.review_workers import actor_to_json, chair_seat

REVIEWERS = 8
EDITS = trials(50, 300)
CHAIR_EDITS = EDITS // 2
SEATS = multiprocessing.get_context("forkserver")
SEATS.set_forkserver_preload(["tests.reliability.edit_worker", "tests.services.review_workers"])


def test_eight_reviewers_and_a_chair_lose_no_update(postgres_url: str) -> None:
    workspace = Workspace.create(postgres_url)
    try:
        panel = build_panel(workspace, cases=1, open_it=False)
        reviewers = [make_person(workspace, f"member{n}", Role.REVIEWER) for n in range(8)]
        session_id = workspace.review_sessions.create(
            panel.chair,
            "Concurrency panel",
            "2026-Q3",
            date(2026, 10, 2),
            [r.username for r in reviewers],
            purpose=PURPOSE,
        )
        workspace.review_sessions.add_case(
            panel.chair, session_id, "CASE-001", "theme: drugs", purpose=PURPOSE
        )
        workspace.review_sessions.open(panel.chair, session_id, purpose=PURPOSE)
        case_id = panel.case_ids[0]
        workspace.consensus.save_outcome(
            panel.chair,
            session_id,
            case_id,
            OutcomeDraft(None, (), "", ""),
            expected_version=None,
            purpose=PURPOSE,
        )
        assignments = {
            r.username: next(
                i.assignment_id for i in workspace.reviews.queue(r) if i.session_id == session_id
            )
            for r in reviewers
        }
        start = SEATS.Barrier(REVIEWERS + 2)
        conflicts = SEATS.Queue()
        seats = [
            SEATS.Process(
                target=edit_times,
                args=(postgres_url, actor_to_json(r), assignments[r.username], EDITS, start),
            )
            for r in reviewers
        ] + [
            SEATS.Process(
                target=chair_seat,
                args=(
                    postgres_url,
                    actor_to_json(panel.chair),
                    (session_id, case_id),
                    seat,
                    CHAIR_EDITS,
                    start,
                    conflicts,
                ),
            )
            for seat in ("x", "y")
        ]
        for seat in seats:
            seat.start()
        for seat in seats:
            seat.join(timeout=300)
        assert [seat.exitcode for seat in seats] == [0] * len(seats)
        refused = conflicts.get(timeout=5) + conflicts.get(timeout=5)

        # Every reviewer's last edit of everything is stored: nothing lost or mixed up.
        for reviewer in reviewers:
            assignment = assignments[reviewer.username]
            checks = applicable_checks(
                workspace.reviews.open_case(reviewer, assignment, purpose=PURPOSE).applicable
            )
            assert stored_state(workspace, reviewer, assignment) == state_after(EDITS, checks)

        # Every outcome change survived: each was either saved on the version it read or
        # refused as a conflict and redone, never written over the other laptop's.
        outcome = workspace.consensus.outcome(panel.chair, session_id, case_id)
        assert outcome is not None
        assert sorted(outcome.vignette.split()) == sorted(
            f"{s}{n}" for s in "xy" for n in range(CHAIR_EDITS)
        )
        assert outcome.version == 1 + 2 * CHAIR_EDITS
        assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact
        print(
            f"\n{REVIEWERS} reviewers x {EDITS} edits + 2 x {CHAIR_EDITS} outcome changes: "
            f"0 lost, {refused} conflicts reported and redone"
        )
    finally:
        workspace.close()
