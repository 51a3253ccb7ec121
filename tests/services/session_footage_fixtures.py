"""A review session whose four clips are real H.264 files registered in place: one that
stays good, one to delete, one to rewrite and one whose deletion date is two days off. For
the session-footage tests (service and Sessions page) and the screenshot."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from bwv_review.config import Settings
from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case, Clip
from tests.services.review_fixtures import PURPOSE, make_person
from tests.support.video import make_video

ROOT = "force-bwv"
GOOD, GONE, CHANGED, SOON = "GOOD-1", "GONE-2", "CHANGED-3", "SOON-4"
REFERENCES = (GOOD, GONE, CHANGED, SOON)
SOON_DAYS_LEFT = 2
DELETION_DAYS = 31  # the default of footage.deletion_days


@dataclass(frozen=True)
class FootageSession:
    admin: Actor
    chair: Actor
    reviewer: Actor
    session_id: int
    share: Path  # the footage share as mounted on this laptop
    clip_ids: dict[str, int]  # case reference -> its clip

    def path(self, reference: str) -> Path:
        return self.share / reference / "officer1.mp4"


def build_footage_session(
    ws: Workspace, folder: Path, settings: Settings, today: date
) -> FootageSession:
    """Import the cases from a manifest, register their clips from `folder`/share and put
    the four cases in a session chaired by `chair` with `rita` on its panel."""
    admin = make_person(ws, "admin", Role.ADMIN)
    chair = make_person(ws, "chair", Role.CHAIR)
    reviewer = make_person(ws, "rita", Role.REVIEWER)
    share = folder / "mnt" / ROOT
    lines = ["force_reference,case_type,occurred_at,footage_root,clips"]
    for n, reference in enumerate(REFERENCES):
        make_video(share / reference / "officer1.mp4", tag=reference)
        age = DELETION_DAYS - SOON_DAYS_LEFT if reference == SOON else 5 + n
        occurred = today - timedelta(days=age)
        lines.append(
            f"{reference},stop_and_search,{occurred.isoformat()}T10:00:00+00:00,{ROOT},"
            f"{reference}/officer1.mp4"
        )
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings.map_footage_root(ROOT, share)
    ws.library.import_manifest(admin, manifest, settings, purpose=PURPOSE)
    ws.library.register_clips(admin, ROOT, settings, purpose=PURPOSE)
    session_id = ws.review_sessions.create(
        chair, "2026 Q2 panel", "2026-Q2", today + timedelta(days=3), ["rita"], purpose=PURPOSE
    )
    for reference in REFERENCES:
        ws.review_sessions.add_case(chair, session_id, reference, "theme", purpose=PURPOSE)
    with ws.db.transaction() as session:
        clip_ids = dict(
            session.execute(select(Case.force_reference, Clip.id).join(Clip.case)).all()
        )
    return FootageSession(admin, chair, reviewer, session_id, share, clip_ids)


def rewrite_keeping_size_and_time(path: Path) -> None:
    """Other bytes under the clip's name, its size and modification time put back: only
    its hash can tell."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-64:] = bytes(64)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def break_two_clips(setup: FootageSession) -> None:
    """Delete GONE's file and rewrite CHANGED's."""
    setup.path(GONE).unlink()
    rewrite_keeping_size_and_time(setup.path(CHANGED))
