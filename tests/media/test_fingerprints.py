"""Recognising a picture among PyAV-decoded frames, without libvlc: the same picture is
named exactly, a still scene is reported as uncertain, a foreign picture as unknown."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from bwv_review.ingest.probe import probe_video
from bwv_review.media.fingerprints import (
    FrameFingerprints,
    bgra_thumbnail,
    decode_frame_bgra,
    luma_thumbnail,
)
from tests.media.clipgen import read_frame_index
from tests.media.fixtures import clip_paths

__all__ = ["clip_paths"]


def built(qtbot: QtBot, fingerprints: FrameFingerprints, first: int, last: int) -> None:
    fingerprints.focus(first)
    qtbot.waitUntil(lambda: fingerprints.ready(first, last), timeout=10_000)


def test_decoded_frames_are_named_exactly(qtbot: QtBot, clip_paths: dict[str, Path]) -> None:
    probe = probe_video(clip_paths["cfr2997"])
    fingerprints = FrameFingerprints(probe)
    try:
        built(qtbot, fingerprints, 150, 250)
        for target in (150, 151, 199, 200, 249):
            picture = decode_frame_bgra(probe, target, 320, 240)
            found = fingerprints.identify(picture, 150, 250)
            assert found is not None and found.exact and found.frame_index == target
    finally:
        fingerprints.close()


def test_decoded_still_carries_the_requested_frame(clip_paths: dict[str, Path]) -> None:
    from PySide6.QtGui import QImage

    probe = probe_video(clip_paths["vfr"])
    picture = decode_frame_bgra(probe, 300, 320, 240)
    image = QImage(picture.data, 320, 240, 320 * 4, QImage.Format.Format_RGB32)
    assert read_frame_index(image) == 300


def test_a_still_scene_is_reported_as_uncertain(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "still.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc2=size=320x240:rate=25,trim=end_frame=1,loop=loop=49:size=1",
         "-c:v", "libx264", "-bf", "3", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    probe = probe_video(path)
    fingerprints = FrameFingerprints(probe)
    try:
        built(qtbot, fingerprints, 0, probe.frame_count - 1)
        found = fingerprints.identify(decode_frame_bgra(probe, 20, 320, 240), 0, 49)
        assert found is not None and not found.exact and found.uncertainty_frames >= 10
    finally:
        fingerprints.close()


def test_a_foreign_picture_is_not_named(qtbot: QtBot, clip_paths: dict[str, Path]) -> None:
    probe = probe_video(clip_paths["cfr25"])
    fingerprints = FrameFingerprints(probe)
    try:
        built(qtbot, fingerprints, 0, 100)
        stripes = np.zeros((240, 320, 4), np.uint8)
        stripes[:, ::40] = 255
        assert fingerprints.identify(stripes, 0, 100) is None
    finally:
        fingerprints.close()


@pytest.mark.parametrize(("height", "width"), [(240, 320), (1080, 1920), (120, 160)])
def test_thumbnails_have_one_shape_for_any_picture(height: int, width: int) -> None:
    rng = np.random.default_rng(0)
    assert luma_thumbnail(rng.random((height, width))).shape == (24, 32)
    picture = rng.integers(0, 255, (height, width, 4), dtype=np.uint8)
    assert bgra_thumbnail(picture).shape == (24, 32)


def test_building_stays_near_the_focus_then_sleeps(
    qtbot: QtBot, clip_paths: dict[str, Path]
) -> None:
    probe = probe_video(clip_paths["cfr25"])  # keyframes every 150 frames: 5 GOPs
    fingerprints = FrameFingerprints(probe)
    try:
        fingerprints.focus(10)
        # Idle means every GOP in reach is done: a GOP abandoned and retried forever (a
        # busy loop that once cost a core while playing) never gets there.
        qtbot.waitUntil(lambda: fingerprints.idle, timeout=10_000)
        assert fingerprints.ready(0, 449)  # its GOP and two after (none before frame 0)
        assert not fingerprints.ready(450, 460)  # further away: only when the focus moves
        fingerprints.focus(620)
        qtbot.waitUntil(lambda: fingerprints.idle and fingerprints.ready(300, 624), timeout=10_000)
    finally:
        fingerprints.close()
