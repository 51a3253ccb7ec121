"""`bwv-review import-reviews` and `sessions list`: a good file goes in whole and submitted;
a bad one is refused with FILE:LINE for every problem and leaves the database unchanged."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.services.review_import import COLUMNS
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, Review
from tests.services.review_fixtures import PURPOSE, RUBRIC, Panel, build_panel, give_own_pin

PIN = "246810"


@pytest.fixture
def panel(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, Panel]]:
    workspace = Workspace.create(sqlite_url)
    panel = build_panel(workspace)
    for person in (panel.chair, panel.alice):
        give_own_pin(workspace, panel.admin, person, PIN)
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    try:
        yield workspace, panel
    finally:
        workspace.close()


def _rows(reviewer: str, reference: str, answer: str) -> list[list[str]]:
    applicable = {c.id for c in RUBRIC.checks if c.applies("stop_and_search", ())}
    return [
        [reviewer, reference, c.id, answer, "seen at 01:02" if c.requires_reason(answer) else ""]
        for c in RUBRIC.checks
        if c.id in applicable
    ]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _import(
    capsys: pytest.CaptureFixture[str], url: str, path: Path, who: str = "chair"
) -> tuple[int, dict]:
    code = run(
        [
            "import-reviews",
            str(path),
            "--session",
            "2026 Q3 panel",
            "--db",
            url,
            "--as",
            who,
            "--json",
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def _counts(workspace: Workspace) -> tuple[int, int]:
    with workspace.db.transaction() as session:
        reviews = session.scalar(select(func.count()).select_from(Review))
        events = session.scalar(  # signing in is logged; nothing else may be
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action != "auth.signed_in")
        )
    return int(reviews or 0), int(events or 0)


def test_a_good_file_imports_every_review_submitted(
    panel: tuple[Workspace, Panel],
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace, p = panel
    rows = _rows("alice", "CASE-001", "met") + _rows("BOB", "CASE-001", "not_met")
    code, payload = _import(capsys, sqlite_url, _write(tmp_path / "paper.csv", rows))
    assert code == EXIT_OK, payload
    assert payload["result"]["reviews"] == 2 and payload["result"]["answers"] == len(rows)
    compare = workspace.consensus.compare_case(p.chair, p.session_id, p.case_ids[0], purpose="t")
    assert [r.case_grade for r in compare.reviews] == ["good_practice", "concern"]
    assert compare.reviews[0].answers["taser_justified"].answer_id == "not_applicable"
    # Importing again is refused: the reviews exist now.
    code, payload = _import(capsys, sqlite_url, tmp_path / "paper.csv")
    assert code == EXIT_BAD_INPUT
    assert "not overwritten" in payload["errors"][0]["message"]

    assert run(["sessions", "list", "--db", sqlite_url, "--as", "alice"]) == EXIT_OK
    assert "2/4 reviews submitted" in capsys.readouterr().out


def test_a_bad_file_names_every_problem_and_changes_nothing(
    panel: tuple[Workspace, Panel],
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace, p = panel
    alice_started = p.assignment(workspace, p.alice, p.case_ids[1])
    workspace.reviews.save_answer(p.alice, alice_started, "courtesy", "met", purpose=PURPOSE)
    good = _rows("alice", "CASE-001", "met")
    bad_answer = ["alice", "CASE-001", "tone", "maybe", ""]
    rows = [
        *good[:-1],  # lines 2-26; the last check (tone) comes with a bad answer on line 27
        bad_answer,
        good[0],  # line 28 repeats line 2
        ["bob", "CASE-001", "courtesy", "not_met", ""],  # no reason, and the rest missing
        ["nobody", "CASE-001", "courtesy", "met", ""],
        *_rows("alice", "CASE-002", "met"),
    ]
    before = _counts(workspace)
    code, payload = _import(capsys, sqlite_url, _write(tmp_path / "bad.csv", rows))
    assert code == EXIT_BAD_INPUT
    errors = [(e["file"], e["line"], e["message"]) for e in payload["errors"]]
    file = str(tmp_path / "bad.csv")
    offered = "met, partly_met, not_met, cannot_tell, not_applicable"
    assert (file, 27, f"'maybe' is not an answer (use one of {offered})") in errors
    assert (file, 28, "power_fits_object already answered for alice, CASE-001 on line 2") in errors
    bob = [m for f, line, m in errors if line == 29]
    assert "bob, CASE-001: a reason is needed for Not met: The officers were courteous" in bob
    assert sum(m.startswith("bob, CASE-001: unanswered: ") for m in bob) == len(good) - 1
    assert any(line == 30 and "nobody, CASE-001: no such assignment" in m for _, line, m in errors)
    assert any("alice, CASE-002: this review was started in the app" in m for _, _, m in errors)
    assert _counts(workspace) == before

    code, payload = _import(capsys, sqlite_url, tmp_path / "bad.csv", who="alice")
    assert code == EXIT_PERMISSION


def test_the_template_lists_every_check_of_the_default_rubric() -> None:
    template = files("bwv_review.resources") / "templates" / "reviews-import.csv"
    rows = list(csv.reader(template.read_text(encoding="utf-8").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert [row[2] for row in rows[1:]] == [c.id for c in RUBRIC.checks]
