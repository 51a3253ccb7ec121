"""The reviewer's laptop for the SIGKILL trials, run in its own process: it signs in, then
edits answers, the general note and learning points without end, reporting each edit's
number down a pipe once its transaction has committed (the pipe write is done before the
next edit starts, as a flushed print would be).

The n-th edit is a function of n alone (`edit`), so the test can replay the printed lines,
and the one edit that may have committed unprinted, to know what the database must hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from bwv_review.domain.vocab import LearningKind
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import PURPOSE, RUBRIC
from tests.services.review_workers import CRASH_ANSWERS


@dataclass(frozen=True)
class Edit:
    kind: str  # answer | note | point_added | point_changed | point_deleted
    key: str  # the check, or the note text a point was added with
    value: str


@dataclass
class ReviewState:
    """What the edits so far leave in the review: answers, general note, points by note."""

    answers: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    points: dict[str, str] = field(default_factory=dict)  # note added with -> note now

    def apply(self, change: Edit) -> None:
        if change.kind == "answer":
            self.answers[change.key] = change.value
        elif change.kind == "note":
            self.note = change.value
        elif change.kind == "point_deleted":
            del self.points[change.key]
        else:
            self.points[change.key] = change.value


def edit(n: int, checks: list[str]) -> Edit:
    """Edit n: an answer, the note, a point added, then that point changed or deleted."""
    step, kind = divmod(n, 4)
    if kind == 0:
        check = checks[step % len(checks)]
        return Edit("answer", check, CRASH_ANSWERS[(step // len(checks)) % len(CRASH_ANSWERS)])
    if kind == 1:
        return Edit("note", "", f"general note as of edit {n}")
    added = f"point added at edit {n - kind + 2}"
    if kind == 2:
        return Edit("point_added", added, added)
    if step % 2 == 0:
        return Edit("point_changed", added, f"{added}, changed at edit {n}")
    return Edit("point_deleted", added, "")


def applicable_checks(applicable: frozenset[str]) -> list[str]:
    return [c.id for c in RUBRIC.checks if c.id in applicable]


def edit_forever(
    db_url: str, username: str, pin: str, assignment_id: int, saved: Connection
) -> None:
    workspace = Workspace.open(db_url)
    actor = workspace.auth.sign_in(username, pin, purpose=PURPOSE)
    view = workspace.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
    checks = applicable_checks(view.applicable)
    clip_id = view.clips[0].clip_id
    point_ids: dict[str, int] = {}
    saved.send("ready")
    n = 0
    while True:
        change = edit(n, checks)
        if change.kind == "answer":
            workspace.reviews.save_answer(
                actor, assignment_id, change.key, change.value, "a reason", purpose=PURPOSE
            )
        elif change.kind == "note":
            workspace.reviews.set_text(
                actor, assignment_id, ReviewText.GENERAL_NOTE, change.value, purpose=PURPOSE
            )
        elif change.kind == "point_added":
            stamp = LearningPointInput(
                clip_id, 1000 + n, None, 0, LearningKind.LEARNING, (), change.value
            )
            point_ids[change.key] = workspace.reviews.add_learning_point(
                actor, assignment_id, stamp, purpose=PURPOSE
            )
        elif change.kind == "point_changed":
            workspace.reviews.update_learning_point(
                actor,
                point_ids[change.key],
                kind=LearningKind.LEARNING,
                tags=(),
                note=change.value,
                purpose=PURPOSE,
            )
        else:
            workspace.reviews.delete_learning_point(
                actor, point_ids.pop(change.key), purpose=PURPOSE
            )
        saved.send(n)
        n += 1
