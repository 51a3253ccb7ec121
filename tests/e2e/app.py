"""The real bwv-review, as `make run` starts it: a child process on the walk's desktop with
the xcb platform and accessibility on, and the headless command, as an administrator's
script runs it."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.e2e.desktop import Desktop

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]


class AppUnderTest:
    def __init__(self, desktop: Desktop, db_file: Path, home: Path) -> None:
        self.desktop = desktop
        self.db_file = db_file
        self.home = home
        self.process: subprocess.Popen[bytes] | None = None
        self.log_dir = home.parent / "app-output"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._runs = 0

    def env(self) -> dict[str, str]:
        env = self.desktop.env()
        env.update(
            {
                "QT_QPA_PLATFORM": "xcb",
                # Qt joins the accessibility bus only when asked: as it would with Orca on.
                "QT_ACCESSIBILITY": "1",
                "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
                # Each read of the tree makes Qt say it lacks one call the reader tries.
                "QT_LOGGING_RULES": "qt.accessibility.atspi.warning=false",
                "BWV_REVIEW_HOME": str(self.home),
            }
        )
        for name in ("BWV_REVIEW_PIN", "BWV_REVIEW_NEW_PIN", "BWV_REVIEW_DB"):
            env.pop(name, None)
        return env

    # --- the GUI ----------------------------------------------------------------------

    def start(self) -> None:
        """Open the app as a person does; in its own process group so stopping it stops
        anything it started."""
        assert not self.running(), "the app is already open"
        self._runs += 1
        out = self.log_dir / f"run-{self._runs}.stderr"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bwv_review", "--db", str(self.db_file)],
            cwd=REPO, env=self.env(), stdout=subprocess.DEVNULL,
            stderr=out.open("wb"), start_new_session=True,
        )  # fmt: skip

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_closed(self, timeout_s: float = 30) -> int:
        """The app ended by itself (the window was closed); its exit status."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"the app did not end within {timeout_s} s of its window closing"
            ) from None

    def stop(self) -> None:
        """Only for clean-up after a failure: a walk ends the app by closing its window."""
        if not self.running():
            return
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stderr(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.log_dir.glob("run-*.stderr"))
        )

    # --- the headless command ---------------------------------------------------------

    def cli(self, *args: str, as_user: str, pin: str, new_pin: str | None = None) -> dict[str, Any]:
        """`bwv-review --json --as USER ...` with the PIN from the environment, as an
        administrator's script runs it; the command's JSON object."""
        env = self.env()
        env["BWV_REVIEW_PIN"] = pin
        if new_pin is not None:
            env["BWV_REVIEW_NEW_PIN"] = new_pin
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "bwv_review", "--db", str(self.db_file), "--json",
             "--as", as_user, *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        log.info("bwv-review %s: %.1f s", " ".join(args), time.monotonic() - started)
        assert done.returncode == 0, f"bwv-review {' '.join(args)} failed:\n{done.stderr}"
        result: dict[str, Any] = json.loads(done.stdout)
        return result
