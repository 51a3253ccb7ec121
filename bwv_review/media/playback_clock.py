"""PlaybackClock: the position shown while playing, interpolated between anchors.

libvlc 3's get_time() moves in 250-500 ms steps and can trail the picture by up to
~480 ms, so the clock runs on the monotonic clock from an anchor. On the callback surface
the anchor is the recognised picture; libvlc's time is used only when no picture has been
recognised for a while. Neither ever moves the position shown back (only a seek does): the
widget and the timeline take a playing position that went back for a jump.
"""

from __future__ import annotations

import time

from bwv_review.media.fingerprints import FrameFingerprints
from bwv_review.media.surfaces import CallbackSurface

# libvlc's time re-anchors the clock only when no picture was recognised for this long.
_PICTURE_CLOCK_FRESH_S = 1.0
# Neither libvlc's time nor a recognised picture may put the anchor back further: the display
# then waits at what it showed until the anchor's time passes it.
_HOLD_BACK_MS = 300
# How far either side of the clock's estimate a playing picture is looked for.
_PICTURE_RADIUS_FRAMES = 30


class PlaybackClock:
    """Anchor, rate and the position last shown (shown_ms), all in ms."""

    def __init__(self) -> None:
        self.shown_ms = 0
        self.rate = 1.0
        self._anchor_ms = 0
        self._anchor_clock = time.monotonic()
        self._picture_anchored_at = 0.0

    def anchor(self, position_ms: int, hold: bool = False) -> None:
        """Restart interpolation from position_ms. With hold, never step the display back:
        libvlc's coarse time, and on a busy machine a picture delivered late, often trail
        what the clock already showed. Without hold (a seek) the display goes there."""
        if hold:
            position_ms = max(position_ms, self.shown_ms - _HOLD_BACK_MS)
        self._anchor_ms = position_ms
        self._anchor_clock = time.monotonic()
        if not hold:
            self.shown_ms = position_ms

    def interpolated_ms(self, duration_ms: int) -> int:
        elapsed_ms = (time.monotonic() - self._anchor_clock) * 1000 * self.rate
        position_ms = self._anchor_ms + int(min(elapsed_ms, 1000 * self.rate))
        return min(max(position_ms, self.shown_ms), duration_ms)

    def follow_libvlc_time(self, time_ms: int) -> None:
        """libvlc reported its time while playing: use it only if no picture is fresher."""
        if time.monotonic() - self._picture_anchored_at > _PICTURE_CLOCK_FRESH_S:
            self.anchor(time_ms, hold=True)

    def anchor_on_picture(
        self, fingerprints: FrameFingerprints, surface: CallbackSurface, estimate: int
    ) -> None:
        """Anchor on the picture on screen when it can be named exactly near estimate.

        Only fingerprints already built are used: building them while playing would decode
        the footage a second time."""
        first, last = estimate - _PICTURE_RADIUS_FRAMES, estimate + _PICTURE_RADIUS_FRAMES
        if not fingerprints.ready(first, last):
            return
        picture = surface.latest_picture()
        found = fingerprints.identify(picture, first, last) if picture is not None else None
        if found is not None and found.exact:
            self._picture_anchored_at = time.monotonic()
            self.anchor(fingerprints.probe.ms_of_frame(found.frame_index), hold=True)
