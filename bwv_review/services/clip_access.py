"""Footage before review: a clip is shown only while it is the file that was registered.

Opening a clip compares its size and modification time with the registered ones, which
takes microseconds but cannot see a file rewritten to the same size with its time set back.
So the first time a clip is shown in a run of the app its contents are hashed as well (off
the GUI thread, cancellable between chunks; about 0.8 GB/s from local disk), and what was
found is remembered for the rest of the run: a clip that matched is not hashed again, one
that did not is refused from then on.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus
from bwv_review.ingest.clips import CancelCheck, ClipUnreadable, Progress, sha256_file
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.footage import root_folder
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Clip

log = logging.getLogger(__name__)


class ClipBlocked(BadInput):
    """The clip must not be reviewed as it stands; the message says why and what to do."""


@dataclass(frozen=True)
class ReviewableClip:
    """A clip that passed its checks, with where it is on this machine."""

    clip_id: int
    force_reference: str
    label: str
    path: Path
    sha256: str
    size_bytes: int
    duration_ms: int | None
    frame_count: int | None


class Contents(Enum):
    MATCH = "match"
    CHANGED = "changed"  # hashed in full: not the registered footage
    UNREADABLE = "unreadable"  # could not be read to the end, so it is not known to match


@dataclass(frozen=True)
class ContentCheck:
    """What hashing a clip found; `message` says, for the reviewer, what happened and what
    to do (empty when the contents match)."""

    clip_id: int
    contents: Contents
    message: str = ""


class CheckedThisRun:
    """The clips whose contents were hashed in this run of the app (one Workspace), and
    what was found. Kept in memory, not in the database: another laptop may map the footage
    root to an intact copy, and the clip's status for everyone is what `verify` decides
    (the audit event tells the administrator to run it). Shared by worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matched: dict[int, tuple[Path, str]] = {}  # clip id -> (file, its SHA-256)
        self._refused: dict[int, str] = {}  # clip id -> why it may not be shown

    def matched(self, clip: ReviewableClip) -> bool:
        with self._lock:
            return self._matched.get(clip.clip_id) == (clip.path, clip.sha256)

    def refusal(self, clip_id: int) -> str | None:
        with self._lock:
            return self._refused.get(clip_id)

    def remember_match(self, clip: ReviewableClip) -> None:
        with self._lock:
            self._matched[clip.clip_id] = (clip.path, clip.sha256)

    def remember_refusal(self, clip_id: int, reason: str) -> None:
        with self._lock:
            self._refused[clip_id] = reason
            self._matched.pop(clip_id, None)


class ReviewFootage:
    """Handing a clip to the player; part of LibraryService, which holds the database and
    the run's CheckedThisRun."""

    _db: Database
    _checked: CheckedThisRun

    # --- Before review --------------------------------------------------------------------

    def clip_for_review(self, actor: Actor, clip_id: int, settings: Settings) -> ReviewableClip:
        """The clip's file on this machine, refused unless it is the registered footage.

        Size and modification time are compared here, which catches a replaced or truncated
        file in microseconds; `check_contents` hashes it, and a clip it found changed in
        this run is refused here without looking at the file again.
        """
        require(actor, Permission.VIEW_FOOTAGE)
        refusal = self._checked.refusal(clip_id)
        if refusal is not None:
            raise ClipBlocked(refusal)
        with self._db.transaction() as session:
            clip = session.get(Clip, clip_id)
            if clip is None:
                raise NotFound(f"there is no clip {clip_id}")
            reference = clip.case.force_reference
            name = f"clip {clip.position + 1} of case {reference}"
            if clip.sha256 is None or clip.size_bytes is None:
                raise ClipBlocked(
                    f"{name} is not registered yet: an administrator runs import-clips"
                )
            if clip.status == ClipStatus.CHANGED:
                raise ClipBlocked(
                    f"{name} is blocked from review: the file has changed since it was "
                    "registered (its SHA-256 differs), so it may not be the footage the force "
                    "provided. Ask the force for the original, then run verify."
                )
            if clip.status == ClipStatus.MISSING:
                raise ClipBlocked(
                    f"{name} is missing from force storage; run verify --relink FOLDER if it moved"
                )
            path = root_folder(settings, clip.footage_root.name) / clip.relative_path
            try:
                stat = path.stat()
            except OSError:
                raise ClipBlocked(f"{name} is not at {path}; run verify") from None
            if (stat.st_size, stat.st_mtime_ns) != (clip.size_bytes, clip.mtime_ns):
                raise ClipBlocked(
                    f"{name} is blocked from review: its size or modification time differs "
                    "from when it was checked; run verify to re-check its SHA-256"
                )
            return ReviewableClip(
                clip.id,
                reference,
                clip.label or name,
                path,
                clip.sha256,
                clip.size_bytes,
                clip.duration_ms,
                clip.frame_count,
            )

    def check_contents(
        self,
        actor: Actor,
        clip_id: int,
        settings: Settings,
        *,
        purpose: str,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> ContentCheck:
        """Hash the clip's file and compare it with the registered SHA-256, once per run.

        Slow (seconds for gigabytes): call it off the GUI thread. A mismatch is recorded in
        the audit log, then remembered so the clip is refused for the rest of the run; the
        audit write comes first, so a failed write leaves the next showing to check again.
        Raises HashCancelled when `cancel` says so (nothing is recorded) and ClipBlocked
        when the clip may not be shown at all.
        """
        clip = self.clip_for_review(actor, clip_id, settings)
        if self._checked.matched(clip):
            return ContentCheck(clip_id, Contents.MATCH)
        try:
            digest = sha256_file(clip.path, progress=progress, cancel=cancel)
        except ClipUnreadable as exc:
            log.info("clip %s could not be hashed: %s", clip_id, exc)
            return ContentCheck(
                clip_id,
                Contents.UNREADABLE,
                f"The file for {clip.label} could not be checked against the footage "
                f"registered for this case ({exc}). Playback stopped. Close the case and open "
                "it again to retry; if this keeps happening, ask the administrator to run verify.",
            )
        if digest.sha256 == clip.sha256:
            self._checked.remember_match(clip)
            return ContentCheck(clip_id, Contents.MATCH)
        with self._db.transaction() as session:
            append_event(
                session,
                actor=actor.username,
                action="clip.contents_changed",
                purpose=purpose,
                entity_type="clip",
                entity_id=clip_id,
                detail={
                    "case": clip.force_reference,
                    "registered_sha256": clip.sha256,
                    "found_sha256": digest.sha256,
                    "size_bytes": digest.size_bytes,
                },
            )
        what = (
            f"The file for {clip.label} is not the footage registered for this case (its "
            "contents changed since import)."
        )
        self._checked.remember_refusal(
            clip_id, f"{what} It is not shown. Ask the administrator to run verify."
        )
        log.warning("clip %s: contents differ from the registered SHA-256", clip_id)
        return ContentCheck(
            clip_id,
            Contents.CHANGED,
            f"{what} Playback stopped. Ask the administrator to run verify.",
        )
