"""The CLI contract: options before or after the subcommand, one JSON object, exit codes,
and clear messages for a wrong PIN or a database that is locked, missing or not one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bwv_review.cli import (
    EXIT_BAD_INPUT,
    EXIT_DB_UNAVAILABLE,
    EXIT_OK,
    EXIT_PERMISSION,
    run,
)
from bwv_review.store.db import Database
from tests.support.postgres import free_port

PIN = "135791"


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one JSON line, got: {out!r}"
    return code, json.loads(lines[0])


@pytest.fixture
def initialised(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", sqlite_url, "init", "--admin", "alice", "--name", "Alice"]) == EXIT_OK
    assert "First administrator created: alice" in capsys.readouterr().out
    return sqlite_url


def test_version_names_app_qt_and_libvlc(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("bwv-review ")
    assert "Qt: 6." in out
    assert "libvlc: 3." in out


def test_init_reports_in_one_json_object(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    code, payload = _json_run(capsys, "init", "--db", sqlite_url, "--admin", "alice")
    assert code == EXIT_OK
    assert payload == {
        "ok": True,
        "command": "init",
        "result": {"database": sqlite_url, "admin_created": "alice"},
        "errors": [],
    }


@pytest.mark.parametrize("placement", ["before", "after"])
def test_global_options_go_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], initialised: str, placement: str
) -> None:
    options = ["--db", initialised, "--as", "alice", "--json"]
    argv = [*options, "audit", "verify"] if placement == "before" else ["audit", "verify", *options]
    assert run(argv) == EXIT_OK
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["command"] == "audit verify"
    assert payload["result"]["intact"] is True
    # user.created + sign-in during the run; the verify event itself comes after the check
    assert payload["result"]["events_checked"] == 2


def test_audit_verify_names_an_event_edited_in_the_database(
    capsys: pytest.CaptureFixture[str], initialised: str
) -> None:
    db = Database(initialised)
    with db.transaction() as session:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("UPDATE audit_events SET purpose = 'covered up' WHERE seq = 1"))
    db.dispose()
    code, payload = _json_run(capsys, "--db", initialised, "--as", "alice", "audit", "verify")
    assert code == EXIT_BAD_INPUT
    assert payload["ok"] is False
    assert payload["result"]["first_break"]["seq"] == 1
    assert "event #1" in payload["errors"][0]["message"]


def test_wrong_pin_is_permission_denied(
    capsys: pytest.CaptureFixture[str], initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BWV_REVIEW_PIN", "000000")
    code = run(["--db", initialised, "--as", "alice", "audit", "verify"])
    assert code == EXIT_PERMISSION
    assert "Sign-in refused" in capsys.readouterr().err


def test_a_command_that_needs_a_person_says_so(
    capsys: pytest.CaptureFixture[str], initialised: str
) -> None:
    code, payload = _json_run(capsys, "--db", initialised, "audit", "verify")
    assert code == EXIT_BAD_INPUT
    assert "--as USER" in payload["errors"][0]["message"]


def test_no_pin_and_no_terminal_is_bad_input(
    capsys: pytest.CaptureFixture[str], initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BWV_REVIEW_PIN")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code = run(["--db", initialised, "--as", "alice", "audit", "verify"])
    assert code == EXIT_BAD_INPUT
    assert "BWV_REVIEW_PIN" in capsys.readouterr().err


def test_unknown_option_is_bad_input_even_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json_run(capsys, "audit", "verify", "--frobnicate")
    assert code == EXIT_BAD_INPUT
    assert "frobnicate" in payload["errors"][0]["message"]


def test_locked_database_exits_3_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], initialised: str
) -> None:
    path = initialised.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, payload = _json_run(capsys, "--db", initialised, "--as", "alice", "audit", "verify")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == EXIT_DB_UNAVAILABLE
    assert "locked" in payload["errors"][0]["message"]
    assert path in payload["errors"][0]["message"]


def test_a_file_that_is_not_a_database_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("these are my meeting notes, not a database\n" * 100)
    code, payload = _json_run(capsys, "--db", str(notes), "init")
    assert code == EXIT_DB_UNAVAILABLE
    assert "not a bwv-review database" in payload["errors"][0]["message"]
    assert notes.read_text().startswith("these are my meeting notes")


@pytest.mark.parametrize(
    "command", [["audit", "verify"], ["users", "list"], ["import-records", "x.csv"]]
)
def test_a_command_on_a_missing_workspace_exits_3_and_creates_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """Only init creates a workspace: a deleted or moved file is reported, not replaced."""
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    missing = tmp_path / "moved" / "panel.sqlite3"
    code, payload = _json_run(capsys, "--db", str(missing), "--as", "alice", *command)
    assert code == EXIT_DB_UNAVAILABLE
    assert payload["errors"][0]["message"] == (
        f"no workspace at {missing}; restore it from backup or run init"
    )
    assert not missing.parent.exists()

    assert run(["--db", str(missing), "init"]) == EXIT_OK
    assert missing.exists()


def test_a_server_database_no_init_set_up_exits_3(
    capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    code, payload = _json_run(capsys, "--db", postgres_url, "--as", "alice", "audit", "verify")
    assert code == EXIT_DB_UNAVAILABLE
    assert "no workspace at postgresql" in payload["errors"][0]["message"]
    assert run(["--db", postgres_url, "init"]) == EXIT_OK


def test_unreachable_server_exits_3_without_showing_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"postgresql+psycopg://panel:s3cret@127.0.0.1:{free_port()}/bwv"
    code, payload = _json_run(capsys, "--db", url, "init")
    assert code == EXIT_DB_UNAVAILABLE
    message = payload["errors"][0]["message"]
    assert "cannot be reached" in message and "s3cret" not in message


def test_entry_point_runs_and_explains_a_missing_display(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BWV_REVIEW_HOME": str(tmp_path), "HOME": str(tmp_path)}
    version = subprocess.run(
        [sys.executable, "-m", "bwv_review", "--version"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert version.returncode == 0 and "bwv-review" in version.stdout
    gui = subprocess.run(
        [sys.executable, "-m", "bwv_review", "--db", str(tmp_path / "ws.sqlite3")],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert gui.returncode == 2
    lines = gui.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "bwv-review --help" in lines[0]


def test_a_temporary_pin_is_changed_at_the_first_as_and_anyone_changes_their_own(
    capsys: pytest.CaptureFixture[str], initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: `users add` sets a temporary PIN; the person's first `--as` takes their
    own from BWV_REVIEW_NEW_PIN (and refuses to keep the temporary one)."""
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "777777")
    assert _json_run(capsys, "--db", initialised, "--as", "alice", "users", "add", "rev1",
                     "--role", "admin")[0] == EXIT_OK  # fmt: skip
    monkeypatch.setenv("BWV_REVIEW_PIN", "777777")
    as_rev1 = ["--db", initialised, "--as", "rev1", "users", "list"]
    code, kept = _json_run(capsys, *as_rev1)
    assert code == EXIT_BAD_INPUT and "different" in kept["errors"][0]["message"]
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "868686")
    assert _json_run(capsys, *as_rev1)[0] == EXIT_OK
    code, refused = _json_run(capsys, *as_rev1)  # the temporary PIN no longer signs in
    assert code == EXIT_PERMISSION, refused
    monkeypatch.setenv("BWV_REVIEW_PIN", "868686")
    assert _json_run(capsys, *as_rev1)[0] == EXIT_OK
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "252525")
    change = ["--db", initialised, "--as", "rev1", "users", "change-pin"]
    code, changed = _json_run(capsys, *change)
    assert code == EXIT_OK and changed["result"] == {"username": "rev1"}
    monkeypatch.setenv("BWV_REVIEW_PIN", "252525")
    assert _json_run(capsys, *as_rev1)[0] == EXIT_OK
    assert (
        "BWV_REVIEW_NEW_PIN"
        in subprocess.run(
            [sys.executable, "-m", "bwv_review", "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def test_users_are_managed_from_the_command_line(
    capsys: pytest.CaptureFixture[str], initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "777777")
    base = ["--db", initialised, "--as", "alice"]
    code, added = _json_run(
        capsys, *base, "users", "add", "rev1", "--name", "Rev One", "--role", "reviewer"
    )
    assert code == EXIT_OK and added["result"]["pseudonym"] == "M002"
    code, roles = _json_run(
        capsys, *base, "users", "roles", "rev1", "--role", "reviewer", "--role", "chair"
    )
    assert roles["result"]["roles"] == ["chair", "reviewer"]
    assert _json_run(capsys, *base, "users", "disable", "rev1")[0] == EXIT_OK
    code, listed = _json_run(capsys, *base, "users", "list")
    assert [(u["username"], u["active"]) for u in listed["result"]] == [
        ("alice", True),
        ("rev1", False),
    ]
    code, refused = _json_run(capsys, *base, "users", "disable", "alice")
    assert code == EXIT_BAD_INPUT and "last active administrator" in refused["errors"][0]["message"]
