"""How the app looks on this machine: text size, the high-contrast theme, reduced motion.

Volunteers who need large text need it before they sign in, so these are per-machine
settings applied to the whole application at start-up and again, at once, whenever they
change (no restart). Sizes scale the platform's own font, so 150% is half as big again as
the desktop's text and applying twice never compounds. The colours are palettes whose text
pairs the tests check against WCAG 2.2 (4.5:1 at least, 7:1 where we can): the default
theme is the platform's palette with the pairs it gets wrong replaced, the high-contrast
theme is fixed. Widgets take their colours from the palette, never fixed backgrounds, so
both themes reach every screen.

Imported before the first window opens: it loads nothing but QtGui and QtWidgets, and the
high-contrast theme's style (outlines.py) only when that theme is chosen.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from bwv_review.config import (
    DEFAULT_SETTINGS,
    HIGH_CONTRAST_SETTING,
    REDUCED_MOTION_SETTING,
    TEXT_PERCENT_SETTING,
    Paths,
    Settings,
    SettingsError,
)

log = logging.getLogger("bwv_review.ui.display")

TEXT_PERCENTS = (100, 150, 200)

# Kept on the QApplication so that every apply starts from the platform's look.
_PLATFORM_FONT = "bwv_review.platform_font"
_PLATFORM_PALETTE = "bwv_review.platform_palette"
_PLATFORM_EFFECTS = "bwv_review.platform_effects"
_REDUCED_MOTION = "bwv_review.reduced_motion"
_SETTINGS_FILE = "bwv_review.display_settings_file"
APP_PROPERTIES = (
    _PLATFORM_FONT,
    _PLATFORM_PALETTE,
    _PLATFORM_EFFECTS,
    _REDUCED_MOTION,
    _SETTINGS_FILE,
)
# Qt's own menu, combo box and tooltip animations, off with reduced motion.
EFFECTS = (
    Qt.UIEffect.UI_AnimateMenu,
    Qt.UIEffect.UI_FadeMenu,
    Qt.UIEffect.UI_AnimateCombo,
    Qt.UIEffect.UI_AnimateTooltip,
    Qt.UIEffect.UI_FadeTooltip,
    Qt.UIEffect.UI_AnimateToolBox,
)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@dataclass(frozen=True)
class DisplayPreferences:
    """`text_percent`: the application font as a share of the platform's, one of
    TEXT_PERCENTS. `reduced_motion`: widgets jump where they would animate."""

    text_percent: int = 100
    high_contrast: bool = False
    reduced_motion: bool = False

    def __post_init__(self) -> None:
        if self.text_percent not in TEXT_PERCENTS:
            raise ValueError(
                f"text size {self.text_percent!r}% is not offered: choose one of "
                + ", ".join(f"{p}%" for p in TEXT_PERCENTS)
            )


def _checked(settings: Settings, key: str, value: Any, allowed: tuple[Any, ...]) -> Any:
    """`value` when it is one of `allowed`; otherwise the default, and a warning in the
    log that names the file and the key, so a hand-edited file is not silently ignored."""
    # bool is an int in Python: true must not pass for 1, nor 1 for true.
    if any(type(value) is type(choice) and value == choice for choice in allowed):
        return value
    default = DEFAULT_SETTINGS[key]
    log.warning(
        "%s: %s is %s, which is not one of %s; using %s",
        settings.path,
        key,
        json.dumps(value),
        ", ".join(json.dumps(choice) for choice in allowed),
        json.dumps(default),
    )
    return default


def load_display_preferences(settings: Settings) -> DisplayPreferences:
    """This machine's choices; a value that is not one on offer falls back to its default."""
    return DisplayPreferences(
        text_percent=_checked(
            settings, TEXT_PERCENT_SETTING, settings.get(TEXT_PERCENT_SETTING), TEXT_PERCENTS
        ),
        high_contrast=_checked(
            settings, HIGH_CONTRAST_SETTING, settings.get(HIGH_CONTRAST_SETTING), (False, True)
        ),
        reduced_motion=_checked(
            settings, REDUCED_MOTION_SETTING, settings.get(REDUCED_MOTION_SETTING), (False, True)
        ),
    )


def save_display_preferences(settings: Settings, prefs: DisplayPreferences) -> None:
    """All three in one write, so the file never holds half a choice."""
    settings.set_together(
        {
            TEXT_PERCENT_SETTING: prefs.text_percent,
            HIGH_CONTRAST_SETTING: prefs.high_contrast,
            REDUCED_MOTION_SETTING: prefs.reduced_motion,
        }
    )


def apply_display(app: QApplication, prefs: DisplayPreferences) -> None:
    """Apply `prefs` to the running application: every open window takes the new font and
    colours at once (Qt sends them the change), and later windows start with them."""
    if app.property(_PLATFORM_FONT) is None:
        app.setProperty(_PLATFORM_FONT, QFont(app.font()))
        app.setProperty(_PLATFORM_PALETTE, QPalette(app.palette()))
        app.setProperty(_PLATFORM_EFFECTS, [app.isEffectEnabled(e) for e in EFFECTS])
    _use_outlines(app, prefs.high_contrast)
    app.setFont(scaled_font(app.property(_PLATFORM_FONT), prefs.text_percent))
    platform_palette: QPalette = app.property(_PLATFORM_PALETTE)
    app.setPalette(
        high_contrast_palette() if prefs.high_contrast else default_palette(platform_palette)
    )
    for effect, was_on in zip(EFFECTS, app.property(_PLATFORM_EFFECTS), strict=True):
        app.setEffectEnabled(effect, was_on and not prefs.reduced_motion)
    app.setProperty(_REDUCED_MOTION, prefs.reduced_motion)
    _restyle(app)


def _restyle(app: QApplication) -> None:
    """A widget with a style sheet of its own (even one that only makes a label bold)
    keeps the font and palette it had when the sheet was applied, and so does everything
    inside it: at 200% such labels and whole group boxes stayed at 100%. Setting the
    sheet again makes them take the application's font and palette as they are now."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


def _use_outlines(app: QApplication, outlined: bool) -> None:
    """Swap the style only when the theme changes, so the default theme never leaves the
    platform's own style. Nor does it ask for the style: the first app.style() from Python
    builds the QStyle type and its 13 enums, as long as the sign-in window takes to build."""
    if _outlined(app) == outlined:
        return
    from bwv_review.ui.outlines import ControlOutlines  # only now; see that module's docstring

    style = app.style()
    if isinstance(style, ControlOutlines):
        app.setStyle(style.baseStyle().name())
    else:  # the platform's: only this function changes the style
        app.setStyle(ControlOutlines(QStyleFactory.create(style.name())))


def _outlined(app: QApplication) -> bool:
    """Whether the high-contrast theme's style is on; it cannot be before its module loads."""
    outlines = sys.modules.get("bwv_review.ui.outlines")
    return outlines is not None and isinstance(app.style(), outlines.ControlOutlines)


def reduced_motion() -> bool:
    """Whether widgets should jump where they would animate (read it when moving, so a
    change in the settings counts at once)."""
    app = QApplication.instance()
    return bool(app is not None and app.property(_REDUCED_MOTION))


def scaled_font(platform: QFont, text_percent: int) -> QFont:
    font = QFont(platform)
    if platform.pointSizeF() > 0:
        font.setPointSizeF(platform.pointSizeF() * text_percent / 100)
    else:  # a platform font given in pixels
        font.setPixelSize(round(platform.pixelSize() * text_percent / 100))
    return font


def _mixed(fore: QColor, back: QColor, share_of_fore: float) -> QColor:
    """Text softened towards its background, for placeholders and disabled text: far
    enough from the text to look different, near enough to be read (about 7:1 on the
    usual black-on-white, and on white-on-dark)."""
    a = share_of_fore
    return QColor.fromRgbF(
        fore.redF() * a + back.redF() * (1 - a),
        fore.greenF() * a + back.greenF() * (1 - a),
        fore.blueF() * a + back.blueF() * (1 - a),
    )


# Chosen and checked against WCAG for a light and for a dark platform palette.
_LIGHT_FIXES = {
    Role.Highlight: "#1d5e9b",  # white on it 6.7:1 (Fusion's #308cc6 was 3.69:1)
    Role.HighlightedText: "#ffffff",
    Role.Link: "#0b57b0",
    Role.LinkVisited: "#6a2c91",  # Fusion's magenta was 3.1:1
}
_DARK_FIXES = {
    Role.Highlight: "#8cc4ff",
    Role.HighlightedText: "#000000",
    Role.Link: "#8cc4ff",
    Role.LinkVisited: "#d7aefb",
}
_DISABLED_HIGHLIGHT = {"light": "#666666", "dark": "#a8a8a8"}
_SOFTENED = (  # (role, its background) softened for disabled text
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.ButtonText, Role.Button),
)


def default_palette(platform: QPalette) -> QPalette:
    """The platform's palette with readable placeholders, selected rows, links and
    disabled text, whether the platform's palette is light or dark."""
    palette = QPalette(platform)
    dark = platform.color(Group.Active, Role.Base).lightnessF() < 0.5
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        text = platform.color(Group.Active, Role.Text)
        base = platform.color(group, Role.Base)
        palette.setColor(group, Role.PlaceholderText, _mixed(text, base, 0.65))
        for role, colour in (_DARK_FIXES if dark else _LIGHT_FIXES).items():
            palette.setColor(group, role, QColor(colour))
    palette.setColor(
        Group.Disabled, Role.Highlight, QColor(_DISABLED_HIGHLIGHT["dark" if dark else "light"])
    )
    palette.setColor(Group.Disabled, Role.HighlightedText, QColor("#000000" if dark else "#ffffff"))
    for role, back in _SOFTENED:
        enabled = platform.color(Group.Active, role)
        palette.setColor(
            Group.Disabled, role, _mixed(enabled, platform.color(Group.Disabled, back), 0.6)
        )
    return palette


_ERROR_TEXT = {"light": "#a4000f", "dark": "#ffb3b3"}  # 7.1:1 on #efefef; 7.2:1 on #353535


def error_text_colour(palette: QPalette) -> QColor:
    """The red of error messages for text on `palette`'s window: a dark red on a light
    window, a light one on a dark window (and on the high-contrast theme's black)."""
    dark = palette.color(Role.Window).lightnessF() < 0.5
    return QColor(_ERROR_TEXT["dark" if dark else "light"])


# White on black, with yellow links and a cyan selection, as desktop high-contrast themes do.
_HIGH_CONTRAST = {
    Role.Window: "#000000",
    Role.WindowText: "#ffffff",
    Role.Base: "#000000",
    Role.AlternateBase: "#1a1a1a",
    Role.Text: "#ffffff",
    Role.PlaceholderText: "#c8c8c8",
    Role.Button: "#000000",
    Role.ButtonText: "#ffffff",
    Role.BrightText: "#ffff00",
    Role.Highlight: "#1aebff",
    Role.HighlightedText: "#000000",
    Role.Link: "#ffff00",
    Role.LinkVisited: "#ffb0ff",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#000000",
    # Frames and bevels: light edges so controls stand out from the black.
    Role.Light: "#ffffff",
    Role.Midlight: "#d0d0d0",
    Role.Mid: "#a0a0a0",
    Role.Dark: "#c0c0c0",
    Role.Shadow: "#ffffff",
}
_HIGH_CONTRAST_DISABLED = {
    Role.WindowText: "#a6a6a6",
    Role.Text: "#a6a6a6",
    Role.ButtonText: "#a6a6a6",
    Role.PlaceholderText: "#a6a6a6",
    Role.Highlight: "#a6a6a6",
    Role.HighlightedText: "#000000",
}


def high_contrast_palette() -> QPalette:
    """White text on black throughout, every text pair 7:1 or more (the tests check)."""
    palette = QPalette()
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        for role, colour in _HIGH_CONTRAST.items():
            palette.setColor(group, role, QColor(colour))
    for role, colour in _HIGH_CONTRAST_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def start_display(app: QApplication, settings_file: Path) -> DisplayPreferences:
    """Apply this machine's choices as the app starts, before its first window, and note
    the file they came from: the settings page saves there even after the demo's folder
    has become the app's home, so the choice is the machine's, not the workspace's."""
    app.setProperty(_SETTINGS_FILE, str(settings_file))
    try:
        prefs = load_display_preferences(Settings(settings_file))
    except SettingsError as exc:
        log.warning("display settings unreadable, so the defaults are used: %s", exc)
        prefs = DisplayPreferences()
    apply_display(app, prefs)
    return prefs


def display_settings_file() -> Path:
    """Where this machine's display choices are kept (see start_display)."""
    app = QApplication.instance()
    noted = app.property(_SETTINGS_FILE) if app is not None else None
    return Path(noted) if noted else Paths.for_this_machine().settings_file
