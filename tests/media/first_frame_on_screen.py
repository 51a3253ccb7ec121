"""Open a clip in the player on a real X display and save what the video window shows,
read back from the X server (the pixels a person sees, not the player's account), once
the clip has opened and again after the window is resized, as the review screen's layout
does when a scroll bar appears or the window is maximised.

Run under Xvfb as `python -m tests.media.first_frame_on_screen SURFACE CLIP OUT_DIR
OPENS`; it prints one JSON object naming the files it wrote."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import SurfaceKind, VideoSurface, make_surface

_SETTLE_TIMEOUT_S = 10.0
_AFTER_SETTLE_MS = 300  # longer than any redisplay libvlc would make of its own accord
_AFTER_RESIZE_MS = 500


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save_window(surface: VideoSurface, path: Path) -> str:
    """The window's pixels as the X server holds them (libvlc's child window included)."""
    surface.screen().grabWindow(int(surface.winId())).save(str(path))
    return str(path)


def _open_once(player: VlcPlayer, surface: VideoSurface, clip: Path, out: Path, n: int) -> dict:
    surface.resize(320, 240)
    _wait(200)
    settled: list[float] = []
    player.frameSettled.connect(lambda _position: settled.append(time.monotonic()))
    started = time.monotonic()
    player.load(clip)
    while not settled and time.monotonic() < started + _SETTLE_TIMEOUT_S:
        _wait(10)
    player.frameSettled.disconnect()
    _wait(_AFTER_SETTLE_MS)
    opened = _save_window(surface, out / f"open-{n}.png")
    surface.resize(400, 300)
    _wait(_AFTER_RESIZE_MS)
    frame = player.frame
    return {
        "settled_ms": round((settled[0] - started) * 1000) if settled else None,
        "reported_frame": frame.frame_index if frame else None,
        "reported_uncertainty": frame.uncertainty_frames if frame else None,
        "opened": opened,
        "resized": _save_window(surface, out / f"resized-{n}.png"),
    }


def main(kind: str, clip: Path, out: Path, opens: int) -> int:
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication([])
    surface = make_surface(SurfaceKind(kind))
    surface.resize(320, 240)
    surface.show()
    _wait(300)
    player = VlcPlayer(surface, vlc_args=("--aout=dummy",))
    results = [_open_once(player, surface, clip, out, n) for n in range(opens)]
    player.close()
    app.quit()
    print(json.dumps({"opens": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])))
