"""A real X server (Xvfb) for tests and screenshots that need real windows."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

SCREEN = "1280x800x24"


@contextmanager
def xvfb_display(screen: str = SCREEN) -> Iterator[str]:
    """Start Xvfb on a free display number and yield ':N'."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb not found: `make test` installs the Debian package 'xvfb'")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as reader:
            number = reader.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not report a display number")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def window_names(display: str) -> list[str]:
    """Names of the mapped top-level windows, read with xwininfo. A window that closes
    while xwininfo walks the tree makes it fail (BadWindow): it is asked again."""
    for attempt in range(5):
        done = subprocess.run(
            ["xwininfo", "-root", "-tree"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if done.returncode == 0:
            break
        time.sleep(0.05 * (attempt + 1))
    else:
        raise AssertionError(f"xwininfo could not read the windows: {done.stderr}")
    return [line.split('"')[1] for line in done.stdout.splitlines() if line.count('"') >= 2]


def wait_for_window(display: str, fragment: str, timeout_s: float = 30.0) -> str:
    """Poll until a window whose name contains `fragment` is mapped; return its name."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for name in window_names(display):
            if fragment in name:
                return name
        time.sleep(0.2)
    raise AssertionError(f"no window named like {fragment!r}; saw {window_names(display)}")
