"""Hostile text on the command line, on SQLite and PostgreSQL: a NUL in an imported reason
or a control character in a reopening reason is bad input (exit 2) naming the field and
line, with nothing changed; PostgreSQL used to fail the statement (exit 1, issue 9 defect 2)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, run
from bwv_review.services.review_import import COLUMNS
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, Review
from tests.services.review_fixtures import (
    PURPOSE,
    RUBRIC,
    Panel,
    answer_all,
    build_panel,
    give_own_pin,
)

PIN = "246810"


@pytest.fixture
def panel(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, Panel]]:
    workspace = Workspace.create(db_url)
    panel = build_panel(workspace)
    give_own_pin(workspace, panel.admin, panel.chair, PIN)
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    try:
        yield workspace, panel
    finally:
        workspace.close()


def _changes(workspace: Workspace) -> tuple[int, int]:
    with workspace.db.transaction() as session:
        reviews = session.scalar(select(func.count()).select_from(Review))
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action != "auth.signed_in")
        )
    return int(reviews or 0), int(events or 0)


def _cli(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--db", url, "--as", "chair", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_nul_in_an_imported_reason_is_bad_input_naming_the_line(
    panel: tuple[Workspace, Panel],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace, _ = panel
    applicable = [c for c in RUBRIC.checks if c.applies("stop_and_search", ())]
    rows = [["alice", "CASE-001", c.id, "not_met", "seen at 01:02"] for c in applicable]
    rows[2][4] = "seen\x00 at 01:02"
    rows[3][4] = "  spaces kept\r\nsecond line"
    path = tmp_path / "paper.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([COLUMNS, *rows])
    before = _changes(workspace)
    code, payload = _cli(capsys, db_url, "import-reviews", str(path), "--session", "2026 Q3 panel")
    assert code == EXIT_BAD_INPUT, payload
    errors = [(e["line"], e["message"]) for e in payload["errors"]]
    assert (4, "the reason contains a NUL character (\\0) at position 5; remove it") in errors
    assert _changes(workspace) == before

    rows[2][4] = "seen at 01:02"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([COLUMNS, *rows])
    code, payload = _cli(capsys, db_url, "import-reviews", str(path), "--session", "2026 Q3 panel")
    assert code == EXIT_OK, payload
    compare = workspace.consensus.compare_case(
        panel[1].chair, panel[1].session_id, panel[1].case_ids[0], purpose=PURPOSE
    )
    [review] = compare.reviews
    assert review.answers[applicable[3].id].reason == "  spaces kept\nsecond line"


def test_a_control_character_in_a_reopening_reason_is_bad_input(
    panel: tuple[Workspace, Panel], db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace, p = panel
    assignment = p.assignment(workspace, p.alice, p.case_ids[0])
    answer_all(workspace, p.alice, assignment)
    workspace.reviews.submit(p.alice, assignment, purpose=PURPOSE)
    before = _changes(workspace)
    argv = ["reviews", "reopen", "--session", "2026 Q3 panel", "--case", "CASE-001"]
    code, payload = _cli(capsys, db_url, *argv, "--reviewer", "alice", "--reason", "typo\x1b")
    assert code == EXIT_BAD_INPUT, payload
    assert payload["errors"][0]["message"] == (
        "the reason for reopening contains a control character (U+001B) at position 5; remove it"
    )
    assert _changes(workspace) == before
