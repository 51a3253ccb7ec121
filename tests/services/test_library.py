"""The case library on SQLite and PostgreSQL: all-or-nothing manifest import, footage
registered in place, verify finding missing / changed / moved clips, and blocked review."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bwv_review.config import Settings
from bwv_review.domain.vocab import ClipStatus, Role
from bwv_review.ingest.clips import HashCancelled
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.library import ClipBlocked, Contents, LibraryService
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, Case, Clip
from tests.support.video import make_video

HEADER = "force_reference,case_type,occurred_at,age_band,strip_search,footage_root,clips"
MANIFEST = (
    HEADER,
    "SS-1,stop_and_search,2026-03-01T10:00:00+00:00,10-17,true,bwv,2026-03/SS-1/a.mp4;2026-03/SS-1/b.mp4",
    "SS-2,stop_and_search,2026-03-10T10:00:00+00:00,18-24,false,bwv,2026-03/SS-2/a.mp4",
    "TS-3,taser,2026-03-20T23:30:00-01:00,over 34,,bwv,2026-03/TS-3/a.mp4",
    "UF-4,use_of_force,2026-03-22T10:00:00+00:00,,,,",
)  # fmt: skip
CLIP_PATHS = (
    "2026-03/SS-1/a.mp4",
    "2026-03/SS-1/b.mp4",
    "2026-03/SS-2/a.mp4",
    "2026-03/TS-3/a.mp4",
)
PURPOSE = "test"


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", "135791", purpose=PURPOSE)


@pytest.fixture
def reviewer(workspace: Workspace, admin: Actor) -> Actor:
    return workspace.auth.create_user(
        admin, "rita", "Rita", "246802", [Role.REVIEWER], purpose=PURPOSE
    )


@pytest.fixture
def machine(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "config" / "settings.json")


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("originals")
    return [make_video(folder / f"{i}.mp4", tag=str(i)) for i in range(len(CLIP_PATHS))]


@pytest.fixture
def footage(tmp_path: Path, videos: list[Path], machine: Settings) -> Path:
    """Force storage as mounted on this laptop, with the manifest's clips in place."""
    root = tmp_path / "mnt" / "force-bwv"
    for source, relative in zip(videos, CLIP_PATHS, strict=True):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, root / relative)
    machine.map_footage_root("bwv", root)
    return root


def _write(tmp_path: Path, lines: tuple[str, ...] | list[str], name: str = "cases.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.db.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (Case, Clip, AuditEvent)
        )


def _events(ws: Workspace, action: str) -> list[AuditEvent]:
    with ws.db.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _clips(ws: Workspace) -> dict[str, Clip]:
    with ws.db.transaction() as session:
        return {clip.relative_path: clip for clip in session.scalars(select(Clip))}


# --- Manifest ---------------------------------------------------------------------------


def test_manifest_import_adds_cases_clips_roots_and_one_audit_event(
    workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path
) -> None:
    result = workspace.library.import_manifest(
        admin, _write(tmp_path, MANIFEST), machine, purpose=PURPOSE
    )
    assert (result.cases_added, result.clips_added, result.footage_roots_added) == (4, 4, ("bwv",))
    clips = _clips(workspace)
    assert set(clips) == set(CLIP_PATHS)
    late = clips["2026-03/TS-3/a.mp4"]
    assert late.status == ClipStatus.UNVERIFIED and late.sha256 is None
    # 23:30 at -01:00 is 00:30 UTC on the 21st; deletion 31 days after recording.
    assert late.deletion_due_on == date(2026, 3, 21) + timedelta(days=31)
    [event] = _events(workspace, "manifest.imported")
    assert event.actor == "alice" and event.entity_id == result.file_sha256
    assert '"cases":4' in event.detail_json


def test_deletion_days_come_from_this_machines_settings(
    workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path
) -> None:
    machine.set("footage.deletion_days", 14)
    workspace.library.import_manifest(admin, _write(tmp_path, MANIFEST), machine, purpose=PURPOSE)
    assert _clips(workspace)["2026-03/SS-2/a.mp4"].deletion_due_on == date(2026, 3, 24)


def test_a_deletion_day_the_force_gives_is_kept(
    workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path
) -> None:
    """A force that says when it deletes an encounter's footage is believed over the
    usual number of days; a case without it falls back on them."""
    lines = [
        f"{HEADER},footage_deleted_on",
        *(f"{line}," for line in MANIFEST[1:]),
    ]
    lines[2] = lines[2] + "2026-04-30"
    workspace.library.import_manifest(admin, _write(tmp_path, lines), machine, purpose=PURPOSE)
    clips = _clips(workspace)
    assert clips["2026-03/SS-2/a.mp4"].deletion_due_on == date(2026, 4, 30)
    assert clips["2026-03/SS-1/a.mp4"].deletion_due_on == date(2026, 3, 1) + timedelta(days=31)


def test_a_bad_manifest_changes_nothing_and_names_file_and_line(
    workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path, [*MANIFEST, "SS-9,stop_and_search,yesterday,,,bwv,../../etc/passwd"])
    before = _counts(workspace)
    with pytest.raises(BadInput) as caught:
        workspace.library.import_manifest(admin, path, machine, purpose=PURPOSE)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:6: occurred_at: 'yesterday' is not an ISO 8601 date and time, "
        "e.g. 2026-03-14T21:05+00:00",
        f"{path}:6: clips: '../../etc/passwd' refused: '..' would leave its footage root",
    ]
    assert _counts(workspace) == before


def test_clashes_with_stored_cases_refuse_the_whole_file(
    workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path
) -> None:
    library = workspace.library
    library.import_manifest(admin, _write(tmp_path, MANIFEST[:2]), machine, purpose=PURPOSE)
    before = _counts(workspace)
    second = _write(
        tmp_path,
        [
            HEADER,
            "NEW-1,taser,2026-04-01T10:00:00+00:00,,,bwv,new.mp4",
            "ss-1,taser,2026-04-01T10:00:00+00:00,,,bwv,other.mp4",
            "NEW-2,taser,2026-04-01T10:00:00+00:00,,,bwv,2026-03/SS-1/b.mp4",
        ],
        "second.csv",
    )
    with pytest.raises(BadInput) as caught:
        library.import_manifest(admin, second, machine, purpose=PURPOSE)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "case 'SS-1' is already in the workspace"),
        (4, "clip '2026-03/SS-1/b.mp4' in footage root 'bwv' already belongs to a case"),
    ]
    assert _counts(workspace) == before
    with pytest.raises(BadInput) as again:
        library.import_manifest(admin, _write(tmp_path, MANIFEST[:2]), machine, purpose=PURPOSE)
    assert again.value.problems[0].message == "this manifest was already imported; nothing imported"


def test_only_an_administrator_imports(
    workspace: Workspace, reviewer: Actor, machine: Settings, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        workspace.library.import_manifest(
            reviewer, _write(tmp_path, MANIFEST), machine, purpose=PURPOSE
        )


def _column(*good: str) -> st.SearchStrategy[str]:
    """Mostly plausible values, sometimes hostile ones, so both outcomes are exercised."""
    hostile = st.sampled_from(["", "../x.mp4", "/abs.mp4", "a\x00b", '"', "x" * 300])
    return st.one_of(*[st.sampled_from(good)] * 8, hostile, st.text(max_size=8))


_EXAMPLE_NUMBERS = itertools.count()
_ROW = st.tuples(
    st.from_regex(r"\A[A-Z]{2}-[0-9]{1,5}\Z"),
    _column("taser", "stop_and_search", "Use of force"),
    _column("2026-03-01T10:00Z", "2026-02-28T23:59:59+01:00"),
    _column("10-17", "under 10", ""),
    _column("true", "no", ""),
    _column("bwv", "second root"),
    _column("a.mp4", "b/c.mp4;d.mp4", ""),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(_ROW, min_size=0, max_size=5),
    keep_header=st.sampled_from([True, True, True, False]),
)
def test_fuzzed_manifests_import_whole_or_not_at_all(
    workspace: Workspace,
    admin: Actor,
    machine: Settings,
    tmp_path: Path,
    rows: list[tuple[str, ...]],
    keep_header: bool,
) -> None:
    """Whatever the rows hold: either every case is added, or a clean BadInput whose every
    problem names the file, and the database (cases, clips, audit log) is unchanged."""
    lines = [HEADER] if keep_header else []
    # A fresh reference prefix per example, so earlier examples' cases rarely clash.
    prefix = next(_EXAMPLE_NUMBERS)
    lines += [
        ",".join('"' + cell.replace('"', '""') + '"' for cell in (f"{prefix}{row[0]}", *row[1:]))
        for row in rows
    ]
    path = tmp_path / "fuzz.csv"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    before = _counts(workspace)
    try:
        result = workspace.library.import_manifest(admin, path, machine, purpose=PURPOSE)
    except BadInput as exc:
        event("refused")
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert _counts(workspace) == before
    else:
        event("imported")
        cases, clips, events = _counts(workspace)
        assert (cases, clips, events) == (
            before[0] + result.cases_added,
            before[1] + result.clips_added,
            before[2] + 1,
        )


# --- Footage ----------------------------------------------------------------------------


@pytest.fixture
def imported(workspace: Workspace, admin: Actor, machine: Settings, tmp_path: Path) -> None:
    workspace.library.import_manifest(admin, _write(tmp_path, MANIFEST), machine, purpose=PURPOSE)


@pytest.mark.usefixtures("imported")
def test_register_measures_each_clip_in_place(
    workspace: Workspace, admin: Actor, machine: Settings, footage: Path
) -> None:
    (footage / CLIP_PATHS[3]).unlink()
    seen: list[tuple[int, int]] = []
    result = workspace.library.register_clips(
        admin, "bwv", machine, purpose=PURPOSE, progress=lambda d, t: seen.append((d, t))
    )
    assert (result.registered, result.already_registered, result.cancelled) == (3, 0, False)
    [problem] = result.problems
    assert problem.force_reference == "TS-3" and problem.message.startswith("not found at")
    total = sum((footage / p).stat().st_size for p in CLIP_PATHS[:3])
    assert seen[-1] == (total, total)
    clip = _clips(workspace)[CLIP_PATHS[0]]
    assert (
        clip.status == ClipStatus.OK and clip.size_bytes == (footage / CLIP_PATHS[0]).stat().st_size
    )
    assert (clip.fps_num, clip.fps_den, clip.frame_count, clip.duration_ms) == (25, 1, 25, 1000)
    assert (clip.width_px, clip.height_px, clip.variable_frame_rate) == (160, 120, False)
    assert (clip.codec, clip.keyframe_indices_json) == ("h264", "[0]")
    assert len(_events(workspace, "clips.registered")) == 1
    again = workspace.library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    assert (again.registered, again.already_registered) == (0, 3)


@pytest.mark.usefixtures("imported", "footage")
def test_cancelled_registration_keeps_what_was_finished(
    workspace: Workspace, admin: Actor, machine: Settings
) -> None:
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # the first clip (one chunk) finishes, then stop

    result = workspace.library.register_clips(admin, "bwv", machine, purpose=PURPOSE, cancel=cancel)
    assert result.cancelled and result.registered == 1


@pytest.mark.usefixtures("imported")
def test_verify_finds_missing_changed_and_moved_and_relinks_by_hash(
    workspace: Workspace, admin: Actor, machine: Settings, footage: Path
) -> None:
    library = workspace.library
    library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    clips = _clips(workspace)
    (footage / CLIP_PATHS[0]).unlink()  # gone
    with (footage / CLIP_PATHS[1]).open("r+b") as handle:  # edited in place, same size
        handle.seek(100)
        handle.write(b"\x00" * 8)
    moved_to = footage / "archive" / "ts3.mp4"
    moved_to.parent.mkdir()
    (footage / CLIP_PATHS[3]).rename(moved_to)

    report = library.verify(admin, machine, purpose=PURPOSE, today=date(2026, 3, 1))
    assert (report.checked, report.ok) == (4, 1)
    assert [n.relative_path for n in report.missing] == [CLIP_PATHS[0], CLIP_PATHS[3]]
    assert [n.relative_path for n in report.changed] == [CLIP_PATHS[1]]
    assert report.relinked == [] and not report.all_ok

    report = library.verify(
        admin, machine, purpose=PURPOSE, relink_folder=footage, today=date(2026, 3, 1)
    )
    [relinked] = report.relinked
    assert relinked.clip_id == clips[CLIP_PATHS[3]].id
    assert relinked.message == "moved: relinked by SHA-256 to bwv:archive/ts3.mp4"
    assert [n.relative_path for n in report.missing] == [CLIP_PATHS[0]]
    after = {clip.id: clip for clip in _clips(workspace).values()}
    assert after[relinked.clip_id].relative_path == "archive/ts3.mp4"
    assert after[relinked.clip_id].status == ClipStatus.OK
    assert after[clips[CLIP_PATHS[1]].id].status == ClipStatus.CHANGED
    assert after[clips[CLIP_PATHS[0]].id].status == ClipStatus.MISSING
    assert len(_events(workspace, "clips.verified")) == 2
    assert library.clip_for_review(admin, relinked.clip_id, machine).path == moved_to


@pytest.mark.usefixtures("imported", "footage")
def test_verify_lists_deletions_due_within_seven_days(
    workspace: Workspace, admin: Actor, machine: Settings
) -> None:
    # SS-1 recorded 1 March: deleted 1 April; SS-2 10 March -> 10 April; TS-3 -> 21 April.
    report = workspace.library.verify(admin, machine, purpose=PURPOSE, today=date(2026, 4, 3))
    assert [(d.force_reference, d.due_on, d.days_left) for d in report.deletions_due] == [
        ("SS-1", date(2026, 4, 1), -2),
        ("SS-1", date(2026, 4, 1), -2),
        ("SS-2", date(2026, 4, 10), 7),
    ]
    assert len(report.not_checked) == 4  # none registered yet


@pytest.mark.usefixtures("imported")
def test_a_changed_clip_is_blocked_from_review_with_a_clear_message(
    workspace: Workspace, admin: Actor, reviewer: Actor, machine: Settings, footage: Path
) -> None:
    library = workspace.library
    library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    clip_id = _clips(workspace)[CLIP_PATHS[2]].id
    assert library.clip_for_review(reviewer, clip_id, machine).path == footage / CLIP_PATHS[2]
    with (footage / CLIP_PATHS[2]).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ClipBlocked, match="size or modification time differs"):
        library.clip_for_review(reviewer, clip_id, machine)
    library.verify(admin, machine, purpose=PURPOSE)
    with pytest.raises(ClipBlocked) as caught:
        library.clip_for_review(reviewer, clip_id, machine)
    assert str(caught.value) == (
        "clip 1 of case SS-2 is blocked from review: the file has changed since it was "
        "registered (its SHA-256 differs), so it may not be the footage the force provided. "
        "Ask the force for the original, then run verify."
    )


@pytest.mark.usefixtures("imported")
def test_unmapped_root_and_unregistered_clips_are_refused_clearly(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    elsewhere = Settings(tmp_path / "other-laptop.json")
    with pytest.raises(BadInput, match="not mapped to a folder on this machine"):
        workspace.library.register_clips(admin, "bwv", elsewhere, purpose=PURPOSE)
    clip_id = _clips(workspace)[CLIP_PATHS[0]].id
    with pytest.raises(ClipBlocked, match="not registered yet"):
        workspace.library.clip_for_review(admin, clip_id, elsewhere)


@pytest.mark.usefixtures("imported")
def test_a_cancelled_verify_changes_no_status(
    workspace: Workspace, admin: Actor, machine: Settings, footage: Path
) -> None:
    workspace.library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    (footage / CLIP_PATHS[0]).write_bytes(b"replaced")
    report = workspace.library.verify(admin, machine, purpose=PURPOSE, cancel=lambda: True)
    assert report.cancelled and not report.all_ok and report.checked == 0
    assert {clip.status for clip in _clips(workspace).values()} == {ClipStatus.OK}


@pytest.mark.usefixtures("imported")
def test_an_unreachable_root_leaves_clips_unchecked_not_missing(
    workspace: Workspace, admin: Actor, machine: Settings, footage: Path, tmp_path: Path
) -> None:
    workspace.library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    footage.rename(tmp_path / "unmounted")
    report = workspace.library.verify(admin, machine, purpose=PURPOSE)
    assert report.missing == [] and len(report.not_checked) == 4
    assert "cannot be reached" in report.not_checked[0].message
    assert {clip.status for clip in _clips(workspace).values()} == {ClipStatus.OK}


# --- Contents hashed on first showing (issue 9, defect 9) -------------------------------


def _rewrite_keeping_size_and_mtime(path: Path) -> None:
    """Another video's bytes under the clip's name, its size and modification time put back:
    what the size-and-time check at opening cannot see."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-64:] = bytes(64)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.mark.expected_log_warnings
@pytest.mark.usefixtures("imported")
def test_a_clip_rewritten_to_the_same_size_and_time_is_refused_once_hashed(
    workspace: Workspace, admin: Actor, reviewer: Actor, machine: Settings, footage: Path
) -> None:
    library = workspace.library
    library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    clip_id = _clips(workspace)[CLIP_PATHS[2]].id
    _rewrite_keeping_size_and_mtime(footage / CLIP_PATHS[2])
    assert library.clip_for_review(reviewer, clip_id, machine).path == footage / CLIP_PATHS[2]

    found = library.check_contents(reviewer, clip_id, machine, purpose=PURPOSE)
    assert found.contents is Contents.CHANGED
    assert found.message == (
        "The file for Clip 1 is not the footage registered for this case (its contents "
        "changed since import). Playback stopped. Ask the administrator to run verify."
    )
    [event] = _events(workspace, "clip.contents_changed")
    assert (event.actor, event.entity_type, event.entity_id) == ("rita", "clip", str(clip_id))
    detail = json.loads(event.detail_json)
    assert detail["case"] == "SS-2" and detail["registered_sha256"] != detail["found_sha256"]
    # Refused for the rest of the run without hashing again, and said so at opening.
    with pytest.raises(ClipBlocked, match="not the footage registered for this case"):
        library.clip_for_review(reviewer, clip_id, machine)
    with pytest.raises(ClipBlocked):
        library.check_contents(reviewer, clip_id, machine, purpose=PURPOSE)
    assert len(_events(workspace, "clip.contents_changed")) == 1
    # This laptop's file is wrong; the status for every laptop is verify's to decide.
    assert _clips(workspace)[CLIP_PATHS[2]].status == ClipStatus.OK
    report = library.verify(admin, machine, purpose=PURPOSE)
    assert [n.clip_id for n in report.changed] == [clip_id]


@pytest.mark.usefixtures("imported")
def test_a_good_clip_is_hashed_once_per_run_and_passes(
    workspace: Workspace, admin: Actor, reviewer: Actor, machine: Settings, footage: Path
) -> None:
    library = workspace.library
    library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    clip_id = _clips(workspace)[CLIP_PATHS[0]].id
    hashed: list[int] = []
    first = library.check_contents(
        reviewer, clip_id, machine, purpose=PURPOSE, progress=lambda done, _t: hashed.append(done)
    )
    assert first.contents is Contents.MATCH and first.message == ""
    assert hashed[-1] == (footage / CLIP_PATHS[0]).stat().st_size
    hashed.clear()
    again = library.check_contents(
        reviewer, clip_id, machine, purpose=PURPOSE, progress=lambda done, _t: hashed.append(done)
    )
    assert again.contents is Contents.MATCH and hashed == []
    assert _events(workspace, "clip.contents_changed") == []
    # The next run of the app (a new service on the same database) hashes it again.
    LibraryService(workspace.db).check_contents(
        reviewer, clip_id, machine, purpose=PURPOSE, progress=lambda done, _t: hashed.append(done)
    )
    assert hashed


@pytest.mark.usefixtures("imported", "footage")
def test_a_cancelled_content_check_records_nothing_and_needs_viewing_rights(
    workspace: Workspace, admin: Actor, machine: Settings
) -> None:
    library = workspace.library
    library.register_clips(admin, "bwv", machine, purpose=PURPOSE)
    clip_id = _clips(workspace)[CLIP_PATHS[0]].id
    with pytest.raises(HashCancelled):
        library.check_contents(admin, clip_id, machine, purpose=PURPOSE, cancel=lambda: True)
    hashed: list[int] = []
    library.check_contents(
        admin, clip_id, machine, purpose=PURPOSE, progress=lambda done, _t: hashed.append(done)
    )
    assert hashed, "a cancelled check is not remembered as done"
    lead = workspace.auth.create_user(
        admin, "tom", "Tom", "246802", [Role.TRAINING_LEAD], purpose=PURPOSE
    )
    with pytest.raises(PermissionDenied):
        library.check_contents(lead, clip_id, machine, purpose=PURPOSE)
