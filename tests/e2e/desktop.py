"""A desktop for the walk: a 1280x800 X server, a private D-Bus session bus (the
accessibility bus a screen reader uses is started on it) and screenshots of the screen.

Nothing here belongs to the app: it is the laptop the panel member sits at.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.xvfb import xvfb_display

log = logging.getLogger(__name__)

SCREEN_W, SCREEN_H = 1280, 800
NEEDED = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "import": "imagemagick",
    "dbus-daemon": "dbus-daemon",
    "ffmpeg": "ffmpeg",
}
SYSTEM_PYTHON = Path("/usr/bin/python3")


def missing_tools() -> list[str]:
    """Debian packages the walk needs that are not installed (`make test` installs them)."""
    missing = [pkg for tool, pkg in NEEDED.items() if shutil.which(tool) is None]
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import gi; gi.require_version('Atspi', '2.0')"],
        capture_output=True,
    ) if SYSTEM_PYTHON.exists() else None  # fmt: skip
    if probe is None or probe.returncode != 0:
        missing += ["python3-gi", "gir1.2-atspi-2.0", "at-spi2-core"]
    return missing


@dataclass
class Desktop:
    display: str
    bus_address: str
    shots_dir: Path
    taken: int = 0

    def env(self) -> dict[str, str]:
        """What a program started on this desktop sees: the display and the session bus,
        and none of the test process's Qt settings (the tests force offscreen)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update({"DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.bus_address})
        return env

    def shot(self, name: str) -> Path:
        """The whole 1280x800 screen as a person sees it now, numbered in walk order."""
        self.taken += 1
        path = self.shots_dir / f"{self.taken:02d}-{name}.png"
        subprocess.run(
            ["import", "-window", "root", str(path)],
            env=self.env(), check=True, timeout=30, capture_output=True,
        )  # fmt: skip
        log.info("screenshot %s", path)
        return path


@contextmanager
def session_bus(env: dict[str, str]) -> Iterator[str]:
    """A D-Bus session bus of our own, so the accessibility bus it activates serves only
    this desktop."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )  # fmt: skip
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not print its address")
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@contextmanager
def desktop(shots_dir: Path) -> Iterator[Desktop]:
    shots_dir.mkdir(parents=True, exist_ok=True)
    with (
        xvfb_display(f"{SCREEN_W}x{SCREEN_H}x24") as display,
        session_bus({**os.environ, "DISPLAY": display}) as bus,
    ):
        yield Desktop(display, bus, shots_dir)
