"""`import-population` through the CLI contract: words and --json, exit codes, every
problem with its file and line, administrators only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from tests.ingest.test_population import CENSUS_2011

PIN = "135791"
SOURCE = "ONS Census 2011, QS201EW"


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return code, json.loads(lines[0])


@pytest.fixture
def admin_options(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", db_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    return ["--db", db_url, "--as", "alice"]


def test_the_shipped_census_imports(
    admin_options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import-population", str(CENSUS_2011), "--source", SOURCE, "--year", "2011"]
    code, payload = _json_run(capsys, *admin_options, *argv)
    assert code == EXIT_OK, payload
    assert payload["ok"] is True
    assert payload["command"] == "import-population"
    result = payload["result"]
    assert (result["areas"], result["year"], result["source"]) == (43, 2011, SOURCE)
    assert result["already_imported"] is False
    assert run([*admin_options, *argv]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"already imported as population table #{result['table_id']}" in out
    assert "nothing added" in out


def test_a_bad_file_exits_2_with_every_line(
    admin_options: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "population.csv"
    bad.write_text(
        "police_force_area,white,black,asian,mixed,other\nKent,100,10,x,5,5\nGotham,1,1,1,1,1\n",
        encoding="utf-8",
    )
    code, payload = _json_run(
        capsys, *admin_options, "import-population", str(bad), "--source", "x", "--year", "2021"
    )
    assert code == EXIT_BAD_INPUT
    assert payload["ok"] is False
    assert [(e["file"], e["line"]) for e in payload["errors"]] == [(str(bad), 2), (str(bad), 3)]
    assert "asian: 'x' is not a whole number" in payload["errors"][0]["message"]
    assert "Gotham" in payload["errors"][1]["message"]
    # In words: each problem as FILE:LINE: message on stderr.
    assert run([*admin_options, "import-population", str(bad), "--source", "x", "--year", "2021"])
    err = capsys.readouterr().err
    assert f"{bad}:3: no police force area called 'Gotham'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--source", SOURCE],
        ["--source", SOURCE, "--year", "twenty"],
        ["--year", "2011"],
    ],
)
def test_source_and_year_are_required(
    admin_options: list[str], capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, payload = _json_run(capsys, *admin_options, "import-population", str(CENSUS_2011), *argv)
    assert code == EXIT_BAD_INPUT
    assert payload["errors"]


def test_a_chair_may_not_import(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", PIN)
    assert (
        run(["--db", sqlite_url, "--as", "alice", "users", "add", "carol", "--role", "chair"]) == 0
    )
    capsys.readouterr()
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "975310")
    code, payload = _json_run(
        capsys,
        "--db",
        sqlite_url,
        "--as",
        "carol",
        "import-population",
        str(CENSUS_2011),
        "--source",
        SOURCE,
        "--year",
        "2011",
    )
    assert code == EXIT_PERMISSION
    assert "administrator" in payload["errors"][0]["message"]
