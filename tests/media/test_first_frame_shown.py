"""A clip shows its first frame as soon as it opens, on both surfaces, judged from the
pixels on screen (the X server's copy of the native window; what the callback surface
paints) against the clip's own frames decoded by PyAV, never from the player's account.

Before the fix the native window kept whichever picture had played before the pause
(frame 2-5, reported as frame 0 exact) and, since libvlc held no paused picture, went
black at the next resize and stayed black until Play."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.clipgen import ClipSpec, make_clip, read_frame_index
from tests.media.fixtures import TEST_VLC_ARGS, open_clip
from tests.support.xvfb import xvfb_display

REPO = Path(__file__).resolve().parents[2]
_FRAMES_COMPARED = 8
_MAX_MEAN_DIFFERENCE = 25  # grey levels; a black window is ~110 away from the pattern


@pytest.fixture(scope="module")
def tone_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test pattern with a 440 Hz tone: body-worn video has sound."""
    spec = ClipSpec("tone25", Fraction(25), 250, sound=True)
    return make_clip(spec, tmp_path_factory.mktemp("tone"))


def decoded_frames(clip: Path, count: int) -> list[np.ndarray]:
    """The clip's first frames as grey pictures at its own size, decoded by PyAV."""
    frames: list[np.ndarray] = []
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            frames.append(frame.to_ndarray(format="gray").astype(np.float32))
            if len(frames) == count:
                break
    return frames


def grey_at(image: QImage, width: int, height: int) -> np.ndarray:
    scaled = image.scaled(
        width,
        height,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(scaled.constBits(), np.uint8).reshape(height, scaled.bytesPerLine())
    return rows[:, :width].astype(np.float32)


def assert_shows_frame(image: QImage, frames: list[np.ndarray], index: int, what: str) -> None:
    assert not image.isNull(), f"{what}: no picture was saved"
    height, width = frames[0].shape
    pixels = grey_at(image, width, height)
    differences = [float(np.abs(pixels - frame).mean()) for frame in frames]
    nearest = int(np.argmin(differences))
    summary = ", ".join(f"{n}: {d:.0f}" for n, d in enumerate(differences))
    assert nearest == index and differences[index] < _MAX_MEAN_DIFFERENCE, (
        f"{what}: the picture is not frame {index} (mean grey difference by frame: {summary};"
        f" mean level {pixels.mean():.0f})"
    )
    assert read_frame_index(image) == index, f"{what}: the boxes read {read_frame_index(image)}"


def test_native_surface_shows_the_first_frame_on_open_and_after_a_resize(
    tone_clip: Path, tmp_path: Path
) -> None:
    frames = decoded_frames(tone_clip, _FRAMES_COMPARED)
    with xvfb_display() as display:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
        run = subprocess.run(
            [sys.executable, "-m", "tests.media.first_frame_on_screen", "native",
             str(tone_clip), str(tmp_path), "3"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    for n, opened in enumerate(result["opens"]):
        assert opened["settled_ms"] is not None, f"open {n} never settled"
        assert (opened["reported_frame"], opened["reported_uncertainty"]) == (0, 0)
        assert_shows_frame(QImage(opened["opened"]), frames, 0, f"open {n}, once opened")
        assert_shows_frame(QImage(opened["resized"]), frames, 0, f"open {n}, after a resize")


def test_callback_surface_paints_the_first_frame_on_open_and_after_a_resize(
    qtbot: QtBot, surface: CallbackSurface, tone_clip: Path
) -> None:
    frames = decoded_frames(tone_clip, _FRAMES_COMPARED)
    player = VlcPlayer(surface, vlc_args=TEST_VLC_ARGS)
    try:
        surface.show()
        for n in range(2):
            surface.resize(320, 240)
            open_clip(qtbot, player, tone_clip)
            qtbot.wait(300)
            assert_shows_frame(surface.grab().toImage(), frames, 0, f"open {n}, once opened")
            surface.resize(400, 300)
            qtbot.wait(300)
            assert_shows_frame(surface.grab().toImage(), frames, 0, f"open {n}, after a resize")
    finally:
        player.close()
