"""Clip measurement: streamed SHA-256 with progress and cancel, and the probe's facts."""

from __future__ import annotations

import hashlib
import os
from fractions import Fraction
from pathlib import Path

import pytest

from bwv_review.ingest.clips import (
    ClipUnreadable,
    HashCancelled,
    measure_clip,
    sha256_file,
)
from tests.support.video import make_video


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("clips") / "a.mp4", tag="a", seconds=2)


def test_hash_matches_hashlib_across_chunks(tmp_path: Path) -> None:
    data = os.urandom(1_000_003)
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []
    digest = sha256_file(path, chunk_bytes=65_536, progress=lambda d, t: seen.append((d, t)))
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.size_bytes == len(data) and digest.mtime_ns == path.stat().st_mtime_ns
    assert len(seen) == 16 and seen[-1] == (len(data), len(data))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_progress_spans_several_files(tmp_path: Path) -> None:
    path = tmp_path / "b.bin"
    path.write_bytes(b"x" * 10)
    seen: list[tuple[int, int]] = []
    sha256_file(path, progress=lambda d, t: seen.append((d, t)), done_before_bytes=90,
                total_bytes=100)  # fmt: skip
    assert seen == [(100, 100)]


def test_cancel_stops_between_chunks(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    path.write_bytes(b"y" * 300_000)
    chunks: list[int] = []
    with pytest.raises(HashCancelled):
        sha256_file(
            path,
            chunk_bytes=100_000,
            progress=lambda done, _total: chunks.append(done),
            cancel=lambda: len(chunks) >= 2,
        )
    assert chunks == [100_000, 200_000]


def test_a_file_written_while_hashing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "growing.bin"
    path.write_bytes(b"z" * 200_000)

    def append(_done: int, _total: int) -> None:
        with path.open("ab") as handle:
            handle.write(b"more")

    with pytest.raises(ClipUnreadable, match="changed while it was being hashed"):
        sha256_file(path, chunk_bytes=100_000, progress=append)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ClipUnreadable, match="cannot read"):
        sha256_file(tmp_path / "nope.mp4")


def test_measure_clip_reports_the_probe(video: Path) -> None:
    facts = measure_clip(video)
    assert facts.digest.sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    assert facts.codec == "h264"
    assert (facts.width_px, facts.height_px) == (160, 120)
    assert facts.fps == Fraction(25) and not facts.variable_frame_rate
    assert facts.frame_count == 50 and facts.duration_ms == 2000
    assert facts.keyframe_indices == (0, 25)


def test_a_file_that_is_not_video_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    with pytest.raises(ClipUnreadable, match="not a readable video"):
        measure_clip(path)


def test_a_truncated_copy_is_refused(video: Path, tmp_path: Path) -> None:
    data = video.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ClipUnreadable):
        measure_clip(cut)
