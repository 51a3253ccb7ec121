"""FramePosition: the frame the paused player shows and how sure it is of it.

Positions are always built from the frame table, so position_ms is that frame's own start
and never a time libvlc reported (libvlc 3's time is coarse and lands early).
"""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.ingest.probe import VideoProbe
from bwv_review.media.fingerprints import Identification

# A paused set_time() shows a frame up to this many frames early (libvlc 3.0.24, H.264
# with B-frames); without recognition that is the honest uncertainty of a paused seek.
PLAIN_SEEK_UNCERTAINTY_FRAMES = 4


@dataclass(frozen=True)
class FramePosition:
    """Where the paused player is: the frame on screen and how sure we are of it."""

    frame_index: int
    position_ms: int
    uncertainty_frames: int  # 0: this exact frame is on screen

    @property
    def exact(self) -> bool:
        return self.uncertainty_frames == 0


def recognised_position(probe: VideoProbe, found: Identification) -> FramePosition:
    """The position of a picture named by its fingerprint."""
    return FramePosition(
        found.frame_index, probe.ms_of_frame(found.frame_index), found.uncertainty_frames
    )


def estimated_position(probe: VideoProbe, frame_index: int, uncertainty: int) -> FramePosition:
    """The position of a frame we could not name from the picture, kept inside the clip."""
    frame_index = min(max(frame_index, 0), probe.frame_count - 1)
    return FramePosition(frame_index, probe.ms_of_frame(frame_index), uncertainty)
