"""Issue 12: the chair's Reports tab in the real app on a real X server, on a copy of the
demo workspace, with the keyboard only: Helen signs in, goes to Reports (Ctrl+Tab), ticks
the finalised 2018-Q1 session (Tab, Space), writes the panel's recommendations (Alt+R),
pauses longer than the debounce and finds them stored; types more and previews at once
(Alt+P), which saves first; reads the rendered pages with Page Down; and issues the report
through the file dialog (Alt+U), after which the tab names the file's SHA-256, the one the
workspace recorded, and says this machine holds no audit key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import select

from bwv_review.demo.build import FIRST_SESSION
from bwv_review.store.models import IssuedReport, ReportNarrative
from bwv_review.ui.reports_tab import NO_KEY
from tests.e2e.a11y import Control
from tests.e2e.conftest import Stage
from tests.e2e.panel_db import PanelDatabase

FIRST = "Start recording before the approach."
MORE = " Offer the receipt every time."


def _recommendations(db: PanelDatabase) -> list[str]:
    return db._read(
        lambda s: list(
            s.scalars(
                select(ReportNarrative.text).where(ReportNarrative.section == "recommendations")
            )
        )
    )


def _issued(db: PanelDatabase) -> list[str]:
    return db._read(lambda s: list(s.scalars(select(IssuedReport.sha256))))


def _label(stage: Stage, what: str, test: Callable[[str], bool], timeout_s: float = 20) -> Control:
    """A label whose words pass `test`, as a screen reader reads it (its text is its name)."""
    return stage.screen.wait(
        what,
        lambda seen: next((c for c in seen if c.role == "label" and test(c.name)), None),
        timeout_s,
    )


def _focus_is(name: str) -> Callable[[Control], bool]:
    return lambda control: control.name == name


def test_a_chair_writes_previews_and_issues_by_keyboard(stage: Stage) -> None:
    helen = stage.sign_in("chair", "Helen Marsh")
    helen.pause()
    helen.press("ctrl+Tab", "ctrl+Tab", "ctrl+Tab")  # My reviews, Review sessions, Library
    helen.screen.wait_focus("the Reports tab", _focus_is("Reports"))
    _label(stage, "the scope to choose", lambda words: words.startswith("\u26a0 tick at least"))

    helen.tab_to("the sessions table", lambda c: c.role == "table")  # past By session
    helen.press("space")  # the first row, 2018-Q1 panel, met first
    _label(stage, "the scope", lambda words: words == f"2018-Q1: 1 session ({FIRST_SESSION}).")
    _label(stage, "issuing open", lambda words: words.startswith("Every session in scope"))

    helen.press("alt+r")
    helen.screen.wait_focus("the recommendations", _focus_is("The panel's recommendations"))
    helen.type(FIRST)
    helen.pause()  # longer than the typing save's pause
    stage.db.wait_for("the recommendations", lambda: _recommendations(stage.db), [FIRST].__eq__)
    stage.desktop.shot("reports-words-saved")

    helen.type(MORE)
    helen.press("alt+p")  # previewing at once saves what was typed first
    stage.db.wait_for(
        "the recommendations saved on previewing",
        lambda: _recommendations(stage.db),
        [FIRST + MORE].__eq__,
    )
    helen.screen.wait_focus("the pages", _focus_is("Report pages"), timeout_s=90)
    first = _label(stage, "page 1 in view", lambda words: words.startswith("Page 1 of "))
    pages = int(first.name.rsplit(" ", 1)[1])
    assert pages > 5
    helen.press(*["Next"] * 4)
    _label(stage, "page 2 in view", lambda words: words == f"Page 2 of {pages}")
    stage.desktop.shot("reports-preview")

    helen.press("alt+u")
    out = stage.folder / "2018-Q1-internal.pdf"
    helen.save_in_file_dialog("Issue the report as", out)
    stage.desktop.shot("reports-issuing")
    # Compiling and drawing take seconds, more on a busy machine; a refusal would show
    # in the tree printed on timing out.
    said = _label(stage, "the issue's result", lambda words: "SHA-256: " in words, 180)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"SHA-256: {digest}" in said.name, said.name
    assert f"File: {out}" in said.name and NO_KEY in said.name
    assert _issued(stage.db) == [digest]
    stage.desktop.shot("reports-issued")
