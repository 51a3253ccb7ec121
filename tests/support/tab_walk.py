"""Walks a window with real Tab key presses, as a keyboard-only user would, to find Tab
traps (a control Tab cannot leave) and controls Tab never reaches (WCAG 2.1.1, 2.1.2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QRadioButton, QWidget
from pytestqt.qtbot import QtBot


def _owner(widget: QWidget) -> QWidget:
    """The widget that really takes focus for `widget` (a date edit's inner line edit)."""
    while (proxy := widget.focusProxy()) is not None:
        widget = proxy
    return widget


def tab_stops(root: QWidget) -> set[QWidget]:
    """Every shown, enabled control inside `root` that Tab should reach."""
    return {
        _owner(w)
        for w in root.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.window() is root.window()
    }


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}"


@dataclass
class TabRound:
    """What pressing Tab twice round a window found: who had focus in turn, the controls
    a press left focus on (traps), the tab stops never reached, and where focus left the
    window to (it should not)."""

    seen: list[QWidget] = field(default_factory=list)
    traps: list[QWidget] = field(default_factory=list)
    missed: set[QWidget] = field(default_factory=set)
    escaped_to: str | None = None


def _next_stop(after: QWidget, stops: set[QWidget]) -> QWidget | None:
    """The tab stop after `after` in the focus chain: where a person who got out of a trap
    (with the mouse) would go on from."""
    candidate = after.nextInFocusChain()
    while candidate is not None and candidate is not after:
        if candidate in stops:
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


def tab_round(qtbot: QtBot, root: QWidget, start: QWidget) -> TabRound:
    """Press Tab on whatever has focus, from `start`, twice round; a trap is noted and
    stepped past (to the next tab stop), so one walk counts every trap in the window.
    Focus staying on a window's only tab stop is no trap: there is nowhere else to go."""
    stops = tab_stops(root)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is _owner(start))
    found = TabRound(seen=[_owner(start)])
    for _ in range(2 * len(stops) + 2):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is focused and len(stops) > 1:  # a lone tab stop has nowhere to go
            if focused not in found.traps:
                found.traps.append(focused)
            now = _next_stop(focused, stops)
            if now is None:
                break
            now.setFocus(Qt.FocusReason.OtherFocusReason)
        elif now is None or not (now is root or root.isAncestorOf(now)):
            found.escaped_to = describe(now)
            break
        found.seen.append(now)
    seen = set(found.seen)
    found.missed = {w for w in stops - seen if not seen & _radio_mates(w)}
    return found


def _radio_mates(widget: QWidget) -> set[QWidget]:
    """The other buttons of a radio button's exclusive group: Tab stops on the chosen one
    and the arrows move between them, so reaching one reaches the group."""
    if not isinstance(widget, QRadioButton):
        return set()
    group = widget.group()
    if group is not None and group.exclusive():
        return {b for b in group.buttons() if b is not widget}
    parent = widget.parentWidget()
    if not widget.autoExclusive() or parent is None:
        return set()
    return {
        b
        for b in parent.findChildren(QRadioButton)
        if b is not widget and b.autoExclusive() and b.parentWidget() is parent
    }


def walk_tab(qtbot: QtBot, root: QWidget, start: QWidget) -> list[QWidget]:
    """Press Tab on whatever has focus, from `start`, twice round; return who had focus.

    Fails on a press that leaves focus where it was (a trap) and on a tab stop never
    reached; a table must be left by the first Tab, arrows being its way round its cells.
    """
    found = tab_round(qtbot, root, start)
    assert not found.traps, "Tab trapped in " + ", ".join(map(describe, found.traps))
    assert found.escaped_to is None, f"Tab left to {found.escaped_to}"
    assert not found.missed, "Tab never reached " + ", ".join(sorted(map(describe, found.missed)))
    return found.seen


def tables_in(root: QWidget) -> list[QAbstractItemView]:
    return [t for t in root.findChildren(QAbstractItemView) if t.isVisible()]
