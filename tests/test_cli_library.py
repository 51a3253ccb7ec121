"""The library commands end to end: manifest, clips in place, verify, and sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.config import Paths, Settings
from tests.support.video import make_video

PIN = "135791"
MANIFEST = """force_reference,case_type,occurred_at,strip_search,footage_root,clips
SS-1,stop_and_search,2026-03-01T10:00:00+00:00,true,bwv,SS-1/a.mp4
SS-2,stop_and_search,2026-03-02T10:00:00+00:00,false,bwv,SS-2/a.mp4;SS-2/b.mp4
SS-3,stop_and_search,2026-03-03T10:00:00+00:00,false,,
TS-4,taser,2026-03-04T10:00:00+00:00,,bwv,TS-4/a.mp4
"""
CLIPS = ("SS-1/a.mp4", "SS-2/a.mp4", "SS-2/b.mp4", "TS-4/a.mp4")


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", sqlite_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    return sqlite_url


def _json(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--db", db, "--as", "alice", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_manifest_clips_verify_and_sample(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], app_home: Paths
) -> None:
    manifest = tmp_path / "cases.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    code, out = _json(capsys, db, "import-manifest", str(manifest))
    assert code == EXIT_OK and out["result"]["cases_added"] == 4

    footage = tmp_path / "mnt" / "bwv"
    for index, relative in enumerate(CLIPS):
        make_video(footage / relative, tag=str(index))
    code, out = _json(capsys, db, "import-clips", str(footage), "--root", "bwv")
    assert code == EXIT_OK and out["result"]["registered"] == 4
    assert Settings(app_home.settings_file).footage_root_folder("bwv") == footage

    code, out = _json(capsys, db, "verify")
    assert code == EXIT_OK and out["result"]["ok"] == 4

    (footage / "SS-2" / "b.mp4").write_bytes(b"replaced")
    shutil.move(footage / "TS-4", tmp_path / "mnt" / "bwv" / "moved")
    code, out = _json(capsys, db, "verify", "--relink", str(footage))
    assert code == EXIT_BAD_INPUT
    assert [e["file"] for e in out["errors"]] == ["SS-2/b.mp4"]
    assert "changed: its SHA-256 differs" in out["errors"][0]["message"]
    assert out["result"]["relinked"][0]["message"] == (
        "moved: relinked by SHA-256 to bwv:moved/a.mp4"
    )

    argv = ["--seed", "77", "--filter", "case_type=stop_and_search"]
    argv += ["--stratum", "strip_search=true:all", "--stratum", "rest:1"]
    code, first = _json(capsys, db, "sample", "--name", "Q1", *argv)
    assert code == EXIT_OK
    code, second = _json(capsys, db, "sample", "--name", "Q1 again", *argv)
    assert first["result"]["cases"] == second["result"]["cases"]
    assert [c["stratum"] for c in first["result"]["cases"]] == ["strip_search=true", "rest"]
    assert first["result"]["frame_size"] == 3


def test_a_bad_manifest_reports_file_and_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "bad.csv"
    manifest.write_text(MANIFEST.replace("SS-2/a.mp4", "../SS-2/a.mp4"), encoding="utf-8")
    code = run(["import-manifest", str(manifest), "--db", db, "--as", "alice"])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"{manifest}:3: clips: '../SS-2/a.mp4' refused" in err


def test_sample_syntax_mistakes_are_named(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _json(capsys, db, "sample", "--name", "x", "--seed", "1", "--filter", "age=old")
    assert code == EXIT_BAD_INPUT
    assert [e["message"] for e in out["errors"]] == [
        "'age=old': unknown field 'age' (fields: case_type, date, area, power, object, outcome, "
        "age_band, gender, ethnicity, self_ethnicity, strip_search, taser, has_footage)",
        "give --size, or at least one --stratum",
    ]


def _import_manifest_and_footage(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    manifest = tmp_path / "cases.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    assert _json(capsys, db, "import-manifest", str(manifest))[0] == EXIT_OK
    footage = tmp_path / "mnt" / "bwv"
    for index, relative in enumerate(CLIPS):
        make_video(footage / relative, tag=str(index))
    return footage


def test_a_refused_import_clips_leaves_the_footage_mapping_alone(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    app_home: Paths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    footage = _import_manifest_and_footage(db, tmp_path, capsys)
    assert _json(capsys, db, "import-clips", str(footage), "--root", "bwv")[0] == EXIT_OK
    before = app_home.settings_file.read_bytes()
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", PIN)
    add = ["users", "add", "bob", "--role", "reviewer"]
    assert run([*add, "--db", db, "--as", "alice"]) == EXIT_OK
    capsys.readouterr()
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", "975310")  # their own, at first sign-in

    elsewhere = tmp_path / "home-folder"
    elsewhere.mkdir()
    code = run(["import-clips", str(elsewhere), "--root", "bwv", "--db", db, "--as", "bob"])
    assert code == EXIT_PERMISSION
    assert app_home.settings_file.read_bytes() == before


def test_import_clips_saves_the_mapping_only_after_it_succeeds(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], app_home: Paths
) -> None:
    footage = _import_manifest_and_footage(db, tmp_path, capsys)
    settings_file = app_home.settings_file
    before = settings_file.read_bytes() if settings_file.exists() else None
    empty = tmp_path / "wrong-folder"
    empty.mkdir()

    def settings_now() -> bytes | None:
        return settings_file.read_bytes() if settings_file.exists() else None

    code, out = _json(capsys, db, "import-clips", str(empty), "--root", "bwv")
    assert code == EXIT_BAD_INPUT and settings_now() == before
    assert out["result"]["mapping_saved"] is False
    code, out = _json(capsys, db, "import-clips", str(footage), "--root", "no-such-root")
    assert code == EXIT_BAD_INPUT and "no case uses footage root" in out["errors"][0]["message"]
    assert settings_now() == before

    code, out = _json(capsys, db, "import-clips", str(footage), "--root", "bwv")
    assert code == EXIT_OK and out["result"]["mapping_saved"] is True
    assert Settings(app_home.settings_file).footage_root_folder("bwv") == footage
