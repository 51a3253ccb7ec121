"""Footage before review: a clip is shown only while it is the file that was registered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.footage import root_folder
from bwv_review.services.permissions import Permission, require
from bwv_review.store.db import Database
from bwv_review.store.models import Clip


class ClipBlocked(BadInput):
    """The clip must not be reviewed as it stands; the message says why and what to do."""


@dataclass(frozen=True)
class ReviewableClip:
    """A clip that passed its checks, with where it is on this machine."""

    clip_id: int
    force_reference: str
    path: Path
    sha256: str
    size_bytes: int
    duration_ms: int | None
    frame_count: int | None


class ReviewFootage:
    """Handing a clip to the player; part of LibraryService, which holds the database."""

    _db: Database

    # --- Before review --------------------------------------------------------------------

    def clip_for_review(self, actor: Actor, clip_id: int, settings: Settings) -> ReviewableClip:
        """The clip's file on this machine, refused unless it is the registered footage.

        A full hash belongs to `verify` and the background check when a session opens; here
        size and modification time are compared, which catches a replaced or truncated file
        in microseconds.
        """
        require(actor, Permission.VIEW_FOOTAGE)
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
                path,
                clip.sha256,
                clip.size_bytes,
                clip.duration_ms,
                clip.frame_count,
            )
