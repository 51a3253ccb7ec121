"""Issue 15 fault 5: what had fixed colours now takes them from the theme. Error messages
were a fixed dark red (1.58:1 on a dark window), the idle lock a fixed dark panel, the
grade symbol a fixed green (the tick 4.46:1 on the window), and labels with a style sheet
of their own kept their size when the text size changed. Each is checked in the light
default theme, under a dark platform palette and in the high-contrast theme."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.services.review_access import default_rubric
from bwv_review.ui.display import DisplayPreferences, apply_display, default_palette
from bwv_review.ui.idle_lock import LockOverlay
from bwv_review.ui.rubric_form import grade_html
from bwv_review.ui.sign_in import ErrorLabel
from tests.support.contrast import AA_TEXT, AAA_TEXT, contrast_ratio
from tests.support.display import display_restored
from tests.ui.test_display import dark_platform_palette

Role = QPalette.ColorRole
THEMES = ("light default", "dark platform", "dark platform, default theme", "high contrast")


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    with display_restored(qapp) as restored:
        yield restored


def use_theme(app: QApplication, theme: str) -> None:
    if theme == "dark platform":
        app.setPalette(dark_platform_palette())
    elif theme == "dark platform, default theme":
        app.setPalette(default_palette(dark_platform_palette()))
    else:
        apply_display(app, DisplayPreferences(high_contrast=theme == "high contrast"))


def text_ratio(label: QLabel) -> float:
    """The label's words on the window colour behind them."""
    behind = label.parentWidget() or label
    return contrast_ratio(
        label.palette().color(Role.WindowText), behind.palette().color(Role.Window)
    )


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("theme", THEMES)
def test_error_messages_read_in_every_theme(app: QApplication, qtbot: QtBot, theme: str) -> None:
    use_theme(app, theme)
    window = shown(qtbot, QWidget())
    error = ErrorLabel(window)
    QVBoxLayout(window).addWidget(error)
    error.show_error("That PIN is not right.")
    assert text_ratio(error) >= AA_TEXT


def test_an_error_message_follows_a_change_of_theme_at_once(
    app: QApplication, qtbot: QtBot
) -> None:
    window = shown(qtbot, QWidget())
    error = ErrorLabel(window)
    QVBoxLayout(window).addWidget(error)
    error.show_error("That PIN is not right.")
    apply_display(app, DisplayPreferences(high_contrast=True))
    qtbot.waitUntil(lambda: window.palette().color(Role.Window) == QColor("#000000"))
    assert text_ratio(error) >= AAA_TEXT
    apply_display(app, DisplayPreferences())
    qtbot.waitUntil(lambda: window.palette().color(Role.Window) != QColor("#000000"))
    assert text_ratio(error) >= AAA_TEXT


@pytest.mark.parametrize("theme", THEMES)
def test_the_idle_lock_is_drawn_in_the_theme(app: QApplication, qtbot: QtBot, theme: str) -> None:
    use_theme(app, theme)
    window = shown(qtbot, QWidget())
    window.resize(800, 600)
    overlay = LockOverlay(window, "Alice", "10 minutes")
    overlay.show()
    overlay.error.show_error("That PIN is not right.")
    assert overlay.autoFillBackground()
    assert overlay.palette().color(overlay.backgroundRole()) == app.palette().color(Role.Window)
    labels = [label for label in overlay.findChildren(QLabel) if label.text()]
    assert len(labels) >= 3  # heading, message, error
    for label in labels:
        ratio = contrast_ratio(
            label.palette().color(Role.WindowText), overlay.palette().color(Role.Window)
        )
        assert ratio >= AA_TEXT, label.text()


_COLOUR_IN_MARKUP = re.compile(r"color:\s*(#[0-9a-fA-F]{3,8}|[a-z]+)")


@pytest.mark.parametrize("theme", THEMES)
def test_grade_symbols_read_in_every_theme(app: QApplication, theme: str) -> None:
    """What "Suggested: ✔ Good practice" draws: every colour the markup names, on the
    window, or else the label's own text colour."""
    use_theme(app, theme)
    window = app.palette().color(Role.Window)
    for grade in default_rubric().grades:
        markup = grade_html(grade)
        assert grade.symbol in markup and grade.label in markup
        colours = [QColor(c) for c in _COLOUR_IN_MARKUP.findall(markup)]
        for colour in colours or [app.palette().color(Role.WindowText)]:
            assert contrast_ratio(colour, window) >= AA_TEXT, (grade.label, colour.name())


def test_widgets_with_a_style_sheet_of_their_own_follow_the_text_size(
    app: QApplication, qtbot: QtBot
) -> None:
    """A bold heading (welcome window), a bold group box (the review form) and what is
    inside it, and an error message, at 200%."""
    window = shown(qtbot, QWidget())
    layout = QVBoxLayout(window)
    heading = QLabel("Building the demonstration workspace")
    heading.setStyleSheet("QLabel { font-weight: bold; }")
    box = QGroupBox("Legal basis")
    box.setStyleSheet("QGroupBox { font-weight: bold; }")
    inside = QCheckBox("Grounds explained", box)
    QVBoxLayout(box).addWidget(inside)
    error = ErrorLabel()
    for widget in (heading, box, error):
        layout.addWidget(widget)
    error.show_error("That PIN is not right.")
    usual_pt = app.font().pointSizeF()
    apply_display(app, DisplayPreferences(text_percent=200))
    for widget in (heading, box, inside, error):
        qtbot.waitUntil(lambda w=widget: w.font().pointSizeF() == pytest.approx(usual_pt * 2))
    assert heading.font().bold() and error.font().bold() and not inside.font().bold()
