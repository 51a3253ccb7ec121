"""`init --panel-name --force`, the questions `init` asks a person at a terminal, and
`panel show|set`, as an administrator sets up a panel and changes it later."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run

PIN = "135791"


class _Terminal(io.StringIO):
    """Typed answers on a stdin that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)


def test_init_sets_the_panel_and_panel_show_reads_it(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, payload = _json(
        capsys,
        *("--db", sqlite_url, "init", "--admin", "alice"),
        *("--panel-name", "North Panel", "--force", "Avon & Somerset"),
    )
    assert code == EXIT_OK
    assert payload["result"]["panel"] == {
        "panel_name": "North Panel",
        "force": "avon-and-somerset",
        "demo": False,
        "retention_days": None,
    }
    assert run(["--db", sqlite_url, "panel", "show"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == (
        "Panel: North Panel; force: Avon and Somerset (avon-and-somerset)"
    )


def test_a_mistyped_force_stops_init_before_anything_is_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db_file = tmp_path / "panel.sqlite3"
    code, payload = _json(
        capsys, "--db", str(db_file), "init", "--admin", "alice", "--force", "Avon and Somrset"
    )
    assert code == EXIT_BAD_INPUT
    assert "did you mean 'avon-and-somerset'" in payload["errors"][0]["message"]
    assert not db_file.exists()


def test_init_asks_a_person_at_a_terminal_until_the_force_is_one(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("Valley Panel\nsomersett\nAvon and Somerset\n"))
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "no police force called 'somersett'" in captured.err
    assert "Panel: Valley Panel; force: Avon and Somerset (avon-and-somerset)" in captured.out


def test_a_blank_answer_leaves_it_for_later(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("\n\n"))
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    assert run(["--db", sqlite_url, "panel", "show"]) == EXIT_OK
    assert "Panel: not named yet; force: not set" in capsys.readouterr().out


def test_a_script_is_never_asked(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal(""))  # reading it would end the answers
    code, payload = _json(capsys, "--db", sqlite_url, "init", "--admin", "alice")
    assert code == EXIT_OK and "panel" not in payload["result"]


def test_an_administrator_changes_them_and_a_chair_may_not(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["--db", sqlite_url, "init", "--admin", "alice", "--force", "kent"]) == EXIT_OK
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", PIN)
    assert (
        run(["--db", sqlite_url, "--as", "alice", "users", "add", "carol", "--role", "chair"]) == 0
    )
    capsys.readouterr()
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "975310")  # their own, at first sign-in
    code, payload = _json(
        capsys, "--db", sqlite_url, "--as", "carol", "panel", "set", "--name", "Carol's"
    )
    assert code == EXIT_PERMISSION
    code, payload = _json(
        capsys, "--db", sqlite_url, "--as", "alice", "panel", "set", "--name", "Kent Panel"
    )
    assert code == EXIT_OK
    assert payload["result"] == {
        "panel_name": "Kent Panel",
        "force": "kent",
        "demo": False,
        "retention_days": None,
        "force_name": "Kent",
    }
    code, payload = _json(capsys, "--db", sqlite_url, "--as", "alice", "panel", "set")
    assert (
        code == EXIT_BAD_INPUT
        and "--name, --force, --retention-days" in payload["errors"][0]["message"]
    )
    as_alice = ["--db", sqlite_url, "--as", "alice", "panel", "set", "--retention-days"]
    code, payload = _json(capsys, *as_alice, "365")
    assert code == EXIT_OK and payload["result"]["retention_days"] == 365
    assert "personal data kept: 365 days after the encounter" in run_summary(capsys, sqlite_url)
    code, payload = _json(capsys, *as_alice, "a year")
    assert code == EXIT_BAD_INPUT
    assert (
        payload["errors"][0]["message"]
        == "--retention-days 'a year': give a number of days, or none"
    )
    code, payload = _json(capsys, *as_alice, "none")
    assert code == EXIT_OK and payload["result"]["retention_days"] is None


def run_summary(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    assert run(["--db", sqlite_url, "panel", "show"]) == EXIT_OK
    return capsys.readouterr().out


def test_init_without_an_administrator_sets_up_a_new_workspace_only(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    assert run(["--db", sqlite_url, "init", "--panel-name", "North Panel"]) == EXIT_OK
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    code, payload = _json(capsys, "--db", sqlite_url, "init", "--panel-name", "Someone else's")
    assert code == EXIT_BAD_INPUT
    assert "panel set --as ADMIN" in payload["errors"][0]["message"]
    assert run(["--db", sqlite_url, "panel", "show"]) == EXIT_OK
    assert "Panel: North Panel" in capsys.readouterr().out
