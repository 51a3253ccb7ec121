"""Layout pieces that keep a screen inside a laptop screen (1280x800, 1366x768) at any font
size: a row of controls that wraps instead of widening the window, a form's scroll area
that is never narrower than the form, and a table's columns fitted to their contents.

A Qt window grows to its layout's minimum width and never shrinks back, so one row of
controls that is wider than the screen pushes everything to its right off it (the player's
transport row made the review screen 1,434 px wide and hid the rubric and Submit).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QWidget,
)

log = logging.getLogger(__name__)


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new row where the width runs out, like words.

    Its minimum width is that of its widest item, not the sum of them, so it never widens
    the window; it asks for the height its rows need at the width it is given. Each item
    keeps at least its minimum size. A wrap never parts a label from its buddy (the control
    it names); add other groups that belong together (play and jump, the frame steps) as
    one box layout with `add_layout`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []  # owned here; PySide would free them otherwise

    def add_layout(self, layout: QLayout) -> None:
        self.addChildLayout(layout)
        self.addItem(layout)

    # --- QLayout --------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self.invalidate()
        return item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def minimumSize(self) -> QSize:
        gap = self._gap()
        runs = [
            sum(i.minimumSize().width() for i in run) + gap * (len(run) - 1) for run in self._runs()
        ]
        height = max((_height(item) for item in self._shown()), default=0)
        return QSize(max(runs, default=0), height).grownBy(self.contentsMargins())

    def sizeHint(self) -> QSize:
        """One row, if the room is there."""
        items = self._shown()
        width = sum(item.sizeHint().width() for item in items)
        width += self._gap() * max(len(items) - 1, 0)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # --- arranging ------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _runs(self) -> list[list[QLayoutItem]]:
        """The shown items in the pieces a wrap may not split: a label and its buddy."""
        runs: list[list[QLayoutItem]] = []
        for item in self._shown():
            previous = runs[-1][-1].widget() if runs else None
            if isinstance(previous, QLabel) and previous.buddy() is item.widget() is not None:
                runs[-1].append(item)
            else:
                runs.append([item])
        return runs

    def _gap(self) -> int:
        """The spacing set or inherited; else the style's gap between two buttons."""
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        widget = self.parentWidget()
        if widget is None:
            return 6
        button = QSizePolicy.ControlType.PushButton
        return max(widget.style().layoutSpacing(button, button, Qt.Orientation.Horizontal), 0)

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the items out in rows within `rect` (only measure unless `place`); return the
        height the rows take."""
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        gap = self._gap()
        rows: list[list[tuple[QLayoutItem, int]]] = [[]]
        used = 0
        for run in self._runs():
            widths = [
                max(min(item.sizeHint().width(), area.width()), item.minimumSize().width())
                for item in run
            ]
            width = sum(widths) + gap * (len(run) - 1)
            if rows[-1] and used + gap + width > area.width():
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + width
            rows[-1].extend(zip(run, widths, strict=True))
        if not rows[0]:
            return 0
        y = area.y()
        for row in rows:
            height = max(_height(item) for item, _ in row)
            if place:
                x = area.x()
                for item, width in row:
                    item_height = _height(item)
                    top = y + (height - item_height) // 2  # centred on the row
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, item_height)))
                    x += width + gap
            y += height + gap
        return y - gap - area.y() + margins.top() + margins.bottom()


def _height(item: QLayoutItem) -> int:
    return max(item.sizeHint().height(), item.minimumSize().height())


class ColumnScrollArea(QScrollArea):
    """Scrolls a form up and down. Its minimum width is the form's own minimum width plus
    the vertical scroll bar, and follows the form as its font or content changes, so the
    form is never cut off at the right: a fixed 400 px minimum with the horizontal bar off
    hid the end of every row at a larger font. Should it still be squeezed, a horizontal
    bar appears rather than anything becoming unreachable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        width = (
            form.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """QScrollArea watches its form already; a re-layout of the form may change the
        width it needs."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


class ElidedLabel(QLabel):
    """One line of reference text (a database location) that shows as much as fits and
    elides the middle, whole in its tooltip and accessible description. Its minimum width
    is its first word, so a long path or server address cannot widen the window; never
    use it for text a person must read in full."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    def minimumSizeHint(self) -> QSize:
        first_word = self.text().split(" ", 1)[0]
        width = self.fontMetrics().horizontalAdvance(f"{first_word} \u2026")
        margins = self.contentsMargins()
        hint = super().minimumSizeHint()
        return QSize(width + margins.left() + margins.right(), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, area.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            area,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
        painter.end()


def fit_columns(table: QTableView) -> None:
    """Each column at least as wide as its contents, the last taking the rest of the width.
    Qt stretches the last column again only at the table's next resize, so a table refilled
    while on screen ended in a band of empty header (the accounts and the draw preview)."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    if not header.stretchLastSection() or header.count() == 0:
        return
    last = header.logicalIndex(header.count() - 1)
    needed = header.sectionSize(last)
    header.setStretchLastSection(False)  # setting it again stretches the column now
    header.setStretchLastSection(True)
    if header.sectionSize(last) < needed:  # no room: it scrolls rather than cut its words
        header.resizeSection(last, needed)
