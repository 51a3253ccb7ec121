"""Display preferences on the real QApplication: text size scales the platform's font in
windows already open, the themes' text pairs meet WCAG 2.2 AA (issue 15, fault 5), and the
choice is kept in this machine's settings file."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.ui.display import (
    DisplayPreferences,
    apply_display,
    default_palette,
    display_settings_file,
    high_contrast_palette,
    load_display_preferences,
    reduced_motion,
    save_display_preferences,
    start_display,
)
from bwv_review.ui.outlines import ControlOutlines
from tests.support.contrast import (
    AA_NON_TEXT,
    AA_TEXT,
    AAA_TEXT,
    contrast_ratio,
    low_contrast_pairs,
    palette_contrasts,
)
from tests.support.display import display_restored

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    with display_restored(qapp) as restored:
        yield restored


def dark_platform_palette() -> QPalette:
    """A dark desktop theme as Qt gets it from KDE or Windows' dark mode: light text on
    dark grey, with Qt's own link and placeholder colours left as they are."""
    palette = QPalette(QColor("#353535"), QColor("#2a2a2a"))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(role, QColor("#f0f0f0"))
    return palette


def test_the_platform_palette_alone_is_under_aa(app: QApplication) -> None:
    """What the app showed before it set a palette: the figures of issue 15."""
    low = low_contrast_pairs(app.palette())
    assert low["Active PlaceholderText/Base"] == 4.0
    assert low["Active HighlightedText/Highlight"] == 3.69


def test_start_up_sets_readable_placeholders_and_selected_rows(
    app: QApplication, app_home: Paths
) -> None:
    start_display(app, app_home.settings_file)
    assert low_contrast_pairs(app.palette()) == {}
    ratios = palette_contrasts(app.palette())
    assert ratios["Active PlaceholderText/Base"] >= 6.9
    assert ratios["Active HighlightedText/Highlight"] >= 6.7


def test_default_theme_on_a_dark_platform_is_readable(app: QApplication) -> None:
    assert low_contrast_pairs(dark_platform_palette())  # Qt's blue links on dark grey
    assert low_contrast_pairs(default_palette(dark_platform_palette())) == {}


def test_high_contrast_theme_is_7_to_1_throughout(app: QApplication) -> None:
    assert low_contrast_pairs(high_contrast_palette(), AAA_TEXT) == {}
    apply_display(app, DisplayPreferences(high_contrast=True))
    assert app.palette().color(Role.Window) == QColor("#000000")
    assert low_contrast_pairs(app.palette(), AAA_TEXT) == {}
    apply_display(app, DisplayPreferences())
    assert app.palette().color(Role.Window) != QColor("#000000")
    assert min(palette_contrasts(app.palette()).values()) >= AA_TEXT


def test_text_size_grows_open_windows_without_compounding(app: QApplication, qtbot: QtBot) -> None:
    platform_pt = app.font().pointSizeF()
    label, field = QLabel("Case BWV-0042"), QLineEdit()
    for widget in (label, field):
        qtbot.addWidget(widget)
        widget.show()
    before = label.sizeHint().height()

    def label_at(percent: int) -> None:
        # Qt posts the change to each widget: it arrives with the next events.
        qtbot.waitUntil(
            lambda: label.font().pointSizeF() == pytest.approx(platform_pt * percent / 100)
        )

    apply_display(app, DisplayPreferences(text_percent=200))
    label_at(200)
    assert field.font().pointSizeF() == pytest.approx(platform_pt * 2)
    assert label.sizeHint().height() > before * 1.6
    apply_display(app, DisplayPreferences(text_percent=150))
    apply_display(app, DisplayPreferences(text_percent=150))
    label_at(150)
    apply_display(app, DisplayPreferences())
    label_at(100)


def test_reduced_motion_is_noted_and_turns_off_qt_animations(app: QApplication) -> None:
    apply_display(app, DisplayPreferences(reduced_motion=True))
    assert reduced_motion()
    assert not app.isEffectEnabled(Qt.UIEffect.UI_AnimateCombo)
    apply_display(app, DisplayPreferences())
    assert not reduced_motion()


def test_the_choice_survives_a_restart(app_home: Paths) -> None:
    chosen = DisplayPreferences(text_percent=150, high_contrast=True, reduced_motion=True)
    save_display_preferences(Settings(app_home.settings_file), chosen)
    assert load_display_preferences(Settings(app_home.settings_file)) == chosen
    assert json.loads(app_home.settings_file.read_text())["display.text_percent"] == 150


def test_nothing_chosen_is_the_platform_look(app_home: Paths) -> None:
    assert load_display_preferences(Settings(app_home.settings_file)) == DisplayPreferences()


@pytest.mark.expected_log_warnings
def test_a_bad_value_is_named_with_its_file_and_key_and_falls_back(
    app_home: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    settings_file: Path = app_home.settings_file
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(
        json.dumps({"display.text_percent": 175, "display.high_contrast": "yes"})
    )
    prefs = load_display_preferences(Settings(settings_file))
    assert prefs == DisplayPreferences()
    messages = [r.getMessage() for r in caplog.records]
    assert (
        f"{settings_file}: display.text_percent is 175, which is not one of 100, 150, 200; "
        "using 100" in messages
    )
    assert any(m.startswith(f'{settings_file}: display.high_contrast is "yes"') for m in messages)


def test_preferences_refuse_a_size_not_on_offer() -> None:
    with pytest.raises(ValueError, match="choose one of 100%, 150%, 200%"):
        DisplayPreferences(text_percent=120)


def test_the_settings_file_is_the_machines_one_noted_at_start_up(
    app: QApplication, tmp_path: Path
) -> None:
    machine = tmp_path / "machine" / "settings.json"
    start_display(app, machine)
    assert display_settings_file() == machine


def test_high_contrast_outlines_unticked_boxes_and_unchosen_radio_buttons(
    app: QApplication, qtbot: QtBot
) -> None:
    """Fusion draws their edges in a shade of the window colour: black on black."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    boxes = [QCheckBox("Reduced motion"), QRadioButton("150%")]
    for box in boxes:
        layout.addWidget(box)
    window.show()
    qtbot.waitExposed(window)

    def edge_ratios() -> list[float]:
        ratios = []
        for box in boxes:
            option = QStyleOptionButton()
            box.initStyleOption(option)
            element = (
                QStyle.SubElement.SE_CheckBoxIndicator
                if isinstance(box, QCheckBox)
                else QStyle.SubElement.SE_RadioButtonIndicator
            )
            indicator = box.style().subElementRect(element, option, box)
            image = box.grab().toImage()
            edge = image.pixelColor(QPoint(indicator.left(), indicator.center().y()))
            ratios.append(contrast_ratio(edge, box.palette().color(Role.Window)))
        return ratios

    apply_display(app, DisplayPreferences(high_contrast=True))
    gc.collect()  # the style stays alive with the application, not with a Python name
    assert min(edge_ratios()) >= AA_NON_TEXT
    apply_display(app, DisplayPreferences())
    assert not isinstance(app.style(), ControlOutlines)  # the default theme: the platform's


def test_high_contrast_outlines_lists_and_text_boxes(app: QApplication, qtbot: QtBot) -> None:
    """A list or a notes box is found by its edge (WCAG 1.4.11); Fusion draws the frame of
    a scroll area in shades of the window colour, which on black left 'None yet.' floating
    with no box around it."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    views = [QListWidget(), QPlainTextEdit()]
    for view in views:
        layout.addWidget(view)
    window.show()
    qtbot.waitExposed(window)
    apply_display(app, DisplayPreferences(high_contrast=True))
    gc.collect()
    try:
        for view in views:
            image = view.grab().toImage()
            edge = image.pixelColor(QPoint(0, image.height() // 2))
            assert contrast_ratio(edge, view.palette().color(Role.Window)) >= AA_NON_TEXT, view
    finally:
        apply_display(app, DisplayPreferences())


def test_the_next_start_opens_with_the_kept_choice(app: QApplication, app_home: Paths) -> None:
    """What app.py does before its first window, on a machine where 150% was kept."""
    platform_pt = app.font().pointSizeF()
    save_display_preferences(
        Settings(app_home.settings_file), DisplayPreferences(text_percent=150, high_contrast=True)
    )
    prefs = start_display(app, app_home.settings_file)
    assert prefs.text_percent == 150
    assert app.font().pointSizeF() == pytest.approx(platform_pt * 1.5)
    assert app.palette().color(Role.Window) == QColor("#000000")
