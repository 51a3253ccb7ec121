"""VlcEventBridge: libvlc's media-player events as typed Qt signals on the GUI thread.

libvlc calls its event handlers on its own threads and is not re-entrant, so a handler
here only emits one queued signal; the typed signals are emitted from its slot, on the
thread the bridge lives in, in the order libvlc sent the events.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

_TIME_CHANGED = "MediaPlayerTimeChanged"
_EVENT_NAMES = (
    "MediaPlayerPlaying",
    "MediaPlayerPaused",
    "MediaPlayerEndReached",
    "MediaPlayerEncounteredError",
    _TIME_CHANGED,
    "MediaPlayerVout",
)


class VlcEventBridge(QObject):
    """Attached to one libvlc media player until detach()."""

    playing = Signal()
    paused = Signal()
    endReached = Signal()
    encounteredError = Signal()
    timeChanged = Signal(int)  # ms, libvlc's coarse clock
    videoOutputCreated = Signal()  # libvlc made its video output (the picture comes soon)
    _event = Signal(str, int)  # from libvlc threads; queued to ours

    def __init__(self, vlc: ModuleType, media_player: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._types = {name: getattr(vlc.EventType, name) for name in _EVENT_NAMES}
        self._manager = media_player.event_manager()
        for name, event_type in self._types.items():
            self._manager.event_attach(event_type, self._make_handler(name))

    def detach(self) -> None:
        """Stop listening (before the media player is released)."""
        for event_type in self._types.values():
            self._manager.event_detach(event_type)

    def _make_handler(self, name: str) -> Any:
        def handler(event: Any) -> None:  # runs on a libvlc thread: emit only
            value = event.u.new_time if name == _TIME_CHANGED else 0
            self._event.emit(name, int(value))

        return handler

    def _dispatch(self, name: str, value: int) -> None:
        if name == _TIME_CHANGED:
            self.timeChanged.emit(value)
        elif name == "MediaPlayerPlaying":
            self.playing.emit()
        elif name == "MediaPlayerPaused":
            self.paused.emit()
        elif name == "MediaPlayerEndReached":
            self.endReached.emit()
        elif name == "MediaPlayerEncounteredError":
            self.encounteredError.emit()
        elif name == "MediaPlayerVout":
            self.videoOutputCreated.emit()
