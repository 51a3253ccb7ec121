"""PausedPositioning: putting an exact frame on screen while paused, and naming it.

libvlc 3 cannot say which frame it shows: a paused set_time() lands 1-4 frames early (by
a varying amount, with B-frames). So, on the callback surface, every paused positioning
is a small loop: seek a few frames before the target, recognise the picture libvlc
delivered by its PyAV fingerprint, then next_frame() (or seek again) until the target is
on screen. When the picture cannot be recognised (no buffer on the native surface, a
still scene, a damaged file) the position is reported with its uncertainty instead of
being presented as exact. Everything here runs on the GUI thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from bwv_review.ingest.probe import VideoProbe
from bwv_review.media.fingerprints import FrameFingerprints, Identification, decode_frame_bgra
from bwv_review.media.frame_cache import FrameCache
from bwv_review.media.frame_identification import SettledFrameWatch, identify_near, picture_near
from bwv_review.media.frame_position import (
    PLAIN_SEEK_UNCERTAINTY_FRAMES,
    FramePosition,
    estimated_position,
    recognised_position,
)
from bwv_review.media.surfaces import CallbackSurface, VideoSurface

log = logging.getLogger(__name__)

# Seek this many frames before the target: the first one or two next_frame() calls after a
# seek can stall or skip a frame, so they must happen before the target, not on it.
_SEEK_LEAD_FRAMES = 8
_MAX_SEEKS = 4
_MAX_STEPS = 40
_MAX_STALLS = 3
_STALL_WAIT_MS = 60  # a step's picture comes within ~15 ms (1080p); redisplays every ~65
# A seek that shows a frame further than this from where it aimed did not happen: after
# the input's end libvlc 3 ignores paused seeks until the media is opened again.
_SEEK_MISS_FRAMES = 12
# How long to wait for a picture before nudging libvlc with next_frame() (after reaching
# the end of the input a paused seek shows nothing until then), and before giving up.
_NUDGE_AFTER_MS = 400
_GIVE_UP_AFTER_MS = 2500
_FINGERPRINT_WAIT_MS = 15_000  # a first visit to 1080p footage decodes up to a GOP
# How far either side of the clock's estimate the picture after a pause is looked for.
_PAUSED_PICTURE_RADIUS_FRAMES = 60
# A pause this soon after a seek while playing may come before libvlc has shown the new
# picture (a 1080p long-GOP seek takes up to ~3 s): the picture then is from before the
# seek, or arrives after it was named, so the paused frame is positioned instead.
_PLAYING_SEEK_IN_FLIGHT_S = 3.0
# A paused set_time() made within ~20-50 ms of libvlc pausing decodes nothing (libvlc
# 3.0.24: "get_buffer() failed ... no frame!"), so the window keeps the picture from
# before the seek and libvlc holds no picture to redraw it with: the next resize paints
# it black until Play. On the native surface, where no picture says whether a seek
# rendered, seek only this long after the pause.
NATIVE_SEEK_AFTER_PAUSE_MS = 150
# Behind a frame shown from the frame cache, libvlc is sent to that frame once the reviewer
# has stopped moving this long (each paused seek at 1080p decodes up to a GOP), so Play
# resumes from there instead of opening the media again.
_CATCH_UP_AFTER_MS = 400


class _Phase(Enum):
    WAIT_INDEX = "waiting for fingerprints"
    WAIT_SEEK = "waiting for the picture after a seek"
    WAIT_STEP = "waiting for the picture after next_frame"
    WAIT_SHOWN = "waiting to recognise the paused picture"
    WAIT_PAUSE = "waiting for libvlc to settle into its pause before a plain seek"
    FROM_CACHE = "about to show the frame from the frame cache"


@dataclass
class _Operation:
    """One paused positioning in progress; `target` None means 'just recognise it'."""

    target: int | None
    phase: _Phase
    seeks: int = 0
    steps: int = 0
    stalls: int = 0
    nudged: bool = False
    current: int | None = None
    stale: int | None = None  # the frame shown before a seek, to ignore its redisplays
    seek_frame: int = 0  # where the last set_time() aimed
    stall_pending: bool = False  # the old picture came back after next_frame()
    started: float = 0.0


class PausedPositioning(QObject):
    """One positioning at a time on one libvlc media player, which must be paused.

    `settled` says where it ended (also for a correction seen just after); `reopenNeeded`
    asks the owner to open the media again and position on the frame (libvlc ignores
    paused seeks after the input's end until then).
    """

    settled = Signal(object)  # FramePosition
    verified = Signal(object)  # FramePosition, once no late picture can replace it
    reopenNeeded = Signal(int)  # frame index
    _fingerprintsReady = Signal()  # from the fingerprint thread; queued

    def __init__(self, media_player: Any, surface: VideoSurface, parent: QObject | None = None):
        super().__init__(parent)
        self._mp = media_player
        self._surface = surface
        self._probe: VideoProbe | None = None
        self._fingerprints: FrameFingerprints | None = None
        self._frame_cache: FrameCache | None = None
        self._op: _Operation | None = None
        self._reopened_for: int | None = None
        self._still_shown = False
        self._paused_at = 0.0
        self._playing_seek_at = 0.0
        self._input_spent = False
        self._settled_target: int | None = None  # what the positioning that settled aimed at
        self._retried_for: int | None = None
        self._watch = SettledFrameWatch(self)
        self._watch.verified.connect(self._on_verified)
        self._deadline = QTimer(self, singleShot=True)
        self._deadline.timeout.connect(self._on_deadline)
        self._libvlc_near_still = False
        self._catch_up = QTimer(self, singleShot=True, interval=_CATCH_UP_AFTER_MS)
        self._catch_up.timeout.connect(self._catch_up_behind_still)
        self._fingerprintsReady.connect(self._on_fingerprints, Qt.ConnectionType.QueuedConnection)

    def set_clip(
        self,
        probe: VideoProbe | None,
        fingerprints: FrameFingerprints | None,
        frame_cache: FrameCache | None = None,
    ) -> None:
        self.release_still()  # a catch-up for the clip before must not seek in this one
        self._settled_target = None
        self._input_spent = False
        self._probe = probe
        self._fingerprints = fingerprints
        self._frame_cache = frame_cache

    def fingerprints_ready(self) -> None:
        """For FrameFingerprints' on_ready: safe to call from its thread."""
        self._fingerprintsReady.emit()

    @property
    def busy(self) -> bool:
        return self._op is not None

    @property
    def verifying(self) -> bool:
        """Settled, but a late picture may still replace the frame named."""
        return self._watch.watching

    @property
    def target(self) -> int | None:
        """The frame being positioned on, if any."""
        return self._op.target if self._op is not None else None

    @property
    def still_shown(self) -> bool:
        """A PyAV-decoded picture is on screen: libvlc itself is somewhere else."""
        return self._still_shown

    @property
    def libvlc_near_still(self) -> bool:
        """libvlc was sent to the frame the still shows (it lands up to 4 frames early),
        so playing can resume there without opening the media again."""
        return self._still_shown and self._libvlc_near_still

    def release_still(self) -> None:
        if self._still_shown and isinstance(self._surface, CallbackSurface):
            self._surface.release_still()
        self._still_shown = False
        self._libvlc_near_still = False
        self._catch_up.stop()

    def cancel(self) -> None:
        self._deadline.stop()
        self._watch.stop()
        self._op = None

    def note_paused(self) -> None:
        """libvlc has just reported that it paused."""
        self._paused_at = time.monotonic()

    def note_playing_seek(self) -> None:
        """The player has just sought while playing (its picture may be a while coming)."""
        self._playing_seek_at = time.monotonic()

    # --- what the player asks for --------------------------------------------------------

    def start(self, target: int, shown: FramePosition | None) -> None:
        """Put frame `target` on screen; `shown` is what is on screen now."""
        probe, fingerprints = self._probe, self._fingerprints
        assert probe is not None and fingerprints is not None
        fingerprints.focus(target)
        stale = shown.frame_index if shown and shown.exact else None
        self.release_still()
        self._watch.stop()
        self._op = _Operation(target, _Phase.WAIT_INDEX, stale=stale, started=time.monotonic())
        if not isinstance(self._surface, CallbackSurface):
            if self._input_spent:
                # libvlc ignores every paused seek once its input has ended, and the
                # native window gives no picture to notice it by: open the media again.
                self._input_spent = False
                self._op = None
                self.reopenNeeded.emit(target)
                return
            since_pause_ms = (time.monotonic() - self._paused_at) * 1000
            if since_pause_ms < NATIVE_SEEK_AFTER_PAUSE_MS:
                self._op.phase = _Phase.WAIT_PAUSE
                self._deadline.start(round(NATIVE_SEEK_AFTER_PAUSE_MS - since_pause_ms))
                return
            self._plain_seek(target)
            return
        if self._frame_cache is not None and self._frame_cache.has(target):
            # Decoded already (a step back, a short jump): show that frame instead of
            # having libvlc decode from the keyframe before it. Answered from the event
            # loop, as every request is, so a caller can connect to frameSettled after it.
            self._op.phase = _Phase.FROM_CACHE
            QTimer.singleShot(0, self, lambda op=self._op: self._show_cached(op))
            return
        self._deadline.start(_FINGERPRINT_WAIT_MS)  # for the WAIT_INDEX phase it starts in
        self._seek_when_indexed()

    def step(self, current: int, target: int) -> None:
        """One next_frame() from the exactly known `current` to `target` (the next one)."""
        self._watch.stop()
        self._op = _Operation(target, _Phase.WAIT_STEP, current=current, started=time.monotonic())
        self._next_frame()

    def name_paused_picture(self, estimate: int, fallback: FramePosition) -> None:
        """Playback just paused near frame `estimate`: say which frame is on screen, or
        settle on `fallback` where the picture cannot be seen."""
        fingerprints = self._fingerprints
        self._watch.stop()
        if time.monotonic() - self._playing_seek_at < _PLAYING_SEEK_IN_FLIGHT_S:
            self._playing_seek_at = 0.0
            self.start(estimate, None)
            return
        if not isinstance(self._surface, CallbackSurface) or fingerprints is None:
            self._settle(fallback)
            return
        fingerprints.focus(estimate)
        self._op = _Operation(None, _Phase.WAIT_SHOWN, current=estimate)
        self._op.started = time.monotonic()
        self._deadline.start(_FINGERPRINT_WAIT_MS)
        self._try_recognise_shown()

    def on_picture(self) -> None:
        """libvlc delivered a picture (callback surface) while a positioning is under way."""
        op = self._op
        if op is None or op.phase in (_Phase.WAIT_INDEX, _Phase.FROM_CACHE):
            return
        if op.phase is _Phase.WAIT_SHOWN:
            self._try_recognise_shown()
            return
        assert op.target is not None
        first, last = self._window(op.target)
        if op.current is not None:
            first, last = min(first, op.current - 2), max(last, op.current + 4)
        self._recognise_and_continue(first, last)

    def correction(self, frame: FramePosition) -> FramePosition | None:
        """A late picture after settling (libvlc acting on an earlier next_frame) must not
        leave the reported frame wrong: the frame now on screen, if it is another."""
        fingerprints, surface = self._fingerprints, self._surface
        if self._still_shown or fingerprints is None or not isinstance(surface, CallbackSurface):
            return None
        return self._watch.correction(frame, fingerprints, surface)

    def _on_verified(self, frame: FramePosition, changed: bool) -> None:
        if changed:
            self.settled.emit(frame)
        target = self._settled_target
        if target is not None and frame.frame_index != target and self._retried_for != target:
            # A late picture (libvlc acting on an earlier next_frame) replaced the target
            # after it settled: the report followed it, now put the target back, once.
            log.info("frame %d replaced by %d after settling", target, frame.frame_index)
            self._retried_for = target
            self.start(target, frame)
            return
        self._retried_for = None
        self.verified.emit(frame)

    def _picture_if_moved(self, frame: FramePosition) -> FramePosition | None:
        fingerprints, surface = self._fingerprints, self._surface
        if self._still_shown or fingerprints is None or not isinstance(surface, CallbackSurface):
            return None
        return picture_near(frame, fingerprints, surface) if frame.exact else None

    # --- the loop ------------------------------------------------------------------------

    def _plain_seek(self, target: int) -> None:
        """No picture to inspect (native surface): seek and say how unsure we are."""
        assert self._probe is not None
        self._op = None
        self._mp.set_time(self._probe.ms_of_frame(target))
        # A paused seek into the last GOP reads the input to its end (libvlc 3.0.24): the
        # picture then stays on screen whatever is asked for next.
        self._input_spent = target >= self._probe.keyframe_at_or_before(self._probe.frame_count - 1)
        uncertainty = 0 if target == 0 else PLAIN_SEEK_UNCERTAINTY_FRAMES
        self._settle(estimated_position(self._probe, target, uncertainty))

    def _window(self, target: int) -> tuple[int, int]:
        return target - _SEEK_LEAD_FRAMES * _MAX_SEEKS - 8, target + 2

    def _seek_when_indexed(self) -> None:
        op, probe, fingerprints = self._op, self._probe, self._fingerprints
        assert op is not None and op.target is not None
        assert probe is not None and fingerprints is not None
        # Only the frames this seek can land on must be known before it is made.
        lead = _SEEK_LEAD_FRAMES * (op.seeks + 1)
        if not fingerprints.ready(op.target - lead - PLAIN_SEEK_UNCERTAINTY_FRAMES, op.target):
            if op.phase is not _Phase.WAIT_INDEX:  # one deadline for the whole wait
                op.phase = _Phase.WAIT_INDEX
                self._deadline.start(_FINGERPRINT_WAIT_MS)
            return
        op.seeks += 1
        op.phase = _Phase.WAIT_SEEK
        op.nudged = False
        op.started = time.monotonic()
        op.seek_frame = max(op.target - lead, 0)
        self._mp.set_time(probe.ms_of_frame(op.seek_frame))
        self._deadline.start(_NUDGE_AFTER_MS)

    def _on_fingerprints(self) -> None:
        op = self._op
        if op is None:
            return
        if op.phase is _Phase.WAIT_INDEX:
            self._seek_when_indexed()
        elif op.phase is _Phase.WAIT_SHOWN:
            self._try_recognise_shown()

    def _try_recognise_shown(self) -> None:
        op, fingerprints = self._op, self._fingerprints
        assert op is not None and op.current is not None and fingerprints is not None
        first = op.current - _PAUSED_PICTURE_RADIUS_FRAMES
        last = op.current + _PAUSED_PICTURE_RADIUS_FRAMES
        if not fingerprints.ready(first, last):
            return
        self._recognise_and_continue(first, last)

    def _recognise_and_continue(self, first: int, last: int) -> None:
        op, probe, fingerprints, surface = self._op, self._probe, self._fingerprints, self._surface
        assert op is not None and probe is not None and fingerprints is not None
        assert isinstance(surface, CallbackSurface)
        picture = surface.latest_picture()
        if picture is None:
            return
        found = identify_near(fingerprints, picture, first, last)
        if found is None:
            if op.phase is _Phase.WAIT_SEEK and not op.nudged:
                return  # maybe the old picture or a half-built index; the deadline decides
            if op.target is not None:
                self._show_decoded_still()
            else:
                self._position_paused_estimate()
            return
        if op.phase is _Phase.WAIT_SHOWN or op.target is None:
            if found.exact:
                self._settle(recognised_position(probe, found))
            else:
                self._position_paused_estimate()
            return
        if (
            op.phase is _Phase.WAIT_SEEK
            and found.frame_index == op.stale
            and (time.monotonic() - op.started) * 1000 < _NUDGE_AFTER_MS / 2
        ):
            return  # a redisplay of the picture from before the seek
        if op.phase is _Phase.WAIT_SEEK and (
            abs(found.frame_index - op.seek_frame) > _SEEK_MISS_FRAMES
        ):
            if op.nudged:
                self._recover_from_stuck_input()
            return  # an old picture; the deadline nudges libvlc with next_frame()
        if op.phase is _Phase.WAIT_STEP and found.frame_index == op.current:
            # Either next_frame() did nothing (it happens just after a seek) or this is a
            # redisplay of the old picture and the new one is on its way. Stepping again
            # at once could put a frame on screen after we named another, so wait a little.
            if not op.stall_pending:
                op.stall_pending = True
                self._deadline.start(_STALL_WAIT_MS)
            return
        op.stall_pending = False
        op.stalls = 0
        self._step_towards(found)

    def _position_paused_estimate(self) -> None:
        """The paused picture cannot be named exactly near the clock's estimate (it may be
        one from far away, or look like its neighbours): put the estimate on screen
        instead of reporting a position the picture does not show."""
        op = self._op
        assert op is not None and op.current is not None
        log.info("paused picture not named near frame %d; positioning there", op.current)
        self.start(op.current, None)

    def _on_stall(self) -> None:
        op = self._op
        assert op is not None
        op.stall_pending = False
        op.stalls += 1
        if op.stalls <= _MAX_STALLS:
            self._next_frame()
        else:
            # next_frame() cannot reach the last few frames: libvlc keeps them in the
            # decoder until the end of input.
            self._show_decoded_still()

    def _recover_from_stuck_input(self) -> None:
        """Have the media opened again once per request and position again; if libvlc
        still does not follow, show the frame decoded by PyAV."""
        op = self._op
        assert op is not None and op.target is not None
        if self._reopened_for == op.target:
            self._show_decoded_still()
            return
        log.info("libvlc ignored a paused seek; reopening the media")
        self._reopened_for = op.target
        self.cancel()
        self.reopenNeeded.emit(op.target)

    def _step_towards(self, found: Identification) -> None:
        op, probe = self._op, self._probe
        assert op is not None and op.target is not None and probe is not None
        op.current = found.frame_index
        if not found.exact:
            self._show_decoded_still()  # too like its neighbours to step by
        elif found.frame_index == op.target:
            self._settle(recognised_position(probe, found))
        elif op.target - _MAX_STEPS < found.frame_index < op.target and op.steps < _MAX_STEPS:
            op.steps += 1
            op.phase = _Phase.WAIT_STEP
            self._next_frame()
        elif op.seeks < _MAX_SEEKS:
            self._seek_when_indexed()
        else:
            self._show_decoded_still()

    def _show_cached(self, op: _Operation) -> None:
        if self._op is op:  # not cancelled or replaced meanwhile
            self._show_decoded_still()
            if self._still_shown:
                self._catch_up.start()

    def _catch_up_behind_still(self) -> None:
        """Send libvlc (paused, its pictures held back) to the frame the still shows;
        not into the last GOP, after which libvlc ignores paused seeks."""
        probe, target = self._probe, self._settled_target
        if not self._still_shown or probe is None or target is None:
            return
        if target >= probe.keyframe_at_or_before(probe.frame_count - 1):
            return
        self._mp.set_time(probe.ms_of_frame(target))
        self._libvlc_near_still = True

    def _show_decoded_still(self) -> None:
        """Show the target as PyAV decoded it: from the frame cache when it holds it, else
        decoded now (the last resort that is still exact). The picture is the decoded
        frame of that index, so the position is exact without recognising anything."""
        op, probe, surface = self._op, self._probe, self._surface
        assert op is not None and op.target is not None and probe is not None
        assert isinstance(surface, CallbackSurface)
        width, height = surface.buffer_size
        cache = self._frame_cache
        try:
            picture = cache.picture(op.target, width, height) if cache is not None else None
            if picture is None:
                picture = decode_frame_bgra(probe, op.target, width, height)
        except (ValueError, OSError) as exc:
            log.info("could not decode frame %d: %s", op.target, exc)
            guess = op.current or op.target
            self._settle(estimated_position(probe, guess, PLAIN_SEEK_UNCERTAINTY_FRAMES))
            return
        surface.show_still(picture)
        self._still_shown = True
        self._settle(estimated_position(probe, op.target, 0))

    def _next_frame(self) -> None:
        assert self._op is not None
        self._op.started = time.monotonic()
        self._mp.next_frame()
        self._deadline.start(_NUDGE_AFTER_MS)

    def _on_deadline(self) -> None:
        op, probe = self._op, self._probe
        if op is None:
            return
        waited_ms = (time.monotonic() - op.started) * 1000
        if op.phase is _Phase.WAIT_PAUSE and op.target is not None:
            self._plain_seek(op.target)
            return
        if op.phase is _Phase.WAIT_STEP and op.stall_pending:
            self._on_stall()
            return
        if op.phase in (_Phase.WAIT_SEEK, _Phase.WAIT_STEP) and not op.nudged:
            op.nudged = True  # after the input's end libvlc shows nothing until next_frame()
            self._mp.next_frame()
            self._deadline.start(_GIVE_UP_AFTER_MS - _NUDGE_AFTER_MS)
            return
        if op.phase is _Phase.WAIT_SEEK and op.target is not None:
            self._recover_from_stuck_input()
            return
        log.info("paused positioning gave up after %.0f ms (%s)", waited_ms, op.phase.value)
        if op.phase is _Phase.WAIT_INDEX and op.target is not None:
            self._mp.set_time(probe.ms_of_frame(op.target) if probe else 0)
            self._show_decoded_still()
            return
        assert probe is not None
        guess = self._best_guess()
        self._settle(estimated_position(probe, guess, PLAIN_SEEK_UNCERTAINTY_FRAMES))

    def _best_guess(self) -> int:
        op = self._op
        assert op is not None
        if op.current is not None:
            return op.current
        return op.target if op.target is not None else 0

    def _settle(self, position: FramePosition) -> None:
        if position.exact and self._frame_cache is not None:
            self._frame_cache.focus(position.frame_index)
        self._deadline.stop()
        self._settled_target = self._op.target if self._op is not None else None
        self._op = None
        self._reopened_for = None
        self._watch.begin(position, self._picture_if_moved)
        self.settled.emit(position)
