"""The repository stands alone and its own description stays true.

CI clones the project with the old design folder beside it, so a test, bench or doc that
reads from there passes in CI and fails in a fresh clone; only a check on the tracked files
catches that. The architecture notes list every module, and the third-party notices every
dependency, so a new module or dependency without its line fails here rather than leaving
the docs quietly wrong.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARCHITECTURE = REPO / "docs" / "architecture.md"
NOTICES = REPO / "THIRD_PARTY_NOTICES.md"

# Built from parts, so this file does not match its own patterns.
_OUTSIDE = "shared"
OUTSIDE_REFERENCES = (
    re.compile(r"\.\.[/\\]" + _OUTSIDE + r"\b"),  # up one level, then into it
    re.compile(r"""["']""" + _OUTSIDE + r"""["']\s*/\s*["']data["']"""),  # a pathlib join
)
# Migrations explain themselves in their docstrings and are kept in order by
# tests/store/test_migrations.py; the tree names their folder only.
_MIGRATION_VERSIONS = Path("bwv_review/store/migrations/versions")


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to say which files are tracked")
    return [REPO / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_reads_from_outside_the_repository() -> None:
    offending = []
    for path in tracked_files():
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(pattern.search(line) for pattern in OUTSIDE_REFERENCES):
                offending.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offending, (
        "these lines refer to the folder beside the clone, which a fresh clone does not "
        "have; use resources/data (tests: the police_data_dir fixture) or docs/:\n"
        + "\n".join(offending)
    )


def test_reference_patterns_catch_what_they_are_for() -> None:
    """The check above must not pass because its patterns match nothing."""
    outside = ".." + "/" + _OUTSIDE
    samples = [
        f"Read `{outside}/ARCHITECTURE.md`.",
        f'DATA = REPO.parent / "{_OUTSIDE}" / "data"',
        "cp " + ".." + "\\" + _OUTSIDE + "\\data\\x.csv .",
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in OUTSIDE_REFERENCES), sample
    assert not any(pattern.search("a shared PostgreSQL database") for pattern in OUTSIDE_REFERENCES)


def documented_tree() -> dict[Path, str]:
    """The paths named in architecture.md's file tree, with the words beside each.

    The tree is the ```text block under '## The file tree': one name a line, two spaces of
    indent per level, folders ending in '/', then what the file or folder holds."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## The file tree", 1)
    assert len(section) == 2, "docs/architecture.md has no '## The file tree' section"
    block = re.search(r"```text\n(.*?)```", section[1], re.DOTALL)
    assert block, "docs/architecture.md: the file tree is not in a ```text block"
    entries: dict[Path, str] = {}
    parents: list[str] = []
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0 and indent // 2 <= len(parents), f"bad indent: {line!r}"
        name, _, words = line.strip().partition(" ")
        parents = parents[: indent // 2]
        path = Path(*parents, name.rstrip("/"))
        entries[path] = words.strip()
        if name.endswith("/"):
            parents.append(name.rstrip("/"))
    return entries


def package_contents() -> set[Path]:
    """Every tracked module and package under bwv_review/ that the tree must name (tracked,
    so the tree describes what a clone holds, not someone's scratch file)."""
    found: set[Path] = set()
    for path in tracked_files():
        relative = path.relative_to(REPO)
        if relative.parts[0] != "bwv_review" or relative.suffix != ".py":
            continue
        if relative.parent == _MIGRATION_VERSIONS:
            continue
        found.add(relative.parent if path.name == "__init__.py" else relative)
    return found


def test_architecture_tree_names_every_module_and_nothing_gone() -> None:
    documented = documented_tree()
    actual = package_contents()
    missing = sorted(str(path) for path in actual - documented.keys())
    assert not missing, "docs/architecture.md's file tree has no line for: " + ", ".join(missing)
    gone = sorted(
        str(path) for path in documented if path.parts[0] == "bwv_review" and path not in actual
    )
    assert not gone, "docs/architecture.md names what no longer exists: " + ", ".join(gone)
    unexplained = sorted(str(path) for path, words in documented.items() if not words)
    assert not unexplained, "say what these hold in docs/architecture.md: " + ", ".join(unexplained)


def _normalised(name: str) -> str:
    """PEP 503: PySide6_Essentials, pyside6-essentials and PySide6.Essentials are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [*project["dependencies"], *project["optional-dependencies"]["postgres"]]
    names = set()
    for requirement in runtime:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, requirement
        names.add(_normalised(match.group(0)))
    return names


def test_third_party_notices_name_every_runtime_dependency() -> None:
    named = {
        _normalised(name)
        for name in re.findall(
            r"^\|\s*`([A-Za-z0-9][A-Za-z0-9._-]*)`", NOTICES.read_text("utf-8"), re.MULTILINE
        )
    }
    missing = sorted(declared_distributions() - named)
    assert not missing, (
        "THIRD_PARTY_NOTICES.md has no table row (| `name` | version | licence |) for these "
        "dependencies of pyproject.toml; add each, read from its installed metadata: "
        + ", ".join(missing)
    )
