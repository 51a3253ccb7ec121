"""Tests that change the application's font, palette or motion put them back afterwards:
the QApplication lives for the whole test run, and the next test must see the platform's
look, not a 200% font or the high-contrast theme."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from bwv_review.ui import display


@contextmanager
def display_restored(app: QApplication) -> Iterator[QApplication]:
    font, palette, style = QFont(app.font()), QPalette(app.palette()), app.style().name()
    effects = [app.isEffectEnabled(effect) for effect in display.EFFECTS]
    noted = {name: app.property(name) for name in display.APP_PROPERTIES}
    try:
        yield app
    finally:
        if app.style().name() != style:  # the high-contrast theme's outlines
            app.setStyle(style)
        app.setFont(font)
        app.setPalette(palette)
        for effect, was_on in zip(display.EFFECTS, effects, strict=True):
            app.setEffectEnabled(effect, was_on)
        for name, value in noted.items():
            app.setProperty(name, value)
