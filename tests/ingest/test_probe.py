"""The PyAV frame table: exact frame times, keyframes, rate and VFR detection, clear errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwv_review.ingest.probe import ProbeError, VideoProbe, probe_video
from tests.media.clipgen import ClipSpec, make_clip


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("probe_clips")
    specs = [
        ClipSpec("p25", Fraction(25), 160, gop_seconds=2),
        ClipSpec("p2997", Fraction(30000, 1001), 150, gop_seconds=2),
        ClipSpec("pvfr", Fraction(30), 120, gop_seconds=2, vfr_slow_after=60),
    ]
    return {spec.name: make_clip(spec, folder) for spec in specs}


def test_constant_rate_clip_lists_every_frame(clips: dict[str, Path]) -> None:
    probe = probe_video(clips["p25"])
    assert probe.codec == "h264"
    assert (probe.width, probe.height) == (320, 240)
    assert probe.fps == Fraction(25)
    assert probe.frame_count == 160
    assert probe.frame_times_ms[:3] == (0, 40, 80)
    assert probe.duration_ms == 6400
    assert probe.keyframe_indices == (0, 50, 100, 150)
    assert not probe.variable_frame_rate
    assert not probe.truncated
    assert probe.index_of_pts(probe.first_pts + 2 * 512) == 2  # 12800 ticks/s, 512 per frame
    assert probe.index_of_pts(probe.first_pts + 100) is None


def test_ntsc_rate_is_kept_as_a_fraction_and_times_round_to_ms(clips: dict[str, Path]) -> None:
    probe = probe_video(clips["p2997"])
    assert probe.fps == Fraction(30000, 1001)
    assert probe.frame_count == 150
    assert probe.ms_of_frame(1) == 33 and probe.ms_of_frame(3) == 100
    assert probe.ms_of_frame(149) == round(149 * 1001 / 30)
    assert not probe.variable_frame_rate
    assert probe.keyframe_at_or_before(100) == 59  # gop = int(2 s * 29.97)


def test_variable_rate_clip_is_detected(clips: dict[str, Path]) -> None:
    probe = probe_video(clips["pvfr"])
    assert probe.variable_frame_rate
    assert probe.frame_count == 120
    assert probe.ms_of_frame(60) == 2000
    assert probe.ms_of_frame(61) == 2067  # frames after 60 last twice as long


def test_frame_at_ms_is_the_frame_on_screen(clips: dict[str, Path]) -> None:
    probe = probe_video(clips["p25"])
    assert probe.frame_at_ms(0) == 0
    assert probe.frame_at_ms(39) == 0
    assert probe.frame_at_ms(40) == 1
    assert probe.frame_at_ms(-5) == 0
    assert probe.frame_at_ms(10**9) == 159


@given(st.lists(st.integers(1, 80), min_size=1, max_size=60))
def test_ms_and_frame_index_round_trip(lengths_ms: list[int]) -> None:
    times = [0]
    for length in lengths_ms[:-1]:
        times.append(times[-1] + length)
    probe = VideoProbe(
        Path("x"),
        "h264",
        1,
        1,
        None,
        tuple(times),
        (0,),
        times[-1] + 40,
        True,
        Fraction(1, 1000),
        0,
    )
    for index in range(probe.frame_count):
        assert probe.frame_at_ms(probe.ms_of_frame(index)) == index


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "not found"), (b"", "empty"), (b"this is a text file, not a video\n" * 20, "not")],
)
def test_unreadable_files_raise_a_clear_error(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "clip.mp4"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ProbeError, match=reason):
        probe_video(path)


def test_truncated_file_is_flagged(clips: dict[str, Path], tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(clips["p25"].read_bytes()[:20_000])
    probe = probe_video(truncated)  # the header comes first (faststart), frames are cut
    assert probe.truncated
    assert probe.declared_frame_count == 160
    assert 0 < probe.frame_count < 160
