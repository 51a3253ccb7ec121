"""How many trials the reliability tests run: CI-sized by default so `make test` stays
quick on a shared two-core machine, the full counts of the trust issue with
BWV_RELIABILITY_FULL=1 (docs/reliability.md)."""

from __future__ import annotations

import os

FULL = os.environ.get("BWV_RELIABILITY_FULL", "") == "1"


def trials(ci: int, full: int) -> int:
    return full if FULL else ci
