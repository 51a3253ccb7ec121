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
from multiprocessing.synchronize import Barrier

from bwv_review.domain.vocab import LearningKind
from bwv_review.services.actor import Actor
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import PURPOSE, RUBRIC
from tests.services.review_workers import CRASH_ANSWERS, actor_from_json


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


class Editor:
    """Makes edit n on one review, remembering the ids of the points it added."""

    def __init__(self, workspace: Workspace, actor: Actor, assignment_id: int) -> None:
        self._workspace, self._actor, self._assignment = workspace, actor, assignment_id
        view = workspace.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
        self.checks = applicable_checks(view.applicable)
        self._clip_id = view.clips[0].clip_id
        self._point_ids: dict[str, int] = {}

    def make(self, n: int) -> None:
        reviews, actor, assignment_id = self._workspace.reviews, self._actor, self._assignment
        change = edit(n, self.checks)
        if change.kind == "answer":
            reviews.save_answer(
                actor, assignment_id, change.key, change.value, "a reason", purpose=PURPOSE
            )
        elif change.kind == "note":
            reviews.set_text(
                actor, assignment_id, ReviewText.GENERAL_NOTE, change.value, purpose=PURPOSE
            )
        elif change.kind == "point_added":
            stamp = LearningPointInput(
                self._clip_id, 1000 + n, None, 0, LearningKind.LEARNING, (), change.value
            )
            self._point_ids[change.key] = reviews.add_learning_point(
                actor, assignment_id, stamp, purpose=PURPOSE
            )
        elif change.kind == "point_changed":
            reviews.update_learning_point(
                actor,
                self._point_ids[change.key],
                kind=LearningKind.LEARNING,
                tags=(),
                note=change.value,
                purpose=PURPOSE,
            )
        else:
            reviews.delete_learning_point(actor, self._point_ids[change.key], purpose=PURPOSE)
            del self._point_ids[change.key]  # only once deleted: a refused edit is redone


def stored_state(workspace: Workspace, actor: Actor, assignment_id: int) -> ReviewState:
    """The review as the database holds it, in the terms of ReviewState."""
    view = workspace.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
    checks = applicable_checks(view.applicable)
    return ReviewState(
        {k: e.answer_id for k, e in view.answers.items() if k in checks},
        view.general_note,
        {p.note.split(", changed at")[0]: p.note for p in view.learning_points},
    )


def state_after(edits: int, checks: list[str]) -> ReviewState:
    state = ReviewState()
    for n in range(edits):
        state.apply(edit(n, checks))
    return state


def edit_forever(
    db_url: str, username: str, pin: str, assignment_id: int, saved: Connection
) -> None:
    """Sign in and edit until killed, sending each edit's number once it is committed."""
    workspace = Workspace.open(db_url)
    actor = workspace.auth.sign_in(username, pin, purpose=PURPOSE)
    editor = Editor(workspace, actor, assignment_id)
    saved.send("ready")
    n = 0
    while True:
        editor.make(n)
        saved.send(n)
        n += 1


def edit_times(
    db_url: str, actor_json: str, assignment_id: int, edits: int, start: Barrier
) -> None:
    """A reviewer's seat in the concurrency test: `edits` edits, all at once with others."""
    workspace = Workspace.open(db_url)
    try:
        editor = Editor(workspace, actor_from_json(actor_json), assignment_id)
        start.wait()
        for n in range(edits):
            editor.make(n)
    finally:
        workspace.close()
