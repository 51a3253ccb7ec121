"""The high-contrast theme's style: the platform's, with the edges of controls drawn again.

Kept apart from display.py, which is imported before the first window opens: a QProxyStyle
subclass and the QStyle enums it names take as long to load as the sign-in window takes to
build, and only someone who chose high contrast needs them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

_OUTLINED = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_PanelButtonCommand,
    QStyle.PrimitiveElement.PE_FrameLineEdit,
    QStyle.PrimitiveElement.PE_FrameGroupBox,
    QStyle.PrimitiveElement.PE_Frame,  # lists, tables and text boxes (scroll areas)
)
_OUTLINED_COMPLEX = (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox)


class ControlOutlines(QProxyStyle):
    """The platform's style, with the edges of check boxes, radio buttons, buttons, fields,
    group boxes, lists and text boxes drawn again in the text colour. Fusion draws them in
    a shade of the window colour, which on the high-contrast theme's black is black:
    unticked boxes, unchosen radio buttons and an empty list's box could not be seen at
    all (WCAG 1.4.11 asks 3:1). Only the
    high-contrast theme uses it; sizes are the platform style's own."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _OUTLINED:
            _outline(
                painter, option, round_=element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
            )

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _OUTLINED_COMPLEX:
            _outline(painter, option, round_=False)


def _outline(painter: QPainter, option: QStyleOption, *, round_: bool) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(option.palette.color(QPalette.ColorRole.WindowText), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    edge = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if round_:
        painter.drawEllipse(edge)
    else:
        painter.drawRect(edge)
    painter.restore()
