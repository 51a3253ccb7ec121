"""Table cells set apart by colours the palette gives when they are painted.

The consensus tables marked heading rows and disagreements with fixed light backgrounds
(#e8eaf0, #fff3cd, #e3f0e8). Under a dark or high-contrast palette the text turned light
and stayed on them, at 1.03-1.06:1. A cell now names a pair of palette roles instead, and
the delegate paints that pair, so it follows the theme live and is one of the pairs the
themes are checked for (ui/display.py).
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableWidgetItem

# Far from the roles Qt and the app's models use (UserRole + small numbers).
EMPHASIS_ROLE = Qt.ItemDataRole.UserRole + 0x4E00
Role = QPalette.ColorRole


class Emphasis(IntEnum):
    HEADING = 1  # a heading row inside a table (a rubric dimension, a shared moment)
    DIFFER = 2  # members' answers that differ, the chair's cue to discuss


# (background, text): pairs every theme's palette is checked for.
_PAIRS = {
    Emphasis.HEADING: (Role.Button, Role.ButtonText),
    Emphasis.DIFFER: (Role.ToolTipBase, Role.ToolTipText),
}


def emphasise(item: QTableWidgetItem, emphasis: Emphasis) -> None:
    item.setData(EMPHASIS_ROLE, int(emphasis))


class PaletteCellDelegate(QStyledItemDelegate):
    """Paints an emphasised cell in its pair of palette colours; others as usual."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        emphasis = index.data(EMPHASIS_ROLE)
        if emphasis is None:
            return
        background, text = _PAIRS[Emphasis(emphasis)]
        option.backgroundBrush = option.palette.brush(background)
        option.palette.setColor(Role.Text, option.palette.color(text))
