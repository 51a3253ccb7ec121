"""Drop-downs and spin boxes in a scrolling form take the mouse wheel only when focused.

Without this, a reviewer scrolling the rubric changes whatever grade box passes under the
pointer (an override, with a reason then demanded). The wheel goes to the form's scroll area
instead, so the form scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.Wheel
            or not isinstance(watched, QWidget)
            or watched.hasFocus()
        ):
            return False
        area = _scroll_area_of(watched)
        if area is None:
            event.ignore()  # not accepted: Qt offers it to the parent
        else:  # Qt passes on only a spontaneous event; scroll the form for any
            QApplication.sendEvent(area.viewport(), event)
            event.accept()
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(container: QWidget) -> None:
    """Guard every drop-down and spin box inside `container` (call once it is built)."""
    guard = _WheelGuard(container)
    for widget in (
        *container.findChildren(QComboBox),
        *container.findChildren(QAbstractSpinBox),
    ):
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        widget.installEventFilter(guard)
