"""Demonstration footage made at demo time with PyAV (its wheels carry FFmpeg and x264, so no
ffmpeg binary is needed): H.264 with B-frames and AAC sound, 640x360 at 25 frames a second,
like a body-worn-video export cut down.

Each clip shows a street that drifts past as an officer walks, a figure that moves, the
camera's clock and, burnt into the picture, that it is demonstration footage, so a frame
grabbed from the player can never pass for real video. The sound is a street hum with
bursts of speech-like tones. Clips are encoded in a pool of worker processes (PyAV holds
the GIL while it encodes, so threads would use one core).

This module imports nothing of the app beyond the standard library, numpy and PyAV: the
worker processes import it alone.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 640, 360
FPS = 25
FRAME_MS = 1000 // FPS
SAMPLE_RATE = 48_000
B_FRAMES = 3
WORKERS = 2
_GOP = 2 * FPS  # a keyframe every 2 s, as BWV exports often have

# A 5x7 bitmap font for the burnt-in captions: what a camera's overlay can show.
_GLYPHS: dict[str, tuple[str, ...]] = {
    " ": ("00000",) * 7,
    "-": ("00000", "00000", "00000", "11111", "00000", "00000", "00000"),
    ":": ("00000", "01100", "01100", "00000", "01100", "01100", "00000"),
    ".": ("00000", "00000", "00000", "00000", "00000", "01100", "01100"),
    "/": ("00001", "00010", "00010", "00100", "01000", "01000", "10000"),
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11110", "00001", "00001", "01110", "00001", "00001", "11110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    "A": ("01110", "10001", "10001", "11111", "10001", "10001", "10001"),
    "B": ("11110", "10001", "10001", "11110", "10001", "10001", "11110"),
    "C": ("01110", "10001", "10000", "10000", "10000", "10001", "01110"),
    "D": ("11100", "10010", "10001", "10001", "10001", "10010", "11100"),
    "E": ("11111", "10000", "10000", "11110", "10000", "10000", "11111"),
    "F": ("11111", "10000", "10000", "11110", "10000", "10000", "10000"),
    "G": ("01110", "10001", "10000", "10111", "10001", "10001", "01111"),
    "H": ("10001", "10001", "10001", "11111", "10001", "10001", "10001"),
    "I": ("01110", "00100", "00100", "00100", "00100", "00100", "01110"),
    "J": ("00111", "00010", "00010", "00010", "00010", "10010", "01100"),
    "K": ("10001", "10010", "10100", "11000", "10100", "10010", "10001"),
    "L": ("10000", "10000", "10000", "10000", "10000", "10000", "11111"),
    "M": ("10001", "11011", "10101", "10101", "10001", "10001", "10001"),
    "N": ("10001", "10001", "11001", "10101", "10011", "10001", "10001"),
    "O": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "P": ("11110", "10001", "10001", "11110", "10000", "10000", "10000"),
    "Q": ("01110", "10001", "10001", "10001", "10101", "10010", "01101"),
    "R": ("11110", "10001", "10001", "11110", "10100", "10010", "10001"),
    "S": ("01111", "10000", "10000", "01110", "00001", "00001", "11110"),
    "T": ("11111", "00100", "00100", "00100", "00100", "00100", "00100"),
    "U": ("10001", "10001", "10001", "10001", "10001", "10001", "01110"),
    "V": ("10001", "10001", "10001", "10001", "10001", "01010", "00100"),
    "W": ("10001", "10001", "10001", "10101", "10101", "10101", "01010"),
    "X": ("10001", "10001", "01010", "00100", "01010", "10001", "10001"),
    "Y": ("10001", "10001", "01010", "00100", "00100", "00100", "00100"),
    "Z": ("11111", "00001", "00010", "00100", "01000", "10000", "11111"),
}
_GLYPH_W, _GLYPH_H, _SCALE = 5, 7, 2
_BAR_H = 24


@dataclass(frozen=True)
class ClipPlan:
    """One clip to make: where it goes under the footage folder and what it shows."""

    relative_path: str
    seconds: int
    seed: int
    caption: str  # the camera's label in the overlay, e.g. "DEMO-SS-001 CAM 1"
    recorded_at: datetime  # the overlay clock's start

    @property
    def frame_count(self) -> int:
        return self.seconds * FPS


def _text_mask(text: str) -> np.ndarray:
    """The text as a boolean bitmap at _SCALE, one glyph column of space between letters."""
    columns = []
    for char in text.upper():
        rows = _GLYPHS.get(char, _GLYPHS[" "])
        glyph = np.array([[c == "1" for c in row] for row in rows], dtype=bool)
        columns += [glyph, np.zeros((_GLYPH_H, 1), dtype=bool)]
    mask = np.concatenate(columns, axis=1) if columns else np.zeros((_GLYPH_H, 0), bool)
    return mask.repeat(_SCALE, axis=0).repeat(_SCALE, axis=1)


def _stamp(plane: np.ndarray, mask: np.ndarray, x: int, y: int, value: int) -> None:
    height, width = mask.shape
    width = min(width, plane.shape[1] - x)
    region = plane[y : y + height, x : x + width]
    region[mask[:, :width]] = value


class _Scene:
    """A street, a walking camera and a moving figure, drawn straight into Y, U and V."""

    def __init__(self, plan: ClipPlan) -> None:
        rng = np.random.default_rng(plan.seed)
        self.plan = plan
        canvas_w = WIDTH * 3
        rows = np.arange(HEIGHT + 32, dtype=np.float32)[:, None]
        sky = 170 - 60 * rows / (HEIGHT + 32)
        street = np.where(rows > HEIGHT * 0.62, 70 + 20 * np.sin(rows / 3), sky)
        canvas = np.repeat(street, canvas_w, axis=1)
        x = 0
        while x < canvas_w:  # buildings of random width, height and brightness
            width = int(rng.integers(60, 180))
            top = int(rng.integers(40, int(HEIGHT * 0.45)))
            shade = int(rng.integers(60, 150))
            canvas[top : int(HEIGHT * 0.62), x : x + width - 6] = shade
            for wy in range(top + 12, int(HEIGHT * 0.58), 28):  # windows
                for wx in range(x + 10, x + width - 20, 26):
                    if rng.random() < 0.6:
                        canvas[wy : wy + 12, wx : wx + 12] = shade + 60
            x += width
        self.canvas = np.clip(canvas, 16, 235).astype(np.uint8)
        # The wrap-around copy lets the view scroll past the end without a seam check.
        self.canvas = np.concatenate([self.canvas, self.canvas[:, :WIDTH]], axis=1)
        self.canvas_w = canvas_w
        self.u_level = int(rng.integers(112, 144))
        self.v_level = int(rng.integers(112, 144))
        self.speed = float(rng.uniform(1.5, 4.0))  # px per frame the street drifts
        self.figure_speed = float(rng.uniform(2.0, 5.0))
        self.label = _text_mask(plan.caption)
        self.notice = _text_mask("DEMONSTRATION FOOTAGE - FICTIONAL")
        self._clock_second = -1
        self._clock = self.label

    def _clock_mask(self, frame: int) -> np.ndarray:
        second = frame // FPS
        if second != self._clock_second:
            at = self.plan.recorded_at + timedelta(seconds=second)
            self._clock = _text_mask(at.strftime("%Y-%m-%d %H:%M:%S"))
            self._clock_second = second
        return self._clock

    def frame(self, index: int) -> np.ndarray:
        """The frame as one yuv420p array: Y rows, then U and V packed as PyAV wants."""
        t = index / FPS
        x0 = int(index * self.speed + 12 * np.sin(t * 2.1)) % self.canvas_w
        y0 = int(16 + 6 * np.sin(t * 4.2))  # the camera bobs as the officer walks
        y = self.canvas[y0 : y0 + HEIGHT, x0 : x0 + WIDTH].copy()
        u = np.full((HEIGHT // 2, WIDTH // 2), self.u_level, dtype=np.uint8)
        v = np.full((HEIGHT // 2, WIDTH // 2), self.v_level, dtype=np.uint8)
        # The figure: walks to and fro across the view, in a bright jacket.
        span = WIDTH - 120
        fx = 40 + int(abs((index * self.figure_speed) % (2 * span) - span))
        fy = int(HEIGHT * 0.30 + 4 * np.sin(t * 6))
        y[fy : fy + 26, fx + 14 : fx + 40] = 200  # head
        y[fy + 28 : fy + 90, fx : fx + 54] = 170  # a high-visibility jacket
        y[fy + 90 : fy + 150, fx + 4 : fx + 50] = 50  # dark trousers
        u[(fy + 28) // 2 : (fy + 90) // 2, fx // 2 : (fx + 54) // 2] = 50
        v[(fy + 28) // 2 : (fy + 90) // 2, fx // 2 : (fx + 54) // 2] = 140
        # Two rows of caption at the top, as body-worn cameras burn them in; the bottom is
        # left to the player's viewer watermark, which must never be covered.
        y[: 2 * _BAR_H, :] = 16
        _stamp(y, self._clock_mask(index), 8, 5, 235)
        _stamp(y, self.label, WIDTH - self.label.shape[1] - 8, 5, 235)
        _stamp(y, self.notice, 8, _BAR_H + 5, 235)
        return np.concatenate([y, u.reshape(-1, WIDTH), v.reshape(-1, WIDTH)], axis=0)


def _sound(plan: ClipPlan) -> np.ndarray:
    """Street hum and two voices' speech-like bursts, mono float32 in [-1, 1]."""
    rng = np.random.default_rng(plan.seed + 1)
    count = plan.seconds * SAMPLE_RATE
    t = np.arange(count, dtype=np.float32) / SAMPLE_RATE
    noise = rng.normal(0, 0.04, count)
    hum = np.convolve(noise, np.ones(24) / 24, mode="same").astype(np.float32)
    voice = np.zeros(count, dtype=np.float32)
    position = 0.5
    while position < plan.seconds - 1:
        length = float(rng.uniform(0.8, 2.5))
        start, stop = (
            int(position * SAMPLE_RATE),
            int(min(position + length, plan.seconds) * SAMPLE_RATE),
        )
        pitch = float(rng.choice([120.0, 210.0]))
        seg = t[start:stop]
        syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * seg) ** 2
        voice[start:stop] = (
            0.18
            * syllables
            * (np.sin(2 * np.pi * pitch * seg) + 0.5 * np.sin(2 * np.pi * 2.7 * pitch * seg))
        )
        position += length + float(rng.uniform(0.3, 1.2))
    return np.clip(hum + voice, -1, 1).astype(np.float32)


def encode_clip(plan: ClipPlan, folder: Path) -> str:
    """Write the clip under `folder` (to a temporary name first, so a clip cut short by a
    cancelled build is never left looking whole); returns its relative path."""
    path = folder / plan.relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with av.open(str(partial), mode="w", format="mp4") as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.codec_context.max_b_frames = B_FRAMES
        video.codec_context.gop_size = _GOP
        video.codec_context.thread_count = 1  # the pool gives each core its own clip
        # ultrafast alone turns B-frames off; max_b_frames above puts them back.
        video.codec_context.options = {"preset": "ultrafast", "crf": "26"}
        audio = container.add_stream("aac", rate=SAMPLE_RATE)
        audio.codec_context.layout = "mono"
        audio.codec_context.bit_rate = 64_000
        scene = _Scene(plan)
        for index in range(plan.frame_count):
            frame = av.VideoFrame.from_ndarray(scene.frame(index), format="yuv420p")
            frame.pts = index
            frame.time_base = Fraction(1, FPS)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        samples = _sound(plan)
        chunk = 1024
        for start in range(0, samples.size, chunk):
            piece = samples[start : start + chunk].reshape(1, -1)
            sound = av.AudioFrame.from_ndarray(piece, format="fltp", layout="mono")
            sound.sample_rate = SAMPLE_RATE
            sound.pts = start
            sound.time_base = Fraction(1, SAMPLE_RATE)
            container.mux(audio.encode(sound))
        container.mux(audio.encode(None))
    os.replace(partial, path)
    return plan.relative_path


def encode_clips(
    plans: Sequence[ClipPlan],
    folder: Path,
    *,
    on_clip: Callable[[int, int], bool] | None = None,
    workers: int = WORKERS,
) -> bool:
    """Encode every clip, `workers` at a time in their own processes. `on_clip(done, total)`
    is called as each finishes; when it returns False the clips not started are dropped and
    False is returned (the caller removes the folder)."""
    # spawn, not fork: the caller may be the GUI, whose threads a fork would copy mid-step.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: set[Future[str]] = {pool.submit(encode_clip, plan, folder) for plan in plans}
        done = 0
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                future.result()  # a failed clip fails the build, with its reason
                done += 1
            if on_clip is not None and not on_clip(done, len(plans)):
                for future in pending:
                    future.cancel()
                pool.shutdown(wait=True, cancel_futures=True)
                return False
    log.info("encoded %d demo clips in %s", len(plans), folder)
    return True
