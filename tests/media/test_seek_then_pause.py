"""Seek while playing 1080p, then pause before the new picture is out (issue 14, defect 2).

The pause can come while libvlc still shows the picture from before the seek, or the
seek's picture can arrive after the pause was named. Either way the position reported must
be the picture on screen (read from the clip's own pattern), or say how far off it may be.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.fixtures import LONG_GOP_SPECS, long_gop_paths, open_clip
from tests.media.test_player import settle, shown

__all__ = ["long_gop_paths"]


@pytest.mark.parametrize("pause_after_ms", [0, 30, 60, 100, 160])
def test_a_pause_just_after_a_playing_seek_reports_the_picture_on_screen(
    qtbot: QtBot,
    player: VlcPlayer,
    surface: CallbackSurface,
    long_gop_paths: dict[str, Path],
    pause_after_ms: int,
) -> None:
    spec = LONG_GOP_SPECS["1080p25"]
    open_clip(qtbot, player, long_gop_paths["1080p25"], start_ms=1000)
    player.play()
    qtbot.waitUntil(lambda: player.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.wait(800)
    target = spec.frame_count - 40  # another GOP, 250 frames on
    player.seek_frame(target)
    qtbot.wait(pause_after_ms)
    reported = settle(qtbot, player, player.pause, timeout_ms=15_000)
    qtbot.wait(1500)  # any picture still on its way is out by now
    for position in (reported, player.frame):
        assert position is not None
        actual = shown(surface)
        assert abs(actual - position.frame_index) <= position.uncertainty_frames, (
            f"reported {position} while frame {actual} is on screen"
        )
