"""Prints the accessibility tree of the running bwv-review windows as JSON, as a screen
reader sees it: each showing control's role, accessible name, states and place on screen.

Run by Debian's own Python (/usr/bin/python3), which has the AT-SPI bindings
(python3-gi, gir1.2-atspi-2.0); the tests' virtualenv does not. It reads the tree over the
accessibility bus of DBUS_SESSION_BUS_ADDRESS and changes nothing.
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

APP_NAME = "bwv-review"
STATES = {
    "focused": Atspi.StateType.FOCUSED,
    "checked": Atspi.StateType.CHECKED,
    "enabled": Atspi.StateType.SENSITIVE,
    "selected": Atspi.StateType.SELECTED,
    "editable": Atspi.StateType.EDITABLE,
    "modal": Atspi.StateType.MODAL,
    "active": Atspi.StateType.ACTIVE,
}
TEXT_ROLES = {"text", "entry", "paragraph", "label"}  # never a password field
MAX_DEPTH = 40


def _node(acc: Atspi.Accessible, depth: int, path: str) -> dict[str, object]:
    states = acc.get_state_set()
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    role = acc.get_role_name()
    node: dict[str, object] = {
        "path": path,
        "depth": depth,
        "role": role,
        "name": acc.get_name() or "",
        "x": ext.x,
        "y": ext.y,
        "w": ext.width,
        "h": ext.height,
        "description": acc.get_description() or "",
        "states": [word for word, state in STATES.items() if states.contains(state)],
    }
    if role in TEXT_ROLES:
        text = acc.get_text_iface()
        if text is not None:
            node["text"] = text.get_text(0, text.get_character_count())
    return node


def walk(acc: Atspi.Accessible, depth: int, path: str, out: list[dict[str, object]]) -> None:
    """Depth first in the order the toolkit lists children; hidden subtrees are skipped,
    as a screen reader skips them."""
    if depth > MAX_DEPTH:
        return
    if depth > 1 and not acc.get_state_set().contains(Atspi.StateType.SHOWING):
        return
    out.append(_node(acc, depth, path))
    for index in range(acc.get_child_count()):
        child = acc.get_child_at_index(index)
        if child is not None:
            walk(child, depth + 1, f"{path}/{index}", out)


def main() -> int:
    desktop = Atspi.get_desktop(0)
    out: list[dict[str, object]] = []
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_name() == APP_NAME:
            walk(app, 0, str(index), out)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
