"""Crash reports: when something unexpected happens, write what a developer needs (versions,
traceback, time) to a file the volunteer can send, without any personal data."""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType


def write_crash_report(
    crash_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    versions: str,
) -> Path:
    crash_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = crash_dir / f"crash-{stamp}.txt"
    lines = [
        f"bwv-review crash report, {stamp}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        versions,
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    return path
