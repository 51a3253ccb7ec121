"""Naming the picture libvlc delivered, and keeping that name true once given.

The picture is looked for near where it is expected first (cheap, and where look-alike
frames elsewhere in the clip cannot win), then anywhere the fingerprints reach. After a
positioning settles, libvlc can still act on an earlier next_frame() and put another
picture up; SettledFrameWatch recognises those late pictures for a short while so what we
say is on screen stays true.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from bwv_review.media.fingerprints import FrameFingerprints, Identification
from bwv_review.media.frame_position import FramePosition, recognised_position
from bwv_review.media.surfaces import CallbackSurface

log = logging.getLogger(__name__)

# After settling, keep checking the pictures that still arrive for this long, and correct
# the reported frame if one differs.
WATCH_AFTER_SETTLE_S = 0.3
_WATCH_RADIUS_FRAMES = 8


def identify_near(
    fingerprints: FrameFingerprints, picture: np.ndarray, first: int, last: int
) -> Identification | None:
    """The frame the picture is: searched in first..last, then in the whole clip."""
    found = fingerprints.identify(picture, first, last)
    if found is None:
        found = fingerprints.identify(picture, 0, fingerprints.probe.frame_count - 1)
    return found


class SettledFrameWatch:
    """Checks the pictures that arrive just after a positioning settled."""

    def __init__(self) -> None:
        self._until = 0.0

    def begin(self) -> None:
        """A positioning has just settled: watch the pictures that follow it."""
        self._until = time.monotonic() + WATCH_AFTER_SETTLE_S

    def correction(
        self,
        frame: FramePosition,
        fingerprints: FrameFingerprints,
        surface: CallbackSurface,
    ) -> FramePosition | None:
        """The frame actually on screen when a late picture replaced the settled one."""
        if not frame.exact or time.monotonic() > self._until:
            return None
        picture = surface.latest_picture()
        first = frame.frame_index - _WATCH_RADIUS_FRAMES
        last = frame.frame_index + _WATCH_RADIUS_FRAMES
        found = fingerprints.identify(picture, first, last) if picture is not None else None
        if found is None or found.frame_index == frame.frame_index:
            return None
        log.info("picture changed after settling: %d -> %d", frame.frame_index, found.frame_index)
        return recognised_position(fingerprints.probe, found)
