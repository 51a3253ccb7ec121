"""PlaybackClock against a real picture from libvlc and the clip's real fingerprints: on a
busy machine libvlc's pictures arrive late, so the picture named can trail what the clock
has already shown, and the position the timeline gets must still never go back."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from bwv_review.media.fingerprints import FrameFingerprints
from bwv_review.media.playback_clock import PlaybackClock
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.clipgen import read_frame_index
from tests.media.fixtures import open_clip

_CLOCK_AHEAD_MS = 80  # two frames at 25 fps: what a late picture left the clock ahead by


def test_a_picture_behind_the_clock_holds_the_position_instead_of_stepping_back(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=4000)
    image = surface.latest_image()
    assert image is not None and read_frame_index(image) == 100
    probe = player.probe
    assert probe is not None
    fingerprints = FrameFingerprints(probe)
    try:
        fingerprints.focus(100)
        qtbot.waitUntil(lambda: fingerprints.ready(70, 132), timeout=10_000)
        clock = PlaybackClock()
        clock.anchor(probe.ms_of_frame(100) + _CLOCK_AHEAD_MS)
        shown_ms = clock.interpolated_ms(probe.duration_ms)
        clock.shown_ms = shown_ms  # as the player's tick does when it emits a position
        before_anchor = time.monotonic()
        clock.anchor_on_picture(fingerprints, surface, probe.frame_at_ms(shown_ms))
        assert clock.interpolated_ms(probe.duration_ms) >= shown_ms
        time.sleep(0.2)
        # The clock runs from the picture (frame 100 at 4000 ms), not from where it was.
        elapsed_ms = int((time.monotonic() - before_anchor) * 1000)
        position_ms = clock.interpolated_ms(probe.duration_ms)
        assert shown_ms <= position_ms <= probe.ms_of_frame(100) + elapsed_ms
    finally:
        fingerprints.close()
