"""Issuing the report: only finalised sessions, the file's hash and the audit chain's head
recorded, a signed checkpoint where the machine holds the key, and `verify` telling an
issued file from a changed one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwv_review.reports.document import Variant
from bwv_review.services.audit import create_checkpoint_key, read_checkpoint_key
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.report_issuing import ReportFormat
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, IssuedReport
from tests.services.report_fixtures import SESSION, ReportPanel, build_report_panel

PURPOSE = "test: issue the report"


@pytest.fixture
def panel(workspace: Workspace) -> ReportPanel:
    return build_report_panel(workspace)


def test_issuing_records_the_hash_and_the_audit_head(
    workspace: Workspace, panel: ReportPanel, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "report.pdf"
    out.parent.mkdir()
    result = workspace.report_issuing.issue(
        panel.chair,
        ReportScope.of_sessions(SESSION),
        Variant.PUBLISHED,
        ReportFormat.PDF,
        out,
        purpose=PURPOSE,
    )
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert result.newly_issued and result.checkpoint_path is None
    assert result.report.sha256 == hashlib.sha256(data).hexdigest()
    assert result.report.sessions == (SESSION,)
    with workspace.db.transaction() as session:
        row = session.scalars(select(IssuedReport)).one()
        issued_event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.issued")
        ).one()
        events_then = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= issued_event.seq)
        )
        assert (row.variant, row.file_format) == ("published", "pdf")
        assert row.audit_event_id == issued_event.id
        assert row.audit_hash == issued_event.hash
        assert row.audit_count == events_then
        assert issued_event.detail_json and row.sha256 in issued_event.detail_json
    assert not list(tmp_path.glob(".report.pdf.*"))  # no temporary file left


def test_verify_knows_an_issued_file_and_refuses_a_changed_one(
    workspace: Workspace, panel: ReportPanel, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    workspace.report_issuing.issue(
        panel.chair,
        ReportScope.of_sessions(SESSION),
        Variant.INTERNAL,
        ReportFormat.HTML,
        out,
        purpose=PURPOSE,
    )
    found = workspace.report_issuing.verify(panel.chair, out, purpose=PURPOSE)
    assert found is not None and found.file_format == "html" and found.variant == "internal"
    changed = tmp_path / "changed.html"
    changed.write_bytes(out.read_bytes().replace(b"</body>", b" </body>"))
    assert workspace.report_issuing.verify(panel.chair, changed, purpose=PURPOSE) is None
    with pytest.raises(BadInput, match=r"missing\.pdf"):
        workspace.report_issuing.verify(panel.chair, tmp_path / "missing.pdf", purpose=PURPOSE)
    with workspace.db.transaction() as session:
        verified = session.scalars(
            select(AuditEvent.detail_json).where(AuditEvent.action == "report.verified")
        ).all()
    assert len(verified) == 2  # the unreadable file was never hashed


def test_issuing_the_same_scope_again_gives_the_same_report(
    workspace: Workspace, panel: ReportPanel, tmp_path: Path
) -> None:
    scope = ReportScope.of_sessions(SESSION)
    first = workspace.report_issuing.issue(
        panel.chair, scope, Variant.INTERNAL, ReportFormat.PDF, tmp_path / "a.pdf", purpose=PURPOSE
    )
    again = workspace.report_issuing.issue(
        panel.chair, scope, Variant.INTERNAL, ReportFormat.PDF, tmp_path / "b.pdf", purpose=PURPOSE
    )
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert not again.newly_issued and again.report.report_id == first.report.report_id
    with workspace.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(IssuedReport)) == 1


def test_an_open_session_is_previewed_as_draft_never_issued(
    workspace: Workspace, tmp_path: Path
) -> None:
    panel = build_report_panel(workspace, finalise=False)
    scope = ReportScope.of_sessions(SESSION)
    out = tmp_path / "report.pdf"
    with pytest.raises(BadInput, match="only finalised sessions can be issued"):
        workspace.report_issuing.issue(
            panel.chair, scope, Variant.INTERNAL, ReportFormat.PDF, out, purpose=PURPOSE
        )
    assert not out.exists()
    document, data = workspace.report_issuing.preview(
        panel.chair, scope, Variant.INTERNAL, ReportFormat.PDF, purpose=PURPOSE
    )
    assert document.draft and data.startswith(b"%PDF")
    with workspace.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(IssuedReport)) == 0


def test_a_reviewer_may_not_issue(workspace: Workspace, panel: ReportPanel, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        workspace.report_issuing.issue(
            panel.members[0],
            ReportScope.of_sessions(SESSION),
            Variant.PUBLISHED,
            ReportFormat.PDF,
            tmp_path / "r.pdf",
            purpose=PURPOSE,
        )
    assert not (tmp_path / "r.pdf").exists()


def test_a_machine_holding_the_key_writes_a_checkpoint_that_holds(
    workspace: Workspace, panel: ReportPanel, tmp_path: Path
) -> None:
    key_file = tmp_path / "keys" / "audit-checkpoint.key"
    create_checkpoint_key(key_file)
    key = read_checkpoint_key(key_file)
    out = tmp_path / "out" / "report.pdf"
    out.parent.mkdir()
    result = workspace.report_issuing.issue(
        panel.chair,
        ReportScope.of_sessions(SESSION),
        Variant.PUBLISHED,
        ReportFormat.PDF,
        out,
        purpose=PURPOSE,
        checkpoint_key=key,
    )
    assert result.checkpoint_path == out.parent / "report.pdf.checkpoint.json"
    assert result.report.checkpoint_written
    document = result.checkpoint_path.read_text(encoding="utf-8")
    verification = workspace.audit.verify(
        panel.chair, purpose=PURPOSE, checkpoints=[(str(result.checkpoint_path), document)], key=key
    )
    assert verification.intact
    assert [finding.status for finding in verification.checkpoints] == ["holds"]
