"""Tab order for controls built after the rest of their window: Qt puts a widget at the
end of the focus chain when it is added, so a player made when the footage is shown came
after Submit, and a dialog's OK, made before its fields, came first (WCAG 2.4.3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


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
