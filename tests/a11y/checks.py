"""What the accessibility walk measures on one shown window: controls without an accessible
name (WCAG 4.1.2), Tab traps and controls Tab never reaches (2.1.1, 2.1.2), text under
4.5:1 against what is drawn behind it (1.4.3) and, at 200% text, controls cut off (1.4.4).

Contrast is read from what Qt paints with: each control's palette (a style sheet's colours
are in it once the widget is polished), the item data of table cells (their own fore- and
background), colours written into rich text, and the background of the nearest ancestor
that paints one. Disabled controls are left out, as WCAG exempts inactive components.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QCommandLinkButton,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.support.contrast import AA_TEXT, contrast_ratio
from tests.support.tab_walk import describe, tab_round, tab_stops

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
# The window is active while it is used and inactive behind a dialog; both are read.
GROUPS = (Group.Active, Group.Inactive)
ROWS_READ = 60  # cells of a table past these are drawn with the same colours
INTERACTIVE = (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
)
_COLOUR_IN_TEXT = re.compile(r"""color\s*[:=]\s*["']?\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)""")


@dataclass
class WindowFindings:
    """One window's row of the walk's table; each list says what and where."""

    window: str
    controls: int = 0
    unnamed: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)
    low_contrast: list[str] = field(default_factory=list)
    clipped: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            f"{kind}: {item}"
            for kind, items in (
                ("unnamed", self.unnamed),
                ("unreachable by Tab", self.unreachable),
                ("Tab trap", self.traps),
                ("low contrast", self.low_contrast),
                ("clipped at 200%", self.clipped),
            )
            for item in items
        ]


# --- names ---------------------------------------------------------------------------------


def _inner_part(widget: QWidget) -> bool:
    """A part of another control (a spin box's or combo's line edit, a table's editor or
    header, a scroll area's bars), named and reached through that control."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def interactive_controls(window: QWidget) -> list[QWidget]:
    """Shown, enabled controls of this window a person can operate (they take focus)."""
    return [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisible()
        and w.isEnabled()
        and w.window() is window.window()
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not _inner_part(w)
    ]


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader is given, as Qt's accessibility layer reports it."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return "" if interface is None else interface.text(QAccessible.Text.Name).strip()


def unnamed(controls: list[QWidget]) -> list[str]:
    return [describe(w) for w in controls if not accessible_name(w)]


# --- contrast ------------------------------------------------------------------------------


def _paints_background(widget: QWidget) -> bool:
    return (
        widget.isWindow()
        or widget.autoFillBackground()
        or widget.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        or "background" in widget.styleSheet()
    )


def background_behind(widget: QWidget, group: Group) -> QColor:
    """The colour drawn behind `widget`: that of the nearest ancestor (or itself) that
    fills its background, in that one's palette."""
    here: QWidget | None = widget
    while here is not None:
        view = _view_holding(here)
        if view is not None:
            return _row_background(view, here, group)
        if _paints_background(here):
            return here.palette().color(group, here.backgroundRole())
        here = here.parentWidget()
    return widget.palette().color(group, Role.Window)


def _view_holding(widget: QWidget) -> QAbstractItemView | None:
    """The list or table that shows `widget` in one of its rows (an index widget)."""
    viewport = widget.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    if isinstance(view, QAbstractItemView) and view.viewport() is viewport:
        return view
    return None


def _row_background(view: QAbstractItemView, shown: QWidget, group: Group) -> QColor:
    """What the view paints under a widget in one of its rows: the highlight on a chosen
    row, else the item's own background, else the view's base."""
    index = view.indexAt(shown.geometry().center())
    palette = view.palette()
    selection = view.selectionModel()
    if index.isValid() and selection is not None and selection.isSelected(index):
        return palette.color(group, Role.Highlight)
    own = _brush_colour(index.data(Qt.ItemDataRole.BackgroundRole)) if index.isValid() else None
    return own or palette.color(group, Role.Base)


def _colours_in_rich_text(text: str) -> list[QColor]:
    found = []
    for name in _COLOUR_IN_TEXT.findall(text):
        colour = QColor(name)
        if colour.isValid():
            found.append(colour)
    return found


@dataclass(frozen=True)
class TextOn:
    """Some text of a control, its colour and the colour drawn behind it."""

    what: str
    foreground: QColor
    background: QColor


def _own_texts(widget: QWidget, group: Group) -> Iterator[TextOn]:
    """The texts one (non-table) control draws, each over what it is drawn on."""
    palette = widget.palette()
    name = _where(widget)
    behind = background_behind(widget, group)
    if isinstance(widget, QLabel):
        if not widget.text().strip():
            return
        yield TextOn(name, palette.color(group, widget.foregroundRole()), behind)
        if "<a " in widget.text():
            yield TextOn(f"{name} link", palette.color(group, Role.Link), behind)
        for colour in _colours_in_rich_text(widget.text()):
            yield TextOn(f"{name} coloured text {colour.name()}", colour, behind)
    elif isinstance(widget, (QCheckBox, QRadioButton, QCommandLinkButton)):
        if widget.text():
            yield TextOn(name, palette.color(group, widget.foregroundRole()), behind)
    elif isinstance(widget, QAbstractButton):
        if widget.text():
            button = palette.color(group, Role.Button)
            flat = bool(getattr(widget, "isFlat", lambda: False)())
            yield TextOn(name, palette.color(group, Role.ButtonText), behind if flat else button)
    elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        base = palette.color(group, Role.Base)
        yield TextOn(name, palette.color(group, Role.Text), base)
        placeholder = getattr(widget, "placeholderText", lambda: "")()
        if placeholder:
            yield TextOn(f"{name} placeholder", palette.color(group, Role.PlaceholderText), base)
    elif isinstance(widget, QComboBox):
        if widget.isEditable():
            yield TextOn(name, palette.color(group, Role.Text), palette.color(group, Role.Base))
        else:
            yield TextOn(
                name, palette.color(group, Role.ButtonText), palette.color(group, Role.Button)
            )
    elif isinstance(widget, QGroupBox):
        if widget.title():
            yield TextOn(f"{name} title", palette.color(group, Role.WindowText), behind)
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            if widget.isTabVisible(index) and widget.isTabEnabled(index):
                yield TextOn(
                    f"{name} tab {widget.tabText(index)!r}",
                    palette.color(group, widget.foregroundRole()),
                    behind,
                )


def _brush_colour(value: object) -> QColor | None:
    colour = getattr(value, "color", None)
    if callable(colour):
        value = colour()
    return value if isinstance(value, QColor) and value.isValid() else None


def _cell_texts(view: QAbstractItemView, group: Group) -> Iterator[TextOn]:
    """A table's or list's cells, each with its own colours where it sets them; and, where
    rows can be chosen, the chosen row's text on the highlight."""
    palette = view.palette()
    name = describe(view)
    model = view.model()
    if isinstance(view, QHeaderView):
        yield TextOn(
            f"{name} header",
            palette.color(group, Role.ButtonText),
            palette.color(group, Role.Button),
        )
        return
    if model is None:
        return
    if view.selectionMode() != QAbstractItemView.SelectionMode.NoSelection:
        yield TextOn(
            f"{name} chosen row",
            palette.color(group, Role.HighlightedText),
            palette.color(group, Role.Highlight),
        )
    alternate = bool(getattr(view, "alternatingRowColors", lambda: False)())
    top = QModelIndex()
    for row in range(min(model.rowCount(top), ROWS_READ)):
        # A list's model hides columnCount (PySide makes it private): it has one column.
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
        for column in range(columns):
            index = model.index(row, column, top)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or not str(text).strip():
                continue
            base_role = Role.AlternateBase if alternate and row % 2 else Role.Base
            background = _brush_colour(index.data(Qt.ItemDataRole.BackgroundRole))
            foreground = _brush_colour(index.data(Qt.ItemDataRole.ForegroundRole))
            yield TextOn(
                f"{name} cell ({row}, {column}) {str(text)[:30]!r}",
                foreground or palette.color(group, Role.Text),
                background or palette.color(group, base_role),
            )


def _where(widget: QWidget) -> str:
    """The control, by name; by its words and its parent's name when it has none."""
    if widget.accessibleName():
        return describe(widget)
    words = getattr(widget, "text", None)
    text = words() if callable(words) else ""
    parent = widget.parentWidget()
    inside = f" in {describe(parent)}" if parent is not None else ""
    return f"{type(widget).__name__} {str(text)[:30]!r}{inside}"


def low_contrast(window: QWidget, minimum: float = AA_TEXT) -> list[str]:
    """Every text of the window's shown, enabled controls under `minimum`: one line per
    control and pair of colours, with the first text that has them and the colour groups."""
    found: dict[tuple[str, str, str], tuple[str, float, list[str]]] = {}
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or not widget.isEnabled() or widget.window() is not window:
            continue
        for group in GROUPS:
            texts = (
                _cell_texts(widget, group)
                if isinstance(widget, QAbstractItemView)
                else _own_texts(widget, group)
            )
            for text in texts:
                ratio = contrast_ratio(text.foreground, text.background)
                if ratio >= minimum:
                    continue
                key = (_where(widget), text.foreground.name(), text.background.name())
                _, _, groups = found.setdefault(key, (text.what, ratio, []))
                if group.name not in groups:
                    groups.append(group.name)
    return [
        f"{example}: {fore} on {back} {ratio:.2f}:1 ({', '.join(groups)})"
        for (_, fore, back), (example, ratio, groups) in found.items()
    ]


# --- the whole window ----------------------------------------------------------------------


def _first_stop(window: QWidget) -> QWidget | None:
    """Where Tab starts: the control with focus, else the first tab stop in the chain."""
    stops = tab_stops(window)
    focused = QApplication.focusWidget()
    if focused in stops:
        return focused
    candidate = window.nextInFocusChain()
    while candidate is not None and candidate is not window:
        if candidate in stops:
            return candidate
        candidate = candidate.nextInFocusChain()
    return next(iter(stops), None)


def measure(
    qtbot: QtBot, name: str, window: QWidget, root: QWidget | None = None
) -> WindowFindings:
    """Names, Tab and contrast of a shown window; `root` is the part of it Tab must stay
    in (the idle lock's cover), the whole window by default."""
    root = root or window
    controls = interactive_controls(root)
    findings = WindowFindings(name, controls=len(controls), unnamed=unnamed(controls))
    findings.low_contrast = low_contrast(window)
    start = _first_stop(root)
    if start is not None:
        walked = tab_round(qtbot, root, start)
        findings.traps = [describe(w) for w in walked.traps]
        if walked.escaped_to is not None:
            findings.traps.append(f"Tab leaves to {walked.escaped_to}")
        findings.unreachable = sorted(describe(w) for w in walked.missed)
    return findings
