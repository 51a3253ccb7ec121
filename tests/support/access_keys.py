"""The Alt+letter access keys a window offers, so tests can find two controls sharing one:
with two, Qt gives the key to one of them (a menu-bar title wins over a button), and the
other cannot be reached by its key at all."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QTabBar, QWidget


def access_key(text: str) -> str | None:
    """The letter after the single `&` in a control's text, lower-cased; None without one."""
    plain = text.replace("&&", "")
    if "&" not in plain:
        return None
    return plain[plain.index("&") + 1].lower()


def access_keys(root: QWidget) -> list[str]:
    """The access keys of the visible buttons, buddied labels and tabs under `root`."""
    texts = [w.text() for w in root.findChildren(QAbstractButton) if w.isVisibleTo(root)]
    texts += [w.text() for w in root.findChildren(QLabel) if w.buddy() and w.isVisibleTo(root)]
    for bar in root.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())]
    return [key for key in map(access_key, texts) if key is not None]


def menu_bar_keys(window: QMainWindow) -> list[str]:
    """The access keys of a main window's menu titles, which work from every page."""
    keys = (access_key(action.text()) for action in window.menuBar().actions())
    return [key for key in keys if key is not None]
