"""The footage of one review session as its chair sees it before the meeting: which clips
are missing, changed or due for deletion, and a check of the files now.

A chair checks only the sessions they created or sit on (Permission.VERIFY_SESSION_FOOTAGE
and the panel rule of services.review_access); verifying the whole library and relinking
moved files stay with administrators (services.footage). The check is the one `verify`
makes, clip by clip: no file, a different size, or a different SHA-256. A footage share
that is not mapped, or cannot be reached, on this laptop is said once, as such: an unmounted
share must neither read as every clip missing nor mark them missing for every laptop.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus
from bwv_review.ingest.clips import (
    CancelCheck,
    ClipUnreadable,
    HashCancelled,
    Progress,
    sha256_file,
)
from bwv_review.services.actor import Actor
from bwv_review.services.footage import DUE_SOON_DAYS
from bwv_review.services.permissions import Permission
from bwv_review.services.retention import DuePurge, purges_due_in_session
from bwv_review.services.review_access import panel_session
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Case, Clip, FootageRoot, ReviewSession, SessionCase
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)

RELINK_ACTION = (
    "If it was moved, ask the administrator to relink it (they run verify with the folder "
    "it moved to); if it was deleted, ask the force for a copy."
)
CHANGED_ACTION = (
    "It is blocked from review. Ask the force for the original, then ask the administrator "
    "to run verify."
)
REGISTER_ACTION = (
    "Ask the administrator to register the footage folder (File, Import, A footage folder)."
)
RETRY_ACTION = "Press Verify again; if it keeps happening, ask the administrator to run verify."


class ClipState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"
    UNREADABLE = "unreadable"
    NOT_REGISTERED = "not registered"
    NOT_REACHABLE = "share not reachable"  # its footage share, on this laptop
    NOT_CHECKED = "not checked"  # never hashed since registering, or the check was cancelled


@dataclass(frozen=True)
class SessionClip:
    """One clip of the session: what is wrong with it and what to do, in words a lay chair
    can act on (both empty when it is fine), and when the force deletes it."""

    clip_id: int
    case_reference: str
    label: str
    footage_root: str
    state: ClipState
    problem: str
    action: str
    deletion_due_on: date | None
    days_left: int | None  # until the deletion date; negative once it has passed

    @property
    def deletion_soon(self) -> bool:
        return self.days_left is not None and self.days_left <= DUE_SOON_DAYS

    @property
    def deletion_problem(self) -> str:
        """The deletion date, when it is within DUE_SOON_DAYS (or has passed)."""
        if not self.deletion_soon or self.days_left is None:
            return ""
        if self.days_left < 0:
            return f"Its deletion date, {self.deletion_due_on}, has passed."
        when = "today" if self.days_left == 0 else f"in {self.days_left} day(s)"
        return f"Due for deletion {when}, on {self.deletion_due_on}."

    @property
    def deletion_action(self) -> str:
        if not self.deletion_soon or self.days_left is None:
            return ""
        if self.days_left < 0:
            return "The force may have deleted it: ask the administrator to run verify."
        return (
            "Review it before then, or ask the force to keep it (non-evidential footage is "
            "deleted a set time after recording)."
        )

    @property
    def needs_attention(self) -> bool:
        return self.state is not ClipState.OK or self.deletion_soon


@dataclass(frozen=True)
class UnreachableShare:
    """A footage share this laptop cannot read, so none of its clips could be checked."""

    root: str
    clips: int
    message: str


@dataclass(frozen=True)
class SessionFootage:
    """The session's clips, as last recorded (`checked_now` False) or as Verify found them."""

    session_id: int
    session_name: str
    clips: tuple[SessionClip, ...]
    shares: tuple[UnreachableShare, ...]
    checked_now: bool
    cancelled: bool = False
    # Cases the panel's retention period takes within PURGE_WARNING_DAYS (or already has).
    purges_due: tuple[DuePurge, ...] = ()

    @property
    def warnings(self) -> tuple[SessionClip, ...]:
        """Clips needing attention, leaving out those whose only fault is an unreachable
        share (said once in `shares`) unless their deletion is near."""
        return tuple(
            clip
            for clip in self.clips
            if clip.deletion_soon or clip.state not in (ClipState.OK, ClipState.NOT_REACHABLE)
        )

    def count(self, state: ClipState) -> int:
        return sum(1 for clip in self.clips if clip.state is state)

    @property
    def deletions_soon(self) -> int:
        """Clips whose deletion date is today or within the warning days (not passed)."""
        return sum(1 for c in self.clips if c.deletion_soon and (c.days_left or 0) >= 0)

    @property
    def deletions_passed(self) -> int:
        """Clips whose deletion date has gone by: the force may have deleted them already."""
        return sum(1 for c in self.clips if c.deletion_soon and (c.days_left or 0) < 0)


@dataclass(frozen=True)
class _Row:
    """A clip as read before the slow work, so no transaction stays open while hashing."""

    clip_id: int
    case_reference: str
    label: str
    root: str
    relative_path: str
    sha256: str | None
    size_bytes: int | None
    mtime_ns: int | None
    status: ClipStatus
    deletion_due_on: date | None
    last_verified_at: datetime | None

    def clip(self, state: ClipState, problem: str, action: str, today: date) -> SessionClip:
        days = (self.deletion_due_on - today).days if self.deletion_due_on else None
        return SessionClip(
            self.clip_id,
            self.case_reference,
            self.label,
            self.root,
            state,
            problem,
            action,
            self.deletion_due_on,
            days,
        )


class SessionFootageService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def footage(
        self, actor: Actor, session_id: int, settings: Settings, *, today: date
    ) -> SessionFootage:
        """The session's clips as the last check left them, and their deletion dates. Reads
        no file (this runs on the GUI thread when a session is chosen): shares not mapped on
        this laptop are said, reachability waits for Verify."""
        with self._db.transaction() as session:
            name, rows = self._rows(session, actor, session_id)
            purges = purges_due_in_session(session, session_id, today)
        unmapped = {row.root for row in rows if settings.footage_root_folder(row.root) is None}
        shares = tuple(_unmapped_share(root, rows) for root in sorted(unmapped))
        clips = tuple(_as_recorded(row, today) for row in rows)
        return SessionFootage(session_id, name, clips, shares, checked_now=False, purges_due=purges)

    def verify_session(
        self,
        actor: Actor,
        session_id: int,
        settings: Settings,
        *,
        purpose: str,
        today: date,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> SessionFootage:
        """Check each of the session's clips where this laptop maps its share: missing (no
        file), changed (another size, or another SHA-256) or fine. Slow (about 0.8 GB/s):
        call it off the GUI thread. The statuses found are written for every laptop, as
        `verify` writes them, with one audit event; clips of an unreachable share and those
        left when `cancel` said stop keep their status."""
        with self._db.transaction() as session:
            name, rows = self._rows(session, actor, session_id)
            purges = purges_due_in_session(session, session_id, today)
        check = _Check(rows, settings, today, progress, cancel)
        clips = check.run()
        with self._db.transaction() as session:
            now = utc_now()
            for clip_id, (status, stat) in check.statuses.items():
                stored = session.get_one(Clip, clip_id)
                stored.status = status
                stored.last_verified_at = now
                if stat is not None:
                    stored.size_bytes, stored.mtime_ns = stat
            states = [clip.state for clip in clips]
            append_event(
                session,
                actor=actor.username,
                action="session.footage_verified",
                purpose=purpose,
                entity_type="review_session",
                entity_id=session_id,
                detail={
                    "clips": len(clips),
                    "ok": states.count(ClipState.OK),
                    "missing": [c.clip_id for c in clips if c.state is ClipState.MISSING],
                    "changed": [c.clip_id for c in clips if c.state is ClipState.CHANGED],
                    "unreadable": states.count(ClipState.UNREADABLE),
                    "not_registered": states.count(ClipState.NOT_REGISTERED),
                    "shares_not_reachable": [share.root for share in check.shares],
                    "cancelled": check.cancelled,
                },
            )
        log.info("session %s: %d clip(s) checked", session_id, len(check.statuses))
        return SessionFootage(
            session_id,
            name,
            clips,
            tuple(check.shares),
            checked_now=True,
            cancelled=check.cancelled,
            purges_due=purges,
        )

    @staticmethod
    def _rows(session: Session, actor: Actor, session_id: int) -> tuple[str, list[_Row]]:
        review_session: ReviewSession = panel_session(
            session, actor, session_id, Permission.VERIFY_SESSION_FOOTAGE
        )
        query = (
            select(
                Clip.id,
                Case.force_reference,
                Clip.label,
                Clip.position,
                FootageRoot.name,
                Clip.relative_path,
                Clip.sha256,
                Clip.size_bytes,
                Clip.mtime_ns,
                Clip.status,
                Clip.deletion_due_on,
                Clip.last_verified_at,
            )
            .join(Case, Clip.case_id == Case.id)
            .join(SessionCase, SessionCase.case_id == Case.id)
            .join(FootageRoot, Clip.footage_root_id == FootageRoot.id)
            .where(SessionCase.session_id == session_id)
            .order_by(Case.force_reference, Clip.position, Clip.id)
        )
        rows = [
            _Row(clip_id, reference, label or f"Clip {position + 1}", *rest)
            for clip_id, reference, label, position, *rest in session.execute(query)
        ]
        return review_session.name, rows


def _when(moment: datetime | None) -> str:
    return f"on {moment.date()}" if moment else "when last checked"


def _as_recorded(row: _Row, today: date) -> SessionClip:
    """What the database says of the clip, from the last check on any laptop."""
    if row.sha256 is None:
        return row.clip(ClipState.NOT_REGISTERED, "Not registered yet.", REGISTER_ACTION, today)
    when = _when(row.last_verified_at)
    if row.status is ClipStatus.MISSING:
        problem = f"Missing from the footage share (found {when})."
        return row.clip(ClipState.MISSING, problem, RELINK_ACTION, today)
    if row.status is ClipStatus.CHANGED:
        problem = f"Changed since it was registered: its contents differ (found {when})."
        return row.clip(ClipState.CHANGED, problem, CHANGED_ACTION, today)
    if row.status is ClipStatus.UNVERIFIED:
        return row.clip(ClipState.NOT_CHECKED, "Not checked since it was registered.", "", today)
    return row.clip(ClipState.OK, "", "", today)


def _unmapped_share(root: str, rows: Iterable[_Row]) -> UnreachableShare:
    count = sum(1 for row in rows if row.root == root)
    return UnreachableShare(
        root,
        count,
        f"The footage share {root!r} is not reachable on this laptop: no folder is set for "
        f"it here, so its {count} clip(s) cannot be checked or played on this laptop. Ask "
        "the administrator to set it up on this laptop, then press Verify again.",
    )


def _reachable(folder: Path) -> bool:
    """Whether the share's folder is there and holds something: an unmounted network share
    usually leaves its mount point behind as an empty folder."""
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError:
        return False


_Stat = tuple[int, int]  # size in bytes, modification time in ns


class _Check:
    """One Verify of a session's clips: the cheap look at every file first (no file, or
    another size, needs no hashing), then the hashes, with one progress bar across them."""

    def __init__(
        self,
        rows: list[_Row],
        settings: Settings,
        today: date,
        progress: Progress | None,
        cancel: CancelCheck | None,
    ) -> None:
        self.rows = rows
        self.settings = settings
        self.today = today
        self.progress = progress
        self.cancel = cancel
        self.statuses: dict[int, tuple[ClipStatus, _Stat | None]] = {}
        self.shares: list[UnreachableShare] = []
        self.cancelled = False

    def run(self) -> tuple[SessionClip, ...]:
        found: dict[int, SessionClip] = {}
        to_hash: list[tuple[_Row, Path]] = []
        folders = self._reachable_folders()
        for row in self.rows:
            folder = folders.get(row.root)
            if row.sha256 is None or row.size_bytes is None:
                found[row.clip_id] = _as_recorded(row, self.today)
            elif folder is None:
                found[row.clip_id] = row.clip(
                    ClipState.NOT_REACHABLE, "Its footage share is not reachable.", "", self.today
                )
            else:
                path = folder / row.relative_path
                early = self._look(row, path)
                if early is None:
                    to_hash.append((row, path))
                else:
                    found[row.clip_id] = early
        found.update(self._hash_all(to_hash))
        return tuple(found[row.clip_id] for row in self.rows)

    def _reachable_folders(self) -> dict[str, Path]:
        folders: dict[str, Path] = {}
        for root in sorted({row.root for row in self.rows}):
            folder = self.settings.footage_root_folder(root)
            if folder is None:
                self.shares.append(_unmapped_share(root, self.rows))
            elif not _reachable(folder):
                count = sum(1 for row in self.rows if row.root == root)
                self.shares.append(
                    UnreachableShare(
                        root,
                        count,
                        f"The footage share {root!r} is not reachable on this laptop: its "
                        f"folder {folder} cannot be reached (is the share connected?), so its "
                        f"{count} clip(s) were not checked. Connect to it, then press Verify "
                        "again.",
                    )
                )
            else:
                folders[root] = folder
        return folders

    def _look(self, row: _Row, path: Path) -> SessionClip | None:
        """The verdict that needs no hashing, or None when the contents must be hashed."""
        try:
            size = path.stat().st_size
        except OSError:
            self.statuses[row.clip_id] = (ClipStatus.MISSING, None)
            return row.clip(
                ClipState.MISSING,
                "Missing: there is no file at its place in the footage share.",
                RELINK_ACTION,
                self.today,
            )
        if size != row.size_bytes:
            self.statuses[row.clip_id] = (ClipStatus.CHANGED, None)
            return row.clip(
                ClipState.CHANGED,
                f"Changed since it was registered: the file is {size:,} bytes, not "
                f"{row.size_bytes:,}.",
                CHANGED_ACTION,
                self.today,
            )
        return None

    def _hash_all(self, to_hash: list[tuple[_Row, Path]]) -> dict[int, SessionClip]:
        found: dict[int, SessionClip] = {}
        total = sum(row.size_bytes or 0 for row, _ in to_hash)
        done = 0
        for row, path in to_hash:
            if not self.cancelled and self.cancel is not None and self.cancel():
                self.cancelled = True
            if self.cancelled:
                found[row.clip_id] = row.clip(
                    ClipState.NOT_CHECKED, "Not checked: the check was cancelled.", "", self.today
                )
                continue
            try:
                digest = sha256_file(
                    path,
                    progress=self.progress,
                    cancel=self.cancel,
                    done_before_bytes=done,
                    total_bytes=total,
                )
            except HashCancelled:
                self.cancelled = True
                found[row.clip_id] = row.clip(
                    ClipState.NOT_CHECKED, "Not checked: the check was cancelled.", "", self.today
                )
                continue
            except ClipUnreadable as exc:
                log.info("clip %s could not be hashed: %s", row.clip_id, exc)
                if not path.exists():  # gone since the look above
                    found[row.clip_id] = self._look(row, path) or _as_recorded(row, self.today)
                    continue
                found[row.clip_id] = row.clip(
                    ClipState.UNREADABLE,
                    "Could not be read to the end, so it is not known to be the registered "
                    "footage.",
                    RETRY_ACTION,
                    self.today,
                )
                continue
            finally:
                done += row.size_bytes or 0
            if digest.sha256 == row.sha256:
                self.statuses[row.clip_id] = (ClipStatus.OK, (digest.size_bytes, digest.mtime_ns))
                found[row.clip_id] = row.clip(ClipState.OK, "", "", self.today)
            else:
                self.statuses[row.clip_id] = (ClipStatus.CHANGED, None)
                found[row.clip_id] = row.clip(
                    ClipState.CHANGED,
                    "Changed since it was registered: its contents differ (another SHA-256).",
                    CHANGED_ACTION,
                    self.today,
                )
        return found
