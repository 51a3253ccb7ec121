"""Importing public records on SQLite and PostgreSQL: exact counts, identity by file and line,
all-or-nothing files, corrected downloads, permissions, the audit trail, and fuzzed files
that either import whole or leave the database exactly as it was."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.records import MAX_ROW_ERRORS_REPORTED
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, PoliceRecord, RecordImport
from tests.ingest.test_police_csv import AVON, ESSEX, csv_files
from tests.ingest.test_police_json import ITEM, api_documents

PIN = "246810"


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")


def _counts(workspace: Workspace) -> tuple[int, int, int]:
    with workspace.db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(PoliceRecord)) or 0,
            session.scalar(select(func.count()).select_from(RecordImport)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def _events(workspace: Workspace) -> list[AuditEvent]:
    with workspace.db.transaction() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _corrupt(source: Path, target: Path, line_number: int, replace: str, by: str) -> Path:
    """A copy of `source` with one line changed, keeping its bytes otherwise."""
    lines = source.read_bytes().splitlines(keepends=True)
    assert replace.encode() in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(replace.encode(), by.encode(), 1)
    target.write_bytes(b"".join(lines))
    return target


def test_real_files_import_with_exact_counts_and_duplicates_kept(
    workspace: Workspace, admin: Actor
) -> None:
    avon = workspace.records.import_file(admin, AVON, purpose="test")
    essex = workspace.records.import_file(admin, ESSEX, purpose="test")
    assert (avon.rows_added, essex.rows_added) == (522, 1523)
    assert (avon.force, avon.month) == ("avon-and-somerset", "2018-01")
    assert (essex.force, essex.month) == ("essex", "2019-12")
    with workspace.db.transaction() as session:
        per_import = dict(
            session.execute(
                select(PoliceRecord.import_id, func.count()).group_by(PoliceRecord.import_id)
            ).all()
        )
        raw_columns = [
            column for column in PoliceRecord.__table__.c if column.name.endswith("_raw")
        ]
        distinct_avon = session.scalar(
            select(func.count()).select_from(
                select(*raw_columns)
                .where(PoliceRecord.import_id == avon.import_id)
                .distinct()
                .subquery()
            )
        )
    assert per_import == {avon.import_id: 522, essex.import_id: 1523}
    with AVON.open(newline="", encoding="utf-8") as stream:
        published = [tuple(row) for row in csv.reader(stream)][1:]
    assert distinct_avon == len(set(published)) < 522  # exact duplicates stay distinct searches


def test_times_are_stored_as_the_orm_stores_them(workspace: Workspace, admin: Actor) -> None:
    """Bulk rows must compare equal to ORM parameters, or date filters would miss them."""
    workspace.records.import_file(admin, ESSEX, purpose="test")
    first = datetime(2019, 12, 1, 0, 1, tzinfo=UTC)
    with ESSEX.open(newline="", encoding="utf-8") as stream:
        expected = sum(row["Date"] == "2019-12-01T00:01:00+00:00" for row in csv.DictReader(stream))
    with workspace.db.transaction() as session:
        matching = session.scalar(select(func.count()).where(PoliceRecord.occurred_at == first))
        earliest = session.scalar(select(func.min(PoliceRecord.occurred_at)))
        line_2 = session.scalar(select(PoliceRecord).where(PoliceRecord.line_number == 2))
    assert matching == expected > 0
    assert earliest == first
    assert line_2 is not None and line_2.occurred_at == first
    assert line_2.part_of_operation is False and line_2.latitude == pytest.approx(51.770766)


def test_reimporting_the_same_file_adds_nothing_and_says_so(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    first = workspace.records.import_file(admin, AVON, purpose="test")
    renamed = shutil.copy(AVON, tmp_path / "avon-again.csv")
    again = workspace.records.import_file(admin, Path(renamed), purpose="test")
    assert again.already_imported and again.rows_added == 0
    assert again.import_id == first.import_id
    assert _counts(workspace)[:2] == (522, 1)
    assert _events(workspace)[-1].action == "records.import_unchanged"


def test_every_import_is_audited_with_who_why_file_hash_and_rows(
    workspace: Workspace, admin: Actor
) -> None:
    report = workspace.records.import_file(admin, ESSEX, purpose="quarterly frame")
    event = _events(workspace)[-1]
    assert (event.actor, event.action, event.purpose) == (
        "alice",
        "records.imported",
        "quarterly frame",
    )
    assert (event.entity_type, event.entity_id) == ("record_import", str(report.import_id))
    detail = json.loads(event.detail_json)
    assert detail["file_name"] == ESSEX.name
    assert (
        detail["sha256"]
        == report.sha256
        == ("d694b2b13c761c24a8e52a6fda8c9b34df4db0a18ec79df25a6a12bc65e914f1")
    )
    assert detail["rows"] == 1523


def test_a_corrupted_row_is_named_and_the_database_is_unchanged(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    workspace.records.import_file(admin, AVON, purpose="test")
    before = _counts(workspace)
    bad = _corrupt(ESSEX, tmp_path / ESSEX.name, 700, "2019-12-", "2019-14-")
    with pytest.raises(BadInput) as refused:
        workspace.records.import_file(admin, bad, purpose="test")
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == (str(bad), 700)
    assert str(problem).startswith(f"{bad}:700: Date:")
    assert "nothing was imported" in str(refused.value)
    assert _counts(workspace) == before


def test_all_bad_rows_are_reported_up_to_a_cap(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    lines = ESSEX.read_bytes().splitlines(keepends=True)
    bad_lines = range(10, 10 + MAX_ROW_ERRORS_REPORTED + 7)
    for number in bad_lines:
        lines[number - 1] = lines[number - 1].replace(b"False", b"Nope", 1)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"".join(lines))
    with pytest.raises(BadInput, match=f"{len(bad_lines)} row\\(s\\) cannot be imported") as exc:
        workspace.records.import_file(admin, bad, purpose="test")
    assert [p.line for p in exc.value.problems] == list(bad_lines)[:MAX_ROW_ERRORS_REPORTED]
    assert _counts(workspace)[0] == 0


def test_a_corrected_download_needs_replace_and_supersedes_the_old_rows(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    original = workspace.records.import_file(admin, ESSEX, purpose="test")
    corrected = tmp_path / ESSEX.name
    corrected.write_bytes(ESSEX.read_bytes().rsplit(b"\r\n", 2)[0] + b"\r\n")  # one row fewer
    before = _counts(workspace)
    with pytest.raises(BadInput, match="--replace"):
        workspace.records.import_file(admin, corrected, purpose="test")
    assert _counts(workspace) == before

    replaced = workspace.records.import_file(admin, corrected, replace=True, purpose="fix")
    assert replaced.rows_added == 1522
    assert replaced.replaced_import_id == original.import_id
    with workspace.db.transaction() as session:
        old = session.get(RecordImport, original.import_id)
        assert old is not None and old.superseded_by_id == replaced.import_id
    assert [e.action for e in _events(workspace)[-2:]] == [
        "records.import_superseded",
        "records.imported",
    ]
    # Old rows stay (cases may point at them) but are no longer counted.
    assert _counts(workspace)[0] == 1523 + 1522
    counted = workspace.stats.breakdown(admin, source="records", by=["force"])
    assert counted.count("essex") == 1522


def test_only_an_administrator_imports(workspace: Workspace, admin: Actor) -> None:
    reviewer = workspace.auth.create_user(
        admin, "rita", "Rita", PIN, [Role.REVIEWER], purpose="test"
    )
    with pytest.raises(PermissionDenied):
        workspace.records.import_file(reviewer, AVON, purpose="test")
    assert _counts(workspace)[0] == 0


def test_a_missing_file_is_bad_input(workspace: Workspace, admin: Actor, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read the file"):
        workspace.records.import_file(admin, tmp_path / "nope.csv", purpose="test")


def test_api_json_imports_like_csv(workspace: Workspace, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "2019-12-essex-stop-and-search.json"
    path.write_text(json.dumps([ITEM, {**ITEM, "gender": "Female"}, ITEM]))
    report = workspace.records.import_file(admin, path, purpose="test")
    assert (report.rows_added, report.source_format, report.force) == (3, "json", "essex")
    counted = workspace.stats.breakdown(admin, source="records", by=["gender"])
    assert dict(counted.counts) == {("male",): 2, ("female",): 1}


def test_unrecognised_values_are_counted_in_the_report(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    odd = _corrupt(AVON, tmp_path / "odd.csv", 3, ",Male,", ",Nonbinary,")
    report = workspace.records.import_file(admin, odd, purpose="test")
    assert report.rows_added == 522 and report.unrecognised == {"gender": 1}
    counted = workspace.stats.breakdown(admin, source="records", by=["gender"])
    assert counted.count("unrecognised") == 1


_FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _import_is_whole_or_nothing(
    workspace: Workspace, admin: Actor, path: Path, data: bytes, count_records: Callable[[], int]
) -> None:
    path.write_bytes(data)
    before = _counts(workspace)
    try:
        report = workspace.records.import_file(admin, path, purpose="fuzz")
    except BadInput as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert _counts(workspace) == before
        return
    rows, imports, events = _counts(workspace)
    assert rows == before[0] + report.rows_added
    if report.already_imported:
        assert report.rows_added == 0 and imports == before[1]
    else:
        assert imports == before[1] + 1 and events == before[2] + 1
        assert report.rows_added == count_records()


def _csv_records(data: bytes) -> int:
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    return sum(1 for row in csv.reader(text) if row) - 1


@_FUZZ
@given(file=csv_files())
def test_fuzzed_csv_imports_whole_or_not_at_all(
    workspace: Workspace, admin: Actor, tmp_path: Path, file: tuple[bytes, int]
) -> None:
    data, _ = file
    path = tmp_path / "fuzz.csv"
    _import_is_whole_or_nothing(workspace, admin, path, data, lambda: _csv_records(data))


@_FUZZ
@given(document=st.one_of(api_documents(), st.just([ITEM, ITEM])))
def test_fuzzed_json_imports_whole_or_not_at_all(
    workspace: Workspace, admin: Actor, tmp_path: Path, document: Any
) -> None:
    path = tmp_path / "fuzz.json"
    data = json.dumps(document).encode()
    _import_is_whole_or_nothing(workspace, admin, path, data, lambda: len(document))
