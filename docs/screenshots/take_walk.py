"""Take docs/screenshots/walk/: the screens of one whole panel cycle, as the end-to-end walk
(tests/e2e) sees them on a 1280x800 X server.

Run from the repository root: `make screenshots`, or
`.venv/bin/python docs/screenshots/take_walk.py`. It runs the walk with pytest in a
throwaway folder (the walk saves its screenshots there, as in `make test`), then replaces
the pictures in docs/screenshots/walk/ with that run's. Nothing is copied if the walk fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "walk"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bwv-walk-") as scratch:
        base = Path(scratch) / "pytest"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--basetemp={base}", "tests/e2e"],
            cwd=REPO,
        )  # fmt: skip
        if done.returncode != 0:
            print("the walk failed: docs/screenshots/walk/ left as it was", file=sys.stderr)
            return done.returncode
        # pytest links the last run's folder as "...current" beside it: count each once.
        shots = sorted({shot.resolve() for shot in base.glob("*/shots/*.png")})
        if not shots:
            print("the walk saved no screenshots", file=sys.stderr)
            return 1
        OUTPUT.mkdir(exist_ok=True)
        for old in OUTPUT.glob("*.png"):
            old.unlink()
        for shot in shots:
            shutil.copy2(shot, OUTPUT / shot.name)
    print(f"wrote {len(shots)} screenshots to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
