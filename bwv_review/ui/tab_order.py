"""Tab order for controls built after the rest of their window: Qt puts a widget at the
end of the focus chain when it is added, so a player made when the footage is shown came
after Submit, and a dialog's OK, made before its fields, came first (WCAG 2.4.3)."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QWidget


def move_after(before: QWidget, added: QWidget) -> None:
    """`added` and the controls inside it move, in their own order, to just after
    `before` in the focus chain."""
    chain = [added]
    while (after := chain[-1].nextInFocusChain()) is not None and added.isAncestorOf(after):
        chain.append(after)
    stops = [w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus]  # Qt skips others
    for first, second in zip([before, *stops], stops, strict=False):
        QWidget.setTabOrder(first, second)


def move_last(window: QWidget, added: QWidget) -> None:
    """`added` (a dialog's buttons) goes to the end of its window's focus chain."""
    last = window.previousInFocusChain()
    while last is not None and last is not window and (last is added or added.isAncestorOf(last)):
        last = last.previousInFocusChain()
    if last is not None and last is not window:
        move_after(last, added)


def buttons_in_screen_order(box: QDialogButtonBox) -> None:
    """A button added to a box after its standard ones (Display settings, placed between
    Sign in and Cancel by its role) is last in Tab order: Tab follows the box's layout."""
    layout = box.layout()
    assert layout is not None  # a button box lays itself out
    items = (layout.itemAt(i) for i in range(layout.count()))
    shown = [
        w for item in items if item is not None and isinstance(w := item.widget(), QAbstractButton)
    ]
    for first, second in pairwise(shown):
        QWidget.setTabOrder(first, second)
    # Qt makes the default button the box's focus proxy, so Tab arriving at the box
    # jumped to it, past a button before it.
    box.setFocusProxy(None)  # type: ignore[arg-type]  # the stubs miss that None clears it
