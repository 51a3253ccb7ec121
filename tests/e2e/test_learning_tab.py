"""Issue 12: the training lead's Learning tab in the real app on a real X server, on a copy
of the demo workspace, with the keyboard only: Priya signs in, writes a training
description with Alt+D, pauses longer than the debounce and finds it stored; types more and
switches point straight away and finds that stored too; filters to good practice with
Alt+K and Alt+W; and exports a CSV through the file dialog (Alt+M, Alt+X), whose rows carry
her words and the audit log the export."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable

from sqlalchemy import select

from bwv_review.domain.vocab import LearningKind, ReviewStatus
from bwv_review.store.models import AuditEvent, LearningPoint, Review, TrainingDescription
from tests.e2e.a11y import Control
from tests.e2e.conftest import Stage
from tests.e2e.panel_db import PanelDatabase

FIRST = "Camera on late: start recording before the approach."
MORE = " Say why."
SECOND = "Grounds explained in plain words."


def _descriptions(db: PanelDatabase) -> list[str]:
    return db._read(lambda s: [row.text for row in s.scalars(select(TrainingDescription)).all()])


def _wait_descriptions(stage: Stage, what: str, texts: list[str]) -> None:
    stage.db.wait_for(what, lambda: sorted(_descriptions(stage.db)), lambda d: d == sorted(texts))


def _all_points(db: PanelDatabase) -> list[LearningKind]:
    """The kinds of the points in submitted reviews, read apart from the app's service."""
    return db._read(
        lambda s: list(
            s.scalars(
                select(LearningPoint.kind)
                .join(Review, Review.id == LearningPoint.review_id)
                .where(Review.status == ReviewStatus.SUBMITTED)
            )
        )
    )


def _good_practice_points(db: PanelDatabase) -> int:
    return _all_points(db).count(LearningKind.GOOD_PRACTICE)


def _wait_label(stage: Stage, words: str) -> Control:
    """A label saying `words`, as a screen reader reads it (its text is its name)."""
    return stage.screen.find(words, "label")


def _focus_is(name: str) -> Callable[[Control], bool]:
    return lambda control: control.name == name


def test_a_training_lead_describes_filters_and_exports_by_keyboard(stage: Stage) -> None:
    priya = stage.sign_in("training", "Priya Desai")
    table = stage.screen.find("Learning points", "table")
    assert table.enabled
    priya.pause()  # as a person takes in the screen before the first key
    stage.desktop.shot("learning-signed-in")

    priya.press("alt+d")
    priya.screen.wait_focus("the description", _focus_is("Training description, exported"))
    priya.type(FIRST)
    priya.pause()  # longer than the typing save's pause
    stage.db.wait_for(
        "the first description", lambda: _descriptions(stage.db), lambda d: d == [FIRST]
    )
    stage.desktop.shot("learning-described")

    priya.type(MORE)
    priya.press("alt+p")  # back to the table at once, before the pause
    priya.screen.wait_focus("the points table", _focus_is("Learning points"))
    priya.press("Down")
    stage.db.wait_for(
        "the description saved on leaving",
        lambda: _descriptions(stage.db),
        lambda d: d == [FIRST + MORE],
    )
    priya.press("alt+d")
    priya.screen.wait_focus("the description", _focus_is("Training description, exported"))
    priya.type(SECOND)
    priya.press("Tab")  # leaving the field saves
    _wait_descriptions(stage, "both descriptions", [FIRST + MORE, SECOND])

    priya.press("alt+k")  # a combo box is announced by its choice: Any
    priya.screen.wait_focus("the kind filter", lambda c: c.role == "combo box")
    priya.press("Down", "Down")  # Any, Learning point, Good practice
    priya.screen.wait_focus("good practice chosen", _focus_is("Good practice"))
    priya.press("alt+w")
    # Good practice only; the two descriptions were written on learning points.
    _wait_label(stage, f"{_good_practice_points(stage.db)} points, 0 with a description")

    priya.press("alt+k")
    priya.press("Up", "Up")  # Any again: the whole list goes out
    priya.screen.wait_focus("any kind chosen", _focus_is("Any"))
    priya.press("alt+w")
    priya.press("alt+x")
    out = stage.folder / "training-day.csv"
    priya.save_in_file_dialog("Export learning points", out)
    stage.db.wait_for("the export's file", lambda: out.exists(), bool)
    _wait_label(stage, f"\u2714 Exported {len(_all_points(stage.db))} points to {out}.")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r[-1] for r in rows[1:] if r[-1]) == sorted([FIRST + MORE, SECOND])
    exported = stage.db._read(
        lambda s: [
            json.loads(e.detail_json)
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "learning.exported"))
        ]
    )
    assert [(e["file"], e["rows"]) for e in exported] == [("training-day.csv", len(rows) - 1)]
