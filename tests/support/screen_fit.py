"""Whether a window fits a screen with nothing cut off: each control against its own
minimum size, and each within reach (on the window, or in a scroll area's reachable
content). Shared by the screen-fit tests (tests/ui/test_screen_fit.py) and the
accessibility walk (tests/a11y), which measures every window at 200% text."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

CONTROLS = (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractScrollArea,
)


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    words = text() if callable(text) else ""
    name = widget.accessibleName() or (words if isinstance(words, str) else "")
    return f"{type(widget).__name__} {name[:40]!r}"


def _inside_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractItemView, QAbstractSpinBox, QComboBox)):
            return True
        parent = parent.parentWidget()
    return False


def _scroller_of(widget: QWidget) -> QScrollArea | None:
    """The scroll area whose content holds `widget`, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if content is not None and content.isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def cut_off(window: QWidget) -> list[str]:
    """Controls smaller than their own minimum size, or out of reach: outside the window,
    or outside a scroll area's content, or in content that its scroll bars cannot reach."""
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if (
            not isinstance(widget, CONTROLS)
            or isinstance(widget, QScrollBar)
            or not widget.isVisible()
            or widget.window() is not window
            or _inside_item_view(widget)
        ):
            continue
        need = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        if widget.hasHeightForWidth():
            need.setHeight(widget.heightForWidth(widget.width()))
        if widget.width() < need.width() or widget.height() < need.height():
            problems.append(
                f"{describe(widget)} is {widget.width()}x{widget.height()}, "
                f"needs {need.width()}x{need.height()}"
            )
        scroller = _scroller_of(widget)
        room = window if scroller is None else scroller.widget()
        if not room.rect().contains(rect_in(widget, room)):
            where = "the window" if scroller is None else "its scroll area"
            problems.append(f"{describe(widget)} lies outside {where}")
    for scroller in window.findChildren(QScrollArea):
        content = scroller.widget()
        if content is None or not scroller.isVisible() or _inside_item_view(scroller):
            continue
        viewport = scroller.viewport()
        reach = QSize(
            viewport.width() + scroller.horizontalScrollBar().maximum(),
            viewport.height() + scroller.verticalScrollBar().maximum(),
        )
        if content.width() > reach.width() or content.height() > reach.height():
            problems.append(
                f"{describe(scroller)}: content {content.width()}x{content.height()}, "
                f"scrolling reaches {reach.width()}x{reach.height()}"
            )
    return problems


def misfits(window: QWidget, screen: QSize) -> list[str]:
    """Why this window does not fit this screen: its size, what it needs, what is cut."""
    problems = []
    if window.width() > screen.width() or window.height() > screen.height():
        problems.append(
            f"window is {window.width()}x{window.height()} on a "
            f"{screen.width()}x{screen.height()} screen"
        )
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    if need.width() > screen.width() or need.height() > screen.height():
        problems.append(f"window needs at least {need.width()}x{need.height()}")
    return problems + cut_off(window)


def show_on(qtbot: QtBot, window: QWidget, screen: QSize) -> None:
    """Shown at the full size of this screen, as a person maximising it would."""
    window.setGeometry(QRect(QPoint(0, 0), screen))
    if not window.isVisible():
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
    qtbot.wait(200)
