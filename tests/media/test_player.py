"""VlcPlayer with the real libvlc on generated clips: the frame shown is read from the
picture itself (the test pattern), never taken from the player's own account."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.ingest.probe import probe_video
from bwv_review.media.frame_position import FramePosition
from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.clipgen import read_frame_index
from tests.media.fixtures import CLIP_SPECS, open_clip


def shown(surface: CallbackSurface) -> int:
    image = surface.latest_image()
    assert image is not None, "no picture on the surface"
    return read_frame_index(image)


def settle(qtbot: QtBot, player: VlcPlayer, action, timeout_ms: int = 10_000) -> FramePosition:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(player.frameSettled, timeout=timeout_ms) as blocker:
        action()
    position = blocker.args[0]
    assert isinstance(position, FramePosition)
    return position


def assert_honest(surface: CallbackSurface, position: FramePosition, requested: int) -> None:
    """The frame on screen is the one asked for, or the report says how far off it may be."""
    actual = shown(surface)
    if position.exact:
        assert actual == position.frame_index == requested
    else:
        assert abs(actual - position.frame_index) <= position.uncertainty_frames


def test_load_shows_the_first_frame_exactly(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    with qtbot.waitSignal(player.durationChanged) as duration:
        open_clip(qtbot, player, clip_paths["cfr25"])
    assert duration.args == [25_000]
    assert player.frame == FramePosition(0, 0, 0)
    assert shown(surface) == 0
    assert player.probe is not None and player.probe.frame_count == 625


def test_load_at_a_remembered_position(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=12_345)
    assert player.frame is not None and player.frame.frame_index == 308  # 12.32 s at 25 fps
    assert shown(surface) == 308


@pytest.mark.parametrize("clip", list(CLIP_SPECS))
def test_paused_seeks_show_the_requested_frame(
    qtbot: QtBot,
    player: VlcPlayer,
    surface: CallbackSurface,
    clip_paths: dict[str, Path],
    clip: str,
) -> None:
    open_clip(qtbot, player, clip_paths[clip])
    frame_count = CLIP_SPECS[clip].frame_count
    rng = random.Random(clip)
    # Random frames, both ends, and the neighbours of a keyframe.
    targets = [rng.randrange(frame_count) for _ in range(20)] + [frame_count - 1, 0, 149, 150]
    exact = 0
    for target in targets:
        position = settle(qtbot, player, lambda t=target: player.seek_frame(t))
        assert_honest(surface, position, target)
        exact += position.exact
    if not CLIP_SPECS[clip].vfr_slow_after:
        assert exact == len(targets)


def test_frame_steps_move_exactly_one_frame(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr2997"], start_ms=10_000)
    start = shown(surface)
    for step in range(1, 13):
        position = settle(qtbot, player, player.step_forward)
        assert position == FramePosition(start + step, position.position_ms, 0)
        assert shown(surface) == start + step
    for step in range(1, 6):
        position = settle(qtbot, player, player.step_backward)
        assert position.exact and shown(surface) == start + 12 - step


def test_play_advances_and_pause_names_the_frame_on_screen(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"])
    positions: list[int] = []
    player.positionChanged.connect(positions.append)
    with qtbot.waitSignal(
        player.stateChanged, check_params_cb=lambda s: s is PlaybackState.PLAYING
    ):
        player.play()
    # libvlc's Playing event can reach the player after the first pictures on a busy
    # machine, so wait for a position as well as the pictures.
    qtbot.waitUntil(lambda: shown(surface) > 25 and bool(positions), timeout=5000)
    assert positions == sorted(positions) and positions[-1] > 0
    # The first frameSettled after a pause while playing is provisional (a late picture may
    # still replace it; docs/media.md), so the position a stamp takes is the verified one.
    with qtbot.waitSignal(player.frameVerified, timeout=10_000) as verified:
        player.pause()
    position = verified.args[0]
    assert isinstance(position, FramePosition)
    assert player.state is PlaybackState.PAUSED
    assert_honest(surface, position, shown(surface))
    assert position.exact


def test_seek_while_playing_lands_near_the_target(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"])
    player.play()
    qtbot.waitUntil(lambda: player.state is PlaybackState.PLAYING, timeout=5000)
    player.seek_ms(16_000)
    qtbot.waitUntil(lambda: 395 <= shown(surface) <= 440, timeout=5000)
    assert 15_900 <= player.position_ms <= 17_500


def test_changing_speed_while_playing_keeps_the_picture_moving(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"])
    player.play()
    qtbot.waitUntil(lambda: shown(surface) > 10, timeout=5000)
    for rate in (2.0, 0.25, 1.5):
        with qtbot.waitSignal(player.rateChanged) as changed:
            player.set_rate(rate)
        assert changed.args == [rate]
        before = shown(surface)
        qtbot.waitUntil(lambda b=before: shown(surface) >= b + 3, timeout=5000)
    assert player.rate == 1.5


def test_end_reached_then_play_starts_again(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=24_000)
    with qtbot.waitSignal(player.endReached, timeout=10_000):
        player.play()
    assert player.state is PlaybackState.ENDED
    assert shown(surface) >= 615
    player.play()
    qtbot.waitUntil(lambda: player.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: 5 < shown(surface) < 200, timeout=5000)


def test_seek_after_the_end_is_still_exact(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=24_500)
    with qtbot.waitSignal(player.endReached, timeout=10_000):
        player.play()
    position = settle(qtbot, player, lambda: player.seek_frame(100))
    assert position.exact and shown(surface) == 100


def test_ab_loop_keeps_playback_between_a_and_b(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=4000)
    player.set_ab_loop((4000, 5000))
    positions: list[int] = []
    player.positionChanged.connect(positions.append)
    player.play()
    qtbot.waitUntil(lambda: len(positions) > 60, timeout=10_000)  # > 2 loops of 1 s
    assert max(positions) <= 5100
    assert min(positions[5:]) >= 3900
    with pytest.raises(ValueError):
        player.set_ab_loop((5000, 4000))


def test_switching_clips_opens_each_at_its_own_position(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=8000)
    assert shown(surface) == 200
    open_clip(qtbot, player, clip_paths["cfr2997"], start_ms=3003)
    assert shown(surface) == 90 and player.probe is not None
    assert player.probe.path == clip_paths["cfr2997"]
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=8000)
    assert shown(surface) == 200


def test_volume_and_mute_are_reported(qtbot: QtBot, player: VlcPlayer) -> None:
    with qtbot.waitSignal(player.volumeChanged) as changed:
        player.set_volume(140)
    assert changed.args == [100, False]
    with qtbot.waitSignal(player.volumeChanged) as changed:
        player.set_muted(True)
    assert changed.args == [100, True] and player.muted


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("missing", "file not found"),
        ("empty", "empty"),
        ("text", "not a readable video"),
        ("truncated", "incomplete or damaged"),
    ],
)
def test_broken_files_give_a_clear_error(
    qtbot: QtBot,
    player: VlcPlayer,
    surface: CallbackSurface,
    clip_paths: dict[str, Path],
    tmp_path: Path,
    kind: str,
    reason: str,
) -> None:
    path = tmp_path / f"{kind}.mp4"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("Officer notes, not a video.\n" * 50)
    elif kind == "truncated":
        path.write_bytes(clip_paths["cfr25"].read_bytes()[:150_000])
    with qtbot.waitSignal(player.errorOccurred, timeout=5000) as error:
        player.load(path)
    assert reason in error.args[0] and path.name in error.args[0]
    assert player.state is PlaybackState.ERROR
    assert surface.latest_picture() is None
    # The player stays usable after the error.
    open_clip(qtbot, player, clip_paths["cfr25"])


def test_load_uses_the_frame_table_made_at_registration(
    qtbot: QtBot,
    player: VlcPlayer,
    surface: CallbackSurface,
    clip_paths: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registered = probe_video(clip_paths["cfr2997"])

    def no_second_read(path: Path) -> None:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr("bwv_review.media.player.probe_video", no_second_read)
    with qtbot.waitSignal(player.frameSettled, timeout=10_000):
        player.load(clip_paths["cfr2997"], 5005, probe=registered)
    assert shown(surface) == 150


def test_asking_for_the_frame_already_shown_still_answers(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr25"], start_ms=4000)
    player.seek_frame(100)  # the answer must come after the caller starts listening
    with qtbot.waitSignal(player.frameSettled, timeout=2000) as settled:
        pass
    assert settled.args[0] == FramePosition(100, 4000, 0)


def test_the_playing_clock_follows_the_picture(
    qtbot: QtBot, player: VlcPlayer, surface: CallbackSurface, clip_paths: dict[str, Path]
) -> None:
    open_clip(qtbot, player, clip_paths["cfr2997"])
    probe = player.probe
    assert probe is not None
    player.play()
    qtbot.waitUntil(lambda: shown(surface) > 30, timeout=5000)
    gaps_ms: list[int] = []

    def sample() -> bool:
        gaps_ms.append(player.position_ms - probe.ms_of_frame(shown(surface)))
        return len(gaps_ms) >= 25

    qtbot.waitUntil(sample, timeout=10_000)
    assert max(abs(gap) for gap in gaps_ms) <= 120, gaps_ms
