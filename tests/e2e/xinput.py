"""Real X input, as a person's keyboard and mouse make it: xdotool key presses with a
delay between keys, pointer moves and clicks at places on the screen."""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass

from tests.e2e.desktop import Desktop
from tests.support.xvfb import wait_for_window, window_names

log = logging.getLogger(__name__)

# A quick typist: 60 ms between keys (about 170 characters a minute, far faster than
# any debounce, so only a pause can let a save timer fire).
KEY_DELAY_MS = 60


@dataclass(frozen=True)
class Geometry:
    x: int
    y: int
    w: int
    h: int


class X:
    def __init__(self, desktop: Desktop) -> None:
        self._desktop = desktop
        self.display = desktop.display

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env=self._desktop.env(), capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout

    def type(self, text: str, delay_ms: int = KEY_DELAY_MS) -> None:
        self._run("type", "--delay", str(delay_ms), "--", text)

    def key(self, *keys: str, delay_ms: int = KEY_DELAY_MS) -> None:
        """Each of `keys` pressed in turn (xdotool names: Tab, shift+Tab, ctrl+i, space)."""
        self._run("key", "--delay", str(delay_ms), *keys)

    def click(self, x: int, y: int, button: int = 1) -> None:
        """Move the pointer there as a hand would (the move first, then the press). The
        window under the pointer gets the keyboard first, as a click-to-focus window
        manager gives it (Xvfb runs none)."""
        self._move(x, y)
        under = self._run("getmouselocation", "--shell")
        window = next(
            (line.split("=", 1)[1] for line in under.splitlines() if line.startswith("WINDOW=")),
            None,
        )
        if window and window != "0":
            self._run("windowfocus", window)
        time.sleep(0.05)
        self._run("click", str(button))

    def wheel(self, x: int, y: int, notches: int) -> None:
        """Turn the wheel with the pointer at (x, y): positive scrolls down."""
        self._move(x, y)
        button = "5" if notches > 0 else "4"
        for _ in range(abs(notches)):
            self._run("click", button)
            time.sleep(0.03)

    def _move(self, x: int, y: int) -> None:
        """`mousemove --sync` to where the pointer already is waits for a move that never
        comes (about 15 s), so only a real move is waited for."""
        here = dict(
            line.split("=", 1) for line in self._run("getmouselocation", "--shell").splitlines()
        )
        if (int(here["X"]), int(here["Y"])) != (x, y):
            self._run("mousemove", "--sync", str(x), str(y))

    def window(self, fragment: str, timeout_s: float = 30.0) -> str:
        """Wait for a top-level window named like `fragment`; its full name."""
        return wait_for_window(self.display, fragment, timeout_s)

    def first_window(self, fragments: tuple[str, ...], timeout_s: float = 60.0) -> str:
        """Whichever of these windows opens first; its name."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name in window_names(self.display):
                if any(fragment in name for fragment in fragments):
                    return name
            time.sleep(0.2)
        raise AssertionError(f"none of {fragments} opened; saw {window_names(self.display)}")

    def window_id(self, fragment: str, timeout_s: float = 30.0) -> str:
        """The window once it is on the screen: xwininfo lists a window Qt has made but
        not yet mapped, and giving that one the keyboard fails (BadMatch)."""
        name = self.window(fragment, timeout_s)
        deadline = time.monotonic() + timeout_s
        while True:
            ids = [line.split()[0] for line in self._xwininfo("-root", "-tree").splitlines()
                   if f'"{name}"' in line]  # fmt: skip
            for window_id in ids:
                if "IsViewable" in self._xwininfo("-id", window_id):
                    return window_id
            if time.monotonic() > deadline:
                raise AssertionError(f"window {name!r} never showed (ids {ids})")
            time.sleep(0.1)

    def _xwininfo(self, *args: str) -> str:
        return subprocess.run(
            ["xwininfo", *args],
            env=self._desktop.env(), capture_output=True, text=True, timeout=10,
        ).stdout  # fmt: skip

    def focus_window(self, fragment: str, timeout_s: float = 30.0) -> str:
        """Give the window the keyboard, as a window manager does when a window opens or
        one above it closes (Xvfb runs no window manager)."""
        window_id = self.window_id(fragment, timeout_s)
        self._run("windowfocus", "--sync", window_id)
        return self.window(fragment)

    def geometry(self, fragment: str) -> Geometry:
        window_id = self.window_id(fragment)
        values: dict[str, int] = {}
        for line in self._run("getwindowgeometry", "--shell", window_id).splitlines():
            key, _, value = line.partition("=")
            if key in ("X", "Y", "WIDTH", "HEIGHT"):
                values[key] = int(value)
        return Geometry(values["X"], values["Y"], values["WIDTH"], values["HEIGHT"])

    def wait_gone(self, fragment: str, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not any(fragment in name for name in window_names(self.display)):
                return
            time.sleep(0.2)
        raise AssertionError(f"window {fragment!r} still open: {window_names(self.display)}")
