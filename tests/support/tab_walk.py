"""Walks a window with real Tab key presses, as a keyboard-only user would, to find Tab
traps (a control Tab cannot leave) and controls Tab never reaches (WCAG 2.1.1, 2.1.2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
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


def walk_tab(qtbot: QtBot, root: QWidget, start: QWidget) -> list[QWidget]:
    """Press Tab on whatever has focus, from `start`, twice round; return who had focus.

    Fails on a press that leaves focus where it was (a trap) and on a tab stop never
    reached; a table must be left by the first Tab, arrows being its way round its cells.
    """
    stops = tab_stops(root)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is _owner(start))
    seen: list[QWidget] = [_owner(start)]
    for _ in range(2 * len(stops) + 2):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not focused, f"Tab trapped in {describe(focused)}"
        assert now is not None and root.isAncestorOf(now), f"Tab left to {describe(now)}"
        seen.append(now)
    missed = stops - set(seen)
    assert not missed, "Tab never reached " + ", ".join(sorted(map(describe, missed)))
    return seen


def tables_in(root: QWidget) -> list[QAbstractItemView]:
    return [t for t in root.findChildren(QAbstractItemView) if t.isVisible()]
