"""Paused seeks and frame steps on a real X display, each judged from the window's pixels
as the X server holds them (what a person sees, libvlc's native window included), never
from the player's account.

Run under Xvfb as `python -m tests.media.seeks_on_screen SURFACE CLIP MOVES`, where
SURFACE is native, callback or auto (what `player.surface=auto` picks there) and MOVES a
JSON list of ["seek", frame] and ["step", +1 or -1]; it prints one JSON object: the surface
used and, per move, the frame asked for, the frame reported (and its uncertainty), the
frame shown and the ms until the player settled. With QT_QPA_PLATFORM=offscreen there is
no X server: the picture is then what the surface paints (the callback surface only).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from bwv_review.media.frame_position import FramePosition
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import VideoSurface, choose_surface, make_surface
from tests.media.clipgen import read_frame_index

_SETTLE_TIMEOUT_S = 15.0
_AFTER_VERIFIED_MS = 150  # a redisplay or a late picture is out by now


def wait_ms(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shown_frame(surface: VideoSurface, video_width: int, video_height: int) -> int:
    """The frame index the boxes read in the window's pixels, inside the picture's own
    area (both surfaces keep the aspect ratio, centred, with black bars)."""
    if QApplication.platformName() == "offscreen":
        image: QImage = surface.grab().toImage()
    else:
        image = surface.screen().grabWindow(int(surface.winId())).toImage()
    scale = min(image.width() / video_width, image.height() / video_height)
    width, height = round(video_width * scale), round(video_height * scale)
    left, top = (image.width() - width) // 2, (image.height() - height) // 2
    return read_frame_index(image.copy(left, top, width, height))


def run_move(player: VlcPlayer, surface: VideoSurface, move: list) -> dict:
    verified: list[FramePosition] = []
    settled_at: list[float] = []
    on_settled = lambda _p: settled_at.append(time.monotonic())  # noqa: E731
    on_verified = verified.append
    player.frameSettled.connect(on_settled)
    player.frameVerified.connect(on_verified)
    before = player.frame.frame_index if player.frame else 0
    kind, value = move
    started = time.monotonic()
    if kind == "seek":
        requested = int(value)
        player.seek_frame(requested)
    else:
        last = player.probe.frame_count - 1 if player.probe else 0
        requested = min(max(before + int(value), 0), last)  # a step stops at either end
        (player.step_forward if value > 0 else player.step_backward)()
    while not verified and time.monotonic() < started + _SETTLE_TIMEOUT_S:
        wait_ms(5)
    player.frameSettled.disconnect(on_settled)
    player.frameVerified.disconnect(on_verified)
    wait_ms(_AFTER_VERIFIED_MS)
    frame = player.frame
    return {
        "move": move,
        "requested": requested,
        "reported": frame.frame_index if frame else None,
        "uncertainty": frame.uncertainty_frames if frame else None,
        "shown": shown_frame(surface, *video_size(player)),
        "settle_ms": round((settled_at[0] - started) * 1000) if settled_at else None,
    }


def video_size(player: VlcPlayer) -> tuple[int, int]:
    probe = player.probe
    assert probe is not None
    return probe.width, probe.height


def main(kind: str, clip: Path, moves: list) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    app = QApplication([])
    surface = make_surface(choose_surface(kind))
    surface.resize(640, 360)
    surface.show()
    wait_ms(300)
    player = VlcPlayer(surface, vlc_args=("--aout=dummy",))
    opened: list[FramePosition] = []
    player.frameVerified.connect(opened.append)
    player.load(clip)
    deadline = time.monotonic() + _SETTLE_TIMEOUT_S
    while not opened and time.monotonic() < deadline:
        wait_ms(10)
    player.frameVerified.disconnect()
    results = [run_move(player, surface, move) for move in moves]
    player.close()
    app.quit()
    print(json.dumps({"surface": surface.kind.value, "moves": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])))
