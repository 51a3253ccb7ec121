"""Take docs/screenshots/player.png: the player in a real X window (Xvfb), showing a clip
with the viewer watermark and timeline markers, on the surface `auto` picks there (native).

    .venv/bin/python docs/screenshots/take_player.py [--surface auto|native|callback]

Starts its own Xvfb, so it runs on a headless box; needs Xvfb and ImageMagick's `import`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DISPLAY = ":77"


class PrintingViewLog:
    """Stands in for the audit service: the screenshot is not a real view."""

    def clip_opened(self, clip_key: str) -> None:
        print(f"view log: opened {clip_key}")

    def playback_started(self, clip_key: str, position_ms: int) -> None:
        print(f"view log: played {clip_key} from {position_ms} ms")


def take(surface: str, output: Path) -> None:
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from bwv_review.ui.player_timeline import Marker
    from bwv_review.ui.player_widget import ClipRef, PlayerWidget
    from tests.media.clipgen import ClipSpec, make_clip

    app = QApplication([])
    folder = Path(tempfile.mkdtemp())
    clip = make_clip(ClipSpec("officer-1", Fraction(25), 500, width=640, height=360), folder)
    window = QMainWindow()
    window.setWindowTitle("bwv-review — Case 2025-0142, clip 1 of 2")
    player = PlayerWidget(
        PrintingViewLog(),
        viewer_pseudonym="Panel member B",
        surface_setting=surface,
        vlc_args=("--aout=dummy",),
    )
    window.setCentralWidget(player)
    window.setGeometry(0, 0, 1100, 720)
    window.show()
    player.set_clips(
        [
            ClipRef("case-0142/bwv-1", "BWV 1 — PC A (00:20)", clip),
            ClipRef("case-0142/bwv-2", "BWV 2 — PC B (00:20)", clip),
        ]
    )
    player.set_markers(
        [
            Marker(2_400, "GOWISELY: grounds given", "good"),
            Marker(7_800, "Handcuffs applied", "concern"),
            Marker(12_000, "Learning: explain object of search", "learning"),
            Marker(16_500, "Receipt offered", "note"),
        ]
    )

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    wait(1500)
    assert player.player is not None
    player.player.seek_ms(9_000)
    wait(1500)
    player.cycle_loop()
    player.player.seek_ms(11_000)
    wait(1000)
    player.cycle_loop()
    wait(800)
    subprocess.run(["import", "-window", "root", str(output)], check=True)
    print(f"wrote {output} ({player.surface.kind} surface)")
    player.close_player()
    app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surface", default="auto", choices=("auto", "native", "callback"))
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("player.png"))
    args = parser.parse_args()
    if os.environ.get("BWV_SCREENSHOT_CHILD"):
        take(args.surface, args.output)
        return
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1100x720x24", "-nolisten", "tcp"])
    try:
        time.sleep(1.0)  # Xvfb has no readiness signal
        env = {
            **os.environ,
            "DISPLAY": DISPLAY,
            "QT_QPA_PLATFORM": "xcb",
            "BWV_SCREENSHOT_CHILD": "1",
        }
        subprocess.run([sys.executable, *sys.argv], env=env, check=True, timeout=120)
    finally:
        xvfb.terminate()
        xvfb.wait()


if __name__ == "__main__":
    main()
