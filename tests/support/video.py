"""Small real H.264 files made with ffmpeg, for tests that register and check footage."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_video(path: Path, *, tag: str, seconds: float = 1.0, fps: int = 25) -> Path:
    """A small real H.264 file; `tag` goes into the metadata so every clip's bytes differ."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc=duration={seconds}:size=160x120:rate={fps}",
            "-c:v", "libx264", "-g", str(fps), "-pix_fmt", "yuv420p",
            "-metadata", f"comment={tag}", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path
