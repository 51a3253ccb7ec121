"""FrameCache: decoded frames around the paused frame, so stepping back and short jumps
show the exact frame at once.

A paused seek on long-GOP footage makes libvlc decode from the keyframe before the target
(up to 10 s of 1080p, 0.6-1.2 s here), and a step back is such a seek every time. A
background thread with its own PyAV decoder decodes the frames a reviewer is likely to ask
for next (the ones just before and after the paused frame, and those a jump away) and keeps
them as decoded (YUV 4:2:0: 3 MB a 1080p frame, against 8 MB as the surface's BGRA) in an
LRU bounded in bytes. The GUI thread takes a frame by its index; the thread only decodes;
they meet under one lock. Nothing is kept or decoded while playing (`clear`).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from itertools import chain, zip_longest

import av
import numpy as np

from bwv_review.ingest.probe import VideoProbe
from bwv_review.media.fingerprints import DECODER_THREADS, bgra_picture, seek_keyframe
from bwv_review.media.heap import return_freed_memory

log = logging.getLogger(__name__)

DEFAULT_FRAME_CACHE_MB = 64
# Frames kept either side of the paused one, nearest first, as far as the bound allows:
# a step back is the move libvlc is slowest at, so more are kept behind than ahead.
_BACK_FRAMES = 24
_AHEAD_FRAMES = 3
_JUMP_RADIUS_FRAMES = 1  # around a jump's target, for the step a reviewer makes after it


class FrameCache:
    """Decoded frames of one clip near the reviewer's paused position; GUI thread API.

    `focus` says where the reviewer is; `picture` gives a cached frame as the surface's
    BGRA picture, or None. `hits` and `decoded_frames` say how much the cache saved and
    cost (the tests and the bench read them).
    """

    def __init__(self, probe: VideoProbe, budget_mb: int, jump_ms: int) -> None:
        self.probe = probe
        self.budget_bytes = max(budget_mb, 0) * 1024 * 1024
        self._jump_ms = jump_ms
        self._frames: OrderedDict[int, av.VideoFrame] = OrderedDict()  # least recent first
        self._sizes: dict[int, int] = {}
        self._size_bytes = 0
        # Until a frame has been decoded: the 4:2:0 planes without the decoder's padding.
        self._frame_bytes = probe.width * probe.height * 3 // 2
        self._wanted: list[int] = []
        self._wanted_set: frozenset[int] = frozenset()
        self._unreachable: set[int] = set()  # wanted, but a whole pass did not yield them
        self._generation = 0  # bumped by each focus, so a pass knows it was overtaken
        self._decoding = False
        self._lock = threading.Condition()
        self._stopping = False
        self.hits = 0
        self.decoded_frames = 0
        self._thread = threading.Thread(target=self._run, name="frame-cache", daemon=True)
        self._started = False

    # --- asked from the GUI thread --------------------------------------------------------

    def focus(self, frame_index: int) -> None:
        """The reviewer is paused on frame_index: keep the frames around it from now on."""
        if self.budget_bytes == 0:
            return
        wanted = self._wanted_around(frame_index)
        with self._lock:
            self._wanted, self._wanted_set = wanted, frozenset(wanted)
            self._unreachable.clear()
            self._generation += 1
            self._lock.notify()
        if not self._started and not self._stopping:
            self._started = True
            self._thread.start()

    def clear(self) -> None:
        """Playing: drop every frame and decode nothing (the memory goes back to libvlc)."""
        with self._lock:
            self._wanted, self._wanted_set = [], frozenset()
            self._frames.clear()
            self._sizes.clear()
            self._size_bytes = 0
        return_freed_memory()

    def has(self, frame_index: int) -> bool:
        with self._lock:
            return frame_index in self._frames

    def picture(self, frame_index: int, width: int, height: int) -> np.ndarray | None:
        """The cached frame as a width x height B G R X picture, or None when not cached."""
        with self._lock:
            frame = self._frames.get(frame_index)
            if frame is None:
                return None
            self._frames.move_to_end(frame_index)
            self.hits += 1
        # A decoded frame is never written again, so it is converted outside the lock.
        return bgra_picture(frame, width, height)

    @property
    def size_bytes(self) -> int:
        with self._lock:
            return self._size_bytes

    @property
    def idle(self) -> bool:
        """Every wanted frame that fits is decoded (or nothing is wanted)."""
        with self._lock:
            return not self._decoding and not self._missing()

    def close(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify()
        if self._started:
            self._thread.join(timeout=5)
        self.clear()

    # --- what to keep ---------------------------------------------------------------------

    def _wanted_around(self, frame_index: int) -> list[int]:
        """The frames to keep, the likeliest next request first, cut to what fits."""
        probe = self.probe
        last = probe.frame_count - 1
        position_ms = probe.ms_of_frame(frame_index)
        # Where a jump lands, kept inside the clip as the player keeps it (a jump ahead
        # from the last 5 s goes to the last frame).
        jumps = [
            probe.frame_at_ms(min(max(position_ms + sign * self._jump_ms, 0), probe.duration_ms))
            for sign in (-1, 1)
        ]
        near_jumps = [
            jump + offset
            for offset in range(-_JUMP_RADIUS_FRAMES, _JUMP_RADIUS_FRAMES + 1)
            if offset
            for jump in jumps
        ]
        back = range(frame_index - 1, frame_index - _BACK_FRAMES - 1, -1)
        ahead = range(frame_index + 1, frame_index + _AHEAD_FRAMES + 1)
        order = chain(
            [frame_index], back[:1], jumps, ahead[:1], near_jumps,
            (i for pair in zip_longest(back[1:], ahead[1:]) for i in pair if i is not None),
        )  # fmt: skip
        wanted: list[int] = []
        for index in order:
            if 0 <= index <= last and index not in wanted:
                wanted.append(index)
        return wanted[: max(self.budget_bytes // self._frame_bytes, 0)]

    def _missing(self) -> list[int]:
        return [i for i in self._wanted if i not in self._frames and i not in self._unreachable]

    # --- the worker thread ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            while self._wait_for_work():
                self._fill()
                return_freed_memory()  # the decoder's pools, closed until the next fill
        except (av.FFmpegError, OSError) as exc:
            log.info("frame cache stopped for %s: %s", self.probe.path, exc)
        finally:
            with self._lock:
                self._decoding = False

    def _wait_for_work(self) -> bool:
        """Sleep until a wanted frame is missing; False when closing."""
        with self._lock:
            while not self._missing() and not self._stopping:
                self._lock.wait()
            self._decoding = not self._stopping
            return self._decoding

    def _fill(self) -> None:
        """Decode until every wanted frame is kept. The decoder is opened for each fill
        and closed when idle: an open H.264 decoder holds its picture pools (tens of MB at
        1080p), which would otherwise stay resident while the reviewer plays."""
        with av.open(str(self.probe.path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            stream.thread_count = DECODER_THREADS
            while True:
                with self._lock:
                    missing = self._missing()
                    if not missing or self._stopping:
                        self._decoding = False
                        return
                    generation = self._generation
                keyframe = self.probe.keyframe_at_or_before(missing[0])
                end = self._decode_gop(container, stream, keyframe)
                with self._lock:
                    if generation == self._generation:
                        # Not overtaken by a new focus: what this GOP did not give, it
                        # never will (a damaged stretch); do not decode it again.
                        self._unreachable.update(i for i in missing if keyframe <= i < end)
                        self._unreachable.difference_update(self._frames)

    def _decode_gop(
        self, container: av.container.InputContainer, stream: av.VideoStream, keyframe: int
    ) -> int:
        """Decode from `keyframe` until no frame still wanted in its GOP is ahead; the
        GOP's end (the next keyframe) is returned."""
        probe = self.probe
        keyframes = probe.keyframe_indices
        position = keyframes.index(keyframe)
        end = keyframes[position + 1] if position + 1 < len(keyframes) else probe.frame_count
        seek_keyframe(container, stream, probe, keyframe)
        decoder = container.decode(stream)
        for frame in decoder:
            self.decoded_frames += 1
            index = probe.index_of_pts(frame.pts) if frame.pts is not None else None
            with self._lock:
                if self._stopping:
                    break
                if index is not None and index in self._wanted_set and index not in self._frames:
                    self._keep(index, frame)
                ahead = [i for i in self._missing() if keyframe <= i < end]
                if index is None or index < keyframe:
                    continue
                if not ahead or max(ahead) <= index:
                    break  # the rest of this GOP is not wanted (any more)
        decoder.close()  # type: ignore[attr-defined]  # a generator: PyAV's stub says Iterator
        return end

    def _keep(self, index: int, frame: av.VideoFrame) -> None:
        """Store a frame, evicting the least recently used ones no longer wanted first
        (then any) until it fits the bound. Called under the lock."""
        size = sum(plane.buffer_size for plane in frame.planes)
        if size != self._frame_bytes:  # the first frame decoded: now it is known what fits
            self._frame_bytes = size
            self._wanted = self._wanted[: self.budget_bytes // size]
            self._wanted_set = frozenset(self._wanted)
            if index not in self._wanted_set:
                return
        while self._size_bytes + size > self.budget_bytes:
            unwanted = next((i for i in self._frames if i not in self._wanted_set), None)
            victim = unwanted if unwanted is not None else next(iter(self._frames))
            del self._frames[victim]
            self._size_bytes -= self._sizes.pop(victim)
        self._frames[index] = frame
        self._sizes[index] = size
        self._size_bytes += size
