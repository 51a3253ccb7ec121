"""Tell which frame libvlc is showing by comparing it with small thumbnails decoded by PyAV.

libvlc 3 does not say which frame it delivered, and a paused seek lands 1-4 frames early by
an amount that varies, so a learning point stamped from get_time() would be wrong. PyAV
(the same FFmpeg decoder) gives each frame's exact index; a 32x24 block-mean luma thumbnail
of every decoded frame is enough to recognise the picture libvlc shows. Thumbnails are
built a GOP at a time on a background thread, nearest to where the reviewer is first, so an
hour of footage never has to be decoded up front.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import av
import numpy as np

from bwv_review.ingest.probe import VideoProbe
from bwv_review.media.heap import return_freed_memory

log = logging.getLogger(__name__)

THUMB_W, THUMB_H = 32, 24
# The best match must be this much closer than any frame further than one frame away
# from it; otherwise the picture is too like its neighbours to name (a still scene).
_MIN_RATIO = 3.0
# Above this (normalised mean squared difference) the picture is not any frame we decoded.
_MAX_DISTANCE = 0.25
# How far from the reviewer's position the background thread keeps building, in GOPs.
_BUILD_RADIUS_GOPS = 2
# Decoder threads of a background PyAV decoder: each holds pictures of its own, and two
# keep up on a two-core laptop (FFmpeg's default is one per core plus one).
DECODER_THREADS = 2


def luma_thumbnail(luma: np.ndarray) -> np.ndarray:
    """Block means of a luma plane on a THUMB_H x THUMB_W grid (any input size)."""
    height, width = luma.shape
    rows = np.linspace(0, height, THUMB_H + 1).astype(int)[:-1]
    cols = np.linspace(0, width, THUMB_W + 1).astype(int)[:-1]
    sums = np.add.reduceat(np.add.reduceat(luma.astype(np.float32), rows, axis=0), cols, axis=1)
    counts = np.outer(np.diff([*rows, height]), np.diff([*cols, width]))
    return (sums / counts).astype(np.float32)


def sample_stride(width: int) -> int:
    """Block means over a 32x24 grid need only ~320 samples across; more costs time."""
    return max(1, width // 320)


def bgra_thumbnail(bgra: np.ndarray) -> np.ndarray:
    """Thumbnail of an RV32 picture (height x width x 4, B G R X) as libvlc delivers it."""
    step = sample_stride(bgra.shape[1])
    pixels = bgra[::step, ::step].astype(np.float32)
    luma = 0.114 * pixels[..., 0] + 0.587 * pixels[..., 1] + 0.299 * pixels[..., 2]
    return luma_thumbnail(luma)


def _normalise(thumbs: np.ndarray) -> np.ndarray:
    """Zero mean, unit spread per thumbnail: hides range and colour-matrix differences."""
    flat = thumbs.reshape(len(thumbs), -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    return flat / (flat.std(axis=1, keepdims=True) + 1.0)


@dataclass(frozen=True)
class Identification:
    """Which frame a picture is. `uncertainty_frames` 0 means exact."""

    frame_index: int
    uncertainty_frames: int

    @property
    def exact(self) -> bool:
        return self.uncertainty_frames == 0


class FrameFingerprints:
    """Thumbnails of a clip's frames, built lazily by one background thread.

    `on_ready` is called on the worker thread after each GOP; the owner must only post a
    notification from it (the player turns it into a queued Qt signal).
    """

    def __init__(self, probe: VideoProbe, on_ready: Callable[[], None] | None = None) -> None:
        self.probe = probe
        self._on_ready = on_ready
        # uint8 block means: 768 bytes a frame, under 100 MB for an hour at 30 fps.
        self._thumbs = np.zeros((probe.frame_count, THUMB_H, THUMB_W), np.uint8)
        self._built = np.zeros(probe.frame_count, bool)
        self._gop_starts = list(probe.keyframe_indices)
        self._gop_done = [False] * len(self._gop_starts)
        self._focus_gop = 0
        self._wake = threading.Condition()
        self._stopping = False
        # Started by the first focus(), so it does not compete with libvlc's first picture.
        self._thread = threading.Thread(target=self._run, name="fingerprints", daemon=True)
        self._started = False

    # --- asked from the GUI thread ------------------------------------------------------

    def focus(self, frame_index: int) -> None:
        """Build around frame_index first (the GOP holding it, then its neighbours)."""
        gop = self._gop_of(frame_index)
        with self._wake:
            self._focus_gop = gop
            self._wake.notify()
        if not self._started and not self._stopping:
            self._started = True
            self._thread.start()

    def ready(self, first: int, last: int) -> bool:
        first, last = max(first, 0), min(last, self.probe.frame_count - 1)
        return bool(self._built[first : last + 1].all())

    @property
    def idle(self) -> bool:
        """Everything near the focus is built; the thread sleeps until the focus moves."""
        with self._wake:
            return self._next_gop() is None

    def identify(self, bgra: np.ndarray, first: int, last: int) -> Identification | None:
        """Name the frame among first..last that the picture is; None if it is none of them."""
        first, last = max(first, 0), min(last, self.probe.frame_count - 1)
        candidates = np.flatnonzero(self._built[first : last + 1]) + first
        if len(candidates) == 0:
            return None
        shown = _normalise(bgra_thumbnail(bgra)[None])[0]
        decoded = _normalise(self._thumbs[candidates].astype(np.float32))
        distances = ((decoded - shown) ** 2).mean(axis=1)
        best = int(np.argmin(distances))
        best_distance = float(distances[best])
        if best_distance > _MAX_DISTANCE:
            return None
        frame = int(candidates[best])
        # Frames the picture cannot be told apart from make the uncertainty.
        alike = candidates[distances <= max(best_distance * _MIN_RATIO, 1e-4)]
        spread = int(max(abs(alike - frame).max(), 0))
        return Identification(frame, spread)

    def close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._started:
            self._thread.join(timeout=5)

    # --- the worker thread ----------------------------------------------------------------

    def _gop_of(self, frame_index: int) -> int:
        keyframe = self.probe.keyframe_at_or_before(frame_index)
        return self._gop_starts.index(keyframe)

    def _next_gop(self) -> int | None:
        """The unbuilt GOP nearest the focus (earlier first: seeks land early)."""
        for distance in range(_BUILD_RADIUS_GOPS + 1):
            for gop in (self._focus_gop - distance, self._focus_gop + distance):
                if 0 <= gop < len(self._gop_starts) and not self._gop_done[gop]:
                    return gop
        return None

    def _run(self) -> None:
        try:
            while self._wait_for_gop():
                self._build_near_focus()
                return_freed_memory()  # the decoder's pools, closed until the focus moves
        except (av.FFmpegError, OSError) as exc:
            log.info("fingerprints stopped for %s: %s", self.probe.path, exc)

    def _wait_for_gop(self) -> bool:
        """Sleep until a GOP near the focus is unbuilt; False when closing."""
        with self._wake:
            while self._next_gop() is None and not self._stopping:
                self._wake.wait()
            return not self._stopping

    def _build_near_focus(self) -> None:
        """Build until everything near the focus is built. The decoder is opened for this
        and closed when idle: an open H.264 decoder keeps its picture pools (68 MB at 1080p
        with FFmpeg's default thread count), which stayed resident while the clip played."""
        with av.open(str(self.probe.path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            stream.thread_count = DECODER_THREADS
            while True:
                with self._wake:
                    gop = self._next_gop()
                    if self._stopping or gop is None:
                        return
                self._build_gop(container, stream, gop)

    def _build_gop(
        self, container: av.container.InputContainer, stream: av.VideoStream, gop: int
    ) -> None:
        focus_at_start = self._focus_gop
        start = self._gop_starts[gop]
        end = (
            self._gop_starts[gop + 1] if gop + 1 < len(self._gop_starts) else self.probe.frame_count
        )
        seek_keyframe(container, stream, self.probe, start)
        decoder = container.decode(stream)
        times = self.probe.frame_times_ms
        for frame in decoder:
            index = self.probe.index_of_pts(frame.pts) if frame.pts is not None else None
            if index is None or index < start:
                continue
            # Badly muxed files can give two frames one timestamp: the second is the next.
            while self._built[index] and index + 1 < end and times[index + 1] == times[index]:
                index += 1
            if index >= end:
                break
            plane = frame.planes[0]
            luma = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
            step = sample_stride(frame.width)
            self._thumbs[index] = np.rint(luma_thumbnail(luma[::step, : frame.width : step]))
            self._built[index] = True
            moved = self._focus_gop != focus_at_start and abs(self._focus_gop - gop) > 1
            if self._stopping or moved:
                return  # the reviewer moved elsewhere: build there first, finish this later
        decoder.close()  # type: ignore[attr-defined]  # a generator: PyAV's stub says Iterator
        self._gop_done[gop] = True
        if self._on_ready is not None:
            self._on_ready()


def seek_keyframe(
    container: av.container.InputContainer,
    stream: av.VideoStream,
    probe: VideoProbe,
    keyframe: int,
) -> None:
    """Make the next decoded frames start at frame `keyframe` (a keyframe index)."""
    pts = probe.first_pts + round(probe.ms_of_frame(keyframe) / 1000 / probe.time_base)
    container.seek(pts, stream=stream, backward=True)


def bgra_picture(frame: av.VideoFrame, width: int, height: int) -> np.ndarray:
    """A decoded frame as the callback surface's width x height B G R X picture."""
    picture = frame.reformat(width=width, height=height, format="bgra")
    return picture.to_ndarray().reshape(height, width, 4).copy()


def decode_frame_bgra(probe: VideoProbe, frame_index: int, width: int, height: int) -> np.ndarray:
    """Decode one frame with PyAV as a width x height B G R X picture.

    The player shows this when libvlc cannot be brought onto a frame (the last frames,
    which libvlc 3 keeps in its decoder until the input ends, or a picture too like its
    neighbours to recognise), so the frame on screen is still the one asked for.
    """
    with av.open(str(probe.path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = DECODER_THREADS
        seek_keyframe(container, stream, probe, probe.keyframe_at_or_before(frame_index))
        for frame in container.decode(stream):
            index = probe.index_of_pts(frame.pts) if frame.pts is not None else None
            if index is not None and index >= frame_index:
                return bgra_picture(frame, width, height)
    raise ValueError(f"frame {frame_index} of {probe.path} could not be decoded")
