"""VlcPlayer: the one object that calls libvlc, on the GUI thread, with ms-named units.

libvlc reports through callbacks on its own threads and is not re-entrant, so each libvlc
event handler here only emits a queued Qt signal; the slot then runs on the GUI thread.

Frame exactness. libvlc 3 cannot say which frame it shows: a paused set_time() lands 1-4
frames early (by a varying amount, with B-frames) and get_time() moves in 250-500 ms steps.
So, on the callback surface, every paused positioning is a small loop: seek a few frames
before the target, recognise the picture libvlc delivered by its PyAV fingerprint, then
next_frame() (or seek again) until the target is on screen. When the picture cannot be
recognised (no buffer on the native surface, a still scene, a damaged file) the position
is reported with its uncertainty instead of being presented as exact.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from bwv_review.ingest.probe import ProbeError, VideoProbe, probe_video
from bwv_review.media.fingerprints import FrameFingerprints, Identification, decode_frame_bgra
from bwv_review.media.surfaces import CallbackSurface, NativeSurface, VideoSurface
from bwv_review.media.vlc_loader import vlc_module
from bwv_review.media.vlc_setup import VlcLog, instance_args

log = logging.getLogger(__name__)

# A paused set_time() shows a frame up to this many frames early (libvlc 3.0.24, H.264
# with B-frames); without recognition that is the honest uncertainty of a paused seek.
PLAIN_SEEK_UNCERTAINTY_FRAMES = 4
# Seek this many frames before the target: the first one or two next_frame() calls after a
# seek can stall or skip a frame, so they must happen before the target, not on it.
_SEEK_LEAD_FRAMES = 8
_MAX_SEEKS = 4
_MAX_STEPS = 40
_MAX_STALLS = 3
_STALL_WAIT_MS = 60  # a step's picture comes within ~15 ms (1080p); redisplays every ~65
# After settling, keep checking the pictures that still arrive for this long, and correct
# the reported frame if one differs: what we say is on screen must stay true.
_WATCH_AFTER_SETTLE_S = 0.3
# A seek that shows a frame further than this from where it aimed did not happen: after
# the input's end libvlc 3 ignores paused seeks until the media is opened again.
_SEEK_MISS_FRAMES = 12
# How long to wait for a picture before nudging libvlc with next_frame() (after reaching
# the end of the input a paused seek shows nothing until then), and before giving up.
_NUDGE_AFTER_MS = 400
_GIVE_UP_AFTER_MS = 2500
_FINGERPRINT_WAIT_MS = 15_000  # a first visit to 1080p footage decodes up to a GOP
_TICK_MS = 40
# While playing on the callback surface, name the picture on screen this often and run the
# clock from it: libvlc's get_time() can trail the picture by up to ~480 ms.
_RECOGNISE_EVERY_TICKS = 6
_PICTURE_CLOCK_FRESH_S = 1.0
RATES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
_STATE_EVENTS = (
    "MediaPlayerPlaying",
    "MediaPlayerPaused",
    "MediaPlayerEndReached",
    "MediaPlayerEncounteredError",
    "MediaPlayerTimeChanged",
    "MediaPlayerVout",
)
# On a native window there is no picture callback: pause this long after libvlc creates
# its video output, by when the first picture is out (pausing earlier leaves libvlc 3
# ignoring paused seeks).
_NATIVE_FIRST_PICTURE_MS = 120


class PlaybackState(Enum):
    NO_MEDIA = "no media"
    OPENING = "opening"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"


@dataclass(frozen=True)
class FramePosition:
    """Where the paused player is: the frame on screen and how sure we are of it."""

    frame_index: int
    position_ms: int
    uncertainty_frames: int  # 0: this exact frame is on screen

    @property
    def exact(self) -> bool:
        return self.uncertainty_frames == 0


class _Phase(Enum):
    WAIT_INDEX = "waiting for fingerprints"
    WAIT_SEEK = "waiting for the picture after a seek"
    WAIT_STEP = "waiting for the picture after next_frame"
    WAIT_SHOWN = "waiting to recognise the paused picture"


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


class VlcPlayer(QObject):
    """A libvlc media player for one clip at a time. GUI thread only.

    Raises VlcUnavailableError on construction when libvlc is missing (check
    `vlc_loader.load_vlc()` first and show its hint instead).
    """

    stateChanged = Signal(object)  # PlaybackState
    positionChanged = Signal(int)  # ms; interpolated while playing
    durationChanged = Signal(int)  # ms
    rateChanged = Signal(float)
    volumeChanged = Signal(int, bool)  # percent, muted
    frameSettled = Signal(object)  # FramePosition, when a paused positioning finishes
    endReached = Signal()
    errorOccurred = Signal(str)
    clipLoaded = Signal(object)  # VideoProbe of the clip just opened
    _vlcEvent = Signal(str, int)  # from libvlc threads; queued to the GUI thread
    _fingerprintsReady = Signal()  # from the fingerprint thread; queued

    def __init__(
        self,
        surface: VideoSurface,
        *,
        hardware_decoding: bool = False,
        vlc_args: tuple[str, ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vlc = vlc_module()
        self._instance = self._vlc.Instance(instance_args(vlc_args))
        self._vlc_log = VlcLog(self._vlc, self._instance)
        self._mp = self._instance.media_player_new()
        self._surface = surface
        self._hardware_decoding = hardware_decoding
        self._media: Any = None
        self._probe: VideoProbe | None = None
        self._fingerprints: FrameFingerprints | None = None
        self._state = PlaybackState.NO_MEDIA
        self._frame: FramePosition | None = None
        self._op: _Operation | None = None
        self._pending_target: int | None = None
        self._rate = 1.0
        self._volume = 100
        self._muted = False
        self._loop_ms: tuple[int, int] | None = None
        self._anchor_ms = 0
        self._anchor_clock = time.monotonic()
        self._shown_ms = 0
        self._ticks = 0
        self._picture_anchored_at = 0.0
        self._watch_until = 0.0
        self._closed = False
        self._resume_after_open = False
        self._pause_requested = False
        self._reopened_for: int | None = None
        self._still_shown = False
        self._vlcEvent.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._fingerprintsReady.connect(self._on_fingerprints, Qt.ConnectionType.QueuedConnection)
        self._events = self._mp.event_manager()
        for name in _STATE_EVENTS:
            self._events.event_attach(getattr(self._vlc.EventType, name), self._make_handler(name))
        self._ticker = QTimer(self, interval=_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._deadline = QTimer(self, singleShot=True)
        self._deadline.timeout.connect(self._on_deadline)
        if isinstance(surface, CallbackSurface):
            surface.frameDisplayed.connect(self._on_picture)

    # --- properties (units in the names) ---------------------------------------------------

    @property
    def state(self) -> PlaybackState:
        return self._state

    @property
    def probe(self) -> VideoProbe | None:
        return self._probe

    @property
    def duration_ms(self) -> int:
        return self._probe.duration_ms if self._probe else 0

    @property
    def position_ms(self) -> int:
        """Interpolated while playing; the settled frame's start while paused."""
        if self._state is PlaybackState.PLAYING:
            return self._interpolated_ms()
        return self._frame.position_ms if self._frame else self._shown_ms

    @property
    def frame(self) -> FramePosition | None:
        """The frame on screen while paused (None while playing or before the first)."""
        return None if self._state is PlaybackState.PLAYING else self._frame

    @property
    def busy(self) -> bool:
        """A paused positioning is still under way."""
        return self._op is not None

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def volume_percent(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def surface(self) -> VideoSurface:
        return self._surface

    # --- opening ------------------------------------------------------------------------------

    def load(self, path: Path, start_ms: int = 0, probe: VideoProbe | None = None) -> None:
        """Open a clip paused on the frame at start_ms. Unreadable files give errorOccurred.

        Pass the probe made when the clip was registered if there is one: listing the
        frames reads the whole file (about a minute for an hour of 1080p).
        """
        self._stop_media()
        try:
            probe = probe if probe is not None and probe.path == path else probe_video(path)
        except ProbeError as exc:
            self._fail(str(exc))
            return
        if probe.truncated:
            self._fail(
                f"{path}: the file is incomplete or damaged ({probe.frame_count} of "
                f"{probe.declared_frame_count} frames readable); ask for a fresh copy"
            )
            return
        self._probe = probe
        self._fingerprints = FrameFingerprints(probe, on_ready=self._fingerprintsReady.emit)
        target = probe.frame_at_ms(start_ms)
        self._media = self._instance.media_new_path(str(path))
        self._media.add_option(":avcodec-hw=" + ("any" if self._hardware_decoding else "none"))
        self._surface.set_message("")
        self._surface.attach(self._vlc, self._mp, probe.width, probe.height)
        self._apply_watermark()
        self._mp.set_media(self._media)
        self._frame = None
        self._shown_ms = probe.ms_of_frame(target)
        self._pending_target = target
        self._pause_requested = False
        self._set_state(PlaybackState.OPENING)
        self.durationChanged.emit(probe.duration_ms)
        self.clipLoaded.emit(probe)
        # :start-paused (or pausing before the first picture) leaves libvlc 3 ignoring every
        # later paused seek; so play, pause once a picture is out, and position from there.
        self._mp.play()

    def stop(self) -> None:
        """Stop and unload the clip at once, as when its file turns out not to be the
        registered footage; `load` opens a clip again."""
        self._stop_media()
        self._set_state(PlaybackState.NO_MEDIA)

    def close(self) -> None:
        """Stop and free libvlc; the player cannot be used afterwards. Safe to repeat."""
        if self._closed:
            return
        self._closed = True
        self._stop_media()
        for name in _STATE_EVENTS:
            self._events.event_detach(getattr(self._vlc.EventType, name))
        self._mp.release()
        self._vlc_log.detach()
        self._instance.release()

    # --- transport ------------------------------------------------------------------------------

    def play(self) -> None:
        if self._state is PlaybackState.PAUSED:
            self._cancel_operation()
            if self._still_shown:
                # libvlc is elsewhere, maybe at the end of its input: start it afresh there.
                self._release_still()
                self._resume_after_open = True
                self._reopen(self._frame.frame_index if self._frame else 0)
                return
            self._anchor(self.position_ms)
            self._mp.set_pause(0)
        elif self._state is PlaybackState.ENDED:
            self._resume_after_open = True
            self._reopen(0)

    def pause(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self._mp.set_pause(1)

    def toggle_play(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def seek_ms(self, position_ms: int) -> None:
        """Go to the frame on screen at position_ms (exact when paused, fast when playing)."""
        if self._probe is None:
            return
        position_ms = min(max(position_ms, 0), self.duration_ms)
        if self._state is PlaybackState.PLAYING:
            self._mp.set_time(position_ms)
            self._anchor(position_ms, hold=False)
            self.positionChanged.emit(position_ms)
            return
        self.seek_frame(self._probe.frame_at_ms(position_ms))

    def jump_ms(self, delta_ms: int) -> None:
        self.seek_ms(self._base_ms() + delta_ms)

    def seek_frame(self, frame_index: int) -> None:
        """Show exactly frame_index (paused), or play on from it (playing)."""
        probe = self._probe
        if probe is None:
            return
        frame_index = min(max(frame_index, 0), probe.frame_count - 1)
        if self._state is PlaybackState.PLAYING:
            self.seek_ms(probe.ms_of_frame(frame_index))
        elif self._state is PlaybackState.ENDED:
            self._reopen(frame_index)
        elif self._op is not None or self._state is PlaybackState.OPENING:
            self._pending_target = frame_index  # the latest request wins
        elif self._frame == FramePosition(frame_index, probe.ms_of_frame(frame_index), 0):
            settled = self._frame  # already there; still answer later, like every request
            QTimer.singleShot(0, self, lambda: self.frameSettled.emit(settled))
        elif self._state is PlaybackState.PAUSED:
            self._start_positioning(frame_index)

    def step_forward(self) -> None:
        """Show the next frame (paused). next_frame() is cheap, so prefer it to a seek."""
        if self._state is PlaybackState.PLAYING:
            self.pause()
            return
        base = self._base_frame()
        if base is None or self._probe is None:
            return
        target = min(base + 1, self._probe.frame_count - 1)
        frame = self._frame
        can_step = (
            self._op is None
            and not self._still_shown
            and self._state is PlaybackState.PAUSED
            and isinstance(self._surface, CallbackSurface)
            and frame is not None
            and frame.exact
            and frame.frame_index + 1 == target
        )
        if not can_step:
            self.seek_frame(target)
            return
        self._op = _Operation(target, _Phase.WAIT_STEP, current=base, started=time.monotonic())
        self._next_frame()

    def step_backward(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self.pause()
            return
        base = self._base_frame()
        if base is not None:
            self.seek_frame(base - 1)

    def set_rate(self, rate: float) -> None:
        """Playback speed, 0.25x to 2x. The anchor moves first so the clock never jumps."""
        rate = min(max(rate, RATES[0]), RATES[-1])
        self._anchor(self.position_ms)
        self._rate = rate
        self._mp.set_rate(rate)
        self.rateChanged.emit(rate)

    def set_volume(self, percent: int) -> None:
        self._volume = min(max(percent, 0), 100)
        self._mp.audio_set_volume(self._volume)
        self.volumeChanged.emit(self._volume, self._muted)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._mp.audio_set_mute(muted)
        self.volumeChanged.emit(self._volume, self._muted)

    def set_ab_loop(self, loop_ms: tuple[int, int] | None) -> None:
        """While playing, jump back to A on reaching B. None ends the loop."""
        if loop_ms is not None and loop_ms[1] <= loop_ms[0]:
            raise ValueError("the loop's end must come after its start")
        self._loop_ms = loop_ms

    @property
    def ab_loop_ms(self) -> tuple[int, int] | None:
        return self._loop_ms

    def set_watermark(self, text: str) -> None:
        self._surface.set_watermark(text)
        self._apply_watermark()

    # --- libvlc events (slots on the GUI thread) ------------------------------------------

    def _make_handler(self, name: str) -> Any:
        def handler(event: Any) -> None:  # runs on a libvlc thread: emit only
            value = event.u.new_time if name == "MediaPlayerTimeChanged" else 0
            self._vlcEvent.emit(name, int(value))

        return handler

    def _on_vlc_event(self, name: str, value: int) -> None:
        if self._probe is None:
            return
        if name == "MediaPlayerTimeChanged":
            picture_clock_age_s = time.monotonic() - self._picture_anchored_at
            if self._state is PlaybackState.PLAYING and picture_clock_age_s > (
                _PICTURE_CLOCK_FRESH_S
            ):
                self._anchor(value, hold=True)
        elif name == "MediaPlayerPlaying":
            if self._state is PlaybackState.OPENING and not self._resume_after_open:
                return  # paused once the first picture is out (_on_picture, or Vout below)
            if self._resume_after_open and self._pending_target and self._probe:
                self._shown_ms = self._probe.ms_of_frame(self._pending_target)
                self._mp.set_time(self._shown_ms)
            self._resume_after_open = False
            self._pending_target = None
            self._frame = None
            self._anchor(self._shown_ms)
            self._set_state(PlaybackState.PLAYING)
            self._ticker.start()
        elif name == "MediaPlayerVout":
            if (
                self._state is PlaybackState.OPENING
                and not self._resume_after_open
                and not isinstance(self._surface, CallbackSurface)
            ):
                QTimer.singleShot(_NATIVE_FIRST_PICTURE_MS, self._pause_while_opening)
        elif name == "MediaPlayerPaused":
            self._on_paused()
        elif name == "MediaPlayerEndReached":
            self._on_end()
        elif name == "MediaPlayerEncounteredError":
            self._fail(f"{self._probe.path}: VLC could not play this file")

    def _on_paused(self) -> None:
        probe = self._probe
        assert probe is not None
        if self._state is PlaybackState.OPENING:
            self._set_state(PlaybackState.PAUSED)
            target = self._pending_target or 0
            self._pending_target = None
            self._start_positioning(target)
            return
        if self._state is not PlaybackState.PLAYING:
            return
        self._ticker.stop()
        shown_ms = self._interpolated_ms()
        self._shown_ms = shown_ms
        self._set_state(PlaybackState.PAUSED)
        estimate = probe.frame_at_ms(shown_ms)
        self._frame = self._unrecognised(estimate, max(PLAIN_SEEK_UNCERTAINTY_FRAMES, 15))
        if isinstance(self._surface, CallbackSurface) and self._fingerprints is not None:
            self._fingerprints.focus(estimate)
            self._op = _Operation(None, _Phase.WAIT_SHOWN, current=estimate)
            self._op.started = time.monotonic()
            self._deadline.start(_FINGERPRINT_WAIT_MS)
            self._try_recognise_shown()
        else:
            self._settle(self._frame)

    def _on_end(self) -> None:
        self._ticker.stop()
        self._cancel_operation()
        probe = self._probe
        assert probe is not None
        last = probe.frame_count - 1
        self._shown_ms = probe.ms_of_frame(last)
        self._frame = self._unrecognised(last, PLAIN_SEEK_UNCERTAINTY_FRAMES)
        self._set_state(PlaybackState.ENDED)
        self.positionChanged.emit(probe.duration_ms)
        self.endReached.emit()

    # --- paused positioning -----------------------------------------------------------------

    def _start_positioning(self, target: int) -> None:
        probe, fingerprints = self._probe, self._fingerprints
        assert probe is not None and fingerprints is not None
        fingerprints.focus(target)
        stale = self._frame.frame_index if self._frame and self._frame.exact else None
        self._release_still()
        self._op = _Operation(target, _Phase.WAIT_INDEX, stale=stale, started=time.monotonic())
        if not isinstance(self._surface, CallbackSurface):
            self._plain_seek(target)
            return
        self._deadline.start(_FINGERPRINT_WAIT_MS)  # for the WAIT_INDEX phase it starts in
        self._seek_when_indexed()

    def _plain_seek(self, target: int) -> None:
        """No picture to inspect (native surface): seek and say how unsure we are."""
        assert self._probe is not None
        self._op = None
        self._mp.set_time(self._probe.ms_of_frame(target))
        uncertainty = 0 if target == 0 else PLAIN_SEEK_UNCERTAINTY_FRAMES
        self._settle(self._unrecognised(target, uncertainty))

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
        first, last = op.current - 60, op.current + 60
        if not fingerprints.ready(first, last):
            return
        self._recognise_and_continue(first, last)

    def _pause_while_opening(self) -> None:
        if (
            self._state is PlaybackState.OPENING
            and not self._resume_after_open
            and self._probe is not None
            and not self._pause_requested
        ):
            self._pause_requested = True
            self._mp.set_pause(1)

    def _on_picture(self) -> None:
        if self._state is PlaybackState.OPENING:
            self._pause_while_opening()
            return
        op = self._op
        if op is None:
            self._check_settled_picture()
            return
        if op.phase is _Phase.WAIT_INDEX:
            return
        if op.phase is _Phase.WAIT_SHOWN:
            self._try_recognise_shown()
            return
        assert op.target is not None
        first, last = self._window(op.target)
        if op.current is not None:
            first, last = min(first, op.current - 2), max(last, op.current + 4)
        self._recognise_and_continue(first, last)

    def _recognise_and_continue(self, first: int, last: int) -> None:
        op, fingerprints, surface = self._op, self._fingerprints, self._surface
        assert op is not None and fingerprints is not None
        assert isinstance(surface, CallbackSurface)
        picture = surface.latest_picture()
        if picture is None:
            return
        found = fingerprints.identify(picture, first, last)
        if found is None:
            found = fingerprints.identify(picture, 0, fingerprints.probe.frame_count - 1)
        if found is None:
            if op.phase is _Phase.WAIT_SEEK and not op.nudged:
                return  # maybe the old picture or a half-built index; the deadline decides
            if op.target is not None:
                self._show_decoded_still()
            else:
                self._settle(self._unrecognised(self._best_guess(), 15))
            return
        if op.phase is _Phase.WAIT_SHOWN or op.target is None:
            self._settle(self._recognised(found))
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

    def _check_settled_picture(self) -> None:
        """A late picture after settling (libvlc acting on an earlier next_frame) must not
        leave the reported frame wrong: recognise it and correct the report."""
        frame, fingerprints, surface = self._frame, self._fingerprints, self._surface
        if (
            frame is None
            or not frame.exact
            or self._still_shown
            or self._state is not PlaybackState.PAUSED
            or time.monotonic() > self._watch_until
            or fingerprints is None
            or not isinstance(surface, CallbackSurface)
        ):
            return
        picture = surface.latest_picture()
        first, last = frame.frame_index - 8, frame.frame_index + 8
        found = fingerprints.identify(picture, first, last) if picture is not None else None
        if found is not None and found.frame_index != frame.frame_index:
            log.info(
                "picture changed after settling: %d -> %d", frame.frame_index, found.frame_index
            )
            self._frame = self._recognised(found)
            self._shown_ms = self._frame.position_ms
            self.positionChanged.emit(self._frame.position_ms)
            self.frameSettled.emit(self._frame)

    def _recover_from_stuck_input(self) -> None:
        """Reopen the media once per request and position again; if libvlc still does not
        follow, show the frame decoded by PyAV."""
        op = self._op
        assert op is not None and op.target is not None
        if self._reopened_for == op.target:
            self._show_decoded_still()
            return
        log.info("libvlc ignored a paused seek; reopening the media")
        self._reopened_for = op.target
        self._cancel_operation()
        self._reopen(op.target)

    def _step_towards(self, found: Identification) -> None:
        op = self._op
        assert op is not None and op.target is not None
        op.current = found.frame_index
        if not found.exact:
            self._show_decoded_still()  # too like its neighbours to step by
        elif found.frame_index == op.target:
            self._settle(self._recognised(found))
        elif op.target - _MAX_STEPS < found.frame_index < op.target and op.steps < _MAX_STEPS:
            op.steps += 1
            op.phase = _Phase.WAIT_STEP
            self._next_frame()
        elif op.seeks < _MAX_SEEKS:
            self._seek_when_indexed()
        else:
            self._show_decoded_still()

    def _show_decoded_still(self) -> None:
        """The last resort that is still exact: PyAV decodes the target, we show it."""
        op, probe, surface = self._op, self._probe, self._surface
        assert op is not None and op.target is not None and probe is not None
        assert isinstance(surface, CallbackSurface)
        width, height = surface.buffer_size
        try:
            picture = decode_frame_bgra(probe, op.target, width, height)
        except (ValueError, OSError) as exc:
            log.info("could not decode frame %d: %s", op.target, exc)
            self._settle(self._unrecognised(op.current or op.target, PLAIN_SEEK_UNCERTAINTY_FRAMES))
            return
        surface.show_still(picture)
        self._still_shown = True
        self._settle(self._unrecognised(op.target, 0))

    def _next_frame(self) -> None:
        assert self._op is not None
        self._op.started = time.monotonic()
        self._mp.next_frame()
        self._deadline.start(_NUDGE_AFTER_MS)

    def _on_deadline(self) -> None:
        op = self._op
        if op is None:
            return
        waited_ms = (time.monotonic() - op.started) * 1000
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
            self._mp.set_time(self._probe.ms_of_frame(op.target) if self._probe else 0)
            self._show_decoded_still()
            return
        self._settle(self._unrecognised(self._best_guess(), PLAIN_SEEK_UNCERTAINTY_FRAMES))

    def _best_guess(self) -> int:
        op = self._op
        if op is not None and op.current is not None:
            return op.current
        if op is not None and op.target is not None:
            return op.target
        return self._frame.frame_index if self._frame else 0

    def _recognised(self, found: Identification) -> FramePosition:
        assert self._probe is not None
        return FramePosition(
            found.frame_index, self._probe.ms_of_frame(found.frame_index), found.uncertainty_frames
        )

    def _unrecognised(self, frame_index: int, uncertainty: int) -> FramePosition:
        assert self._probe is not None
        frame_index = min(max(frame_index, 0), self._probe.frame_count - 1)
        return FramePosition(frame_index, self._probe.ms_of_frame(frame_index), uncertainty)

    def _settle(self, position: FramePosition) -> None:
        self._deadline.stop()
        self._op = None
        self._reopened_for = None
        self._frame = position
        self._shown_ms = position.position_ms
        self._watch_until = time.monotonic() + _WATCH_AFTER_SETTLE_S
        self.positionChanged.emit(position.position_ms)
        self.frameSettled.emit(position)
        pending, self._pending_target = self._pending_target, None
        if pending is not None and self._state is PlaybackState.PAUSED:
            self.seek_frame(pending)

    def _cancel_operation(self) -> None:
        self._deadline.stop()
        self._op = None
        self._pending_target = None

    # --- clocks ---------------------------------------------------------------------------

    def _anchor(self, position_ms: int, hold: bool = False) -> None:
        """Restart interpolation from position_ms. With hold, never step the display back:
        libvlc's coarse time often trails what the clock already showed."""
        if hold:
            position_ms = max(position_ms, self._shown_ms - 300)
        self._anchor_ms = position_ms
        self._anchor_clock = time.monotonic()
        if not hold:
            self._shown_ms = position_ms

    def _interpolated_ms(self) -> int:
        elapsed_ms = (time.monotonic() - self._anchor_clock) * 1000 * self._rate
        position_ms = self._anchor_ms + int(min(elapsed_ms, 1000 * self._rate))
        return min(max(position_ms, self._shown_ms), self.duration_ms)

    def _tick(self) -> None:
        if self._state is not PlaybackState.PLAYING:
            return
        position_ms = self._interpolated_ms()
        self._shown_ms = position_ms
        if self._loop_ms is not None and position_ms >= self._loop_ms[1]:
            self.seek_ms(self._loop_ms[0])
            return
        self.positionChanged.emit(position_ms)
        self._ticks += 1
        # Fingerprints are not built along while playing: that would decode the footage a
        # second time (a 1080p clip then takes most of a 2-core laptop). The clock uses the
        # regions already known; a pause builds around the paused frame.
        if self._probe is not None and self._ticks % _RECOGNISE_EVERY_TICKS == 0:
            self._anchor_on_picture(self._probe.frame_at_ms(position_ms))

    def _anchor_on_picture(self, estimate: int) -> None:
        fingerprints, surface = self._fingerprints, self._surface
        if not isinstance(surface, CallbackSurface) or fingerprints is None:
            return
        first, last = estimate - 30, estimate + 30
        if not fingerprints.ready(first, last):
            return
        picture = surface.latest_picture()
        found = fingerprints.identify(picture, first, last) if picture is not None else None
        if found is not None and found.exact:
            self._picture_anchored_at = time.monotonic()
            self._anchor(fingerprints.probe.ms_of_frame(found.frame_index))

    def _base_ms(self) -> int:
        base = self._base_frame()
        if base is None or self._probe is None or self._state is PlaybackState.PLAYING:
            return self.position_ms
        return self._probe.ms_of_frame(base)

    def _base_frame(self) -> int | None:
        """The frame the next relative move starts from: a queued target, else the screen."""
        if self._pending_target is not None:
            return self._pending_target
        if self._op is not None and self._op.target is not None:
            return self._op.target
        if self._frame is not None:
            return self._frame.frame_index
        return self._probe.frame_at_ms(self.position_ms) if self._probe else None

    # --- helpers ---------------------------------------------------------------------------

    def _reopen(self, frame_index: int) -> None:
        """After the end libvlc must be restarted: open again, then position (paused) or
        play on from frame_index (when _resume_after_open is set)."""
        self._mp.stop()
        self._shown_ms = 0
        self._pending_target = frame_index
        self._pause_requested = False
        self._set_state(PlaybackState.OPENING)
        self._mp.play()

    def _release_still(self) -> None:
        if self._still_shown and isinstance(self._surface, CallbackSurface):
            self._surface.release_still()
        self._still_shown = False

    def _apply_watermark(self) -> None:
        if isinstance(self._surface, NativeSurface):
            option = self._vlc.VideoMarqueeOption
            self._mp.video_set_marquee_int(option.Enable, 1)
            self._mp.video_set_marquee_string(option.Text, self._surface.marquee_text())
            self._mp.video_set_marquee_int(option.Position, 8 + 2)  # bottom right
            self._mp.video_set_marquee_int(option.Opacity, 150)
            self._mp.video_set_marquee_int(option.Refresh, 1000)

    def _stop_media(self) -> None:
        self._ticker.stop()
        self._cancel_operation()
        if self._media is not None:
            self._mp.stop()  # joins libvlc's threads: no callback runs after this
            self._media.release()
            self._media = None
        if self._fingerprints is not None:
            self._fingerprints.close()
            self._fingerprints = None
        if isinstance(self._surface, CallbackSurface):
            self._surface.clear()
        self._probe = None
        self._frame = None
        self._resume_after_open = False

    def _fail(self, message: str) -> None:
        log.info("player error: %s", message)
        self._stop_media()
        self._surface.set_message(message)
        self._set_state(PlaybackState.ERROR)
        self.errorOccurred.emit(message)

    def _set_state(self, state: PlaybackState) -> None:
        if state is not self._state:
            self._state = state
            self.stateChanged.emit(state)
