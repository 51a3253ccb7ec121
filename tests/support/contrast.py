"""WCAG 2.2 contrast between two colours, for tests that check what people can read.

Written from the WCAG definition (relative luminance of sRGB, (L1 + 0.05) / (L2 + 0.05))
rather than taken from the app, so a test checks the app's colours against the standard and
not against the app's own arithmetic. A translucent foreground (Qt's placeholder text is
black at 50% alpha) is first blended over its background, as the screen shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyleOptionViewItem

AA_TEXT = 4.5  # WCAG 1.4.3, normal text
AAA_TEXT = 7.0  # WCAG 1.4.6
AA_NON_TEXT = 3.0  # WCAG 1.4.11, large text and the parts of controls


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: QColor) -> float:
    """WCAG's relative luminance of an opaque colour, 0 (black) to 1 (white)."""
    return (
        0.2126 * _linear(colour.redF())
        + 0.7152 * _linear(colour.greenF())
        + 0.0722 * _linear(colour.blueF())
    )


def blended(foreground: QColor, background: QColor) -> QColor:
    """`foreground` as it shows over an opaque `background` (source-over)."""
    alpha = foreground.alphaF()
    return QColor.fromRgbF(
        foreground.redF() * alpha + background.redF() * (1 - alpha),
        foreground.greenF() * alpha + background.greenF() * (1 - alpha),
        foreground.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """From 1.0 (the same) to 21.0 (black on white); order does not matter."""
    back = QColor(background)
    fore = blended(QColor(foreground), back)
    lighter, darker = sorted((relative_luminance(fore), relative_luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# What is written on what: every text role a widget draws, over the role drawn behind it.
TEXT_PAIRS: tuple[tuple[Role, Role], ...] = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.PlaceholderText, Role.Base),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base),
    (Role.LinkVisited, Role.Window),
    (Role.ToolTipText, Role.ToolTipBase),
)
GROUPS = (Group.Active, Group.Inactive, Group.Disabled)


def palette_contrasts(palette: QPalette) -> dict[str, float]:
    """Every text pair of `palette` in every colour group, named "Disabled Text/Base"."""
    return {
        f"{group.name} {fore.name}/{back.name}": contrast_ratio(
            palette.color(group, fore), palette.color(group, back)
        )
        for group in GROUPS
        for fore, back in TEXT_PAIRS
    }


def low_contrast_pairs(palette: QPalette, minimum: float = AA_TEXT) -> dict[str, float]:
    """The pairs of `palette` under `minimum`, rounded for a readable failure message."""
    return {
        name: round(ratio, 2)
        for name, ratio in palette_contrasts(palette).items()
        if ratio < minimum
    }


def painted_cell(
    view: QAbstractItemView, index: QModelIndex, group: Group = Group.Active
) -> tuple[QColor, QColor]:
    """The text and background colours `view` paints the cell at `index` in, as its
    delegate works them out (its own colours, a palette pair, or the view's base), so a
    check sees what a delegate paints and not only the item's data."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    fore = option.palette.color(group, Role.Text)  # type: ignore[attr-defined]
    brush = option.backgroundBrush  # type: ignore[attr-defined]
    if brush.style() != Qt.BrushStyle.NoBrush:
        return fore, brush.color()
    alternate = view.alternatingRowColors() and index.row() % 2
    return fore, option.palette.color(group, Role.AlternateBase if alternate else Role.Base)  # type: ignore[attr-defined]


def low_contrast_cells(view: QAbstractItemView, minimum: float = AA_TEXT) -> dict[str, float]:
    """The cells of `view` (top level) whose text is under `minimum` on what is behind it,
    by row, column and text."""
    model = view.model()
    low: dict[str, float] = {}
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not text or not str(text).strip():
                continue
            ratio = contrast_ratio(*painted_cell(view, index))
            if ratio < minimum:
                low[f"({row}, {column}) {str(text).strip()[:30]!r}"] = round(ratio, 2)
    return low
