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
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

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


class SettledFrameWatch(QObject):
    """Checks the pictures that arrive just after a positioning settled, then vouches for
    the frame: `verified` carries the frame on screen once no late picture can still
    replace it (a learning point must be stamped with that one, never the first name)."""

    verified = Signal(object, bool)  # FramePosition, whether it differs from the last name

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._until = 0.0
        self._frame: FramePosition | None = None
        self._check: Callable[[FramePosition], FramePosition | None] = lambda _frame: None
        self._timer = QTimer(self, singleShot=True, interval=round(WATCH_AFTER_SETTLE_S * 1000))
        self._timer.timeout.connect(self._verify)

    @property
    def watching(self) -> bool:
        """A frame was named but not yet verified."""
        return self._timer.isActive()

    def begin(
        self, frame: FramePosition, check: Callable[[FramePosition], FramePosition | None]
    ) -> None:
        """A positioning has just settled on `frame`: watch the pictures that follow it;
        `check` names the picture on screen now if it is another frame (None otherwise)."""
        self._until = time.monotonic() + WATCH_AFTER_SETTLE_S
        self._frame, self._check = frame, check
        self._timer.start()

    def stop(self) -> None:
        """Another positioning starts: what was being watched is no longer on screen."""
        self._timer.stop()
        self._frame = None

    def correction(
        self,
        frame: FramePosition,
        fingerprints: FrameFingerprints,
        surface: CallbackSurface,
    ) -> FramePosition | None:
        """The frame actually on screen when a late picture replaced the settled one."""
        if not frame.exact or time.monotonic() > self._until:
            return None
        found = picture_near(frame, fingerprints, surface)
        if found is not None:
            self._frame = found
        return found

    def _verify(self) -> None:
        frame = self._frame
        if frame is None:
            return
        self._frame = None
        changed = self._check(frame)
        self.verified.emit(changed or frame, changed is not None)


def picture_near(
    frame: FramePosition, fingerprints: FrameFingerprints, surface: CallbackSurface
) -> FramePosition | None:
    """The frame on screen if it is another than `frame` (near it first, then anywhere the
    fingerprints reach: a seek's picture can still arrive after a pause named another)."""
    picture = surface.latest_picture()
    first = frame.frame_index - _WATCH_RADIUS_FRAMES
    last = frame.frame_index + _WATCH_RADIUS_FRAMES
    found = identify_near(fingerprints, picture, first, last) if picture is not None else None
    if found is None or found.frame_index == frame.frame_index:
        return None
    log.info("picture changed after settling: %d -> %d", frame.frame_index, found.frame_index)
    return recognised_position(fingerprints.probe, found)
