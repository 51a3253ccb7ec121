"""What every screenshot script shares: run itself again on a fresh Xvfb display, and save
exactly the window's area of that real X screen."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parents[2]
CHILD_ENV = "BWV_SHOT_CHILD"


def run_on_xvfb(
    script: str, take: Callable[[], None], screen: str = "1280x800x24", timeout_s: int = 180
) -> None:
    """In the parent: start Xvfb and run `script` on it. In that child: call `take`."""
    if os.environ.get(CHILD_ENV):
        take()
        return
    sys.path.insert(0, str(REPO))
    from tests.support.xvfb import xvfb_display

    with xvfb_display(screen) as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", CHILD_ENV: "1"}
        subprocess.run([sys.executable, script], env=env, check=True, timeout=timeout_s)


def show_and_save(app: QApplication, window: QWidget, output: Path, delay_ms: int = 1500) -> None:
    """Show the window, let it settle, save it and end the event loop."""
    window.show()

    def grab() -> None:
        save_window(window, output)
        app.quit()

    QTimer.singleShot(delay_ms, grab)
    app.exec()
    print(f"wrote {output}")


def save_window(window: QWidget, output: Path) -> None:
    area = window.frameGeometry()
    window.screen().grabWindow(0, area.x(), area.y(), area.width(), area.height()).save(str(output))
