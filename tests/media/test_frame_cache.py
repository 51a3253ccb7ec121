"""The decoded-frame cache on long-GOP 1080p, with the real libvlc: steps and jumps served
from the cache show exactly the frame asked for (read from the picture painted, via the
test pattern, never from the player), the cache keeps within its bound, and a step back
is served without libvlc decoding from the keyframe before it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from bwv_review.ingest.probe import probe_video
from bwv_review.media.frame_cache import FrameCache
from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.clipgen import read_frame_index
from tests.media.fixtures import LONG_GOP_SPECS, TEST_VLC_ARGS, long_gop_paths, open_clip
from tests.media.seeks_on_screen import shown_frame

__all__ = ["long_gop_paths"]
_MOVES_PER_CLIP = 30
_JUMP_MS = 5000


@pytest.fixture
def hd_surface(qtbot: QtBot) -> CallbackSurface:
    widget = CallbackSurface()
    widget.resize(640, 360)
    qtbot.addWidget(widget)
    return widget


def make_player(surface: CallbackSurface, cache_mb: int) -> VlcPlayer:
    return VlcPlayer(surface, vlc_args=TEST_VLC_ARGS, frame_cache_mb=cache_mb, jump_ms=_JUMP_MS)


@pytest.fixture
def hd_player(hd_surface: CallbackSurface) -> Iterator[VlcPlayer]:
    player = make_player(hd_surface, 64)
    yield player
    player.close()


def settle(qtbot: QtBot, player: VlcPlayer, move: object) -> None:
    """Make the move and wait until its frame is verified (a move onto the frame already
    shown, a step at either end, answers with frameSettled alone)."""
    with qtbot.waitSignal(player.frameSettled, timeout=20_000):
        move() if callable(move) else player.seek_frame(int(str(move)))
    qtbot.waitUntil(lambda: not player.busy and not player.verifying, timeout=20_000)


def cache_of(player: VlcPlayer) -> FrameCache:
    cache = player.frame_cache
    assert cache is not None
    return cache


def on_screen(player: VlcPlayer) -> int:
    probe = player.probe
    assert probe is not None
    return shown_frame(player.surface, probe.width, probe.height)


def test_each_cached_frame_is_the_decoded_frame_of_its_index(
    qtbot: QtBot, long_gop_paths: dict[str, Path]
) -> None:
    probe = probe_video(long_gop_paths["720p2997"])
    cache = FrameCache(probe, 16, _JUMP_MS)
    try:
        cache.focus(270)  # 270 frames after the clip's only keyframe before it
        qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
        frame_bytes = probe.width * probe.height * 3 // 2
        kept = [i for i in range(probe.frame_count) if cache.has(i)]
        # The bound decides how many: the paused frame, then the likeliest next ones.
        assert len(kept) == 16 * 1024 * 1024 // frame_bytes
        assert {270, 269, 271} <= set(kept)
        assert cache.size_bytes <= 16 * 1024 * 1024
        for index in kept:
            picture = cache.picture(index, 640, 360)
            assert picture is not None
            image = QImage(picture.data, 640, 360, 640 * 4, QImage.Format.Format_RGB32)
            assert read_frame_index(image) == index
        cache.focus(100)  # elsewhere: what is no longer wanted makes way
        qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
        assert cache.has(100) and not cache.has(270)
        assert cache.size_bytes <= 16 * 1024 * 1024
        last = probe.frame_count - 1
        cache.focus(last - 10)  # a jump ahead from here lands on the last frame
        qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
        assert cache.has(last)
    finally:
        cache.close()


def test_a_step_back_on_long_gop_1080p_is_served_from_the_cache(
    qtbot: QtBot, hd_player: VlcPlayer, long_gop_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, hd_player, long_gop_paths["1080p25"])
    settle(qtbot, hd_player, 280)  # 30 frames after the keyframe at 250
    cache = cache_of(hd_player)
    qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
    hits, decoded = cache.hits, cache.decoded_frames
    settle(qtbot, hd_player, hd_player.step_backward)
    frame = hd_player.frame
    assert frame is not None and frame.frame_index == 279 and frame.exact
    assert on_screen(hd_player) == 279
    assert cache.hits == hits + 1  # shown from the cache, not decoded from frame 250 again
    assert cache.decoded_frames == decoded or not cache.idle  # only refilling behind it


def test_play_after_a_frame_from_the_cache_goes_on_from_it_without_reopening(
    qtbot: QtBot, hd_player: VlcPlayer, hd_surface: CallbackSurface, long_gop_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, hd_player, long_gop_paths["1080p25"])
    settle(qtbot, hd_player, 200)
    cache = cache_of(hd_player)
    qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
    hits = cache.hits
    settle(qtbot, hd_player, hd_player.step_backward)
    assert cache.hits == hits + 1 and on_screen(hd_player) == 199
    # libvlc is sent to the frame behind the still once the reviewer stops moving.
    qtbot.waitUntil(lambda: hd_player._positioning.libvlc_near_still, timeout=5000)
    states: list[PlaybackState] = []
    hd_player.stateChanged.connect(states.append)
    with qtbot.waitSignal(hd_player.stateChanged, timeout=10_000):
        hd_player.play()
    qtbot.waitUntil(lambda: on_screen(hd_player) > 199, timeout=10_000)
    assert 195 <= on_screen(hd_player) < 199 + 50  # on from the frame, not from elsewhere
    hd_player.pause()
    assert states[0] is PlaybackState.PLAYING  # not OPENING: the media was not reopened


def test_a_catch_up_still_pending_is_dropped_with_its_clip(
    qtbot: QtBot, hd_player: VlcPlayer, long_gop_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, hd_player, long_gop_paths["1080p25"])
    settle(qtbot, hd_player, 200)
    cache = cache_of(hd_player)
    qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
    with qtbot.waitSignal(hd_player.frameSettled, timeout=20_000):
        hd_player.step_backward()  # from the cache: libvlc is to catch up 400 ms later
    hd_player.stop()
    # Otherwise libvlc would be sent to this clip's frame 199 while the next one opens.
    assert not hd_player._positioning._catch_up.isActive()


@pytest.mark.parametrize("name", ["1080p25", "1080p2997"])
def test_steps_and_jumps_served_from_the_cache_are_exact_and_within_its_bound(
    qtbot: QtBot, hd_surface: CallbackSurface, long_gop_paths: dict[str, Path], name: str
) -> None:
    budget_mb = 24  # a small bound, so eviction is exercised
    player = make_player(hd_surface, budget_mb)
    try:
        open_clip(qtbot, player, long_gop_paths[name])
        frame_count = LONG_GOP_SPECS[name].frame_count
        settle(qtbot, player, frame_count // 2)
        cache = cache_of(player)
        rng = random.Random(name)
        moves = {
            "back": player.step_backward,
            "forward": player.step_forward,
            "jump back": lambda: player.jump_ms(-_JUMP_MS),
            "jump ahead": lambda: player.jump_ms(_JUMP_MS),
        }
        served, wrong = 0, []
        for _ in range(_MOVES_PER_CLIP):
            qtbot.waitUntil(lambda: cache.idle, timeout=20_000)
            before = player.frame
            assert before is not None
            kind = rng.choice(sorted(moves))
            probe = player.probe
            assert probe is not None
            if kind.startswith("jump"):
                sign = -1 if kind == "jump back" else 1
                position_ms = probe.ms_of_frame(before.frame_index) + sign * _JUMP_MS
                requested = probe.frame_at_ms(min(max(position_ms, 0), probe.duration_ms))
            else:
                requested = before.frame_index + (1 if kind == "forward" else -1)
                requested = min(max(requested, 0), frame_count - 1)
            hits = cache.hits
            settle(qtbot, player, moves[kind])
            served += cache.hits > hits
            frame, shown = player.frame, on_screen(player)
            assert frame is not None
            if not (frame.exact and frame.frame_index == requested == shown):
                wrong.append((kind, requested, frame, shown))
            assert cache.size_bytes <= budget_mb * 1024 * 1024
        assert wrong == []
        # Forward steps from libvlc's own picture are a next_frame() and need no cache.
        assert served >= _MOVES_PER_CLIP // 2
    finally:
        player.close()
