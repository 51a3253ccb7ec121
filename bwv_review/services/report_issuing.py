"""Previewing, issuing and recognising the panel's report files.

Issuing is what makes a report the panel's: only finalised sessions can be issued, the
file's SHA-256 is stored with its variant, scope and the audit chain's head at that moment,
and the audit log records it. `verify` hashes any file and says whether this workspace
issued it, so a PDF forwarded by e-mail can be checked against what the chair sent. The
audit log and the issued-report table are never inputs of the report itself: issuing the
same scope twice gives the same bytes, and the second issue is recognised as the first.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select

from bwv_review.reports.document import ReportDocument, Variant
from bwv_review.reports.html_report import render_html
from bwv_review.reports.output_files import staged_output
from bwv_review.reports.panel_report import render_pdf
from bwv_review.services.actor import Actor
from bwv_review.services.audit import AuditService
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.services.report_builder import ReportBuilder
from bwv_review.services.report_scope import ReportScope, ResolvedScope, resolve_scope
from bwv_review.store.audit import append_event, chain_head
from bwv_review.store.db import Database
from bwv_review.store.models import IssuedReport, User

log = logging.getLogger(__name__)


class ReportFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"


def render(document: ReportDocument, file_format: ReportFormat) -> bytes:
    """The document in one format; both come from the same document, never two builds."""
    if ReportFormat(file_format) is ReportFormat.PDF:
        return render_pdf(document)
    return render_html(document).encode("utf-8")


@dataclass(frozen=True)
class IssuedReportView:
    """What a person is told about an issued file (the issuer by user name: this stays
    inside the workspace, never in the report)."""

    report_id: int
    sha256: str
    variant: str
    file_format: str
    sessions: tuple[str, ...]
    issued_by: str
    issued_at: datetime
    audit_event_id: int
    audit_count: int
    audit_hash: str
    checkpoint_written: bool


@dataclass(frozen=True)
class IssueResult:
    report: IssuedReportView
    path: Path
    newly_issued: bool
    checkpoint_path: Path | None


class ReportIssuingService:
    def __init__(self, db: Database, builder: ReportBuilder, audit: AuditService) -> None:
        self._db = db
        self._builder = builder
        self._audit = audit

    def preview(
        self,
        actor: Actor,
        scope: ReportScope,
        variant: Variant,
        file_format: ReportFormat,
        *,
        purpose: str,
    ) -> tuple[ReportDocument, bytes]:
        """The report as it would be issued now; marked DRAFT on every page while any
        session in scope is open. Nothing is stored but the audit event of compiling."""
        document = self._builder.build_report(actor, scope, variant, purpose=purpose)
        return document, render(document, file_format)

    def write_preview(self, out: Path, data: bytes) -> None:
        """A preview goes through the same staged write as an issued file; it is not
        recorded, so `verify` will not call it issued."""
        with staged_output(out, data):
            pass

    def issue(
        self,
        actor: Actor,
        scope: ReportScope,
        variant: Variant,
        file_format: ReportFormat,
        out: Path,
        *,
        purpose: str,
        checkpoint_key: bytes | None = None,
    ) -> IssueResult:
        """Write the report to `out` and record it as issued. The file moves into place
        only once its record and audit event are committed, so no issued-looking file
        exists that `verify` would not recognise."""
        require(actor, Permission.COMPILE_REPORTS)
        document = self._builder.build_report(actor, scope, variant, purpose=purpose)
        if document.draft:
            raise BadInput(
                f"{document.period}: only finalised sessions can be issued, and this scope "
                "holds an open one; finalise it first, or preview the report (marked DRAFT)"
            )
        with self._db.transaction() as session:
            resolved = resolve_scope(session, scope)
        data = render(document, file_format)
        digest = hashlib.sha256(data).hexdigest()
        with staged_output(out, data):
            view, newly = self._record(actor, resolved, variant, file_format, digest, purpose)
        checkpoint_path = None
        if checkpoint_key is not None and newly:
            checkpoint_path = self._write_checkpoint(actor, checkpoint_key, out, purpose)
            view = self._mark_checkpointed(view.report_id)
        return IssueResult(view, out, newly, checkpoint_path)

    def verify(self, actor: Actor, path: Path, *, purpose: str) -> IssuedReportView | None:
        """The issued report whose bytes `path` holds, or None: any change to the file,
        even one byte of metadata, makes it a file this workspace did not issue."""
        require(actor, Permission.VERIFY_AUDIT)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise BadInput(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
        with self._db.transaction() as session:
            row = session.scalar(select(IssuedReport).where(IssuedReport.sha256 == digest))
            append_event(
                session,
                actor=actor.username,
                action="report.verified",
                purpose=purpose,
                entity_type="issued_report",
                entity_id=row.id if row else None,
                detail={"sha256": digest, "issued": row is not None},
            )
            return _view(session.get(User, row.issued_by), row) if row else None

    def issued(self, actor: Actor) -> list[IssuedReportView]:
        """Every report issued, newest first, for the Reports tab's list."""
        require(actor, Permission.COMPILE_REPORTS)
        with self._db.transaction() as session:
            rows = session.scalars(select(IssuedReport).order_by(IssuedReport.id.desc())).all()
            return [_view(session.get(User, row.issued_by), row) for row in rows]

    def _record(
        self,
        actor: Actor,
        resolved: ResolvedScope,
        variant: Variant,
        file_format: ReportFormat,
        digest: str,
        purpose: str,
    ) -> tuple[IssuedReportView, bool]:
        with self._db.transaction() as session:
            existing = session.scalar(select(IssuedReport).where(IssuedReport.sha256 == digest))
            if existing is not None:
                # The same inputs give the same bytes: issuing again is the same report.
                return _view(session.get(User, existing.issued_by), existing), False
            scope = _scope_of(resolved)
            append_event(
                session,
                actor=actor.username,
                action="report.issued",
                purpose=purpose,
                entity_type="report_scope",
                entity_id=None,
                detail={
                    "sha256": digest,
                    "variant": Variant(variant).value,
                    "format": ReportFormat(file_format).value,
                    "scope": scope,
                },
            )
            head = chain_head(session)
            assert head is not None
            user = session.scalar(select(User).where(User.username == actor.username))
            assert user is not None
            row = IssuedReport(
                sha256=digest,
                variant=Variant(variant).value,
                file_format=ReportFormat(file_format).value,
                scope_key=resolved.key,
                scope_json=json.dumps(scope, sort_keys=True),
                issued_by=user.id,
                audit_event_id=head.event_id,
                audit_count=head.count,
                audit_hash=head.hash,
                checkpoint_written=False,
            )
            session.add(row)
            session.flush()
            return _view(user, row), True

    def _write_checkpoint(self, actor: Actor, key: bytes, out: Path, purpose: str) -> Path:
        _, signed = self._audit.checkpoint(actor, key, purpose=purpose)
        target = out.with_name(out.name + ".checkpoint.json")
        with staged_output(target, signed.encode("utf-8")):
            pass
        return target

    def _mark_checkpointed(self, report_id: int) -> IssuedReportView:
        with self._db.transaction() as session:
            row = session.get(IssuedReport, report_id)
            assert row is not None
            row.checkpoint_written = True
            session.flush()
            return _view(session.get(User, row.issued_by), row)


def _scope_of(resolved: ResolvedScope) -> dict[str, object]:
    return {
        "key": resolved.key,
        "period": resolved.period,
        "sessions": [s.name for s in resolved.sessions],
    }


def _view(user: User | None, row: IssuedReport) -> IssuedReportView:
    scope = json.loads(row.scope_json)
    return IssuedReportView(
        report_id=row.id,
        sha256=row.sha256,
        variant=row.variant,
        file_format=row.file_format,
        sessions=tuple(scope.get("sessions", ())),
        issued_by=user.username if user else "?",
        issued_at=row.issued_at,
        audit_event_id=row.audit_event_id,
        audit_count=row.audit_count,
        audit_hash=row.audit_hash,
        checkpoint_written=row.checkpoint_written,
    )
