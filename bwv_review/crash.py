"""Crash reports: when something unexpected happens, write what a developer needs (versions,
traceback, time) to a file the volunteer can send, without any personal data.

The traceback is formatted by logging_setup.format_exception_safely, so a database error's
parameters and row values never reach the report; the file is created 0600, never readable
by others even for a moment.
"""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bwv_review.logging_setup import format_exception_safely, open_private


def write_crash_report(crash_dir: Path, exc: BaseException, versions: str) -> Path:
    crash_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = crash_dir / f"crash-{stamp}.txt"
    lines = [
        f"bwv-review crash report, {stamp}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        versions,
        "",
        format_exception_safely(exc),
    ]
    with open_private(path, new=True) as handle:
        handle.write("\n".join(lines))
    return path
