"""Faults under a reviewer at work: the disk fills, the workspace file is deleted, the
PostgreSQL server stops and comes back. Each time the refused edit raises the service's
DatabaseUnavailable saying what happened and where, nothing already saved is lost, and
once the fault clears the same edit goes through and work carries on.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.services.workspace import Workspace
from tests.reliability.edit_worker import Editor, applicable_checks, state_after, stored_state
from tests.services.review_fixtures import PURPOSE, Panel, build_panel
from tests.support.postgres import PostgresCluster

MAX_EDITS_TO_FAULT = 400
EDITS_AFTER = 8


def _edit_through_fault(
    workspace: Workspace, panel: Panel, *, cause: Callable[[], None], clear: Callable[[], None]
) -> tuple[int, DatabaseUnavailable]:
    """Edit, cause the fault, edit until refused, clear it, redo the refused edit and go
    on; returns how many edits were saved and the refusal."""
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    editor = Editor(workspace, panel.alice, assignment)
    saved = 0
    for _ in range(EDITS_AFTER):
        editor.make(saved)
        saved += 1
    cause()
    refusal: DatabaseUnavailable | None = None
    while refusal is None and saved < MAX_EDITS_TO_FAULT:
        try:
            editor.make(saved)
            saved += 1
        except DatabaseUnavailable as exc:
            refusal = exc
    assert refusal is not None, f"{saved} edits went through the fault unrefused"
    print(f"\nedit {saved} refused: {refusal}")
    clear()
    return saved, refusal


def _check_resumes(workspace: Workspace, panel: Panel, saved: int) -> None:
    assignment = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    editor = Editor(workspace, panel.alice, assignment)
    for n in range(saved, saved + EDITS_AFTER):
        editor.make(n)
    checks = editor.checks
    assert checks == applicable_checks(
        workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE).applicable
    )
    assert stored_state(workspace, panel.alice, assignment) == state_after(
        saved + EDITS_AFTER, checks
    )
    assert workspace.audit.verify(panel.admin, purpose=PURPOSE).intact


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip(
            "filling a disk needs a 2 MB tmpfs, and `mount -t tmpfs` needs root "
            f"(running as uid {os.geteuid()}; CI runs `make test` as root)"
        )
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
        check=True,
        capture_output=True,
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True, capture_output=True)


def test_full_disk_refuses_clearly_and_resumes_when_space_is_freed(small_disk: Path) -> None:
    path = small_disk / "workspace.sqlite3"
    filler = small_disk / "filler"
    workspace = Workspace.create(f"sqlite:///{path}")
    try:
        panel = build_panel(workspace, cases=1)

        def fill() -> None:
            with filler.open("wb", buffering=0) as out:
                try:
                    while True:
                        out.write(b"\0" * 4096)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC

        saved, refusal = _edit_through_fault(
            workspace, panel, cause=fill, clear=lambda: filler.unlink()
        )
        message = str(refusal)
        assert str(path) in message and "disk holding the database is full" in message, message
        assert "free some space" in message
        _check_resumes(workspace, panel, saved)
    finally:
        workspace.close()
    assert _integrity(path) == "ok"


def test_deleted_workspace_file_refuses_every_save_until_restored(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    workspace = Workspace.create(f"sqlite:///{path}")
    panel = build_panel(workspace, cases=1)

    def delete() -> None:
        # The panel's last backup, then the file gone (a sync tool, a slip in a file manager).
        with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
            source.backup(target)
        for leftover in (path, path.with_name(path.name + "-wal")):
            leftover.unlink(missing_ok=True)

    try:
        saved, refusal = _edit_through_fault(workspace, panel, cause=delete, clear=lambda: None)
    finally:
        workspace.close()
    message = str(refusal)
    assert str(path) in message and "deleted or moved" in message, message
    assert "restore it from backup" in message
    # Put back from the backup and opened again, as the message says: all saved is there.
    backup.replace(path)
    workspace = Workspace.open(f"sqlite:///{path}")
    try:
        _check_resumes(workspace, panel, saved)
    finally:
        workspace.close()
    assert _integrity(path) == "ok"


def test_postgres_stopped_and_restarted_mid_session(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    workspace = Workspace.create(postgres_url)
    try:
        panel = build_panel(workspace, cases=1)
        saved, refusal = _edit_through_fault(
            workspace, panel, cause=postgres_cluster.pause, clear=postgres_cluster.resume
        )
        message = str(refusal)
        assert f"127.0.0.1:{postgres_cluster.port}" in message, message
        assert "cannot be reached" in message, message
        # The same Workspace, as a laptop left open through the outage: it carries on.
        _check_resumes(workspace, panel, saved)
    finally:
        workspace.close()
