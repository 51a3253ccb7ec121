"""The case library: cases from the force's manifest, their footage registered where it lies
(services.footage), and the checks that keep a changed or vanished clip out of review
(services.clip_access). LibraryService gathers the three for the workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus
from bwv_review.ingest.clips import Progress
from bwv_review.ingest.manifest import Manifest, ManifestError, read_manifest
from bwv_review.services.actor import Actor
from bwv_review.services.clip_access import (
    CheckedThisRun,
    ClipBlocked,
    ContentCheck,
    Contents,
    ReviewableClip,
    ReviewFootage,
)
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.footage import (
    ClipNote,
    ClipRegistration,
    DeletionDue,
    FootageRegistry,
    VerifyReport,
)
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Case, Clip, FootageRoot

__all__ = [
    "ClipBlocked",
    "ClipNote",
    "ClipRegistration",
    "ContentCheck",
    "Contents",
    "DeletionDue",
    "LibraryService",
    "ManifestImport",
    "Progress",
    "ReviewableClip",
    "VerifyReport",
    "deletion_days",
]

DELETION_DAYS_SETTING = "footage.deletion_days"
DEFAULT_DELETION_DAYS = 31
"""Non-evidential BWV is usually deleted 31 days after recording."""
_IN_CHUNK = 500  # keeps IN (...) lists well under every backend's parameter limit


@dataclass(frozen=True)
class ManifestImport:
    file_name: str
    file_sha256: str
    cases_added: int
    clips_added: int
    footage_roots_added: tuple[str, ...]


def deletion_days(settings: Settings) -> int:
    """Days from recording to the force's deletion, from this machine's settings."""
    value = settings.get(DELETION_DAYS_SETTING)
    if value is None:
        return DEFAULT_DELETION_DAYS
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
        raise BadInput(f"setting {DELETION_DAYS_SETTING} must be a whole number of days (1-3650)")
    return value


_T = TypeVar("_T")


def _chunks(items: list[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


class LibraryService(FootageRegistry, ReviewFootage):
    """The case library. Footage registration and verification (services.footage) and
    handing clips to the player (services.clip_access) live in their own modules."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._checked = CheckedThisRun()

    # --- Manifest -------------------------------------------------------------------------

    def import_manifest(
        self, actor: Actor, path: Path, settings: Settings, *, purpose: str
    ) -> ManifestImport:
        """Add every case and clip of the manifest, or nothing: any problem (in the file or
        a clash with what is already stored) is reported as FILE:LINE: what is wrong."""
        require(actor, Permission.IMPORT_DATA)
        days = deletion_days(settings)
        try:
            manifest = read_manifest(path)
        except ManifestError as exc:
            raise _bad_manifest(str(path), exc) from None
        with self._db.transaction() as session:
            problems = self._clashes(session, manifest, str(path))
            if problems:
                raise BadInput(f"{path}: {len(problems)} problem(s); nothing imported", problems)
            roots, added_roots = self._footage_roots(session, manifest)
            clip_count = 0
            for entry in manifest.cases:
                case = Case(
                    force_reference=entry.force_reference,
                    case_type=entry.case_type,
                    occurred_at=entry.occurred_at,
                    area=entry.area,
                    power=entry.power,
                    object_of_search=entry.object_of_search,
                    grounds_text=entry.grounds,
                    outcome=entry.outcome,
                    outcome_linked=entry.outcome_linked,
                    subject_age_band=entry.age_band,
                    subject_gender=entry.gender,
                    subject_self_defined_ethnicity=entry.self_defined_ethnicity,
                    subject_officer_defined_ethnicity=entry.officer_defined_ethnicity,
                    strip_search=entry.strip_search,
                    taser_highest_level=entry.taser_highest_level,
                    officer_pseudonym=entry.officer_pseudonym,
                    manifest_sha256=manifest.sha256,
                    manifest_line=entry.line,
                )
                case.clips = [
                    Clip(
                        position=position,
                        label=f"Clip {position + 1}",
                        footage_root=roots[entry.footage_root or ""],
                        relative_path=relative_path,
                        recorded_at=entry.occurred_at,
                        deletion_due_on=entry.footage_deleted_on
                        or entry.occurred_at.date() + timedelta(days=days),
                        status=ClipStatus.UNVERIFIED,
                    )
                    for position, relative_path in enumerate(entry.clip_paths)
                ]
                clip_count += len(case.clips)
                session.add(case)
            session.flush()
            result = ManifestImport(
                manifest.file_name, manifest.sha256, len(manifest.cases), clip_count, added_roots
            )
            append_event(
                session,
                actor=actor.username,
                action="manifest.imported",
                purpose=purpose,
                entity_type="manifest",
                entity_id=manifest.sha256,
                detail={
                    "file": manifest.file_name,
                    "cases": result.cases_added,
                    "clips": result.clips_added,
                    "footage_roots_added": list(added_roots),
                    "deletion_days": days,
                },
            )
            return result

    def _clashes(self, session: Session, manifest: Manifest, file: str) -> list[Problem]:
        """What the manifest would duplicate in the workspace, by line."""
        if session.scalar(select(Case.id).where(Case.manifest_sha256 == manifest.sha256).limit(1)):
            return [Problem("this manifest was already imported; nothing imported", file)]
        problems = []
        line_of = {case.force_reference.casefold(): case.line for case in manifest.cases}
        for chunk in _chunks(list(line_of)):
            references = session.scalars(
                select(Case.force_reference).where(func.lower(Case.force_reference).in_(chunk))
            )
            for reference in references:
                line = line_of[reference.casefold()]
                problems.append(
                    Problem(f"case {reference!r} is already in the workspace", file, line)
                )
        wanted = {
            (case.footage_root, path): case.line
            for case in manifest.cases
            for path in case.clip_paths
        }
        for root in {root for root, _ in wanted}:
            paths = [path for r, path in wanted if r == root]
            for chunk in _chunks(paths):
                stored_paths = session.scalars(
                    select(Clip.relative_path)
                    .join(FootageRoot)
                    .where(FootageRoot.name == root, Clip.relative_path.in_(chunk))
                )
                for stored in stored_paths:
                    problems.append(
                        Problem(
                            f"clip {stored!r} in footage root {root!r} already belongs to a case",
                            file,
                            wanted[(root, stored)],
                        )
                    )
        return sorted(problems, key=lambda p: p.line or 0)

    def _footage_roots(
        self, session: Session, manifest: Manifest
    ) -> tuple[dict[str, FootageRoot], tuple[str, ...]]:
        names = sorted({case.footage_root for case in manifest.cases if case.footage_root})
        roots = {
            root.name: root
            for root in session.scalars(select(FootageRoot).where(FootageRoot.name.in_(names)))
        }
        added = tuple(name for name in names if name not in roots)
        for name in added:
            roots[name] = FootageRoot(name=name, description="")
            session.add(roots[name])
        return roots, added


def _bad_manifest(file: str, exc: ManifestError) -> BadInput:
    problems = [Problem(p.message, file, p.line) for p in exc.problems]
    return BadInput(f"{file}: {len(problems)} problem(s); nothing imported", problems)
