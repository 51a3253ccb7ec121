"""Footage registered where it lies, and re-checked later: a clip is a path relative to a
named footage root, and each laptop maps the root to its own folder in its settings (passed
in by the caller; a service never guesses a path).

Hashing gigabytes happens outside any database transaction, with progress and cancel
callbacks for the GUI's worker thread; the results are then written in one transaction with
their audit event.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus
from bwv_review.ingest.clips import (
    CancelCheck,
    ClipFacts,
    ClipUnreadable,
    FileDigest,
    HashCancelled,
    Progress,
    measure_clip,
    sha256_file,
)
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Case, Clip, FootageRoot
from bwv_review.store.types import utc_now

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class ClipNote:
    """One clip that needs a person's attention, and why."""

    clip_id: int
    force_reference: str
    footage_root: str
    relative_path: str
    message: str


@dataclass(frozen=True)
class ClipRegistration:
    footage_root: str
    folder: Path
    registered: int
    already_registered: int
    problems: tuple[ClipNote, ...]
    cancelled: bool

    @property
    def folder_confirmed(self) -> bool:
        """Whether this machine should keep the folder as the root's mapping: the import
        succeeded, or some clips were registered from it (they play from there). A folder
        none of whose clips could be registered is not kept."""
        return not self.problems or self.registered > 0


@dataclass(frozen=True)
class DeletionDue:
    clip_id: int
    force_reference: str
    footage_root: str
    relative_path: str
    due_on: date
    days_left: int  # negative once the date has passed


@dataclass
class VerifyReport:
    checked: int = 0
    ok: int = 0
    missing: list[ClipNote] = field(default_factory=list)
    changed: list[ClipNote] = field(default_factory=list)
    relinked: list[ClipNote] = field(default_factory=list)
    not_checked: list[ClipNote] = field(default_factory=list)
    deletions_due: list[DeletionDue] = field(default_factory=list)
    cancelled: bool = False

    @property
    def all_ok(self) -> bool:
        return not (self.missing or self.changed or self.not_checked or self.cancelled)


@dataclass(frozen=True)
class _ClipRow:
    """A clip as read before the slow work, so no transaction stays open while hashing."""

    clip_id: int
    force_reference: str
    root: str
    relative_path: str
    sha256: str | None
    size_bytes: int | None

    def note(self, message: str) -> ClipNote:
        return ClipNote(self.clip_id, self.force_reference, self.root, self.relative_path, message)


class FootageRegistry:
    """Registering and verifying footage; part of LibraryService, which holds the database."""

    _db: Database

    # --- Registering footage --------------------------------------------------------------

    def roots_waiting(self, actor: Actor, settings: Settings) -> tuple[str, ...]:
        """Footage roots the manifests named that this machine has no folder for yet, so
        the import dialog can offer the one waiting instead of asking its name again."""
        require(actor, Permission.IMPORT_DATA)
        with self._db.transaction() as session:
            names = session.scalars(select(FootageRoot.name).order_by(FootageRoot.name)).all()
        return tuple(name for name in names if settings.footage_root_folder(name) is None)

    def register_clips(
        self,
        actor: Actor,
        root_name: str,
        settings: Settings,
        *,
        purpose: str,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> ClipRegistration:
        """Hash and probe every not-yet-registered clip of a footage root, in the folder
        this machine maps the root to. A registered clip is never re-measured here: that
        would accept a changed file as the original (`verify` checks those)."""
        require(actor, Permission.IMPORT_DATA)
        folder = root_folder(settings, root_name)
        with self._db.transaction() as session:
            if session.scalar(select(FootageRoot.id).where(FootageRoot.name == root_name)) is None:
                raise NotFound(
                    f"no case uses footage root {root_name!r}; import the manifest first"
                )
            rows = _clip_rows(session, FootageRoot.name == root_name)
        pending = [row for row in rows if row.sha256 is None]
        problems: list[ClipNote] = []
        present: list[tuple[_ClipRow, Path, int]] = []
        for row in pending:
            path = folder / row.relative_path
            try:
                present.append((row, path, path.stat().st_size))
            except OSError:
                problems.append(row.note(f"not found at {path}"))
        measured: list[tuple[_ClipRow, ClipFacts]] = []
        cancelled = False
        total_bytes = sum(size for _, _, size in present)
        done_bytes = 0
        for row, path, size in present:
            try:
                facts = measure_clip(
                    path,
                    progress=progress,
                    cancel=cancel,
                    done_before_bytes=done_bytes,
                    total_bytes=total_bytes,
                )
            except HashCancelled:
                cancelled = True
                break
            except ClipUnreadable as exc:
                problems.append(row.note(str(exc)))
            else:
                measured.append((row, facts))
            done_bytes += size
        with self._db.transaction() as session:
            now = utc_now()
            for row, facts in measured:
                clip = session.get_one(Clip, row.clip_id)
                if clip.sha256 is not None:
                    continue  # registered meanwhile from another laptop: keep the first
                _store_facts(clip, facts)
                clip.status = ClipStatus.OK
                clip.last_verified_at = now
            append_event(
                session,
                actor=actor.username,
                action="clips.registered",
                purpose=purpose,
                entity_type="footage_root",
                entity_id=root_name,
                detail={
                    "registered": len(measured),
                    "problems": len(problems),
                    "cancelled": cancelled,
                },
            )
        return ClipRegistration(
            root_name,
            folder,
            registered=len(measured),
            already_registered=len(rows) - len(pending),
            problems=tuple(problems),
            cancelled=cancelled,
        )

    # --- Verifying ------------------------------------------------------------------------

    def verify(
        self,
        actor: Actor,
        settings: Settings,
        *,
        purpose: str,
        relink_folder: Path | None = None,
        today: date | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> VerifyReport:
        """Re-hash every registered clip: missing, changed (hash differs) or fine. With
        `relink_folder`, a missing clip whose hash is found there is relinked (it moved).
        Also lists clips whose deletion date is within DUE_SOON_DAYS."""
        require(actor, Permission.IMPORT_DATA)
        today = today or utc_now().date()
        with self._db.transaction() as session:
            rows = _clip_rows(session)
            folders = {
                name: settings.footage_root_folder(name)
                for name in session.scalars(select(FootageRoot.name))
            }
        report = VerifyReport()
        statuses, gone = _check_in_place(rows, folders, report, progress, cancel)
        relinks: dict[int, tuple[Path, FileDigest]] = {}
        if relink_folder is not None and not report.cancelled:
            try:
                relinks = _find_by_hash(gone, relink_folder, cancel)
            except HashCancelled:
                report.cancelled = True
        with self._db.transaction() as session:
            now = utc_now()
            for row in gone:
                report.checked += 1
                found = relinks.get(row.clip_id)
                if found is None:
                    report.missing.append(row.note("missing: no file at its path"))
                    statuses[row.clip_id] = (ClipStatus.MISSING, None)
                    continue
                note, relinked = _relink(session, row, found[0], folders)
                if relinked:
                    report.relinked.append(note)
                    statuses[row.clip_id] = (
                        ClipStatus.OK,
                        (found[1].size_bytes, found[1].mtime_ns),
                    )
                else:
                    report.missing.append(note)
                    statuses[row.clip_id] = (ClipStatus.MISSING, None)
            for clip_id, (status, stat) in statuses.items():
                clip = session.get_one(Clip, clip_id)
                clip.status = status
                clip.last_verified_at = now
                if stat is not None:
                    clip.size_bytes, clip.mtime_ns = stat
            report.deletions_due = _deletions_due(session, today)
            append_event(
                session,
                actor=actor.username,
                action="clips.verified",
                purpose=purpose,
                detail={
                    "checked": report.checked,
                    "ok": report.ok,
                    "missing": [n.clip_id for n in report.missing],
                    "changed": [n.clip_id for n in report.changed],
                    "relinked": [n.clip_id for n in report.relinked],
                    "not_checked": len(report.not_checked),
                    "cancelled": report.cancelled,
                },
            )
        return report


def root_folder(settings: Settings, root_name: str) -> Path:
    folder = settings.footage_root_folder(root_name)
    if folder is None:
        raise BadInput(
            f"footage root {root_name!r} is not mapped to a folder on this machine: run "
            f"`bwv-review import-clips FOLDER --root {root_name!r}` or set it in the settings"
        )
    return folder


def _clip_rows(session: Session, *where: ColumnElement[bool]) -> list[_ClipRow]:
    query = (
        select(
            Clip.id,
            Case.force_reference,
            FootageRoot.name,
            Clip.relative_path,
            Clip.sha256,
            Clip.size_bytes,
        )
        .join(Case, Clip.case_id == Case.id)
        .join(FootageRoot, Clip.footage_root_id == FootageRoot.id)
        .where(*where)
        .order_by(Clip.id)
    )
    return [_ClipRow(*row) for row in session.execute(query)]


def _store_facts(clip: Clip, facts: ClipFacts) -> None:
    clip.sha256 = facts.digest.sha256
    clip.size_bytes = facts.digest.size_bytes
    clip.mtime_ns = facts.digest.mtime_ns
    clip.duration_ms = facts.duration_ms
    clip.fps_num = facts.fps.numerator if facts.fps else None
    clip.fps_den = facts.fps.denominator if facts.fps else None
    clip.variable_frame_rate = facts.variable_frame_rate
    clip.frame_count = facts.frame_count
    clip.width_px = facts.width_px
    clip.height_px = facts.height_px
    clip.codec = facts.codec
    clip.keyframe_indices_json = json.dumps(list(facts.keyframe_indices))


def _walk_files(folder: Path) -> Iterable[Path]:
    for directory, _, names in os.walk(folder):
        for name in names:
            yield Path(directory) / name


_Statuses = dict[int, tuple[ClipStatus, tuple[int, int] | None]]
"""Clip id -> its new status and, when re-measured, its (size, mtime_ns)."""


def _check_in_place(
    rows: list[_ClipRow],
    folders: dict[str, Path | None],
    report: VerifyReport,
    progress: Progress | None,
    cancel: CancelCheck | None,
) -> tuple[_Statuses, list[_ClipRow]]:
    """Re-hash each registered clip where it should be; return the new statuses and the
    clips with no file at their path (for relinking)."""
    statuses: _Statuses = {}
    gone: list[_ClipRow] = []
    total_bytes = sum(row.size_bytes or 0 for row in rows if row.sha256)
    done_bytes = 0
    for row in rows:
        folder = folders.get(row.root)
        if row.sha256 is None:
            report.not_checked.append(row.note("not registered yet: run import-clips"))
            continue
        if folder is None:
            report.not_checked.append(
                row.note(f"footage root {row.root!r} is not mapped to a folder on this machine")
            )
            continue
        if not folder.is_dir():
            # An unmounted share must not mark every clip missing in a shared database.
            report.not_checked.append(
                row.note(f"footage root {row.root!r} folder {folder} cannot be reached")
            )
            continue
        path = folder / row.relative_path
        try:
            digest = sha256_file(
                path,
                progress=progress,
                cancel=cancel,
                done_before_bytes=done_bytes,
                total_bytes=total_bytes,
            )
        except HashCancelled:
            report.cancelled = True
            break
        except ClipUnreadable as exc:
            if path.exists():
                report.not_checked.append(row.note(str(exc)))
            else:
                gone.append(row)
            continue
        finally:
            done_bytes += row.size_bytes or 0
        report.checked += 1
        if digest.sha256 == row.sha256:
            report.ok += 1
            statuses[row.clip_id] = (ClipStatus.OK, (digest.size_bytes, digest.mtime_ns))
        else:
            report.changed.append(
                row.note(f"changed: its SHA-256 differs from the one registered ({path})")
            )
            statuses[row.clip_id] = (ClipStatus.CHANGED, None)
    return statuses, gone


def _find_by_hash(
    gone: list[_ClipRow], folder: Path, cancel: CancelCheck | None
) -> dict[int, tuple[Path, FileDigest]]:
    """Where each missing clip now is, by content. Only files of a missing clip's exact
    size are hashed, so searching a large share costs little more than listing it."""
    wanted_sizes: dict[int, list[_ClipRow]] = defaultdict(list)
    for row in gone:
        if row.size_bytes is not None:
            wanted_sizes[row.size_bytes].append(row)
    found: dict[int, tuple[Path, FileDigest]] = {}
    for path in sorted(_walk_files(folder)):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        candidates = [row for row in wanted_sizes.get(size, []) if row.clip_id not in found]
        if not candidates:
            continue
        try:
            digest = sha256_file(path, cancel=cancel)
        except ClipUnreadable:
            continue
        for row in candidates:
            if row.sha256 == digest.sha256:
                found[row.clip_id] = (path, digest)
                break
    return found


def _relink(
    session: Session,
    row: _ClipRow,
    found: Path,
    folders: dict[str, Path | None],
) -> tuple[ClipNote, bool]:
    """Point the clip at its new place, which must lie inside a mapped footage root (its
    own first) so the path stays relative and portable between laptops."""
    ordered = sorted(folders.items(), key=lambda item: item[0] != row.root)
    for root_name, folder in ordered:
        if folder is None:
            continue
        try:
            relative = found.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            continue
        root = session.scalars(select(FootageRoot).where(FootageRoot.name == root_name)).one()
        taken = session.scalar(
            select(Clip.id).where(Clip.footage_root_id == root.id, Clip.relative_path == relative)
        )
        if taken is not None:
            note = row.note(f"found at {found}, but clip {taken} is registered at that path")
            return note, False
        clip = session.get_one(Clip, row.clip_id)
        clip.footage_root = root
        clip.relative_path = relative
        return row.note(f"moved: relinked by SHA-256 to {root_name}:{relative}"), True
    outside = row.note(
        f"found at {found}, which is outside every mapped footage root: map a root to a "
        "folder that holds it, then run verify --relink again"
    )
    return outside, False


def _deletions_due(session: Session, today: date) -> list[DeletionDue]:
    limit = today + timedelta(days=DUE_SOON_DAYS)
    query = (
        select(Clip.id, Case.force_reference, FootageRoot.name, Clip.relative_path)
        .add_columns(Clip.deletion_due_on)
        .join(Case, Clip.case_id == Case.id)
        .join(FootageRoot, Clip.footage_root_id == FootageRoot.id)
        .where(Clip.deletion_due_on.is_not(None), Clip.deletion_due_on <= limit)
        .order_by(Clip.deletion_due_on, Clip.id)
    )
    return [
        DeletionDue(clip_id, reference, root, path, due_on, (due_on - today).days)
        for clip_id, reference, root, path, due_on in session.execute(query)
    ]
