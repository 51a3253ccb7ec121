"""Issue 15 fault 8: an error is heard when it appears. In the real app on a real X server,
read over the accessibility bus as a screen reader reads it: the first-run set-up form sent
with its fields empty announces its error at once, without taking focus from the form, and
Tab reaches the error to read it again (the label that showed it could be focused only by a
mouse click)."""

from __future__ import annotations

import time

from tests.e2e.conftest import Walk
from tests.e2e.person import Person

SET_UP = "Set up bwv-review"


def test_an_error_is_announced_as_it_appears_and_tab_reaches_it(walk: Walk) -> None:
    assert walk.screen.announcements() == []  # the reader listens before the app starts
    walk.app.start()
    ada = Person(walk.desktop, walk.screen, "ada", "Ada Admin", "135791")
    first = ada.x.first_window(("Welcome to bwv-review", SET_UP))
    if "Welcome" in first:
        ada.x.focus_window("Welcome to bwv-review")
        ada.press("alt+n")
    ada.x.focus_window(SET_UP)
    field = ada.screen.wait_focus("the first field", lambda c: c.role == "text")
    ada.press("alt+c")  # Create, with nothing filled in
    deadline = time.monotonic() + 20
    while not (heard := walk.screen.announcements()) and time.monotonic() < deadline:
        time.sleep(0.2)
    error = walk.screen.find("Error", "label")
    assert error.description, "the error label holds no message"
    assert heard == [f"Error: {error.description}"], heard
    walk.desktop.shot("set-up-error-announced")
    focus = walk.screen.focused()
    assert focus is not None and focus.role != "label", focus  # still on a field
    assert any(SET_UP in name for name in focus.ancestors), focus
    for _ in range(12):
        before = walk.screen.focus_changes()
        ada.press("Tab")
        focus = walk.screen.focus_after(before, focus)
        if focus is not None and (focus.role, focus.name) == ("label", "Error"):
            break
    assert focus is not None and (focus.role, focus.name) == ("label", "Error"), (
        f"Tab from {field} never reached the error; it went round to {focus}"
    )
