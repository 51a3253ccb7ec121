"""What a screen reader knows of the app: each showing control's role, accessible name,
states and place on the screen, read over the accessibility bus (AT-SPI).

The walk finds what to click by accessible name and checks where keyboard focus is by
the same tree, so it proves the names work too.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.desktop import SYSTEM_PYTHON, Desktop

log = logging.getLogger(__name__)

READER = Path(__file__).with_name("atspi_reader.py")


@dataclass(frozen=True)
class Control:
    path: str
    depth: int
    role: str
    name: str
    x: int
    y: int
    w: int
    h: int
    states: tuple[str, ...]
    text: str | None = None
    description: str = ""
    ancestors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.w // 2, self.y + self.h // 2

    @property
    def focused(self) -> bool:
        return "focused" in self.states

    @property
    def checked(self) -> bool:
        return "checked" in self.states

    @property
    def enabled(self) -> bool:
        return "enabled" in self.states

    def inside(self, other: Control) -> bool:
        return self.path.startswith(other.path + "/")

    def __str__(self) -> str:
        return f"{self.role} {self.name!r}"


class Screen:
    """One screen reader for the walk: a long-lived reader process (so focus changes are
    heard as they happen) that reads the tree afresh on every request."""

    def __init__(self, desktop: Desktop) -> None:
        self._desktop = desktop
        self._reader: subprocess.Popen[str] | None = None

    def _ask(self, request: str) -> Any:
        if self._reader is None or self._reader.poll() is not None:
            self._reader = subprocess.Popen(
                [str(SYSTEM_PYTHON), str(READER)],
                env=self._desktop.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            assert self._reader.stdout is not None
            assert json.loads(self._reader.stdout.readline()) == "ready"
        assert self._reader.stdin is not None and self._reader.stdout is not None
        self._reader.stdin.write(request + "\n")
        self._reader.stdin.flush()
        return json.loads(self._reader.stdout.readline())

    def close(self) -> None:
        if self._reader is not None:
            assert self._reader.stdin is not None
            self._reader.stdin.close()
            try:
                self._reader.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._reader.kill()
                self._reader.wait()
            self._reader = None

    def controls(self) -> list[Control]:
        names: dict[str, str] = {}
        found = []
        started = time.monotonic()
        tree = self._ask("tree")
        log.debug("tree of %d controls read in %.2f s", len(tree), time.monotonic() - started)
        for item in tree:
            path = str(item["path"])
            names[path] = str(item["name"])
            parents = path.split("/")
            ancestors = tuple(
                names.get("/".join(parents[:end]), "") for end in range(1, len(parents))
            )
            found.append(_control(item, ancestors))
        return found

    def wait(
        self, what: str, pick: Callable[[list[Control]], Control | None], timeout_s: float = 20
    ) -> Control:
        deadline = time.monotonic() + timeout_s
        seen: list[Control] = []
        while time.monotonic() < deadline:
            seen = self.controls()
            found = pick(seen)
            if found is not None:
                return found
            time.sleep(0.2)
        shown = "\n".join(
            f"  {'  ' * c.depth}{c} {c.x},{c.y} {c.w}x{c.h} [{' '.join(c.states)}]"
            + (f" text={c.text!r}" if c.text else "")
            for c in seen[:400]
        )
        raise AssertionError(f"no {what} on screen after {timeout_s} s; the screen has:\n{shown}")

    def find(
        self,
        name: str,
        role: str | None = None,
        *,
        within: str | None = None,
        timeout_s: float = 20,
    ) -> Control:
        """The first showing control with this accessible name (and role), optionally
        inside a control named `within`."""
        return self.wait(
            f"{role or 'control'} named {name!r}" + (f" in {within!r}" if within else ""),
            lambda seen: first(seen, name, role, within=within),
            timeout_s,
        )

    def wait_gone(self, name: str, role: str | None = None, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while first(self.controls(), name, role) is not None:
            assert time.monotonic() < deadline, f"{role or 'control'} {name!r} still shown"
            time.sleep(0.2)

    # --- focus, as announced ----------------------------------------------------------

    def announcements(self) -> list[str]:
        """What the app has had the screen reader say out of turn so far, oldest first."""
        return [str(item["message"]) for item in self._ask("announcements")]

    def focus_changes(self) -> int:
        return int(self._ask("focus")["changes"])

    def focused(self) -> Control | None:
        """Where the keys go now: the control last announced as focused, while it still
        is; otherwise the focused control of the active window, looked for in the tree."""
        item = self._ask("focus")["control"]
        if item is None or not {"focused", "showing"} <= set(item["states"]):
            item = self._ask("scan")
        return None if item is None else _control(item, tuple(item["ancestors"]))

    def focus_after(
        self, changes_before: int, previous: Control | None, timeout_s: float = 5
    ) -> Control | None:
        """The focus once the app has moved it away from `previous` (a key press is
        handled after xdotool returns): announced at once when the focus event arrives,
        otherwise looked for in the tree until it has moved or `timeout_s` passed."""
        started = time.monotonic()
        while time.monotonic() < started + timeout_s:
            reply = self._ask("focus")
            item = reply["control"]
            if reply["changes"] > changes_before and item is not None:
                focus = _control(item, tuple(item["ancestors"]))
                log.debug("focus announced after %.2f s: %s", time.monotonic() - started, focus)
                return focus
            if time.monotonic() > started + 0.3:
                focus = self.focused()
                if not same_place(focus, previous):
                    log.debug("focus found after %.2f s: %s", time.monotonic() - started, focus)
                    return focus
            time.sleep(0.03)
        log.debug("focus stayed on %s", previous)
        return previous

    def wait_focus(
        self, what: str, test: Callable[[Control], bool], timeout_s: float = 10
    ) -> Control:
        deadline = time.monotonic() + timeout_s
        focus = self.focused()
        while (focus is None or not test(focus)) and time.monotonic() < deadline:
            time.sleep(0.1)
            focus = self.focused()
        assert focus is not None and test(focus), f"keyboard focus is on {focus}, not {what}"
        return focus


def _control(item: dict[str, Any], ancestors: tuple[str, ...]) -> Control:
    return Control(
        str(item["path"]), int(item["depth"]), str(item["role"]), str(item["name"]),
        int(item["x"]), int(item["y"]), int(item["w"]), int(item["h"]),
        tuple(item["states"]), item.get("text"), str(item.get("description", "")),
        ancestors,
    )  # fmt: skip


def same_place(one: Control | None, other: Control | None) -> bool:
    if one is None or other is None:
        return one is other
    return (one.role, one.name, one.x, one.y, one.ancestors) == (
        other.role, other.name, other.x, other.y, other.ancestors,
    )  # fmt: skip


def first(
    seen: Sequence[Control], name: str, role: str | None = None, *, within: str | None = None
) -> Control | None:
    for control in seen:
        if control.name != name or (role is not None and control.role != role):
            continue
        if within is not None and within not in control.ancestors:
            continue
        return control
    return None
