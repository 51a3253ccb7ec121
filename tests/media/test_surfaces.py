"""Which surface `auto` picks, the callback buffer size, the watermark on each, and which
clip a callback picture belongs to."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import (
    CallbackSurface,
    NativeSurface,
    SurfaceKind,
    callback_size,
    choose_surface,
)
from tests.media.fixtures import open_clip


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


def test_a_picture_queued_while_the_clip_before_stops_is_not_the_next_clips(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    """libvlc redisplays a paused picture every ~60 ms; one delivered as stop() joins its
    threads was announced after the next load, so the player paused the new clip before
    libvlc had put out any of its pictures (a load straight after a stop then took ~2 s)."""
    open_clip(qtbot, player, clip_paths["cfr25"])
    before = surface.pictures_displayed
    deadline = time.monotonic() + 5
    while surface.pictures_displayed == before:  # no event loop: its signal stays queued
        assert time.monotonic() < deadline, "libvlc redisplayed no paused picture"
        time.sleep(0.002)
    player.stop()
    player.load(clip_paths["vfr"])
    at_load = surface.pictures_displayed
    announced: list[int] = []
    paused: list[int] = []
    surface.frameDisplayed.connect(lambda: announced.append(surface.pictures_displayed))
    player.stateChanged.connect(
        lambda state: (
            paused.append(surface.pictures_displayed) if state is PlaybackState.PAUSED else None
        )
    )
    with qtbot.waitSignal(player.frameSettled, timeout=10_000) as settled:
        pass
    assert announced[0] > at_load, "a picture of the clip before was announced"
    assert paused[0] > at_load, "the new clip was paused before its first picture"
    assert settled.args[0].frame_index == 0 and settled.args[0].exact
