"""`backup` and `restore` as an administrator runs them: a SQLite workspace is copied
while another connection keeps writing, the copy is owner-only, passes integrity_check and
holds its own backup event; a restore goes into a new folder only and checks the copy's
audit chain; a file that is not a backup is refused by path; on PostgreSQL the pg_dump
command is printed without the password."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.services.workspace import Workspace
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent

PIN = "135791"


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return code, json.loads(lines[0])


@pytest.fixture
def workspace_url(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    return sqlite_url


def _events(path: Path) -> list[tuple[int, str]]:
    db = Database(f"sqlite:///{path}")
    try:
        with db.transaction() as session:
            return list(session.execute(select(AuditEvent.seq, AuditEvent.action)).all())
    finally:
        db.dispose()


def _backup(capsys: pytest.CaptureFixture[str], url: str, out: Path) -> tuple[int, dict]:
    return _json_run(capsys, "--db", url, "--as", "alice", "backup", "--out", str(out))


def _restore(capsys: pytest.CaptureFixture[str], backup: Path, to: Path) -> tuple[int, dict]:
    return _json_run(capsys, "--as", "alice", "restore", str(backup), "--to", str(to))


def test_a_backup_taken_while_another_connection_writes_restores_with_an_intact_chain(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = Workspace.open(workspace_url)
    actor = writer.auth.sign_in("alice", PIN, purpose="test: the other laptop")
    written: list[int] = []
    errors: list[BaseException] = []
    started = threading.Event()
    stop = threading.Event()

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                written.append(writer.audit.record(actor, "test.write", purpose="test").seq)
                started.set()
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
            started.set()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        assert started.wait(30)
        out = tmp_path / "backups" / "panel.sqlite3"
        code, payload = _backup(capsys, workspace_url, out)
        during = len(written)
    finally:
        stop.set()
        thread.join(30)
        writer.close()
    assert not errors, errors
    assert code == EXIT_OK, payload
    assert during > 0 and len(written) > 1  # the writer kept committing around the copy
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with contextlib.closing(sqlite3.connect(out)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    events = _events(out)
    backed_up = [seq for seq, action in events if action == "workspace.backed_up"]
    assert backed_up == [payload["result"]["audit_seq"]]
    assert events[-1][0] >= backed_up[0]  # the copy was taken after its own event

    code, restored = _restore(capsys, out, tmp_path / "restored")
    assert code == EXIT_OK, restored
    target = tmp_path / "restored" / "bwv-review.sqlite3"
    assert restored["result"]["file"] == str(target)
    assert restored["result"]["audit_intact"] is True
    assert restored["result"]["events_checked"] > len(events)
    actions = [action for _seq, action in _events(target)]
    assert actions[-2:] == ["workspace.restored", "audit.verified"]
    assert "workspace.backed_up" in actions
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(_events(out)) == len(events)  # restoring never writes into the backup


def test_a_restore_never_overwrites_a_workspace(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "panel.sqlite3"
    assert _backup(capsys, workspace_url, out)[0] == EXIT_OK
    live = Path(make_url(workspace_url).database or "")
    before = live.read_bytes()
    code, payload = _restore(capsys, out, live)
    assert code == EXIT_BAD_INPUT
    assert str(live) in payload["errors"][0]["message"]
    assert "never overwrites" in payload["errors"][0]["message"]
    assert live.read_bytes() == before
    folder = tmp_path / "again"
    assert _restore(capsys, out, folder)[0] == EXIT_OK
    code, payload = _restore(capsys, out, folder)
    assert code == EXIT_BAD_INPUT
    assert str(folder / "bwv-review.sqlite3") in payload["errors"][0]["message"]
    code, payload = _backup(capsys, workspace_url, out)
    assert code == EXIT_BAD_INPUT and "never overwrites" in payload["errors"][0]["message"]


@pytest.mark.parametrize("kind", ["text", "other_sqlite", "truncated"])
def test_a_file_that_is_not_a_backup_is_refused_by_path(
    kind: str, workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    if kind == "text":
        bogus.write_text("minutes of the March meeting\n", encoding="utf-8")
        why = "not a SQLite database"
    elif kind == "other_sqlite":
        with contextlib.closing(sqlite3.connect(bogus)) as other:
            other.execute("CREATE TABLE notes (body TEXT)")
            other.commit()
        why = "not a bwv-review workspace"
    else:
        good = tmp_path / "good.sqlite3"
        assert _backup(capsys, workspace_url, good)[0] == EXIT_OK
        bogus.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        why = ""
    code, payload = _restore(capsys, bogus, tmp_path / "restored")
    assert code == EXIT_BAD_INPUT
    message = payload["errors"][0]["message"]
    assert message.startswith(f"{bogus}: not a bwv-review backup: ")
    assert why in message
    assert not (tmp_path / "restored").exists()


def test_only_an_administrator_backs_up_and_a_refused_restore_leaves_no_copy(
    workspace_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "864202")
    add = ["--db", workspace_url, "--as", "alice", "users", "add", "carol", "--role", "chair"]
    assert run([*add, "--name", "Carol Chair"]) == EXIT_OK
    capsys.readouterr()
    # Carol's first sign-in replaces her temporary PIN with her own.
    monkeypatch.setenv("BWV_REVIEW_PIN", "864202")
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "975313")
    refused = tmp_path / "b.sqlite3"
    as_carol = ["--db", workspace_url, "--as", "carol"]
    code, payload = _json_run(capsys, *as_carol, "backup", "--out", str(refused))
    assert code == EXIT_PERMISSION, payload
    assert "back up or restore the workspace" in payload["errors"][0]["message"]
    assert not refused.exists()
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    good = tmp_path / "good.sqlite3"
    assert _backup(capsys, workspace_url, good)[0] == EXIT_OK
    monkeypatch.setenv("BWV_REVIEW_PIN", "975313")
    target = tmp_path / "r.sqlite3"
    code, payload = _json_run(capsys, "--as", "carol", "restore", str(good), "--to", str(target))
    assert code == EXIT_PERMISSION, payload
    assert not target.exists()


def test_on_postgresql_the_pg_dump_command_is_printed_without_the_password(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    # The test server trusts local connections, so a password in the URL is ignored by it
    # but must still never be printed.
    url = make_url(postgres_url).set(password="hunter2-secret")
    address = url.render_as_string(hide_password=False)
    assert run(["--db", address, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    out = tmp_path / "panel.dump"
    code = run(["--db", address, "--as", "alice", "backup", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == EXIT_OK
    assert "hunter2" not in printed.out + printed.err
    assert (
        f"pg_dump --format=custom --file={out} --host=127.0.0.1 --port={url.port} "
        f"--username=postgres {url.database}"
    ) in printed.out
    assert not out.exists()  # nothing pretended
    db = Database(address)
    try:
        with db.transaction() as session:
            backups = session.scalar(
                select(func.count()).where(AuditEvent.action == "workspace.backed_up")
            )
    finally:
        db.dispose()
    assert backups == 0
