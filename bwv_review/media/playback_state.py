"""PlaybackState: what the player is doing, as the widgets show it (the libvlc states
are coarser and lag behind the picture, so the player keeps its own)."""

from __future__ import annotations

from enum import Enum


class PlaybackState(Enum):
    NO_MEDIA = "no media"
    OPENING = "opening"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"
