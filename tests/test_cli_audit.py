"""`audit checkpoint` and `audit verify --checkpoint` as an administrator runs them, on a
SQLite file and on PostgreSQL: a clean log holds; a rewrite with every hash recomputed,
a cut-off tail and an edited checkpoint file are each named, with exit code 2."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, run
from bwv_review.config import Paths, Settings
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent
from tests.support.tamper import disable_protection, rewrite_with_fresh_hashes

PIN = "135791"


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    return code, json.loads(lines[0])


@pytest.fixture
def workspace_url(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", db_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    return db_url


def _as_alice(db_url: str, *argv: str) -> list[str]:
    return ["--db", db_url, "--as", "alice", *argv]


def _checkpoint(capsys: pytest.CaptureFixture[str], db_url: str, out: Path) -> dict:
    code, payload = _json_run(capsys, *_as_alice(db_url, "audit", "checkpoint", "--out", str(out)))
    assert code == EXIT_OK, payload
    return payload["result"]


def _verify(capsys: pytest.CaptureFixture[str], db_url: str, *files: Path) -> tuple[int, dict]:
    options = [arg for file in files for arg in ("--checkpoint", str(file))]
    return _json_run(capsys, *_as_alice(db_url, "audit", "verify", *options))


def _actions(db_url: str) -> list[str]:
    db = Database(db_url)
    try:
        with db.transaction() as session:
            return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    finally:
        db.dispose()


def _tamper(db_url: str, *statements: str) -> None:
    db = Database(db_url)
    try:
        disable_protection(db, drop=True)
        rewrite_with_fresh_hashes(db, *statements)
    finally:
        db.dispose()


def test_init_makes_a_key_only_its_owner_reads_and_keeps_it(
    workspace_url: str, app_home: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = Settings(app_home.settings_file).audit_key_file()
    assert key_file == app_home.default_audit_key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.parent != app_home.data_dir  # a backup of the data never carries it
    key = key_file.read_bytes()
    assert len(bytes.fromhex(key.decode().strip())) == 32
    assert run(["--db", workspace_url, "init"]) == EXIT_OK
    assert f"Audit checkpoint key kept at {key_file}" in capsys.readouterr().out
    assert key_file.read_bytes() == key  # replacing it would make every checkpoint "forged"


def test_a_clean_log_holds_against_its_checkpoint(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checkpoint-2026-11.json"
    head = _checkpoint(capsys, workspace_url, out)
    document = json.loads(out.read_text())
    assert {"event_id", "seq", "count", "hash", "written_at", "signature"} <= set(document)
    assert document["seq"] == head["seq"] and document["hash"] == head["hash"]
    # Writing the checkpoint is audited, and is the event the checkpoint holds.
    assert _actions(workspace_url)[head["seq"] - 1] == "audit.checkpoint"

    code = run(_as_alice(workspace_url, "audit", "verify", "--checkpoint", str(out)))
    assert code == EXIT_OK
    said = capsys.readouterr().out
    assert "Audit log intact" in said and f"checkpoint {out} holds" in said
    code, payload = _verify(capsys, workspace_url, out)
    assert code == EXIT_OK and payload["result"]["intact"] is True
    assert payload["result"]["checkpoints"][0]["status"] == "holds"


def test_a_rewrite_with_every_hash_recomputed_is_named(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checkpoint.json"
    head = _checkpoint(capsys, workspace_url, out)
    _tamper(workspace_url, "UPDATE audit_events SET purpose = 'covered up' WHERE seq = 1")

    # Without a checkpoint the hashes agree, but the missing triggers give it away.
    code, payload = _verify(capsys, workspace_url)
    assert code == EXIT_BAD_INPUT
    assert payload["result"]["first_break"] is None
    assert any("missing" in e["message"] for e in payload["errors"])

    code, payload = _verify(capsys, workspace_url, out)
    assert code == EXIT_BAD_INPUT and payload["ok"] is False
    finding = payload["result"]["checkpoints"][0]
    assert finding["status"] == "rewritten" and finding["seq"] == head["seq"]
    error = payload["errors"][0]
    assert error["file"] == str(out)
    assert error["message"].startswith("REWRITTEN")
    assert f"event #{head['seq']} (id {head['event_id']})" in error["message"]


def test_deleting_the_newest_events_is_named_as_truncation(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    early, late = tmp_path / "early.json", tmp_path / "late.json"
    first = _checkpoint(capsys, workspace_url, early)
    second = _checkpoint(capsys, workspace_url, late)
    _tamper(workspace_url, f"DELETE FROM audit_events WHERE seq > {first['seq']}")

    code, payload = _verify(capsys, workspace_url, early, late)
    assert code == EXIT_BAD_INPUT
    statuses = [(f["file"], f["status"]) for f in payload["result"]["checkpoints"]]
    assert statuses == [(str(early), "holds"), (str(late), "truncated")]
    message = payload["errors"][0]["message"]
    assert message.startswith("TRUNCATED") and f"event #{second['seq']}" in message
    assert f"the checkpoint counted {second['count']}" in message


def test_an_edited_checkpoint_file_is_named_as_forged(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checkpoint.json"
    _checkpoint(capsys, workspace_url, out)
    document = json.loads(out.read_text())
    document["count"] -= 1  # to hide a deleted event
    out.write_text(json.dumps(document))
    code, payload = _verify(capsys, workspace_url, out)
    assert code == EXIT_BAD_INPUT
    assert payload["result"]["checkpoints"][0]["status"] == "forged"
    assert payload["errors"][0]["file"] == str(out)
    assert "FORGED" in payload["errors"][0]["message"]


def test_without_the_key_no_checkpoint_is_written_or_trusted(
    workspace_url: str, tmp_path: Path, app_home: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "checkpoint.json"
    _checkpoint(capsys, workspace_url, out)
    key_file = app_home.default_audit_key_file
    os.chmod(key_file, 0o644)
    code, payload = _json_run(
        capsys, *_as_alice(workspace_url, "audit", "checkpoint", "--out", str(tmp_path / "x"))
    )
    assert code == EXIT_BAD_INPUT and "chmod 600" in payload["errors"][0]["message"]
    key_file.unlink()
    for argv in (
        ["audit", "checkpoint", "--out", str(tmp_path / "x")],
        ["audit", "verify", "--checkpoint", str(out)],
    ):
        code, payload = _json_run(capsys, *_as_alice(workspace_url, *argv))
        assert code == EXIT_BAD_INPUT
        assert "holds no audit checkpoint key" in payload["errors"][0]["message"]
    assert not (tmp_path / "x").exists()


def test_a_broken_log_is_not_checkpointed(
    workspace_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(workspace_url, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1")
    out = tmp_path / "checkpoint.json"
    code, payload = _json_run(
        capsys, *_as_alice(workspace_url, "audit", "checkpoint", "--out", str(out))
    )
    assert code == EXIT_BAD_INPUT
    assert "no checkpoint written" in payload["errors"][0]["message"]
    assert not out.exists()


def _add(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    username: str,
    role: str,
) -> None:
    """`users add` as alice with a temporary PIN; the person's next command is their first
    sign-in, which replaces it with their own (BWV_REVIEW_NEW_PIN)."""
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "864202")
    assert run([*_as_alice(db_url, "users", "add", username, "--role", role)]) == EXIT_OK
    assert f"Added {username}" in capsys.readouterr().out
    monkeypatch.setenv("BWV_REVIEW_PIN", "864202")
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "975313")


def test_an_auditor_added_by_the_administrator_exports_the_log_and_a_reviewer_cannot(
    workspace_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _add(monkeypatch, capsys, workspace_url, "rev1", "reviewer")
    out = tmp_path / "audit.csv"
    as_rev1 = ["--db", workspace_url, "--as", "rev1", "audit", "export"]
    code, refused = _json_run(capsys, *as_rev1, "--format", "csv", "--out", str(out))
    assert code != EXIT_OK and "may not export the audit log" in refused["errors"][0]["message"]
    assert not out.exists()

    _add(monkeypatch, capsys, workspace_url, "dpo", "auditor")
    as_dpo = ["--db", workspace_url, "--as", "dpo", "audit", "export", "--user", "alice"]
    code, done = _json_run(capsys, *as_dpo, "--format", "csv", "--out", str(out))
    assert code == EXIT_OK, done
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["seq", "time (UTC)", "actor"]
    assert {row[2] for row in rows[1:]} == {"alice"}
    assert "user.created" in {row[3] for row in rows[1:]}
    assert _actions(workspace_url)[-1] == "audit.exported"
    assert done["result"]["event_seq"] == len(_actions(workspace_url))

    monkeypatch.setenv("BWV_REVIEW_PIN", "975313")
    code, bad = _json_run(capsys, *as_dpo, "--format", "pdf", "--out", str(out), "--from", "May")
    assert code == EXIT_BAD_INPUT and "--from 'May'" in bad["errors"][0]["message"]
