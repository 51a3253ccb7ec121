"""Test clips that carry their own frame index in the picture, made with ffmpeg at test time.

Each frame shows its index as BITS black/white boxes along the top (most significant bit
first), over a scrolling noise texture and a moving bar, so that neighbouring frames differ
the way real footage does (the player's fingerprints must not be able to lean on the boxes).
Only tests and benchmarks read the boxes; production code never does.

The clips are H.264 with B-frames and a long GOP, like body-worn-video exports.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

BITS = 12
BOX_HEIGHT_SHARE = 0.1  # of the frame height, so the pattern reads the same at any size
_TOP_SHARE = 2 / 240


@dataclass(frozen=True)
class ClipSpec:
    """A clip to generate. `vfr_slow_after` makes frames after that index 2x as long;
    `sound` adds a tone (body-worn video has sound, and only a clip with sound opens the
    audio output); `gop_frames` sets the keyframe interval in frames instead (-g 250, 300 as
    some cameras export)."""

    name: str
    fps: Fraction
    frame_count: int
    width: int = 320
    height: int = 240
    gop_seconds: int = 6
    vfr_slow_after: int | None = None
    sound: bool = False
    b_frames: int = 3
    gop_frames: int | None = None


def _frames(spec: ClipSpec) -> np.ndarray:
    rng = np.random.default_rng(1234)
    texture = rng.integers(40, 200, size=(spec.height, spec.width * 2), dtype=np.uint8)
    # Blur the noise a little so the encoder keeps it roughly, as it would real detail.
    texture = ((texture.astype(np.uint16) + np.roll(texture, 1, axis=1)) // 2).astype(np.uint8)
    box_w = spec.width // BITS
    top = round(_TOP_SHARE * spec.height)
    box_h = round(BOX_HEIGHT_SHARE * spec.height)
    for index in range(spec.frame_count):
        shift = (index * 3) % spec.width
        frame = texture[:, shift : shift + spec.width].copy()
        bar_x = (index * 7) % spec.width
        frame[box_h + 4 * top :, bar_x : bar_x + 10] = 250
        frame[: box_h + 2 * top, :] = 128
        for bit in range(BITS):
            on = (index >> (BITS - 1 - bit)) & 1
            x0 = bit * box_w + top
            frame[top : top + box_h, x0 : x0 + box_w - 2 * top] = 255 if on else 0
        yield frame


def make_clip(spec: ClipSpec, folder: Path) -> Path:
    """Encode the clip with libx264 (B-frames, a keyframe every GOP, no scene cuts)."""
    path = folder / f"{spec.name}.mp4"
    gop = spec.gop_frames or int(spec.fps * spec.gop_seconds)
    video_filters: list[str] = []
    if spec.vfr_slow_after is not None:
        # Integer ticks of 1/90000 s, so no two frames can round onto the same timestamp.
        n0, ticks = spec.vfr_slow_after, int(90000 / spec.fps)
        video_filters = [
            "-vf",
            f"settb=1/90000,setpts='if(lt(N,{n0}),N*{ticks},{n0 * ticks}+(N-{n0})*{2 * ticks})'",
            "-fps_mode",
            "passthrough",
            "-video_track_timescale",
            "90000",
        ]
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{spec.width}x{spec.height}",
        "-framerate", str(spec.fps), "-i", "-",
        *(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] if spec.sound else []),
        *video_filters,
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
        "-bf", str(spec.b_frames), "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        *(["-c:a", "aac", "-shortest"] if spec.sound else []),
        "-movflags", "+faststart", str(path),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    assert process.stdin is not None
    for frame in _frames(spec):
        process.stdin.write(frame.tobytes())
    process.stdin.close()
    if process.wait(timeout=300) != 0:
        raise RuntimeError(f"ffmpeg failed to make {path}")
    return path


def read_frame_index(image: QImage) -> int:
    """Read the boxes from a picture the player shows (any size; scaled proportionally)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = gray.width(), gray.height()
    row = int((_TOP_SHARE + BOX_HEIGHT_SHARE / 2) * height)
    box_w = width / BITS
    value = 0
    for bit in range(BITS):
        x = int((bit + 0.5) * box_w)
        on = gray.pixelColor(x, row).value() > 128
        value = (value << 1) | int(on)
    return value
