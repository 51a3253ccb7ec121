"""Clips with the frame index in the picture, made once per test session, shared by the
media and ui player tests (import the fixture by name; pytest_plugins would register the
media conftest twice)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from tests.media.clipgen import ClipSpec, make_clip

# 25 fps and 29.97 fps constant rate, and a variable-rate clip (30 fps, then 15 fps).
CLIP_SPECS = {
    "cfr25": ClipSpec("cfr25", Fraction(25), 625, gop_seconds=6),
    "cfr2997": ClipSpec("cfr2997", Fraction(30000, 1001), 720, gop_seconds=6),
    "vfr": ClipSpec("vfr", Fraction(30), 480, gop_seconds=5, vfr_slow_after=240),
}
# Long GOP (-g 250 / 300, ten seconds) with two B-frames at 720p and 1080p, as body-worn
# cameras export: seeks here decode up to a whole GOP, and 1080p pictures take their time.
LONG_GOP_SPECS = {
    f"{height}p{name}": ClipSpec(
        f"{height}p{name}",
        fps,
        330,
        width=height * 16 // 9,
        height=height,
        b_frames=2,
        gop_frames=gop,
    )
    for height in (720, 1080)
    for name, fps, gop in (("25", Fraction(25), 250), ("2997", Fraction(30000, 1001), 300))
}
TEST_VLC_ARGS = ("--aout=dummy",)  # a headless box has no sound server to talk to


@pytest.fixture(scope="session")
def clip_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {name: make_clip(spec, folder) for name, spec in CLIP_SPECS.items()}


@pytest.fixture(scope="session")
def long_gop_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("long_gop")
    return {name: make_clip(spec, folder) for name, spec in LONG_GOP_SPECS.items()}


def open_clip(qtbot: QtBot, player: VlcPlayer, path: Path, start_ms: int = 0) -> None:
    """Load and wait until the first picture is recognised (paused, settled)."""
    with qtbot.waitSignal(player.frameSettled, timeout=10_000):
        player.load(path, start_ms)
    assert player.state is PlaybackState.PAUSED
