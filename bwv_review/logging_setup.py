"""Logging to a rotating file in the user log dir: enough history to diagnose a problem a
volunteer reports, never unbounded. Log lines carry no PINs and no footage content."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE_NAME = "bwv-review.log"
MAX_LOG_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Attach the rotating file handler once; calling again is harmless."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_path = log_dir / LOG_FILE_NAME
    root = logging.getLogger("bwv_review")
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(log_path):
            return log_path
    handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return log_path
