"""Issue 12: the training lead's Learning tab in the real app on a real X server, on a copy
of the demo workspace, with the keyboard only: Priya signs in, writes a training
description with Alt+D, pauses longer than the debounce and finds it stored; types more and
switches point straight away and finds that stored too; filters to good practice with
Alt+K and Alt+W; and exports a CSV through the file dialog (Alt+M, Alt+X), whose rows carry
her words and the audit log the export."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from bwv_review.domain.vocab import LearningKind, ReviewStatus
from bwv_review.store.models import AuditEvent, LearningPoint, Review, TrainingDescription
from tests.conftest import BuiltDemo
from tests.e2e.a11y import Control, Screen
from tests.e2e.app import AppUnderTest
from tests.e2e.desktop import Desktop, desktop, missing_tools
from tests.e2e.panel_db import PanelDatabase
from tests.e2e.person import Person

FIRST = "Camera on late: start recording before the approach."
MORE = " Say why."
SECOND = "Grounds explained in plain words."


@dataclass
class Stage:
    desktop: Desktop
    screen: Screen
    app: AppUnderTest
    db: PanelDatabase
    folder: Path


@pytest.fixture
def stage(tmp_path: Path, demo_home: BuiltDemo) -> Iterator[Stage]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"the Learning tab walk needs these Debian packages: {' '.join(missing)}")
    db_file = tmp_path / "panel.sqlite3"
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    target = sqlite3.connect(db_file)
    source.backup(target)  # a copy: this walk's descriptions stay out of the shared demo
    source.close()
    target.close()
    (tmp_path / "exports").mkdir()
    with desktop(tmp_path / "shots") as screen:
        app = AppUnderTest(screen, db_file, tmp_path / "home")
        reader = Screen(screen)
        db = PanelDatabase(db_file)
        try:
            yield Stage(screen, reader, app, db, tmp_path / "exports")
        finally:
            app.stop()
            reader.close()
            db.close()


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
    stage.app.start()
    priya = Person(stage.desktop, stage.screen, "training", "Priya Desai", DEMO_PIN)
    priya.x.focus_window("Sign in to bwv-review")
    priya.screen.wait_focus("the user name field", _focus_is("User name"))
    priya.type("training")
    priya.press("Tab")
    priya.type(DEMO_PIN)
    priya.press("Return")
    priya.x.focus_window("Priya Desai")
    table = stage.screen.find("Learning points", "table")
    assert table.enabled
    # The keys go to the main window once it holds the focus (not while it is mapping).
    priya.screen.wait_focus(
        "a control in the main window", lambda c: "bwv-review main window" in c.ancestors
    )
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
    priya.x.focus_window("Export learning points")
    priya.screen.wait_focus("the file name field", lambda c: c.role == "text")
    out = stage.folder / "training-day.csv"
    priya.press("ctrl+a")
    priya.type(str(out))
    priya.press("Return")
    priya.x.wait_gone("Export learning points")
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
