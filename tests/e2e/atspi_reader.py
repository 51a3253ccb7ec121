"""Reads the running bwv-review windows over the accessibility bus, as a screen reader
does, and answers the walk one JSON line per request line on stdin:

- `tree`: every showing control: role, accessible name and description, states, place on
  the screen, and the text of text fields and labels;
- `focus`: the control that last gained keyboard focus (as the screen reader announces
  it), with the names of its ancestors and a count of focus changes so far;
- `scan`: the focused control of the active window, looked for in the tree (for when no
  announcement came);
- `announcements`: what the app has asked the screen reader to say out of turn (an error
  as it appears), each with its politeness, oldest first.

Run by Debian's own Python (/usr/bin/python3), which has the AT-SPI bindings (python3-gi,
gir1.2-atspi-2.0); the tests' virtualenv does not. It changes nothing in the app.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

# get_text_iface is the call this version has; PyGObject calls it deprecated regardless.
warnings.filterwarnings("ignore", category=DeprecationWarning)

APP_NAME = "bwv-review"
STATES = {
    "focused": Atspi.StateType.FOCUSED,
    "checked": Atspi.StateType.CHECKED,
    "enabled": Atspi.StateType.SENSITIVE,
    "selected": Atspi.StateType.SELECTED,
    "editable": Atspi.StateType.EDITABLE,
    "modal": Atspi.StateType.MODAL,
    "active": Atspi.StateType.ACTIVE,
    "showing": Atspi.StateType.SHOWING,
}
TEXT_ROLES = {"text", "entry", "paragraph", "label"}  # never a password field
MAX_DEPTH = 40


def describe(acc: Atspi.Accessible, depth: int, path: str) -> dict[str, Any]:
    states = acc.get_state_set()
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    role = acc.get_role_name()
    node: dict[str, Any] = {
        "path": path,
        "depth": depth,
        "role": role,
        "name": acc.get_name() or "",
        # A label's words when it has a name of its own: Qt gives labels no text to read.
        "description": acc.get_description() or "",
        "x": ext.x,
        "y": ext.y,
        "w": ext.width,
        "h": ext.height,
        "states": [word for word, state in STATES.items() if states.contains(state)],
    }
    if role in TEXT_ROLES:
        text = acc.get_text_iface()
        if text is not None:
            node["text"] = text.get_text(0, text.get_character_count())
    return node


def walk(acc: Atspi.Accessible, depth: int, path: str, out: list[dict[str, Any]]) -> None:
    """Depth first in the toolkit's order; hidden subtrees are skipped, as a screen reader
    skips them."""
    if depth > MAX_DEPTH:
        return
    if depth > 1 and not acc.get_state_set().contains(Atspi.StateType.SHOWING):
        return
    out.append(describe(acc, depth, path))
    for index in range(acc.get_child_count()):
        child = acc.get_child_at_index(index)
        if child is not None:
            walk(child, depth + 1, f"{path}/{index}", out)


def tree() -> list[dict[str, Any]]:
    desktop = Atspi.get_desktop(0)
    out: list[dict[str, Any]] = []
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_name() == APP_NAME:
            walk(app, 0, str(index), out)
    return out


ITEM_ROLES = {"list item", "table cell", "page tab", "tree item", "menu item"}


def scan() -> dict[str, Any] | None:
    """The focused control in the active window, found in the tree, reading only states
    and children on the way down (a whole tree read takes about a second). Qt marks a
    list's current row focused even while the list itself is not, so an item counts only
    when the control that holds it is the deepest focused one."""
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is None or app.get_name() != APP_NAME:
            continue
        for number in range(app.get_child_count()):
            window = app.get_child_at_index(number)
            if window is None or not window.get_state_set().contains(Atspi.StateType.ACTIVE):
                continue
            found: list[tuple[Atspi.Accessible, list[str]]] = []
            _focused(window, [window.get_name() or ""], found)
            holders = [f for f in found if f[0].get_role_name() not in ITEM_ROLES]
            if not holders:
                return None
            acc, names = max(holders, key=lambda f: len(f[1]))
            items = [f for f in found if f[0].get_role_name() in ITEM_ROLES
                     and f[1][: len(names)] == names]  # fmt: skip
            if items:
                acc, names = items[0]
            node = describe(acc, len(names), "")
            node["ancestors"] = names[:-1]
            return node
    return None


def _focused(
    acc: Atspi.Accessible, names: list[str], found: list[tuple[Atspi.Accessible, list[str]]]
) -> None:
    if acc.get_state_set().contains(Atspi.StateType.FOCUSED):
        found.append((acc, names))
    if len(names) > MAX_DEPTH:
        return
    for index in range(acc.get_child_count()):
        child = acc.get_child_at_index(index)
        if child is not None and child.get_state_set().contains(Atspi.StateType.SHOWING):
            _focused(child, [*names, child.get_name() or ""], found)


class FocusTracker:
    """Remembers the control each focus event names, as a screen reader does."""

    def __init__(self) -> None:
        self.changes = 0
        self.focused: Atspi.Accessible | None = None

    def on_event(self, event: Atspi.Event) -> None:
        if event.detail1 == 1 and event.source is not None:
            self.focused = event.source
            self.changes += 1

    def describe(self) -> dict[str, Any]:
        acc = self.focused
        if acc is None:
            return {"changes": self.changes, "control": None}
        try:
            node = describe(acc, 0, "")
            ancestors = []
            parent = acc.get_parent()
            while parent is not None and parent.get_role() != Atspi.Role.APPLICATION:
                ancestors.append(parent.get_name() or "")
                parent = parent.get_parent()
        except GLib.Error:  # the control went away with its window
            return {"changes": self.changes, "control": None}
        node["ancestors"] = list(reversed(ancestors))
        node["depth"] = len(ancestors) + 1
        return {"changes": self.changes, "control": node}


class Announcements:
    """What the app asked to have said (Qt's announcement events), as Orca would speak."""

    def __init__(self) -> None:
        self.heard: list[dict[str, Any]] = []

    def on_event(self, event: Atspi.Event) -> None:
        self.heard.append({"message": str(event.any_data), "politeness": event.detail1})


def main() -> int:
    tracker = FocusTracker()
    listener = Atspi.EventListener.new(tracker.on_event)
    listener.register("object:state-changed:focused")
    announcements = Announcements()
    announcer = Atspi.EventListener.new(announcements.on_event)
    announcer.register("object:announcement")
    loop = GLib.MainLoop()

    def answer(_source: object, _condition: object) -> bool:
        line = sys.stdin.readline()
        if not line:
            loop.quit()
            return False
        request = line.strip()
        reply: object
        if request == "tree":
            reply = tree()
        elif request == "scan":
            reply = scan()
        elif request == "announcements":
            reply = announcements.heard
        else:
            reply = tracker.describe()
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        return True

    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, answer)
    sys.stdout.write('"ready"\n')
    sys.stdout.flush()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
