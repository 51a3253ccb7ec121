"""Finding rubrics: the ones the app ships with (the current default and frozen earlier
versions that older sessions still open with), and a panel's files dropped in a folder."""

from __future__ import annotations

import dataclasses
import hashlib
from importlib.resources import files
from pathlib import Path

from bwv_review.domain.rubric_catalogue import (
    available_rubrics,
    bundled_rubrics,
    find_rubric,
    load_default_rubric,
)
from bwv_review.domain.rubric_loading import load_rubric
from bwv_review.domain.vocab import LearningKind
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


def test_new_sessions_get_2026_2_and_2026_1_still_loads_from_its_own_file() -> None:
    current, *frozen = bundled_rubrics()
    assert (current.id, current.version, current.source) == ("default", "2026.2", "default.toml")
    assert current == load_default_rubric()
    old = find_rubric(frozen, "default", "2026.1")
    assert old is not None
    assert old.source == "default-2026.1.toml"
    assert [check.id for check in old.checks] == [check.id for check in current.checks]


def test_every_frozen_file_is_named_for_its_id_and_version() -> None:
    _current, *frozen = bundled_rubrics()
    assert frozen
    assert all(rubric.source == f"{rubric.id}-{rubric.version}.toml" for rubric in frozen)


FROZEN_2026_1_SHA256 = "9b7f4b089a33875ef6c84c8dcb8dc36369daadd72b9a4db9f459fe9daf146401"


def test_the_frozen_2026_1_file_is_exactly_as_it_shipped() -> None:
    """Sessions on 2026.1 were graded by this file: an edit would change them without a new
    version. Change default.toml and raise its version instead."""
    resource = files("bwv_review.resources") / "rubrics" / "default-2026.1.toml"
    text = resource.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == FROZEN_2026_1_SHA256


def test_2026_1_offers_every_tag_for_either_kind_as_it_always_did() -> None:
    old = find_rubric(bundled_rubrics(), "default", "2026.1")
    assert old is not None
    for kind in LearningKind:
        assert old.tags_for(kind) == old.tags
    assert "receipt_offered" not in {tag.id for tag in old.tags}


def test_a_panel_file_may_not_take_the_id_and_version_of_a_frozen_default(
    tmp_path: Path,
) -> None:
    text = PANEL_RUBRIC.replace('id = "panel"', 'id = "default"').replace(
        'version = "1"', 'version = "2026.1"'
    )
    clash = write_rubric(tmp_path, text)

    found = available_rubrics([tmp_path])

    assert [rubric.source for rubric in found.rubrics] == ["default.toml"]
    assert [str(error.problems[0]) for error in found.errors] == [
        f"{clash}:6: rubric.version: default-2026.1.toml already has id 'default' and version"
        " '2026.1'; change the id or raise the version"
    ]
