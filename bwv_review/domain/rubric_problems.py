"""Mistakes in a rubric file, each placed at its file, line and key so a chair can find it in
a text editor, and collected so that every one is reported at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bwv_review.domain.toml_key_lines import KeyLineIndex, KeyPath, format_key_path


@dataclass(frozen=True)
class RubricProblem:
    """One mistake in a rubric file, placed so a chair can find it in a text editor."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class RubricError(ValueError):
    """Every problem found in one rubric file, in line order, so it can be fixed in one pass."""

    def __init__(self, problems: Iterable[RubricProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda problem: problem.line or 0))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Problems:
    """Collects the problems of one file, each placed at the line of its key."""

    def __init__(self, file_name: str, source: str) -> None:
        self._file_name = file_name
        self._lines = KeyLineIndex(source)
        self._found: list[RubricProblem] = []

    def add(self, path: KeyPath, message: str) -> None:
        self._found.append(
            RubricProblem(self._file_name, self.line_of(path), format_key_path(path), message)
        )

    def line_of(self, path: KeyPath) -> int:
        return self._lines.line_of(path)

    def raise_if_any(self) -> None:
        if self._found:
            raise RubricError(self._found)
