"""`purge --older-than DAYS` on a copy of the demo workspace as its administrator runs
it: a dry run lists and changes nothing; the purge removes every personal field of the
finalised quarter's cases (and the texts written about them), keeps answers, grades,
issued reports' hashes and the open session's cases, writes one audit event with counts
only, and leaves an audit chain that verifies and holds none of the removed values."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwv_review.cli import EXIT_OK, EXIT_PERMISSION, run
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Answer,
    Assignment,
    AuditEvent,
    Case,
    Clip,
    DimensionGrade,
    IssuedReport,
    LearningPoint,
    PanelOutcome,
    Review,
)
from bwv_review.store.sqlite_copy import copy_database
from tests.conftest import BuiltDemo

DEMO_PIN = "246810"


@pytest.fixture
def demo_copy(demo_home: BuiltDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    assert demo_home.exit_code == EXIT_OK
    target = tmp_path / "demo.sqlite3"
    copy_database(Path(demo_home.db_url.removeprefix("sqlite:///")), target)
    monkeypatch.setenv("BWV_REVIEW_PIN", DEMO_PIN)
    return f"sqlite:///{target}"


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return code, json.loads(lines[0])


def _purge(capsys: pytest.CaptureFixture[str], url: str, *options: str) -> dict:
    code, payload = _json_run(capsys, "--db", url, "--as", "admin", "purge", *options)
    assert code == EXIT_OK, payload
    return payload["result"]


def _personal(url: str) -> dict[str, set[str]]:
    """Every personal value each case holds, by reference."""
    db = Database(url)
    try:
        with db.transaction() as session:
            held: dict[str, set[str]] = {}
            for case in session.scalars(select(Case)):
                values = {case.grounds_text, case.officer_pseudonym}
                encounter = case.occurred_at.astimezone(UTC)
                if (encounter.day, encounter.hour, encounter.minute) != (1, 0, 0):
                    values.add(encounter.strftime("%Y-%m-%d %H:%M"))  # the month alone stays
                for clip in case.clips:
                    values |= {clip.relative_path, clip.sha256, str(clip.deletion_due_on)}
                reviews = session.scalars(
                    select(Review).join(Assignment).where(Assignment.case_id == case.id)
                ).all()
                ids = [review.id for review in reviews]
                values |= {review.general_note for review in reviews}
                values |= {review.question_to_force for review in reviews}
                values |= set(
                    session.scalars(select(Answer.reason).where(Answer.review_id.in_(ids)))
                )
                values |= set(
                    session.scalars(
                        select(LearningPoint.note).where(LearningPoint.review_id.in_(ids))
                    )
                )
                for outcome in session.scalars(
                    select(PanelOutcome).where(PanelOutcome.case_id == case.id)
                ):
                    values |= {outcome.vignette, outcome.questions_to_force, outcome.force_response}
                held[case.force_reference] = {
                    v for v in values if v and v != "None" and not v.startswith("purged/")
                }
            return held
    finally:
        db.dispose()


def _kept(url: str) -> dict[str, object]:
    """What a purge must leave exactly as it was."""
    db = Database(url)
    try:
        with db.transaction() as session:
            return {
                "answers": sorted(session.execute(select(Answer.id, Answer.value)).all()),
                "grades": sorted(
                    session.execute(select(DimensionGrade.id, DimensionGrade.grade)).all()
                ),
                "overall": sorted(session.execute(select(Review.id, Review.overall_grade)).all()),
                "consensus": sorted(
                    session.execute(select(PanelOutcome.id, PanelOutcome.consensus_grade)).all()
                ),
                "points": sorted(
                    session.execute(
                        select(LearningPoint.id, LearningPoint.kind, LearningPoint.position_ms)
                    ).all()
                ),
                "reports": sorted(session.scalars(select(IssuedReport.sha256))),
                "months": sorted(
                    (c.force_reference, c.occurred_at.strftime("%Y-%m"), c.case_type, c.outcome)
                    for c in session.scalars(select(Case))
                ),
                "clips": session.scalar(select(func.count()).select_from(Clip)),
            }
    finally:
        db.dispose()


def _events(url: str) -> list[tuple[str, str]]:
    db = Database(url)
    try:
        with db.transaction() as session:
            rows = session.execute(select(AuditEvent.action, AuditEvent.detail_json)).all()
            return [(action, detail) for action, detail in rows]
    finally:
        db.dispose()


def test_a_dry_run_lists_what_would_go_and_changes_nothing(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before, events = _personal(demo_copy), _events(demo_copy)
    result = _purge(capsys, demo_copy, "--older-than", "365", "--dry-run")
    assert result["dry_run"] is True
    listed = {case["reference"] for case in result["cases"]}
    skipped = set(result["skipped_in_open_sessions"])
    assert listed and skipped and not listed & skipped
    assert listed | skipped == set(before)  # every demo case is from January 2018
    first = result["cases"][0]
    assert first["encounter_month"] == "2018-01"
    assert {"grounds text", "officer pseudonym", "clip links"} <= set(first["removed"])
    assert result["values_removed"]["learning-point notes"] > 0
    assert _personal(demo_copy) == before
    after = _events(demo_copy)
    assert after[: len(events)] == events
    assert [action for action, _detail in after[len(events) :]] == ["auth.signed_in"]


def test_a_purge_removes_personal_fields_keeps_findings_and_the_chain_verifies(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before, kept = _personal(demo_copy), _kept(demo_copy)
    planned = _purge(capsys, demo_copy, "--older-than", "365", "--dry-run")
    result = _purge(capsys, demo_copy, "--older-than", "365")
    assert result["cases"] == planned["cases"]
    after = _personal(demo_copy)
    purged = {case["reference"] for case in result["cases"]}
    for reference in purged:
        assert after[reference] == set(), reference
    for reference in result["skipped_in_open_sessions"]:
        assert after[reference] == before[reference]  # an open session's cases are untouched
    assert _kept(demo_copy) == kept

    removed = {value for reference in purged for value in before[reference]}
    purges = [json.loads(d) for a, d in _events(demo_copy) if a == "retention.purged"]
    assert purges == [
        {
            "older_than_days": 365,
            "encounters_before": result["encounters_before"],
            "cases": len(purged),
            "skipped_in_open_sessions": len(result["skipped_in_open_sessions"]),
            "values_removed": result["values_removed"],
        }
    ]
    leaked = {value for _a, detail in _events(demo_copy) for value in removed if value in detail}
    assert leaked == set()

    code, verified = _json_run(capsys, "--db", demo_copy, "--as", "admin", "audit", "verify")
    assert code == EXIT_OK and verified["result"]["intact"] is True
    again = _purge(capsys, demo_copy, "--older-than", "365", "--dry-run")
    assert again["cases"] == []
    assert again["skipped_in_open_sessions"] == result["skipped_in_open_sessions"]


def test_recent_cases_are_kept_and_only_an_administrator_purges(
    demo_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _personal(demo_copy)
    # 2018's encounters are less than 40 years old.
    assert _purge(capsys, demo_copy, "--older-than", "14600")["cases"] == []
    as_chair = ["--db", demo_copy, "--as", "chair", "purge", "--older-than", "1"]
    code, payload = _json_run(capsys, *as_chair)
    assert code == EXIT_PERMISSION
    assert "purge the personal data of old cases" in payload["errors"][0]["message"]
    code, payload = _json_run(
        capsys, "--db", demo_copy, "--as", "admin", "purge", "--older-than", "0"
    )
    assert code == 2 and "--older-than 0" in payload["errors"][0]["message"]
    assert _personal(demo_copy) == before
