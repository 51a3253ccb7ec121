"""VlcPlayer: one clip at a time on libvlc, on the GUI thread, with ms-named units.

The player holds the transport (open, play, pause, seek, step, speed, sound, the A-B
loop) and the state the widgets see. The parts that need care live beside it:
paused_positioning.py puts an exact frame on screen while paused, frame_identification.py
names the picture libvlc shows, playback_clock.py runs the position while playing, and
vlc_events.py brings libvlc's events onto the GUI thread (libvlc calls back on its own
threads and is not re-entrant).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from bwv_review.ingest.probe import ProbeError, VideoProbe, probe_video
from bwv_review.media.fingerprints import FrameFingerprints
from bwv_review.media.frame_cache import DEFAULT_FRAME_CACHE_MB, FrameCache
from bwv_review.media.frame_position import (
    PLAIN_SEEK_UNCERTAINTY_FRAMES,
    FramePosition,
    estimated_position,
)
from bwv_review.media.heap import limit_heaps
from bwv_review.media.paused_positioning import PausedPositioning
from bwv_review.media.playback_clock import PlaybackClock
from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.surfaces import CallbackSurface, NativeSurface, VideoSurface
from bwv_review.media.vlc_events import VlcEventBridge
from bwv_review.media.vlc_loader import vlc_module
from bwv_review.media.vlc_setup import VlcLog, instance_args, show_marquee

log = logging.getLogger(__name__)

_TICK_MS = 40
# While playing on the callback surface, name the picture on screen this often and run the
# clock from it: libvlc's get_time() can trail the picture by up to ~480 ms.
_RECOGNISE_EVERY_TICKS = 6
# Pausing names the frame on screen; until it is named, this unsure of the clock's estimate.
_PAUSED_ESTIMATE_UNCERTAINTY_FRAMES = 15
RATES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# On a native window there is no picture callback: pause this long after libvlc creates
# its video output, by when the first picture is out (pausing earlier leaves libvlc 3
# ignoring paused seeks). libvlc may make its output up to three times as it tries the
# decoders (VAAPI, VDPAU, then software), so the time runs from the last one.
_NATIVE_FIRST_PICTURE_MS = 120


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
    frameVerified = Signal(object)  # FramePosition, once no late picture can replace it
    endReached = Signal()
    errorOccurred = Signal(str)
    clipLoaded = Signal(object)  # VideoProbe of the clip just opened

    def __init__(
        self,
        surface: VideoSurface,
        *,
        hardware_decoding: bool = False,
        vlc_args: tuple[str, ...] = (),
        frame_cache_mb: int = DEFAULT_FRAME_CACHE_MB,
        jump_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        limit_heaps()  # before libvlc's threads start: each would keep a heap of its own
        self._vlc = vlc_module()
        self._instance = self._vlc.Instance(instance_args(vlc_args))
        self._vlc_log = VlcLog(self._vlc, self._instance)
        self._mp = self._instance.media_player_new()
        self._surface = surface
        self._hardware_decoding = hardware_decoding
        self._media: Any = None
        self._probe: VideoProbe | None = None
        self._fingerprints: FrameFingerprints | None = None
        # Decoded frames around the paused one, for steps back and jumps of jump_ms.
        self._frame_cache: FrameCache | None = None
        self._frame_cache_mb, self._jump_ms = frame_cache_mb, jump_ms
        self._state = PlaybackState.NO_MEDIA
        self._frame: FramePosition | None = None
        self._pending_target: int | None = None
        self._clock = PlaybackClock()
        self._volume = 100
        self._muted = False
        self._loop_ms: tuple[int, int] | None = None
        self._ticks = 0
        self._closed = False
        self._resume_after_open = False
        self._pause_requested = False
        self._positioning = PausedPositioning(self._mp, surface, self)
        self._positioning.settled.connect(self._on_settled)
        self._positioning.reopenNeeded.connect(self._reopen)
        self._positioning.verified.connect(self.frameVerified)
        self._events = VlcEventBridge(self._vlc, self._mp, self)
        self._events.playing.connect(self._on_playing)
        self._events.paused.connect(self._on_paused)
        self._events.endReached.connect(self._on_end)
        self._events.encounteredError.connect(self._on_vlc_error)
        self._events.timeChanged.connect(self._on_vlc_time)
        self._events.videoOutputCreated.connect(self._on_video_output)
        self._ticker = QTimer(self, interval=_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._first_picture_wait = QTimer(self, singleShot=True, interval=_NATIVE_FIRST_PICTURE_MS)
        self._first_picture_wait.timeout.connect(self._pause_while_opening)
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
            return self._clock.interpolated_ms(self.duration_ms)
        return self._frame.position_ms if self._frame else self._clock.shown_ms

    @property
    def frame(self) -> FramePosition | None:
        """The frame on screen while paused (None while playing or before the first)."""
        return None if self._state is PlaybackState.PLAYING else self._frame

    @property
    def busy(self) -> bool:
        """A paused positioning is still under way."""
        return self._positioning.busy

    @property
    def verifying(self) -> bool:
        """Settled, but not yet verified: stamp only after frameVerified."""
        return self._positioning.verifying

    @property
    def rate(self) -> float:
        return self._clock.rate

    @property
    def volume_percent(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def surface(self) -> VideoSurface:
        return self._surface

    @property
    def frame_cache(self) -> FrameCache | None:
        """The open clip's decoded-frame cache (callback surface only)."""
        return self._frame_cache

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
        self._fingerprints = FrameFingerprints(probe, on_ready=self._positioning.fingerprints_ready)
        if isinstance(self._surface, CallbackSurface):
            self._frame_cache = FrameCache(probe, self._frame_cache_mb, self._jump_ms)
        self._positioning.set_clip(probe, self._fingerprints, self._frame_cache)
        target = probe.frame_at_ms(start_ms)
        self._media = self._instance.media_new_path(str(path))
        self._media.add_option(":avcodec-hw=" + ("any" if self._hardware_decoding else "none"))
        self._surface.set_message("")
        self._surface.attach(self._vlc, self._mp, probe.width, probe.height)
        self._apply_watermark()
        self._mp.set_media(self._media)
        self._frame = None
        self._clock.shown_ms = probe.ms_of_frame(target)
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
        self._events.detach()
        self._mp.release()
        self._vlc_log.detach()
        self._instance.release()

    # --- transport ------------------------------------------------------------------------------

    def play(self) -> None:
        if self._state is PlaybackState.PAUSED:
            self._cancel_operation()
            if self._positioning.libvlc_near_still:
                # A frame from the frame cache, with libvlc paused at it behind: play on.
                self._positioning.release_still()
            elif self._positioning.still_shown:
                # libvlc is elsewhere, maybe at the end of its input: start it afresh there.
                self._positioning.release_still()
                self._resume_after_open = True
                self._reopen(self._frame.frame_index if self._frame else 0)
                return
            self._clock.anchor(self.position_ms)
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
            self._positioning.note_playing_seek()
            self._clock.anchor(position_ms, hold=False)
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
        elif self._positioning.busy or self._state is PlaybackState.OPENING:
            self._pending_target = frame_index  # the latest request wins
        elif self._frame == FramePosition(frame_index, probe.ms_of_frame(frame_index), 0):
            settled = self._frame  # already there; still answer later, like every request
            QTimer.singleShot(0, self, lambda: self.frameSettled.emit(settled))
        elif self._state is PlaybackState.PAUSED:
            self._positioning.start(frame_index, self._frame)

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
            not self._positioning.busy
            and not self._positioning.still_shown
            and self._state is PlaybackState.PAUSED
            and isinstance(self._surface, CallbackSurface)
            and frame is not None
            and frame.exact
            and frame.frame_index + 1 == target
        )
        if not can_step:
            self.seek_frame(target)
            return
        self._positioning.step(base, target)

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
        self._clock.anchor(self.position_ms)
        self._clock.rate = rate
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

    def _on_vlc_time(self, time_ms: int) -> None:
        if self._probe is not None and self._state is PlaybackState.PLAYING:
            self._clock.follow_libvlc_time(time_ms)

    def _on_playing(self) -> None:
        if self._probe is None:
            return
        if self._state is PlaybackState.OPENING and not self._resume_after_open:
            return  # paused once the first picture is out (_on_picture, or the Vout event)
        if self._resume_after_open and self._pending_target and self._probe:
            self._clock.shown_ms = self._probe.ms_of_frame(self._pending_target)
            self._mp.set_time(self._clock.shown_ms)
        self._resume_after_open = False
        self._pending_target = None
        self._frame = None
        if self._frame_cache is not None:
            self._frame_cache.clear()  # nothing is kept or decoded while playing
        self._clock.anchor(self._clock.shown_ms)
        self._set_state(PlaybackState.PLAYING)
        self._ticker.start()

    def _on_video_output(self) -> None:
        if (
            self._probe is not None
            and self._state is PlaybackState.OPENING
            and not self._resume_after_open
            and not isinstance(self._surface, CallbackSurface)
        ):
            self._first_picture_wait.start()  # again: the last video output counts

    def _on_vlc_error(self) -> None:
        if self._probe is not None:
            self._fail(f"{self._probe.path}: VLC could not play this file")

    def _on_paused(self) -> None:
        probe = self._probe
        if probe is None:
            return
        self._positioning.note_paused()
        if self._state is PlaybackState.OPENING:
            self._set_state(PlaybackState.PAUSED)
            target = self._pending_target or 0
            self._pending_target = None
            self._positioning.start(target, self._frame)
            return
        if self._state is not PlaybackState.PLAYING:
            return
        self._ticker.stop()
        shown_ms = self._clock.interpolated_ms(self.duration_ms)
        self._clock.shown_ms = shown_ms
        self._set_state(PlaybackState.PAUSED)
        estimate = probe.frame_at_ms(shown_ms)
        uncertainty = max(PLAIN_SEEK_UNCERTAINTY_FRAMES, _PAUSED_ESTIMATE_UNCERTAINTY_FRAMES)
        self._frame = estimated_position(probe, estimate, uncertainty)
        self._positioning.name_paused_picture(estimate, self._frame)

    def _on_end(self) -> None:
        probe = self._probe
        if probe is None:
            return
        self._ticker.stop()
        self._cancel_operation()
        last = probe.frame_count - 1
        self._clock.shown_ms = probe.ms_of_frame(last)
        self._frame = estimated_position(probe, last, PLAIN_SEEK_UNCERTAINTY_FRAMES)
        self._set_state(PlaybackState.ENDED)
        self.positionChanged.emit(probe.duration_ms)
        self.endReached.emit()

    def _on_picture(self) -> None:
        if self._state is PlaybackState.OPENING:
            self._pause_while_opening()
            return
        if self._positioning.busy:
            self._positioning.on_picture()
            return
        if self._state is not PlaybackState.PAUSED or self._frame is None:
            return
        corrected = self._positioning.correction(self._frame)
        if corrected is not None:
            self._frame = corrected
            self._clock.shown_ms = corrected.position_ms
            self.positionChanged.emit(corrected.position_ms)
            self.frameSettled.emit(corrected)

    def _pause_while_opening(self) -> None:
        if (
            self._state is PlaybackState.OPENING
            and not self._resume_after_open
            and self._probe is not None
            and not self._pause_requested
        ):
            self._pause_requested = True
            self._mp.set_pause(1)

    # --- paused positioning (paused_positioning.py) ----------------------------------------

    def _on_settled(self, position: FramePosition) -> None:
        self._frame = position
        self._clock.shown_ms = position.position_ms
        self.positionChanged.emit(position.position_ms)
        self.frameSettled.emit(position)
        pending, self._pending_target = self._pending_target, None
        if pending is not None and self._state is PlaybackState.PAUSED:
            self.seek_frame(pending)

    def _cancel_operation(self) -> None:
        self._positioning.cancel()
        self._pending_target = None

    # --- clocks ---------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._state is not PlaybackState.PLAYING:
            return
        position_ms = self._clock.interpolated_ms(self.duration_ms)
        self._clock.shown_ms = position_ms
        if self._loop_ms is not None and position_ms >= self._loop_ms[1]:
            self.seek_ms(self._loop_ms[0])
            return
        self.positionChanged.emit(position_ms)
        self._ticks += 1
        # Fingerprints are not built along while playing: that would decode the footage a
        # second time (a 1080p clip then takes most of a 2-core laptop). The clock uses the
        # regions already known; a pause builds around the paused frame.
        fingerprints, surface = self._fingerprints, self._surface
        if (
            self._probe is not None
            and self._ticks % _RECOGNISE_EVERY_TICKS == 0
            and fingerprints is not None
            and isinstance(surface, CallbackSurface)
        ):
            estimate = self._probe.frame_at_ms(position_ms)
            self._clock.anchor_on_picture(fingerprints, surface, estimate)

    def _base_ms(self) -> int:
        base = self._base_frame()
        if base is None or self._probe is None or self._state is PlaybackState.PLAYING:
            return self.position_ms
        return self._probe.ms_of_frame(base)

    def _base_frame(self) -> int | None:
        """The frame the next relative move starts from: a queued target, else the screen."""
        if self._pending_target is not None:
            return self._pending_target
        if self._positioning.target is not None:
            return self._positioning.target
        if self._frame is not None:
            return self._frame.frame_index
        return self._probe.frame_at_ms(self.position_ms) if self._probe else None

    # --- helpers ---------------------------------------------------------------------------

    def _reopen(self, frame_index: int) -> None:
        """After the end libvlc must be restarted: open again, then position (paused) or
        play on from frame_index (when _resume_after_open is set)."""
        self._positioning.cancel()
        self._mp.stop()
        self._clock.shown_ms = 0
        self._pending_target = frame_index
        self._pause_requested = False
        self._set_state(PlaybackState.OPENING)
        self._mp.play()

    def _apply_watermark(self) -> None:
        if isinstance(self._surface, NativeSurface):
            show_marquee(self._vlc, self._mp, self._surface.marquee_text())

    def _stop_media(self) -> None:
        self._ticker.stop()
        self._first_picture_wait.stop()
        self._cancel_operation()
        if self._media is not None:
            self._mp.stop()  # joins libvlc's threads: no callback runs after this
            self._media.release()
            self._media = None
        if self._fingerprints is not None:
            self._fingerprints.close()
            self._fingerprints = None
        if self._frame_cache is not None:
            self._frame_cache.close()
            self._frame_cache = None
        if isinstance(self._surface, CallbackSurface):
            self._surface.clear()
        self._probe = None
        self._positioning.set_clip(None, None)
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
