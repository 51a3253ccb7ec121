"""Which surface `auto` picks, the callback buffer size, and the watermark on each."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from bwv_review.media.surfaces import (
    CallbackSurface,
    NativeSurface,
    SurfaceKind,
    callback_size,
    choose_surface,
)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("auto", SurfaceKind.CALLBACK),
        ("native", SurfaceKind.NATIVE),
        ("callback", SurfaceKind.CALLBACK),
    ],
)
def test_auto_picks_the_callback_surface_where_frames_are_named_exactly(
    setting: str, expected: SurfaceKind
) -> None:
    assert choose_surface(setting) is expected


def test_large_pictures_are_scaled_down_for_the_callback_buffer() -> None:
    assert callback_size(3840, 2160) == (1920, 1080)
    assert callback_size(1280, 720) == (1280, 720)
    assert callback_size(721, 481) == (720, 480)


def test_callback_watermark_is_painted_over_the_picture(qtbot: QtBot) -> None:
    surface = CallbackSurface()
    surface.resize(480, 270)
    qtbot.addWidget(surface)
    blank = surface.grab().toImage()
    surface.set_watermark("Member B")
    marked = surface.grab().toImage()
    assert surface.watermark() == "Member B"
    corner = [(x, y) for x in range(240, 470, 3) for y in range(200, 262, 3)]
    assert all(blank.pixelColor(x, y) == QColor("black") for x, y in corner)
    assert any(marked.pixelColor(x, y) != QColor("black") for x, y in corner)


def test_native_marquee_keeps_percent_signs_literal(qtbot: QtBot) -> None:
    surface = NativeSurface()
    qtbot.addWidget(surface)
    surface.set_watermark("Member 100%")
    assert surface.marquee_text().startswith("Member 100%%  %Y-%m-%d")
