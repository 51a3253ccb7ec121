"""The audit export on both backends: who may take it (administrator and auditor, never a
reviewer or a chair; the auditor nothing else), the filters, the export's own event, and the
CSV and PDF read back."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.reports.audit_export import HEADER
from bwv_review.services.actor import Actor
from bwv_review.services.audit_export import AuditExportResult, AuditFilter, AuditFormat
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.permissions import ROLES_FOR, Permission, allowed
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from tests.services.review_fixtures import make_person

HOSTILE_PURPOSE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def people(workspace: Workspace) -> dict[str, Actor]:
    people = {
        "admin": make_person(workspace, "admin", Role.ADMIN),
        "dpo": make_person(workspace, "dpo", Role.AUDITOR),
        "chair": make_person(workspace, "chair", Role.CHAIR),
        "alice": make_person(workspace, "alice", Role.REVIEWER),
    }
    workspace.audit.record(people["alice"], "clip.viewed", purpose=HOSTILE_PURPOSE)
    workspace.audit.record(people["chair"], "report.printed", purpose="Q3 meeting")
    return people


def _events(ws: Workspace) -> list[AuditEvent]:
    with ws.db.transaction() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        session.expunge_all()
        return events


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _export(
    ws: Workspace, actor: Actor, out: Path, fmt: AuditFormat = AuditFormat.CSV, **filters: Any
) -> AuditExportResult:
    return ws.audit_export.export(actor, AuditFilter(**filters), fmt, out, purpose="DPO audit")


def test_the_auditor_holds_the_audit_permissions_and_nothing_else() -> None:
    auditor = Actor(1, "dpo", "DPO", "P-dpo", frozenset({Role.AUDITOR}))
    held = {permission for permission in Permission if allowed(auditor, permission)}
    assert held == {Permission.VERIFY_AUDIT, Permission.EXPORT_AUDIT}
    assert ROLES_FOR[Permission.EXPORT_AUDIT] == {Role.ADMIN, Role.AUDITOR}


def test_reviewers_and_chairs_are_refused_the_auditor_is_kept_out_of_the_work(
    workspace: Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    out = tmp_path / "audit.csv"
    for name in ("alice", "chair"):
        with pytest.raises(PermissionDenied, match="export the audit log"):
            _export(workspace, people[name], out)
    assert not out.exists()
    assert "audit.exported" not in [e.action for e in _events(workspace)]
    with pytest.raises(PermissionDenied, match="see counts"):
        workspace.stats.breakdown(people["dpo"], source="cases", by=["case_type"])
    with pytest.raises(PermissionDenied, match="manage users"):
        workspace.users.list_users(people["dpo"])


def test_the_csv_holds_every_event_as_stored_and_its_export_is_recorded(
    workspace: Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    before = _events(workspace)
    out = tmp_path / "audit.csv"
    result = _export(workspace, people["dpo"], out)
    rows = _csv_rows(out)
    assert tuple(rows[0]) == HEADER
    assert [int(r[0]) for r in rows[1:]] == [e.seq for e in before]
    for row, event in zip(rows[1:], before, strict=True):
        assert row[1] == event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
        assert row[2:4] == [event.actor, event.action]
        assert row[6] == event.detail_json and row[7] == event.hash
    viewed = next(r for r in rows if r[3] == "clip.viewed")
    assert viewed[4] == "'" + HOSTILE_PURPOSE  # shown as typed, never run
    last = _events(workspace)[-1]
    assert last.action == "audit.exported" and last.actor == "dpo"
    assert last.purpose == "DPO audit"
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f'"sha256":"{sha}"' in last.detail_json
    assert f'"rows":{len(before)}' in last.detail_json
    assert '"chain_intact":true' in last.detail_json
    assert result.sha256 == sha and result.event_seq == last.seq


def test_filters_choose_by_person_and_utc_day(
    workspace: Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    out = tmp_path / "audit.csv"
    _export(workspace, people["admin"], out, username="alice")
    assert [(r[2], r[3]) for r in _csv_rows(out)[1:]] == [("alice", "clip.viewed")]
    today = datetime.now(UTC).date()
    _export(workspace, people["admin"], out, from_date=today, to_date=today)
    assert len(_csv_rows(out)) - 1 == len(_events(workspace)) - 1  # all but this export's
    _export(workspace, people["admin"], out, to_date=today - timedelta(days=1))
    assert _csv_rows(out)[1:] == []
    _export(workspace, people["admin"], out, from_date=today + timedelta(days=1))
    assert _csv_rows(out)[1:] == []
    with pytest.raises(BadInput, match=r"starts .* after it ends"):
        _export(workspace, people["admin"], out, from_date=today, to_date=date(2000, 1, 1))
    with pytest.raises(NotFound, match="'nobody'"):
        _export(workspace, people["admin"], out, username="nobody")


def test_the_pdf_states_period_filters_count_chain_head_and_verification(
    workspace: Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    before = _events(workspace)
    head = before[-1]
    out = tmp_path / "audit.pdf"
    _export(workspace, people["dpo"], out, AuditFormat.PDF, username="chair")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(out).pages)
    assert "Audit log export" in text
    assert "Period: the first event to the latest event" in text
    assert "Person: chair" in text
    assert "Events in this export: 1" in text
    assert f"Chain at export: {len(before)} events, head #{head.seq}" in text
    assert head.hash[:32] in text.replace(" ", "")
    assert "Chain verified at export: yes" in text
    assert "report.printed" in text and "Q3 meeting" in text
    assert "clip.viewed" not in text  # alice's event is outside the filter
    document = pdfium.PdfDocument(out.read_bytes())
    for index in range(len(document)):
        greys = document[index].render(scale=0.5, grayscale=True).to_pil().getextrema()
        assert greys[0] < 128 < greys[1], f"page {index + 1} draws no text"


def test_a_missing_folder_is_named_and_nothing_is_recorded(
    workspace: Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    count = len(_events(workspace))
    with pytest.raises(BadInput, match="no such folder"):
        _export(workspace, people["dpo"], tmp_path / "gone" / "audit.csv")
    assert len(_events(workspace)) == count
