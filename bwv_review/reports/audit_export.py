"""The audit log as the data protection officer takes it away: a CSV of the events (every
field the chain hashes, so each line can be checked) and a PDF whose first page says what
was asked for and whether the chain verified when the file was made.

The file is what the log holds, unchanged but for formula-like cells; nothing is added
from elsewhere in the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bwv_review.reports.document import (
    BulletList,
    Cell,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    Variant,
)

HEADER = ("seq", "time (UTC)", "actor", "action", "purpose", "entity", "detail", "hash")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    occurred_at: datetime  # aware, UTC
    actor: str
    action: str
    purpose: str
    entity: str  # "type id", or empty when the event names none
    detail_json: str
    hash: str

    @property
    def time_utc(self) -> str:
        return self.occurred_at.isoformat(timespec="microseconds")

    def cells(self) -> tuple[str, ...]:
        return (
            str(self.seq),
            self.time_utc,
            self.actor,
            self.action,
            self.purpose,
            self.entity,
            self.detail_json,
            self.hash,
        )


@dataclass(frozen=True)
class AuditExport:
    """The rows asked for and what the header states: the filters in words, and the
    whole chain's head and verification at the moment of export (not the rows' own)."""

    panel: str
    filters: tuple[str, ...]
    rows: tuple[AuditRow, ...]
    chain_events: int
    chain_head_seq: int
    chain_head_hash: str
    chain_intact: bool
    chain_finding: str  # in words: intact, or where it breaks
    made_at: datetime


def summary_lines(export: AuditExport) -> tuple[str, ...]:
    """What the PDF's header states, one fact a line."""
    return (
        *export.filters,
        f"Events in this export: {len(export.rows)}",
        f"Chain at export: {export.chain_events} events, head #{export.chain_head_seq} "
        f"{export.chain_head_hash}",
        f"Chain verified at export: {'yes' if export.chain_intact else 'NO'} "
        f"({export.chain_finding})",
        f"Exported {export.made_at:%Y-%m-%d %H:%M:%S} UTC",
    )


def audit_document(export: AuditExport) -> ReportDocument:
    overview = Section(
        "About this export",
        (
            Paragraph(
                "Events from the panel's append-only, hash-chained audit log: who did what, "
                "when, and the purpose they gave. Times are UTC. The export is itself "
                "recorded in the log as a disclosure, as the event after the chain head "
                "below.",
                style="lead",
            ),
            BulletList(summary_lines(export)),
        ),
    )
    events = Table(
        caption="Events",
        header=("Seq", "Time (UTC)", "Actor", "Action", "Purpose", "Entity", "Detail"),
        rows=tuple(
            (
                Cell(str(row.seq)),
                Cell(f"{row.occurred_at:%Y-%m-%d %H:%M:%S}"),
                Cell(row.actor),
                Cell(row.action),
                Cell(row.purpose),
                Cell(row.entity),
                Cell(row.detail_json),
            )
            for row in export.rows
        ),
        note="Each event's hash is in the CSV export of the same selection.",
    )
    body = (events,) if export.rows else (Paragraph("No event matches the filters."),)
    return ReportDocument(
        title="Audit log export",
        subtitle=export.panel,
        marking="OFFICIAL-SENSITIVE",
        period="; ".join(export.filters),
        variant=Variant.INTERNAL,
        draft=False,
        author="bwv-review",
        subject="Audit log events for the data protection officer",
        dated=export.made_at,
        sections=(overview, Section("Events", body)),
    )
