"""Checks that Tab goes through a window in the order a sighted reader reads it (WCAG
1.3.2, 2.4.3): the order of its layouts (a box layout's items in their direction, a grid's
or form's rows top to bottom and each row left to right), splitters and other hand-placed
children top to bottom, left to right; and that a dialog opens on its first input, not on
OK. For the screens' tests and the accessibility walk (tests/a11y/) alike.

Reading order is worked out from the layouts, not from the focus chain it is compared with,
so a control added to the window late (a player built when the footage is shown) and so put
last in the chain is caught.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLayout,
    QLayoutItem,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.support.tab_walk import _owner, _radio_mates, describe, tab_stops


def _layout_items(layout: QLayout) -> list[QLayoutItem]:
    """The items of `layout` as they are read: grids and forms by row then column, box
    layouts in the direction they lay out."""
    items = [item for i in range(layout.count()) if (item := layout.itemAt(i)) is not None]
    if isinstance(layout, QGridLayout):
        grid: dict[int, tuple[int, int]] = {}
        for i, item in enumerate(items):
            place = cast(tuple[int, int, int, int], layout.getItemPosition(i))
            grid[id(item)] = place[:2]
        return sorted(items, key=lambda item: grid[id(item)])
    if isinstance(layout, QFormLayout):
        form: dict[int, tuple[int, int]] = {}
        for i, item in enumerate(items):
            row, role = cast(tuple[int, QFormLayout.ItemRole], layout.getItemPosition(i))
            form[id(item)] = (row, role.value)
        return sorted(items, key=lambda item: form[id(item)])
    if isinstance(layout, QBoxLayout) and layout.direction() in (
        QBoxLayout.Direction.RightToLeft,
        QBoxLayout.Direction.BottomToTop,
    ):
        return items[::-1]
    return items


def _visit_layout(layout: QLayout, out: list[QWidget], placed: set[QWidget]) -> None:
    for item in _layout_items(layout):
        if (widget := item.widget()) is not None:
            placed.add(widget)
            _visit(widget, out)
        elif (inner := item.layout()) is not None:
            _visit_layout(inner, out, placed)


def _visit(widget: QWidget, out: list[QWidget]) -> None:
    if not widget.isVisible():
        return
    # A focus proxy stands for a control that takes focus itself (a date field's line
    # edit), not for a container (a button box's proxy is its default button).
    out.append(_owner(widget) if widget.focusPolicy() & Qt.FocusPolicy.TabFocus else widget)
    placed: set[QWidget] = set()
    if (layout := widget.layout()) is not None:
        _visit_layout(layout, out, placed)
    # Children no layout places (a splitter's panes, a scroll area's page, a stack's
    # pages): by where they are, top to bottom then left to right.
    loose = [
        child
        for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if child not in placed and not child.isWindow()
    ]
    for child in sorted(loose, key=lambda c: (c.mapTo(widget, c.rect().topLeft()).y(), c.x())):
        _visit(child, out)


def _unchosen_radio(widget: QWidget) -> bool:
    """Tab stops on the chosen button of an exclusive radio group; arrows move in it."""
    return (
        isinstance(widget, QRadioButton)
        and not widget.isChecked()
        and any(isinstance(m, QRadioButton) and m.isChecked() for m in _radio_mates(widget))
    )


def reading_order(root: QWidget) -> list[QWidget]:
    """The Tab stops of `root` in reading order."""
    stops = tab_stops(root)
    seen: list[QWidget] = []
    _visit(root, seen)
    order: list[QWidget] = []
    for widget in seen:
        if widget in stops and widget not in order and not _unchosen_radio(widget):
            order.append(widget)
    return order + sorted((w for w in stops - set(order) if not _unchosen_radio(w)), key=describe)


def tab_order(qtbot: QtBot, root: QWidget, start: QWidget, count: int) -> list[QWidget]:
    """Who has focus from `start` on, pressing real Tab keys, for `count` stops inside
    `root` (stops elsewhere in the window, as the tabs of a main window, are passed)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    order = [start]
    stayed = 0
    for _ in range(4 * count + 8):
        if len(order) == count:
            break
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        # A date field's Tab steps through its day, month and year first, as Qt's do.
        sections = focused.sectionCount() if isinstance(focused, QDateTimeEdit) else 0
        stayed = stayed + 1 if now is focused else 0
        if now is focused and stayed < sections:
            continue
        assert now is not None and now is not focused, f"Tab trapped in {describe(focused)}"
        if root.isAncestorOf(now) or now is root:
            if now is start:
                break
            order.append(now)
    return order


def assert_tab_follows_reading_order(qtbot: QtBot, root: QWidget) -> list[QWidget]:
    """Fails, naming the first control out of place, unless Tab from the first control
    read visits every Tab stop of `root` in reading order."""
    expected = reading_order(root)
    assert expected, f"{describe(root)} has nothing Tab reaches"
    got = tab_order(qtbot, root, expected[0], len(expected))
    for index, (want, had) in enumerate(zip(expected, got, strict=False)):
        assert had is want, (
            f"Tab stop {index + 1} in {describe(root)} is {describe(had)}; reading order "
            f"puts {describe(want)} there.\n  read: "
            + ", ".join(map(describe, expected))
            + "\n  Tab:  "
            + ", ".join(map(describe, got))
        )
    assert len(got) == len(expected), "Tab went round before reaching " + ", ".join(
        map(describe, expected[len(got) :])
    )
    return got


def first_input(dialog: QWidget) -> QWidget:
    """The control a dialog should open on: the first one read that is not one of its
    closing buttons (OK, Cancel, Close)."""
    for widget in reading_order(dialog):
        in_box = isinstance(widget, QAbstractButton) and isinstance(
            widget.parentWidget(), QDialogButtonBox
        )
        if not in_box:
            return widget
    return reading_order(dialog)[0]


def assert_opens_on_first_input(qtbot: QtBot, dialog: QWidget) -> None:
    """The dialog, shown and active, has keyboard focus on its first input."""
    qtbot.waitUntil(dialog.isActiveWindow)
    want = first_input(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    now = QApplication.focusWidget()
    assert now is want, f"{describe(dialog)} opens on {describe(now)}, not {describe(want)}"
