"""Which rubrics there are: the ones the app ships with and the files a panel adds.

The app ships the current default (``default.toml``) and, beside it, every earlier version
frozen under its version (``default-2026.1.toml``): a session keeps the rubric id and version
it was created with, so its reviews must still open with those checks and tags after the
default moves on. A frozen file is never edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.rubric_loading import parse_rubric, read_rubric_source
from bwv_review.domain.rubric_problems import RubricError, RubricProblem
from bwv_review.domain.toml_key_lines import KeyLineIndex

_CURRENT_FILE = "default.toml"


def _bundled(name: str) -> tuple[Rubric, str]:
    """Read through importlib.resources so it works from a checkout, a wheel and the frozen
    build alike."""
    source = (files("bwv_review.resources") / "rubrics" / name).read_text(encoding="utf-8-sig")
    return parse_rubric(source, name), source


def load_default_rubric() -> Rubric:
    """The rubric new sessions are created with."""
    return _bundled(_CURRENT_FILE)[0]


def bundled_rubrics() -> tuple[Rubric, ...]:
    """The current default first, then the frozen earlier versions by file name. Two files
    with one id and version are refused: a session could not say which it was graded by."""
    folder = files("bwv_review.resources") / "rubrics"
    frozen = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.name != _CURRENT_FILE
    )
    rubrics = [load_default_rubric()]
    for name in frozen:
        rubric, source = _bundled(name)
        _expect_new_identity(rubric, rubrics, source)
        rubrics.append(rubric)
    return tuple(rubrics)


def find_rubric(rubrics: Iterable[Rubric], rubric_id: str, version: str) -> Rubric | None:
    return next((r for r in rubrics if (r.id, r.version) == (rubric_id, version)), None)


@dataclass(frozen=True)
class AvailableRubrics:
    """The rubrics a panel can choose from, and the files that could not be offered and why."""

    rubrics: tuple[Rubric, ...]
    errors: tuple[RubricError, ...]


def _toml_files(folders: Iterable[Path]) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from sorted(path for path in folder.glob("*.toml") if path.is_file())


def _expect_new_identity(rubric: Rubric, known: Iterable[Rubric], source: str) -> None:
    """Reviews record a rubric by id and version, so two files sharing both would be confused."""
    twin = find_rubric(known, rubric.id, rubric.version)
    if twin is not None:
        line = KeyLineIndex(source).line_of(("rubric", "version"))
        message = (
            f"{twin.source} already has id {rubric.id!r} and version {rubric.version!r};"
            " change the id or raise the version"
        )
        raise RubricError([RubricProblem(rubric.source, line, "rubric.version", message)])


def available_rubrics(extra_dirs: Iterable[Path]) -> AvailableRubrics:
    """The current default first, then every ``*.toml`` in the given folders (by name), so a
    panel adds a rubric by dropping a file in a folder. A broken file is reported, not fatal.
    Frozen versions of the default are not offered for new sessions, but a panel file may not
    take their id and version either."""
    bundled = bundled_rubrics()
    rubrics = [bundled[0]]
    errors: list[RubricError] = []
    for path in _toml_files(extra_dirs):
        try:
            source = read_rubric_source(path)
            rubric = parse_rubric(source, str(path))
            _expect_new_identity(rubric, [*bundled, *rubrics], source)
        except RubricError as error:
            errors.append(error)
        else:
            rubrics.append(rubric)
    return AvailableRubrics(tuple(rubrics), tuple(errors))
