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

from tests.e2e.desktop import SYSTEM_PYTHON, Desktop

log = logging.getLogger(__name__)

DUMP = Path(__file__).with_name("atspi_dump.py")


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
    """Reads the tree afresh on every call: the app changes under the walk's feet."""

    def __init__(self, desktop: Desktop) -> None:
        self._desktop = desktop

    def controls(self) -> list[Control]:
        done = subprocess.run(
            [str(SYSTEM_PYTHON), str(DUMP)],
            env=self._desktop.env(), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if done.returncode != 0:
            log.warning("AT-SPI read failed: %s", done.stderr.strip()[-500:])
            return []
        raw = json.loads(done.stdout or "[]")
        names: dict[str, str] = {}
        found = []
        for item in raw:
            path = str(item["path"])
            names[path] = str(item["name"])
            parents = path.split("/")
            ancestors = tuple(
                names.get("/".join(parents[:end]), "") for end in range(1, len(parents))
            )
            found.append(
                Control(
                    path, int(item["depth"]), str(item["role"]), str(item["name"]),
                    int(item["x"]), int(item["y"]), int(item["w"]), int(item["h"]),
                    tuple(item["states"]), item.get("text"), str(item.get("description", "")),
                    ancestors,
                )
            )  # fmt: skip
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

    def focused(self) -> Control | None:
        return keyboard_focus(self.controls())

    def wait_focus(
        self, what: str, test: Callable[[Control], bool], timeout_s: float = 10
    ) -> Control:
        def pick(seen: list[Control]) -> Control | None:
            focus = keyboard_focus(seen)
            return focus if focus is not None and test(focus) else None

        return self.wait(f"keyboard focus on {what}", pick, timeout_s)


def keyboard_focus(seen: Sequence[Control]) -> Control | None:
    """Where the keys go: the focused control in the active window (each window keeps
    its own focused control, so several report focus at once)."""
    active = next((c for c in seen if c.depth == 1 and "active" in c.states), None)
    hits = [c for c in seen if c.focused and (active is None or c.inside(active))]
    return max(hits, key=lambda c: c.depth) if hits else None


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
