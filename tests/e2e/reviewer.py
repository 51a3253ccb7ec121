"""The panel's two reviewers, doing the same work in two ways: Kim with the keyboard alone
(Tab, arrows, Space, typing, mnemonics; she finds her way by what the screen reader
announces), Mo with the mouse (clicks at the places the accessibility tree gives, the wheel
to scroll the form) and typing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from tests.e2e.a11y import Control, first
from tests.e2e.person import CHOOSE_PIN, Person

log = logging.getLogger(__name__)

# The rubric's answers as the form lays them out: rows of three.
ANSWERS = ("Met", "Partly met", "Not met", "Cannot tell", "Not applicable")
COLUMNS = 3
SUBMIT_DIALOG = "Submit this review?"


def in_check(control: Control, check: str) -> bool:
    return control.role == "radio button" and check in control.ancestors


def in_field(control: Control, field: str) -> bool:
    """A plain-text note reports focus on its viewport, inside the named field."""
    return control.name == field or (bool(control.ancestors) and control.ancestors[-1] == field)


class Reviewer(Person):
    """What both reviewers do; each subclass does it with its own hands."""

    def case_window_fits(self) -> None:
        """Issue 8 defect 4: the window stays inside the 1280x800 screen."""
        area = self.x.geometry(f"{self.display_name} \u2014 bwv-review")
        assert area.x >= 0 and area.y >= 0, area
        assert area.x + area.w <= 1280 and area.y + area.h <= 800, (
            f"the window is {area.w}x{area.h} at {area.x},{area.y}: "
            "past the 1280x800 screen (issue 8 defect 4)"
        )

    def reason_name(self, check: str) -> str:
        return f"Reason: {check}"

    def _confirmation(self, hands: str) -> str:
        dialog = self.screen.find("Confirm submitting the review", "alert")
        said = " ".join(c.text or c.name for c in self.screen.controls() if c.inside(dialog))
        self.desktop.shot(f"submit-confirmation-{hands}")
        return said


class KeyboardReviewer(Reviewer):
    def accept_confidentiality(self) -> None:
        self.x.focus_window("Confidentiality statement")
        self.tab_to("the accept button", lambda c: c.name == "I accept the statement")
        self.press("space")
        self.x.wait_gone("Confidentiality statement")
        self.main_window()

    def open_case(self, reference: str) -> None:
        """Down through the queue (the screen reader reads the current row) to the case,
        Enter to open it."""
        self.main_window()
        focus = self.screen.focused()
        if focus is None or not _in_queue(focus):
            # After signing in the keys go to the tabs, not the queue (issue 8's walk).
            self.tab_to("the list of cases", _in_queue)
        rows = [c.name for c in self.screen.controls()
                if c.role == "list item" and "Assigned cases" in c.ancestors]  # fmt: skip
        target = next((n for n, row in enumerate(rows) if row.startswith(reference)), None)
        assert target is not None, f"{reference} is not in {self.username}'s queue: {rows}"
        current = self._current_row(None)
        while not current.name.startswith(reference):
            self.press("Down" if rows.index(current.name) < target else "Up")
            current = self._current_row(current)
        self.press("Return")
        self.screen.wait_focus("the back button", lambda c: c.name == "Back to my cases")

    def _current_row(self, before: Control | None) -> Control:
        """The queue's current row, once it is another than `before`."""
        return self.screen.wait(
            "the current case in the queue",
            lambda seen: next((c for c in seen if c.role == "list item"
                               and "Assigned cases" in c.ancestors and "selected" in c.states
                               and (before is None or c.name != before.name)), None),
        )  # fmt: skip

    def show_footage(self) -> None:
        self.tab_to("Show footage", lambda c: c.name == "Show footage")
        self.press("space")
        self.screen.wait_gone("Show footage", "push button")

    def go_to_check(self, check: str) -> Control:
        focus = self.screen.focused()
        if focus is not None and in_check(focus, check):
            return focus
        return self.tab_to(f"the check {check!r}", lambda c: in_check(c, check))

    def answer(self, check: str, answer: str) -> None:
        """Arrows move between the answers (and choose each on the way), Space chooses
        the one under focus."""
        focus = self.go_to_check(check)
        target = ANSWERS.index(answer)
        for _ in range(8):
            if focus.name == answer:
                break
            here = ANSWERS.index(focus.name)
            row, col = divmod(here, COLUMNS)
            want_row, want_col = divmod(target, COLUMNS)
            if row != want_row and col > 1:
                key = "Left"  # the second row has two answers
            elif row < want_row:
                key = "Down"
            elif row > want_row:
                key = "Up"
            else:
                key = "Right" if col < want_col else "Left"
            before = self.screen.focus_changes()
            self.press(key)
            moved = self.screen.focus_after(before, focus)
            assert moved is not None and in_check(moved, check), (
                f"{key} left the check {check!r} for {moved} (issue 8 defect 8)"
            )
            focus = moved
        assert focus.name == answer, f"the arrows never reached {answer!r} in {check!r}"
        if not focus.checked:
            self.press("space")
        self.screen.wait_focus(f"{answer!r} chosen", lambda c: c.name == answer and c.checked)

    def answer_all(self, checks: list[str], answer: str) -> None:
        """One after another, in the order Tab reaches them."""
        for check in checks:
            self.answer(check, answer)

    def type_reason(self, check: str, text: str) -> None:
        self.tab_to("the reason field", lambda c: c.name == self.reason_name(check))
        self.type(text)

    def type_note(self, field: str, text: str) -> None:
        self.tab_to(f"the field {field!r}", lambda c: in_field(c, field))
        self.type(text)

    def add_to_note(self, field: str, text: str) -> None:
        """Back into a note already written: Ctrl+End puts the cursor after its text."""
        self.tab_to(f"the field {field!r}", lambda c: in_field(c, field), back=True)
        self.press("ctrl+End")
        self.type(text)

    def leave_field(self) -> None:
        focus = self.screen.focused()
        before = self.screen.focus_changes()
        self.press("Tab")
        self.screen.focus_after(before, focus)

    def back_to_cases(self) -> None:
        self.press("alt+c")
        self.screen.wait_focus("the list of cases", lambda c: c.role in ("list", "list item"))

    def sign_out(self) -> None:
        self.press("ctrl+shift+l")
        self.x.window("Sign in to bwv-review")

    def close_window(self) -> None:
        self.press("ctrl+q")

    def press_submit(self) -> str:
        """Alt+B; the confirmation's words, read as the screen reader reads them."""
        self.press("alt+b")
        self.x.focus_window(SUBMIT_DIALOG)
        return self._confirmation("keyboard")

    def confirm_submit(self) -> None:
        """Submit review by its mnemonic (Keep reviewing is the default button)."""
        self.press("alt+s")
        self.x.wait_gone(SUBMIT_DIALOG)
        self.main_window()


class MouseReviewer(Reviewer):
    def sign_in(self) -> str:
        self.x.window("Sign in to bwv-review")
        self.click_named("User name", "text")
        self.type(self.username)
        self.click_named("PIN or password", "password text")
        self.type(self.pin)
        self.click_named("Sign in", "push button")
        return self.x.window(f"{self.display_name} \u2014 bwv-review")

    def sign_in_and_choose_own_pin(self, temporary: str) -> str:
        """As sign_in, with the temporary PIN; then the person's own PIN, twice, by mouse."""
        self.x.window("Sign in to bwv-review")
        self.click_named("User name", "text")
        self.type(self.username)
        self.click_named("PIN or password", "password text")
        self.type(temporary)
        self.click_named("Sign in", "push button")
        self.x.window(CHOOSE_PIN)
        self.click_named("New PIN", "password text")
        self.type(self.pin)
        self.click_named("Type the new PIN again", "password text")
        self.type(self.pin)
        self.click_named("Save new PIN", "push button")
        self.x.wait_gone(CHOOSE_PIN)
        return self.x.window(f"{self.display_name} \u2014 bwv-review")

    def accept_confidentiality(self) -> None:
        self.x.window("Confidentiality statement")
        self.click_named("I accept the statement", "push button")
        self.x.wait_gone("Confidentiality statement")

    def open_case(self, reference: str) -> None:
        """Click the case in the queue, then Open case."""
        self.main_window()
        row = self.screen.wait(
            f"{reference} in the queue",
            lambda seen: next((c for c in seen if c.role == "list item"
                               and c.name.startswith(reference)), None),
        )  # fmt: skip
        self.click(row)
        self.click_named("Open case", "push button")
        self.screen.find("Back to my cases", "push button")

    def show_footage(self) -> None:
        self.click_named("Show footage", "push button")
        self.screen.wait_gone("Show footage", "push button")

    def _scroll_to(self, what: str, find: Callable[[list[Control]], Control | None]) -> Control:
        """Turn the wheel over the form until the control is wholly in view."""
        for _ in range(40):
            seen = self.screen.controls()
            view = first(seen, "Review form", "filler")
            target = find(seen)
            if view is None or target is None:
                raise AssertionError(f"no {what} in the form")
            if _in_view(target, view):
                return target
            # The pointer rests where a person's would: over the middle of the form.
            notches = 2 if target.y > view.y else -2
            self.x.wheel(view.x + view.w // 2, view.y + view.h // 2, notches)
        raise AssertionError(f"the wheel never brought {what} into view")

    def answer(self, check: str, answer: str) -> None:
        self.answer_all([check], answer)

    def answer_all(self, checks: list[str], answer: str) -> None:
        """Click the answer in every check in view, then scroll on with the wheel."""
        left = list(checks)
        for _ in range(40):
            seen = self.screen.controls()
            view = first(seen, "Review form", "filler")
            assert view is not None, "the review form is not on screen"
            radios = {
                check: next((c for c in seen if c.name == answer and in_check(c, check)), None)
                for check in left
            }
            missing = [check for check, radio in radios.items() if radio is None]
            assert not missing, f"no {answer!r} for {missing}"
            for check in list(left):
                radio = radios[check]
                assert radio is not None
                if radio.checked:
                    left.remove(check)
                elif _in_view(radio, view):
                    self.click(radio)
            if not left:
                return
            if not any(_in_view(r, view) for c, r in radios.items() if c in left and r):
                below = any(r.y > view.y for c, r in radios.items() if c in left and r)
                self.x.wheel(view.x + view.w // 2, view.y + view.h // 2, 3 if below else -3)
        raise AssertionError(f"{answer!r} never chosen for {left}")

    def type_reason(self, check: str, text: str) -> None:
        field = self._scroll_to(
            "the reason field", lambda seen: next(
                (c for c in seen if c.name == self.reason_name(check)), None),
        )  # fmt: skip
        self.click(field)
        self.type(text)

    def type_note(self, field: str, text: str) -> None:
        box = self._scroll_to(
            f"the field {field!r}",
            lambda seen: next((c for c in seen if c.name == field and c.role == "text"), None),
        )
        self.click(box)
        self.press("ctrl+End")
        self.type(text)

    add_to_note = type_note

    def leave_field(self) -> None:
        """Click on the case record, away from every field."""
        self.click_named("Case record")

    def back_to_cases(self) -> None:
        self.click_named("Back to my cases", "push button")
        self.screen.find("Open case", "push button")

    def sign_out(self) -> None:
        self._menu("File", "Sign out")
        self.x.window("Sign in to bwv-review")

    def close_window(self) -> None:
        self._menu("File", "Quit")

    def _menu(self, menu: str, item: str) -> None:
        self.click_named(menu, "menu item")
        self.click_named(item, "menu item", within=menu)

    def press_submit(self) -> str:
        self.click_named("Submit review", "push button")
        return self._confirmation("mouse")

    def confirm_submit(self) -> None:
        self.click_named("Submit review", "push button", within="Confirm submitting the review")
        self.x.wait_gone(SUBMIT_DIALOG)


def _in_queue(control: Control) -> bool:
    return control.name == "Assigned cases" or "Assigned cases" in control.ancestors


def _in_view(control: Control, view: Control) -> bool:
    return control.y >= view.y and control.y + control.h <= view.y + view.h
