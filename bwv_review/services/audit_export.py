"""Exporting the audit log for the data protection officer (or an administrator): the
events of a period and/or one person as CSV or PDF.

Handing the log over is itself a disclosure: it names who did what and why, so the
export is recorded (filters, row count, the file's SHA-256, the chain's state) before the
file is moved into place, and a file never exists without its record. The chain is
verified as part of the export and the file says what was found; a broken chain is
still exported, since the officer needs the log most when it is damaged.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bwv_review.reports.audit_export import HEADER, AuditExport, AuditRow, audit_document
from bwv_review.reports.output_files import OutputFolderMissing, staged_output
from bwv_review.reports.panel_report import render_pdf
from bwv_review.reports.spreadsheet_cells import csv_bytes
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.store.audit import append_event, verify_chain
from bwv_review.store.db import Database
from bwv_review.store.models import AuditEvent, User, WorkspaceSettings
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)


class AuditFormat(StrEnum):
    CSV = "csv"
    PDF = "pdf"


@dataclass(frozen=True)
class AuditFilter:
    """Which events: dates are whole UTC days, both ends included; None means any."""

    from_date: date | None = None
    to_date: date | None = None
    username: str | None = None

    def in_words(self) -> tuple[str, ...]:
        start = self.from_date.isoformat() if self.from_date else "the first event"
        end = self.to_date.isoformat() if self.to_date else "the latest event"
        words = [f"Period: {start} to {end} (UTC days, both included)"]
        words.append(f"Person: {self.username}" if self.username else "Person: everyone")
        return tuple(words)

    def audit_detail(self) -> dict[str, Any]:
        return {
            "from": self.from_date.isoformat() if self.from_date else None,
            "to": self.to_date.isoformat() if self.to_date else None,
            "user": self.username,
        }


@dataclass(frozen=True)
class AuditExportResult:
    path: Path
    export_format: AuditFormat
    rows: int
    sha256: str
    chain_intact: bool
    event_seq: int  # the export's own event


class AuditExportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def export(
        self,
        actor: Actor,
        audit_filter: AuditFilter,
        export_format: AuditFormat,
        out_path: Path,
        *,
        purpose: str,
    ) -> AuditExportResult:
        require(actor, Permission.EXPORT_AUDIT)
        with self._db.transaction() as session:
            _check_filter(session, audit_filter)
            rows = tuple(_row(event) for event in session.scalars(_query(audit_filter)))
            chain = verify_chain(session)
            broken = chain.first_break
            export = AuditExport(
                panel=_panel_name(session),
                filters=audit_filter.in_words(),
                rows=rows,
                chain_events=chain.events_checked,
                chain_head_seq=chain.last_seq,
                chain_head_hash=chain.last_hash,
                chain_intact=chain.intact,
                chain_finding="every hash fits"
                if broken is None
                else f"breaks at event #{broken.seq}: {broken.reason}",
                made_at=utc_now(),
            )
        if export_format is AuditFormat.CSV:
            data = csv_bytes(HEADER, (row.cells() for row in export.rows))
        else:
            data = render_pdf(audit_document(export))
        digest = hashlib.sha256(data).hexdigest()
        try:
            with staged_output(out_path, data), self._db.transaction() as session:
                event = append_event(
                    session,
                    actor=actor.username,
                    action="audit.exported",
                    purpose=purpose,
                    detail={
                        "format": export_format.value,
                        "file": out_path.name,
                        "rows": len(rows),
                        "sha256": digest,
                        "filters": audit_filter.audit_detail(),
                        "chain_head_seq": chain.last_seq,
                        "chain_intact": chain.intact,
                    },
                )
                seq = event.seq
        except (OutputFolderMissing, OSError) as exc:
            raise BadInput(f"the audit export could not be written: {exc}") from exc
        log.info("exported %d audit events as %s", len(rows), export_format.value)
        return AuditExportResult(out_path, export_format, len(rows), digest, chain.intact, seq)


def _query(audit_filter: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.seq)
    if audit_filter.from_date:
        query = query.where(AuditEvent.occurred_at >= _day_start(audit_filter.from_date))
    if audit_filter.to_date:
        next_day = audit_filter.to_date + timedelta(days=1)
        query = query.where(AuditEvent.occurred_at < _day_start(next_day))
    if audit_filter.username:
        query = query.where(AuditEvent.actor == audit_filter.username)
    return query


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _check_filter(session: Session, audit_filter: AuditFilter) -> None:
    """A filter naming nobody the log or the accounts know is a mistake to report, not an
    empty export that reads as "this person did nothing"."""
    start, end = audit_filter.from_date, audit_filter.to_date
    if start and end and start > end:
        raise BadInput(f"the period starts ({start}) after it ends ({end})")
    name = audit_filter.username
    if name is None:
        return
    account = session.scalar(select(User.id).where(User.username == name))
    acted = session.scalar(select(AuditEvent.id).where(AuditEvent.actor == name).limit(1))
    if account is None and acted is None:
        raise NotFound(f"no account is named {name!r} and no event in the log names them")


def _row(event: AuditEvent) -> AuditRow:
    entity = " ".join(part for part in (event.entity_type, event.entity_id) if part)
    return AuditRow(
        seq=event.seq,
        occurred_at=event.occurred_at.astimezone(UTC),
        actor=event.actor,
        action=event.action,
        purpose=event.purpose,
        entity=entity,
        detail_json=event.detail_json,
        hash=event.hash,
    )


def _panel_name(session: Session) -> str:
    settings = session.scalar(select(WorkspaceSettings).limit(1))
    return (settings.panel_name if settings else None) or "Scrutiny panel"
