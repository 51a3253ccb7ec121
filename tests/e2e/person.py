"""A person at the desktop: what they can do with a keyboard and a mouse, and what they can
perceive (the screen as a screen reader reads it). The walk's people are built on this."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.a11y import Control, Screen
from tests.e2e.desktop import Desktop
from tests.e2e.xinput import X

log = logging.getLogger(__name__)

# Longer than every debounce in the app (the typing save waits 1.2 s): the walk pauses this
# long after typing before it moves on, as a person stops to think.
PAUSE_S = 2.5
CHOOSE_PIN = "Choose your own PIN"


class Person:
    def __init__(
        self, desktop: Desktop, screen: Screen, username: str, display_name: str, pin: str
    ) -> None:
        self.desktop = desktop
        self.x = X(desktop)
        self.screen = screen
        self.username = username
        self.display_name = display_name
        self.pin = pin

    # --- hands --------------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        log.debug("%s presses %s", self.username, " ".join(keys))
        self.x.key(*keys)

    def type(self, text: str) -> None:
        self.x.type(text)

    def pause(self) -> None:
        """A real pause, longer than any debounce: the point is to catch what one loses."""
        time.sleep(PAUSE_S)

    def click(self, control: Control) -> None:
        x, y = control.centre
        self.x.click(x, y)

    def click_named(
        self, name: str, role: str | None = None, *, within: str | None = None
    ) -> Control:
        control = self.screen.find(name, role, within=within)
        assert control.enabled, f"{control} is disabled"
        self.click(control)
        return control

    def tab_to(
        self, what: str, test: Callable[[Control], bool], *, back: bool = False, limit: int = 80
    ) -> Control:
        """Press Tab (or Shift+Tab) until the focused control is the one wanted, listening
        to each stop as a screen-reader user does."""
        heard: list[str] = []
        focus = self.screen.focused()
        for _ in range(limit):
            before = self.screen.focus_changes()
            self.press("shift+Tab" if back else "Tab")
            focus = self.screen.focus_after(before, focus)
            if focus is not None and test(focus):
                return focus
            heard.append(str(focus))
        raise AssertionError(f"Tab never reached {what}; it stopped at: {heard}")

    # --- windows ------------------------------------------------------------------------

    def save_in_file_dialog(self, title: str, path: Path) -> None:
        """Types the whole path over the name a file dialog offers and presses Enter, as a
        keyboard user does; returns once the dialog has closed."""
        self.x.focus_window(title)
        self.screen.wait_focus("the file name field", lambda c: c.role == "text")
        self.press("ctrl+a")
        self.type(str(path))
        self.press("Return")
        self.x.wait_gone(title)

    def sign_in(self) -> str:
        """Name, Tab, PIN, Enter, in the sign-in dialog; the main window's name."""
        self.x.focus_window("Sign in to bwv-review")
        self.screen.wait_focus("the user name field", lambda c: c.name == "User name")
        self.type(self.username)
        self.press("Tab")
        self.type(self.pin)
        self.press("Return")
        return self.x.window(f"{self.display_name} \u2014 bwv-review")

    def sign_in_and_choose_own_pin(self, temporary: str) -> str:
        """The first sign-in with the temporary PIN an administrator set: the app then asks
        for the person's own PIN (self.pin), typed twice; the main window's name."""
        self.x.focus_window("Sign in to bwv-review")
        self.screen.wait_focus("the user name field", lambda c: c.name == "User name")
        self.type(self.username)
        self.press("Tab")
        self.type(temporary)
        self.press("Return")
        self.x.focus_window(CHOOSE_PIN)
        self.screen.wait_focus("the new PIN field", lambda c: c.name == "New PIN")
        self.type(self.pin)
        self.press("Tab")
        self.type(self.pin)
        self.desktop.shot(f"{self.username}-chooses-own-pin")
        self.press("Return")
        self.x.wait_gone(CHOOSE_PIN)
        return self.x.window(f"{self.display_name} \u2014 bwv-review")

    def main_window(self) -> str:
        return self.x.focus_window(f"{self.display_name} \u2014 bwv-review")
