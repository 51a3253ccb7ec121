"""Open a clip in the app's player with the app's default libvlc settings, play it, seek
while paused, play again and close: what a reviewer does in the first minute. Run as
`python -m tests.media.play_briefly CLIP` so that its stderr can be read on its own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(clip: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([])
    surface = CallbackSurface()
    surface.resize(320, 240)
    surface.show()
    player = VlcPlayer(surface)  # no vlc_args: the settings' default
    player.load(clip)
    _wait(1500)
    player.play()
    _wait(1500)
    for frame in (10, 60, 20):
        player.seek_frame(frame)
        _wait(400)
    player.play()
    _wait(1000)
    played = player.state is PlaybackState.PLAYING and player.position_ms > 0
    player.close()
    app.quit()
    print("played" if played else f"not playing: {player.state}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
