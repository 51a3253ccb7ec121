"""`bwv-review export-learning` on a copy of the demo workspace, as a training lead runs it:
the files carry none of the workspace's case references, officer pseudonyms, people, raw
notes or encounter dates; filters narrow the rows; a reviewer is refused; and every export
is in the audit log."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from bwv_review.reports.learning_export import HEADER
from bwv_review.services.learning_export import LearningFilter
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from tests.conftest import BuiltDemo
from tests.support.personal_data import identifying_values, raw_notes


@pytest.fixture
def demo_copy(
    demo_home: BuiltDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A copy of the demo's database (SQLite's backup, so the WAL comes too), so the
    descriptions these tests write do not reach other tests reading the demo."""
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    copy = tmp_path / "demo-copy.sqlite3"
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    monkeypatch.setenv("BWV_REVIEW_PIN", DEMO_PIN)
    yield f"sqlite:///{copy}"


def _describe_every_point(url: str) -> int:
    """Descriptions written for training, some of them shaped like formulas."""
    workspace = Workspace.open(url)
    try:
        lead = workspace.auth.sign_in("training", DEMO_PIN, purpose="test")
        items = workspace.learning_export.points(lead, LearningFilter(), purpose="test")
        for n, item in enumerate(items):
            text = f"=Moment {n}: start the camera before approaching" if n % 2 else f"Moment {n}"
            workspace.training_descriptions.save(
                lead, item.point_id, text, expected_version=None, purpose="test"
            )
        return len(items)
    finally:
        workspace.close()


def _export(
    url: str, out: Path, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, dict]:
    code = run(["export-learning", "--out", str(out), *argv, "--db", url, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _scan(texts: list[str], personal: set[str]) -> list[str]:
    whole = "\n".join(texts).casefold()
    return sorted(value for value in personal if value.casefold() in whole)


def test_csv_xlsx_and_pdf_hold_no_personal_data_and_no_runnable_cell(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    points = _describe_every_point(demo_copy)
    personal = identifying_values(demo_copy) | raw_notes(demo_copy)

    code, payload = _export(
        demo_copy, tmp_path / "points.csv", capsys, "--format", "csv", "--as", "training"
    )
    assert code == EXIT_OK, payload
    assert payload["result"]["rows"] == points > 10
    text = (tmp_path / "points.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == HEADER and len(rows) == points + 1
    assert _scan([text], personal) == []
    descriptions = [row[-1] for row in rows[1:]]
    assert all(not d.startswith("=") for d in descriptions)
    assert sum(d.startswith("'=Moment") for d in descriptions) == points // 2

    code, payload = _export(
        demo_copy, tmp_path / "points.xlsx", capsys, "--format", "xlsx", "--as", "training"
    )
    assert code == EXIT_OK, payload
    sheet = openpyxl.load_workbook(tmp_path / "points.xlsx").active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert _scan(cells, personal) == []
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row)
    assert sheet.max_row == points + 1

    code, payload = _export(
        demo_copy, tmp_path / "pack.pdf", capsys, "--format", "pdf", "--as", "training"
    )
    assert code == EXIT_OK, payload
    pages = PdfReader(tmp_path / "pack.pdf").pages
    pdf_text = [" ".join((page.extract_text() or "").split()) for page in pages]
    assert _scan(pdf_text, personal) == []
    assert "Moment 1" in " ".join(pdf_text)  # the descriptions are there; the notes are not


def test_filters_narrow_the_rows_and_bad_ones_are_named(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    everything = _export(demo_copy, out, capsys, "--format", "csv", "--as", "training")[1]
    good = _export(
        demo_copy, out, capsys, "--format", "csv", "--kind", "good-practice", "--as", "training"
    )[1]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert 0 < good["result"]["rows"] < everything["result"]["rows"]
    assert {row[2] for row in rows[1:]} == {"Good practice"}
    taser = _export(
        demo_copy, out, capsys, "--format", "csv", "--case-type", "Taser", "--as", "training"
    )[1]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert {row[1] for row in rows[1:]} <= {"Taser"} and taser["result"]["rows"] == len(rows) - 1

    code, payload = _export(
        demo_copy, out, capsys, "--format", "csv", "--from", "2018-13-01", "--as", "training"
    )
    assert code == EXIT_BAD_INPUT
    assert "--from '2018-13-01': give a date as YYYY-MM-DD" in payload["errors"][0]["message"]
    code, payload = _export(
        demo_copy, out, capsys, "--format", "csv", "--case-type", "car", "--as", "training"
    )
    assert code == EXIT_BAD_INPUT and "not a case type" in payload["errors"][0]["message"]
    code, payload = _export(
        demo_copy, out, capsys, "--format", "csv", "--tag", "nope", "--as", "training"
    )
    assert code == EXIT_BAD_INPUT and "no tag 'nope'" in payload["errors"][0]["message"]


def test_a_reviewer_is_refused_and_each_export_is_audited(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    code, payload = _export(demo_copy, out, capsys, "--format", "csv", "--as", "reviewer1")
    assert code == EXIT_PERMISSION
    assert "may not export learning points" in payload["errors"][0]["message"]
    assert not out.exists()
    for who in ("training", "chair"):
        assert _export(demo_copy, out, capsys, "--format", "csv", "--as", who)[0] == EXIT_OK
    workspace = Workspace.open(demo_copy)
    try:
        with workspace.db.transaction() as session:
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "learning.exported")
            ).all()
            assert [(e.actor, e.purpose) for e in events] == [
                ("training", "cli: export-learning"),
                ("chair", "cli: export-learning"),
            ]
            assert json.loads(events[0].detail_json)["file"] == "x.csv"
    finally:
        workspace.close()
