"""Finding rubrics: the one the app ships with, and a panel's files dropped in a folder."""

from __future__ import annotations

import dataclasses
from importlib.resources import files
from pathlib import Path

from bwv_review.domain.rubric_catalogue import available_rubrics, load_default_rubric
from bwv_review.domain.rubric_loading import load_rubric
from tests.domain.rubric_fixtures import PANEL_RUBRIC, write_rubric


def test_default_rubric_loaded_by_path_equals_the_packaged_one() -> None:
    path = Path(str(files("bwv_review.resources") / "rubrics" / "default.toml"))
    default = load_default_rubric()
    assert dataclasses.replace(load_rubric(path), source="default.toml") == default


def test_available_rubrics_offers_the_default_then_panel_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    panel = write_rubric(second, PANEL_RUBRIC)
    broken = write_rubric(
        first, PANEL_RUBRIC.replace('version = "1"', "version = 1"), "broken.toml"
    )
    twin = write_rubric(second, PANEL_RUBRIC, "twin.toml")
    write_rubric(second, "not a rubric", "notes.txt")

    found = available_rubrics([first, second, tmp_path / "missing"])

    assert [(r.id, r.source) for r in found.rubrics] == [
        ("default", "default.toml"),
        ("panel", str(panel)),
    ]
    assert [str(e.problems[0]) for e in found.errors] == [
        f"{broken}:6: rubric.version: expected text in quotes, got the number 1",
        f"{twin}:6: rubric.version: {panel} already has id 'panel' and version '1'; "
        "change the id or raise the version",
    ]
