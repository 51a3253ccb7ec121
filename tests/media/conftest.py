"""Clips with the frame index in the picture, made once per test session, and a player on
the callback surface (the only surface that works offscreen) with audio sent nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.media.player import PlaybackState, VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.clipgen import ClipSpec, make_clip

# 25 fps and 29.97 fps constant rate, and a variable-rate clip (30 fps, then 15 fps).
CLIP_SPECS = {
    "cfr25": ClipSpec("cfr25", Fraction(25), 625, gop_seconds=6),
    "cfr2997": ClipSpec("cfr2997", Fraction(30000, 1001), 720, gop_seconds=6),
    "vfr": ClipSpec("vfr", Fraction(30), 480, gop_seconds=5, vfr_slow_after=240),
}
TEST_VLC_ARGS = ("--aout=dummy",)  # a headless box has no sound server to talk to


@pytest.fixture(scope="session")
def clip_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {name: make_clip(spec, folder) for name, spec in CLIP_SPECS.items()}


@pytest.fixture
def surface(qtbot: QtBot) -> CallbackSurface:
    widget = CallbackSurface()
    widget.resize(320, 240)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def player(surface: CallbackSurface) -> Iterator[VlcPlayer]:
    vlc_player = VlcPlayer(surface, vlc_args=TEST_VLC_ARGS)
    yield vlc_player
    vlc_player.close()


def open_clip(qtbot: QtBot, player: VlcPlayer, path: Path, start_ms: int = 0) -> None:
    """Load and wait until the first picture is recognised (paused, settled)."""
    with qtbot.waitSignal(player.frameSettled, timeout=10_000):
        player.load(path, start_ms)
    assert player.state is PlaybackState.PAUSED
