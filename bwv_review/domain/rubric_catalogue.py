"""Which rubrics there are: the one the app ships with and the files a panel adds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.rubric_loading import parse_rubric, read_rubric_source
from bwv_review.domain.rubric_problems import RubricError, RubricProblem
from bwv_review.domain.toml_key_lines import KeyLineIndex


def load_default_rubric() -> Rubric:
    """Read through importlib.resources so it works from a checkout, a wheel and the frozen
    build alike."""
    resource = files("bwv_review.resources") / "rubrics" / "default.toml"
    return parse_rubric(resource.read_text(encoding="utf-8-sig"), "default.toml")


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
    twin = next((k for k in known if (k.id, k.version) == (rubric.id, rubric.version)), None)
    if twin is not None:
        line = KeyLineIndex(source).line_of(("rubric", "version"))
        message = (
            f"{twin.source} already has id {rubric.id!r} and version {rubric.version!r};"
            " change the id or raise the version"
        )
        raise RubricError([RubricProblem(rubric.source, line, "rubric.version", message)])


def available_rubrics(extra_dirs: Iterable[Path]) -> AvailableRubrics:
    """The built-in rubric first, then every ``*.toml`` in the given folders (by name), so a
    panel adds a rubric by dropping a file in a folder. A broken file is reported, not fatal."""
    rubrics = [load_default_rubric()]
    errors: list[RubricError] = []
    for path in _toml_files(extra_dirs):
        try:
            source = read_rubric_source(path)
            rubric = parse_rubric(source, str(path))
            _expect_new_identity(rubric, rubrics, source)
        except RubricError as error:
            errors.append(error)
        else:
            rubrics.append(rubric)
    return AvailableRubrics(tuple(rubrics), tuple(errors))
