"""Take docs/screenshots/consensus_screen.png: the chair's consensus view in the real app
window on a real X server (Xvfb), with a fictional panel's reviews.

Run from the repository root: `.venv/bin/python docs/screenshots/take_consensus_screen.py`.
It starts Xvfb, then runs itself again on that display to build a throwaway workspace from
the example manifest, have three fictional members review the sample through the services
(with learning points on the case shown, two of them at the same moment), sign in as the
chair and grab the window on the Consensus tab.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from shot import run_on_xvfb, show_and_save

if TYPE_CHECKING:
    from bwv_review.services.actor import Actor
    from bwv_review.services.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "consensus_screen.png"
PURPOSE = "docs screenshot"
PIN = "246810"

ANSWERS = ("not_met", "partly_met", "met")  # worst to best
# What the footage shows, as weights for not met, partly met, met; members see it alike
# most of the time and differ by one step otherwise, as a real panel does.
TRUTH_WEIGHTS = (1, 2, 7)
# How often each fictional member departs from what the footage shows.
DEPARTS = {"sreid": 0.1, "apatel": 0.2, "thughes": 0.3}
REASONS = {
    "partly_met": "Given, but only after the search had started (02:10).",
    "not_met": "Not heard on the footage; the officer moved straight to the search.",
}
# Learning points on the case shown: (clip index, ms, good practice?, tags, note). Two
# members marked the late grounds within 2 s of each other, which the screen puts together.
POINTS = {
    "sreid": (
        (0, 12_040, True, ("good_practice_exemplar",), "Calm start; name and station given."),
        (0, 130_480, False, ("grounds_not_explained",), "Grounds given once the search began."),
    ),
    "apatel": (
        (0, 131_920, False, ("grounds_not_explained", "gowisely_incomplete_o"),
         "Object of the search never said."),
        (1, 31_600, False, ("receipt_not_offered",), "No receipt offered at the end."),
    ),
}  # fmt: skip
FRAME_MS = 40  # 25 frames a second


def seed_panel(home: Path) -> tuple[Workspace, Actor, int, int]:
    """The workspace, the chair, the session and the case to show."""
    from bwv_review.config import Paths, Settings
    from bwv_review.domain.review_rules import OutcomeAction
    from bwv_review.domain.vocab import LearningKind, Role
    from bwv_review.services.consensus import OutcomeDraft
    from bwv_review.services.review_access import default_rubric
    from bwv_review.services.reviews import LearningPointInput, ReviewText
    from bwv_review.services.sampling import parse_spec
    from bwv_review.services.workspace import Workspace

    workspace = Workspace.create(f"sqlite:///{home / 'ws.sqlite3'}")
    admin = workspace.auth.create_first_admin("jsmith", "Jo Smith", PIN, purpose=PURPOSE)
    chair = workspace.auth.create_user(
        admin, "pokafor", "Pat Okafor", PIN, [Role.CHAIR], purpose=PURPOSE
    )
    members = {
        username: workspace.auth.create_user(
            admin, username, name, PIN, [Role.REVIEWER], purpose=PURPOSE
        )
        for username, name in (
            ("sreid", "Sam Reid"),
            ("apatel", "Asha Patel"),
            ("thughes", "Tom Hughes"),
        )
    }
    settings = Settings(Paths.for_this_machine().settings_file)
    manifest = REPO / "resources" / "manifests" / "example-manifest.csv"
    workspace.library.import_manifest(admin, manifest, settings, purpose=PURPOSE)
    spec = parse_spec(["case_type=stop_and_search"], [], 4)
    workspace.sampling.draw(chair, "2026 Q1 dip sample", "2026-Q1", spec, purpose=PURPOSE)
    sessions = workspace.review_sessions
    sid = sessions.create(
        chair, "2026 Q1 scrutiny panel", "2026-Q1", date(2026, 4, 16), list(members),
        purpose=PURPOSE,
    )  # fmt: skip
    sessions.adopt_draw(chair, sid, "2026 Q1 dip sample", purpose=PURPOSE)
    sessions.open(chair, sid, purpose=PURPOSE)

    notes = {  # what two members wrote about the case on screen
        "sreid": (ReviewText.GENERAL_NOTE, "Calm and polite; the receipt was offered."),
        "apatel": (
            ReviewText.QUESTION_TO_FORCE,
            "Is a smell of cannabis alone still treated as enough grounds?",
        ),
    }
    rubric = default_rubric()
    shown = sessions.detail(chair, sid).cases[0]
    truth = random.Random("2026-Q1")
    seen = {
        (case.case_id, check.id): truth.choices(range(3), TRUTH_WEIGHTS)[0]
        for case in sessions.detail(chair, sid).cases
        for check in rubric.checks
    }
    for username, member in members.items():
        pick = random.Random(username)
        for item in workspace.reviews.queue(member):
            if username == "thughes" and item.case_id == shown.case_id:
                continue  # still reviewing the case on screen: shown as pending
            view = workspace.reviews.open_case(member, item.assignment_id, purpose=PURPOSE)
            for check in rubric.checks:
                if check.id not in view.applicable:
                    continue
                step = pick.choice((-1, 1)) if pick.random() < DEPARTS[username] else 0
                answer = ANSWERS[min(2, max(0, seen[item.case_id, check.id] + step))]
                reason = REASONS.get(answer) if check.requires_reason(answer) else None
                workspace.reviews.save_answer(
                    member, item.assignment_id, check.id, answer, reason, purpose=PURPOSE
                )
            if item.case_id == shown.case_id and username in notes:
                field, text = notes[username]
                workspace.reviews.set_text(member, item.assignment_id, field, text, purpose=PURPOSE)
            for clip, at_ms, good, tags, note in (
                POINTS.get(username, ()) if item.case_id == shown.case_id else ()
            ):
                stamp = LearningPointInput(
                    view.clips[min(clip, len(view.clips) - 1)].clip_id,
                    at_ms,
                    at_ms // FRAME_MS,
                    0 if good else 1,
                    LearningKind.GOOD_PRACTICE if good else LearningKind.LEARNING,
                    tags,
                    note,
                )
                workspace.reviews.add_learning_point(
                    member, item.assignment_id, stamp, purpose=PURPOSE
                )
            workspace.reviews.submit(member, item.assignment_id, purpose=PURPOSE)

    draft = OutcomeDraft(
        "adequate",
        (OutcomeAction.FEEDBACK_TO_OFFICER, OutcomeAction.QUESTION_TO_FORCE),
        "A young man was searched for drugs after officers smelt cannabis. The search was "
        "courteous, but the grounds were explained only after it began.",
        "How are officers reminded to give GOWISELY before, not during, a search?",
    )
    workspace.consensus.save_outcome(
        chair, sid, shown.case_id, draft, expected_version=None, purpose=PURPOSE
    )
    return workspace, chair, sid, shown.case_id


def grab_on_this_display() -> None:
    from PySide6.QtWidgets import QApplication

    from bwv_review.ui.main_window import MainWindow

    home = Path(tempfile.mkdtemp(prefix="bwv-shot-"))
    os.environ["BWV_REVIEW_HOME"] = str(home)
    workspace, chair, session_id, case_id = seed_panel(home)
    app = QApplication(sys.argv[:1])
    window = MainWindow(workspace, chair)
    window.setGeometry(10, 10, 1260, 780)
    screen = window.sessions
    window.tabs.setCurrentWidget(screen)
    screen.select_session(session_id)
    screen.consensus.show_case(case_id)
    screen.tabs.setCurrentWidget(screen.consensus)
    table = screen.consensus.table
    differ = next(r for r in range(table.rowCount()) if "\u2260" in table.item(r, 3).text())
    table.setCurrentCell(differ, 0)  # shows the members' reasons below the table
    show_and_save(app, window, OUTPUT)
    workspace.close()


if __name__ == "__main__":
    run_on_xvfb(__file__, grab_on_this_display)
