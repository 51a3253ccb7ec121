"""What a video file holds, from one PyAV demux pass: every frame's time, keyframes, frame rate.

A learning point is stored as integer ms plus a frame index, and a reviewer must land on the
exact frame they marked. Container headers only give a nominal rate, so the frame table here
comes from the packets themselves (no decoding, so an hour of footage takes seconds): frame
index <-> ms is then exact even for variable frame rate footage. No Qt, no libvlc: clip
registration (ingest) and the player (media) both use it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import av

# Frame intervals within this share of the median are treated as equal: muxers round
# timestamps to their time base, so a constant-rate clip shows tiny jitter.
_VFR_TOLERANCE = 0.02


class ProbeError(Exception):
    """The file is missing, empty, not a video, or too damaged to list its frames."""


@dataclass(frozen=True)
class VideoProbe:
    """The frame table of a clip's first video stream. Times are ms from the first frame."""

    path: Path
    codec: str
    width: int
    height: int
    fps: Fraction | None  # nominal (average) rate; None when the file does not say
    frame_times_ms: tuple[int, ...]  # presentation time of each frame, sorted
    keyframe_indices: tuple[int, ...]  # frame indices where decoding can start
    duration_ms: int
    variable_frame_rate: bool
    time_base: Fraction  # seconds per pts tick, to map decoded frames back to indices
    first_pts: int
    declared_frame_count: int = 0  # what the header promises; 0 when it does not say

    @property
    def truncated(self) -> bool:
        """Fewer frames than the header declares: the copy is incomplete or damaged."""
        return self.declared_frame_count > self.frame_count

    @property
    def frame_count(self) -> int:
        return len(self.frame_times_ms)

    @property
    def frame_duration_ms(self) -> float:
        """Typical frame length; for VFR footage the median, good only for estimates."""
        if self.fps:
            return float(1000 / self.fps)
        return self.duration_ms / max(1, self.frame_count)

    def frame_at_ms(self, position_ms: int) -> int:
        """The frame on screen at position_ms: the last one that started at or before it."""
        index = bisect.bisect_right(self.frame_times_ms, position_ms) - 1
        return min(max(index, 0), self.frame_count - 1)

    def ms_of_frame(self, frame_index: int) -> int:
        return self.frame_times_ms[frame_index]

    def index_of_pts(self, pts: int) -> int | None:
        """The frame index of a decoded frame's pts, or None when it is not in the table."""
        position_ms = round((pts - self.first_pts) * self.time_base * 1000)
        index = bisect.bisect_left(self.frame_times_ms, position_ms)
        if index < self.frame_count and self.frame_times_ms[index] == position_ms:
            return index
        return None

    def keyframe_at_or_before(self, frame_index: int) -> int:
        position = bisect.bisect_right(self.keyframe_indices, frame_index) - 1
        return self.keyframe_indices[max(position, 0)]


def _is_variable(times_ms: list[float]) -> bool:
    deltas = sorted(b - a for a, b in pairwise(times_ms))
    if len(deltas) < 2:
        return False
    median = deltas[len(deltas) // 2]
    limit = max(median * _VFR_TOLERANCE, 1.0)
    return deltas[-1] - median > limit or median - deltas[0] > limit


def probe_video(path: Path) -> VideoProbe:
    """List every frame of the first video stream; raise ProbeError with a readable reason."""
    if not path.exists():
        raise ProbeError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise ProbeError(f"{path}: file is empty (0 bytes)")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ProbeError(f"{path}: no video stream")
            stream = container.streams.video[0]
            entries = [
                (packet.pts, packet.is_keyframe)
                for packet in container.demux(stream)
                if packet.pts is not None and packet.size > 0
            ]
            codec = stream.codec_context.name
            width, height = stream.codec_context.width, stream.codec_context.height
            fps = stream.average_rate or stream.guessed_rate
            time_base = stream.time_base
            declared = stream.frames
    except av.FFmpegError as exc:
        raise ProbeError(f"{path}: not a readable video ({exc})") from exc
    if not entries or time_base is None:
        raise ProbeError(f"{path}: the video stream holds no frames")
    entries.sort()
    first_pts = entries[0][0]
    exact_ms = [float((pts - first_pts) * time_base * 1000) for pts, _ in entries]
    times_ms = tuple(round(ms) for ms in exact_ms)
    keyframes = tuple(i for i, (_, key) in enumerate(entries) if key) or (0,)
    variable = _is_variable(exact_ms)
    last_length = (exact_ms[-1] - exact_ms[-2]) if len(exact_ms) > 1 else 0.0
    if fps and not variable:
        last_length = float(1000 / fps)
    return VideoProbe(
        path=path,
        codec=codec,
        width=width,
        height=height,
        fps=Fraction(fps) if fps else None,
        frame_times_ms=times_ms,
        keyframe_indices=keyframes,
        duration_ms=round(exact_ms[-1] + last_length),
        variable_frame_rate=variable,
        time_base=Fraction(time_base),
        first_pts=first_pts,
        declared_frame_count=declared,
    )
