"""Layout pieces that keep a screen inside a laptop screen (1280x800, 1366x768) at any font
size: a row of controls that wraps instead of widening the window, side-by-side columns
that stack when they do not fit, a form's scroll area that is never narrower than the
form, and a table's columns fitted to their contents.

A Qt window grows to its layout's minimum width and never shrinks back, so one row of
controls that is wider than the screen pushes everything to its right off it (the player's
transport row made the review screen 1,434 px wide and hid the rubric and Submit).
"""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedLayout,
    QTableView,
    QTabWidget,
    QVBoxLayout,
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
            height = max(_height(item, width) for item, width in row)
            if place:
                x = area.x()
                for item, width in row:
                    item_height = _height(item, width)
                    top = y + (height - item_height) // 2  # centred on the row
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, item_height)))
                    x += width + gap
            y += height + gap
        return y - gap - area.y() + margins.top() + margins.bottom()


def _height(item: QLayoutItem, width: int | None = None) -> int:
    """Its height; at `width` for an item whose height depends on it (a readout that
    wraps onto a second line)."""
    if width is not None and item.hasHeightForWidth():
        return max(item.heightForWidth(width), item.minimumSize().height())
    return max(item.sizeHint().height(), item.minimumSize().height())


class StackSplitter(QSplitter):
    """Panes one above the other, each at least as tall as its wrapped words need at the
    splitter's width, the rest shared by stretch. QSplitter holds a pane only to its
    one-line minimum: at 200% text the consensus column was given 445 px where its words
    needed more, and the learning points' heading and table below it were squeezed under
    their own height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setChildrenCollapsible(False)

    def columns(self) -> list[QWidget]:
        """The panes on show."""
        found = (self.widget(index) for index in range(self.count()))
        return [column for column in found if column is not None and not column.isHidden()]

    def minimumSizeHint(self) -> QSize:
        shown = self.columns()
        if not shown:
            return super().minimumSizeHint()
        width = max(_minimum(column).width() for column in shown)
        if self.orientation() is Qt.Orientation.Horizontal:
            return QSize(width, max(_tall(column, column.width()) for column in shown))
        heights = sum(_tall(column, self.width()) for column in shown)
        return QSize(width, heights + self.handleWidth() * (len(shown) - 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.orientation() is Qt.Orientation.Vertical:
            self._give_each_its_height(event.size().width())
        self.updateGeometry()  # the height its wrapped words need follows the width

    def _give_each_its_height(self, width: int) -> None:
        found = [self.widget(index) for index in range(self.count())]
        needs = [
            _tall(pane, width) if pane is not None and not pane.isHidden() else 0 for pane in found
        ]
        sizes = self.sizes()
        if all(size >= need for size, need in zip(sizes, needs, strict=True)):
            return
        stretch = [
            max(pane.sizePolicy().verticalStretch(), 1) if pane is not None and need else 0
            for pane, need in zip(found, needs, strict=True)
        ]
        spare = max(sum(sizes) - sum(needs), 0)
        share = sum(stretch) or 1
        shared = zip(needs, stretch, strict=True)
        self.setSizes([need + spare * part // share for need, part in shared])


class ReflowSplitter(StackSplitter):
    """Columns side by side where they fit, one above the other where they do not (200%
    text on a laptop), like a flow of two or three boxes. Side by side, the columns of the
    review screen needed 1,400 px at 200% text, and a Qt window never shrinks below its
    layout's minimum, so the form and Submit fell off a 1280 px screen.

    Its minimum width is the widest column's, not their sum, so it never widens the
    window; it turns the columns side by side again as soon as the width allows (a window
    widened, the text made smaller). Columns should scroll (ColumnScrollArea), since
    stacked they share the height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOrientation(Qt.Orientation.Horizontal)

    def side_by_side_width(self) -> int:
        """The width the columns need side by side: each at its minimum, and the handles."""
        shown = self.columns()
        columns = sum(_minimum(column).width() for column in shown)
        return columns + self.handleWidth() * max(len(shown) - 1, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._choose_orientation(event.size().width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        """A column's minimum grows with the font (the text size changed live): the
        orientation is chosen again at the width the splitter has now."""
        if event.type() == QEvent.Type.LayoutRequest:
            self._choose_orientation(self.width())
        return super().event(event)

    def _choose_orientation(self, width: int) -> None:
        wanted = (
            Qt.Orientation.Horizontal
            if width >= self.side_by_side_width()
            else Qt.Orientation.Vertical
        )
        if wanted != self.orientation():
            self.setOrientation(wanted)
            # Shared out again by stretch factor (setStretchFactor sets both ways); Qt would
            # keep the sizes the columns had the other way round.
            found = (self.widget(index) for index in range(self.count()))
            stretch = [max(c.sizePolicy().horizontalStretch(), 1) for c in found if c is not None]
            self.setSizes([100 * share for share in stretch])


def _minimum(widget: QWidget) -> QSize:
    return widget.minimumSizeHint().expandedTo(widget.minimumSize())


def _tall(widget: QWidget, width: int) -> int:
    """The least height at this width: a splitter does not pass on the height that the
    words wrapping in a column need, so a long refusal was squeezed into a few lines."""
    height = _minimum(widget).height()
    layout = widget.layout()
    if layout is None or not layout.hasHeightForWidth():
        return height
    return max(height, layout.totalMinimumHeightForWidth(width))


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


class ScrollingTabWidget(QTabWidget):
    """Tabs whose pages scroll up and down where the window is shorter than a page needs
    (200% text on a laptop), instead of the window growing past the screen. A page is
    known by itself, not by its scroll area: `widget`, `currentWidget`, `setCurrentWidget`
    and `indexOf` take and give the page that was added."""

    def addTab(self, page: QWidget, label: str) -> int:  # type: ignore[override]
        area = ColumnScrollArea(self)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's controls
        area.setAccessibleName(page.accessibleName() or label.replace("&", ""))
        area.setWidget(_PageHolder(page))
        return super().addTab(area, label)

    def widget(self, index: int) -> QWidget | None:
        area = super().widget(index)
        holder = area.widget() if isinstance(area, ColumnScrollArea) else None
        return holder.page if isinstance(holder, _PageHolder) else area

    def currentWidget(self) -> QWidget:
        """None with no tabs, as Qt's is (which PySide types as a widget all the same)."""
        return self.widget(self.currentIndex())  # type: ignore[return-value]

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            if self.widget(index) is page:
                return index
        return -1

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


class _NoHeightForWidthLayout(QVBoxLayout):
    """Says its height does not depend on its width: a scroll area makes such content as
    tall as it would like to be, not as tall as it must be, so the review screen, its
    title wrapped, scrolled at 200% text with room to spare. `_PageHolder` works out the
    height the page must have instead."""

    def hasHeightForWidth(self) -> bool:
        return False


class _PageHolder(QWidget):
    """A tab page inside its scroll area: as tall as the tab, or as the page must be at
    its width (its wrapped words need more lines when narrow)."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        layout = _NoHeightForWidthLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._follow_width(event.size().width())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._follow_width(self.width())
        return super().event(event)

    def _follow_width(self, width: int) -> None:
        need = _least_height(self.page, width)
        if need != self.minimumHeight():
            self.setMinimumHeight(need)


def _least_height(widget: QWidget, width: int) -> int:
    """The height `widget` must have at `width`, as its layout lays it out: a column gives
    an item whose height follows its width the height that item would like at that width,
    and every other item its minimum."""
    layout = widget.layout()
    if layout is None or not layout.hasHeightForWidth():
        return _minimum(widget).height()
    if isinstance(layout, QStackedLayout):
        shown = layout.currentWidget()
        return 0 if shown is None else _least_height(shown, width)
    if not isinstance(layout, QVBoxLayout):
        return layout.totalHeightForWidth(width)
    margins = layout.contentsMargins()
    inner = width - margins.left() - margins.right()
    items = [layout.itemAt(index) for index in range(layout.count())]
    shown_items = [item for item in items if item is not None and not item.isEmpty()]
    heights = [
        item.heightForWidth(inner) if item.hasHeightForWidth() else item.minimumSize().height()
        for item in shown_items
    ]
    gaps = max(layout.spacing(), 0) * max(len(heights) - 1, 0)
    return sum(heights) + gaps + margins.top() + margins.bottom()


class TallEnough(QObject):
    """Keeps a window at least as tall as its layout needs at the window's width. Qt sizes
    a dialog by its layout's minimum, which leaves out text that wraps: at 200% text the
    PIN dialog's hint, wrapped onto three lines, was squeezed into the height of one and
    the PIN fields below their own height. Installed with `keep_tall_enough`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Not before it is shown: its width is not yet its own, and a height needed at a
        # narrower width would stay its minimum.
        if (
            isinstance(watched, QWidget)
            and watched.isVisible()
            and event.type() in (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.LayoutRequest)
        ):
            layout = watched.layout()
            if layout is not None and layout.hasHeightForWidth():
                need = layout.totalHeightForWidth(watched.width())
                if need != watched.minimumHeight():
                    watched.setMinimumHeight(need)
        return False


def keep_tall_enough(window: QWidget) -> None:
    window.installEventFilter(TallEnough(window))


def scroll_message(box: QMessageBox, screen_share: float = 0.7) -> None:
    """A message box whose words (a long table) scroll once they would take more than
    this share of the screen's height: at 200% text the keyboard-shortcut list was
    1,114 px tall on an 800 px screen, with Close below the bottom edge. The box stays a
    QMessageBox (its text, buttons and keys as before)."""
    label = box.findChild(QLabel, "qt_msgbox_label")
    grid = box.layout()
    if label is None or not isinstance(grid, QGridLayout):
        return
    where = cast(tuple[int, int, int, int], grid.getItemPosition(grid.indexOf(label)))
    row, column, rows, columns = where  # PySide types the tuple as object
    grid.removeWidget(label)
    area = ColumnScrollArea(box)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setAccessibleName(box.windowTitle())
    area.setWidget(label)
    grid.addWidget(area, row, column, rows, columns)
    screen = box.screen().availableGeometry()
    words = label.sizeHint()
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(min(words.width() + bar, round(screen.width() * screen_share)))
    area.setMinimumHeight(min(words.height(), round(screen.height() * screen_share)))


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
