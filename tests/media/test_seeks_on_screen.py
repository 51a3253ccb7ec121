"""Paused seeks and steps judged from the window's pixels on a real X server (Xvfb).

The default surface (`player.surface=auto`) must show exactly the frame asked for on
long-GOP 720p and 1080p clips at 25 and 29.97 fps; the native surface, which cannot see
its picture, must at least never report a position the picture is not within (issue 14,
defect 3: after a paused seek into the last GOP libvlc kept that picture whatever was
asked for next, while every later seek and step was reported as the requested frame ±4).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media.fixtures import LONG_GOP_SPECS, clip_paths, long_gop_paths
from tests.support.xvfb import xvfb_display

__all__ = ["clip_paths", "long_gop_paths"]
REPO = Path(__file__).resolve().parents[2]
_SEEKS_PER_CLIP = 30


def moves_on_screen(surface: str, clip: Path, moves: list[list[object]]) -> dict:
    with xvfb_display() as display:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
        run = subprocess.run(
            [sys.executable, "-m", "tests.media.seeks_on_screen", surface, str(clip),
             json.dumps(moves)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def misreported(results: list[dict]) -> list[dict]:
    """Moves whose report does not cover the frame on screen."""
    return [
        r
        for r in results
        if r["reported"] is None or abs(r["shown"] - r["reported"]) > r["uncertainty"]
    ]


def test_native_seeks_after_one_into_the_last_gop_still_move_the_picture(
    clip_paths: dict[str, Path],
) -> None:
    moves: list[list[object]] = [
        ["seek", 300], ["seek", 624], ["seek", 300], ["seek", 100], ["step", 1],
        ["seek", 620], ["step", -1], ["seek", 200],
    ]  # fmt: skip
    result = moves_on_screen("native", clip_paths["cfr25"], moves)
    assert result["surface"] == "native"
    assert misreported(result["moves"]) == []


@pytest.mark.parametrize("name", sorted(LONG_GOP_SPECS))
def test_the_default_surface_shows_every_paused_seek_and_step_exactly(
    long_gop_paths: dict[str, Path], name: str
) -> None:
    frame_count = LONG_GOP_SPECS[name].frame_count
    rng = random.Random(name)
    moves: list[list[object]] = []
    for _ in range(_SEEKS_PER_CLIP):
        moves.append(["seek", rng.randrange(frame_count)])
        if rng.random() < 0.3:
            moves.append(["step", rng.choice((1, -1))])
    moves += [["seek", frame_count - 1], ["step", -1], ["seek", 5]]
    result = moves_on_screen("auto", long_gop_paths[name], moves)
    assert result["surface"] == "callback"
    results = result["moves"]
    wrong_claims = [r for r in results if r["uncertainty"] == 0 and r["shown"] != r["reported"]]
    assert wrong_claims == []
    not_exact = [r for r in results if r["shown"] != r["requested"] or r["uncertainty"] != 0]
    assert not_exact == [], f"{len(not_exact)} of {len(results)} moves not exact"
