"""Learning points for training leads: the points of submitted reviews, filtered, listed
for the Learning tab and exported as CSV, XLSX or a PDF training pack.

The period is the review session's meeting date, as for the quarterly report: a training
lead asks for "what the panel met about this quarter", and filtering on the encounter's
date would make the encounter date an input to a file meant to carry no dates. A session
without a meeting date is outside every period.

Only submitted reviews are read: a point still being written is the reviewer's own, and a
reopened review leaves until it is submitted again. Listing (which shows the reviewers'
raw notes, for writing descriptions) and exporting are both audited; an export is a
disclosure, recorded with the filters, the row count and the file's SHA-256 before the file
is moved into place.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bwv_review.domain.rubric_tags import LearningTag
from bwv_review.domain.time_codes import format_ms
from bwv_review.domain.vocab import CaseType, LearningKind, ReviewStatus
from bwv_review.reports.learning_export import (
    HEADER,
    LearningExport,
    LearningRow,
    render_xlsx,
    training_pack,
)
from bwv_review.reports.output_files import OutputFolderMissing, staged_output
from bwv_review.reports.panel_report import render_pdf
from bwv_review.reports.spreadsheet_cells import csv_bytes
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound, ServiceError
from bwv_review.services.permissions import Permission, require
from bwv_review.services.review_access import default_rubric, installed_rubric
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Assignment,
    Case,
    Clip,
    LearningPoint,
    Review,
    ReviewSession,
    TrainingDescription,
    WorkspaceSettings,
)

log = logging.getLogger(__name__)

Progress = Callable[[int], bool]
"""Told how many steps are done (of EXPORT_STEPS); False means stop."""

EXPORT_STEPS = 3  # points read, file rendered, file in place

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The date of an export with no points (the clock would make two empty packs differ)."""


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


class ExportCancelled(ServiceError):
    """The person stopped the export; no file was written and nothing was recorded."""


@dataclass(frozen=True)
class LearningFilter:
    """Which points: each field None means any. `tag` is a tag's id or label."""

    from_date: date | None = None
    to_date: date | None = None
    session_name: str | None = None
    tag: str | None = None
    kind: LearningKind | None = None
    case_type: CaseType | None = None

    def in_words(self) -> tuple[str, ...]:
        """The filters as the pack prints them; the whole workspace when there are none."""
        words = []
        if self.from_date or self.to_date:
            start = self.from_date.isoformat() if self.from_date else "the first session"
            end = self.to_date.isoformat() if self.to_date else "the latest session"
            words.append(f"Sessions that met from {start} to {end}")
        if self.session_name:
            words.append(f"Session: {self.session_name}")
        if self.tag:
            words.append(f"Tag: {self.tag}")
        if self.kind:
            words.append(f"Kind: {self.kind.label}")
        if self.case_type:
            words.append(f"Case type: {self.case_type.label}")
        return tuple(words) or ("Every session's submitted reviews",)

    def audit_detail(self) -> dict[str, Any]:
        return {
            "from": self.from_date.isoformat() if self.from_date else None,
            "to": self.to_date.isoformat() if self.to_date else None,
            "session": self.session_name,
            "tag": self.tag,
            "kind": self.kind.value if self.kind else None,
            "case_type": self.case_type.value if self.case_type else None,
        }


@dataclass(frozen=True)
class LearningPointItem:
    """A point as the Learning tab lists it: the exportable row, the reviewer's note (shown
    beside the description editor, never exported) and the description's version."""

    point_id: int
    row: LearningRow
    note: str
    description_version: int | None
    changed_at: datetime  # the later of the point's and its description's last edit


@dataclass(frozen=True)
class ExportResult:
    path: Path
    export_format: ExportFormat
    rows: int
    sha256: str


class LearningExportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def points(
        self, actor: Actor, learning_filter: LearningFilter, *, purpose: str
    ) -> list[LearningPointItem]:
        """The points for the Learning tab, with the reviewers' notes; audited, as the
        notes may hold what the descriptions must leave out."""
        require(actor, Permission.DESCRIBE_LEARNING)
        with self._db.transaction() as session:
            items = _items(session, learning_filter)
            append_event(
                session,
                actor=actor.username,
                action="learning.points_listed",
                purpose=purpose,
                detail={"filters": learning_filter.audit_detail(), "points": len(items)},
            )
            return items

    def tag_labels(self) -> list[str]:
        """The tags a filter may name, as the shipped rubric labels them, in its order."""
        return [tag.label for tag in default_rubric().tags]

    def session_names(self, actor: Actor) -> list[str]:
        """Sessions with submitted reviews, latest meeting first, for the session filter."""
        require(actor, Permission.EXPORT_LEARNING)
        with self._db.transaction() as session:
            query = (
                select(ReviewSession.name, ReviewSession.meeting_date)
                .join(Assignment, Assignment.session_id == ReviewSession.id)
                .join(Review, Review.assignment_id == Assignment.id)
                .where(Review.status == ReviewStatus.SUBMITTED)
                .distinct()
            )
            rows = session.execute(query).all()
        return [
            name
            for name, _met in sorted(rows, key=lambda r: (r[1] or date.min, r[0]), reverse=True)
        ]

    def export(
        self,
        actor: Actor,
        learning_filter: LearningFilter,
        export_format: ExportFormat,
        out_path: Path,
        *,
        purpose: str,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Write the export to `out_path` (replacing a file there only once the new one is
        whole) and record the disclosure. Nothing is recorded when it fails or is stopped."""
        require(actor, Permission.EXPORT_LEARNING)
        go_on = progress or (lambda _done: True)
        with self._db.transaction() as session:
            items = _items(session, learning_filter)
            panel, demo = _panel(session)
        export = LearningExport(
            panel=panel,
            scope=(*learning_filter.in_words(), *demo),
            rows=tuple(item.row for item in items),
            dated=max((item.changed_at for item in items), default=EPOCH),
        )
        if not go_on(1):
            raise ExportCancelled("the export was stopped; no file was written")
        data = _render(export, export_format)
        if not go_on(2):
            raise ExportCancelled("the export was stopped; no file was written")
        digest = hashlib.sha256(data).hexdigest()
        try:
            with staged_output(out_path, data), self._db.transaction() as session:
                append_event(
                    session,
                    actor=actor.username,
                    action="learning.exported",
                    purpose=purpose,
                    detail={
                        "format": export_format.value,
                        "file": out_path.name,
                        "rows": len(export.rows),
                        "sha256": digest,
                        "filters": learning_filter.audit_detail(),
                    },
                )
        except (OutputFolderMissing, OSError) as exc:
            raise BadInput(f"the export could not be written: {exc}") from exc
        go_on(EXPORT_STEPS)
        log.info("exported %d learning points as %s", len(export.rows), export_format.value)
        return ExportResult(out_path, export_format, len(export.rows), digest)


def _render(export: LearningExport, export_format: ExportFormat) -> bytes:
    if export_format is ExportFormat.CSV:
        return csv_bytes(HEADER, (row.cells() for row in export.rows))
    if export_format is ExportFormat.XLSX:
        return render_xlsx(export)
    return render_pdf(training_pack(export))


def _items(session: Session, learning_filter: LearningFilter) -> list[LearningPointItem]:
    _check_filter(session, learning_filter)
    wanted_tag = (learning_filter.tag or "").casefold()
    items = []
    for point, clip_position, case_type, review_session, found in session.execute(
        _query(learning_filter)
    ):
        description: TrainingDescription | None = found  # None: the outer join found none
        rubric = installed_rubric(review_session.rubric_id, review_session.rubric_version)
        tags = [rubric.tag(tag_id) for tag_id in json.loads(point.tags_json)]
        if wanted_tag and not any(_names(wanted_tag, tag) for tag in tags):
            continue
        row = LearningRow(
            session=review_session.name,
            case_type=case_type.label,
            kind=point.kind.label,
            clip_number=clip_position + 1,
            time_code=format_ms(point.position_ms),
            frame=point.frame_index,
            uncertainty_frames=point.frame_uncertainty,
            tags=tuple(tag.label for tag in tags),
            description=description.text if description else "",
        )
        version = description.version if description else None
        changed = max(point.updated_at, description.written_at if description else EPOCH)
        items.append(LearningPointItem(point.id, row, point.note, version, changed))
    return items


def _query(
    learning_filter: LearningFilter,
) -> Select[LearningPoint, int, CaseType, ReviewSession, TrainingDescription]:
    query = (
        select(LearningPoint, Clip.position, Case.case_type, ReviewSession, TrainingDescription)
        .join(Clip, Clip.id == LearningPoint.clip_id)
        .join(Review, Review.id == LearningPoint.review_id)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .join(Case, Case.id == Assignment.case_id)
        .join(ReviewSession, ReviewSession.id == Assignment.session_id)
        .outerjoin(TrainingDescription, TrainingDescription.learning_point_id == LearningPoint.id)
        .where(Review.status == ReviewStatus.SUBMITTED)
        .order_by(
            ReviewSession.meeting_date,
            ReviewSession.name,
            Case.id,
            Clip.position,
            LearningPoint.position_ms,
            LearningPoint.id,
        )
    )
    if learning_filter.from_date:
        query = query.where(ReviewSession.meeting_date >= learning_filter.from_date)
    if learning_filter.to_date:
        query = query.where(ReviewSession.meeting_date <= learning_filter.to_date)
    if learning_filter.session_name:
        query = query.where(ReviewSession.name == learning_filter.session_name)
    if learning_filter.kind:
        query = query.where(LearningPoint.kind == learning_filter.kind)
    if learning_filter.case_type:
        query = query.where(Case.case_type == learning_filter.case_type)
    return query


def _check_filter(session: Session, learning_filter: LearningFilter) -> None:
    """A filter naming nothing that exists is a mistake to report, not an empty export."""
    start, end = learning_filter.from_date, learning_filter.to_date
    if start and end and start > end:
        raise BadInput(f"the period starts ({start}) after it ends ({end})")
    name = learning_filter.session_name
    if name and session.scalar(select(ReviewSession.id).where(ReviewSession.name == name)) is None:
        raise NotFound(f"there is no review session named {name!r}")
    tag = (learning_filter.tag or "").casefold()
    tags = default_rubric().tags
    if tag and not any(_names(tag, each) for each in tags):
        known = ", ".join(t.label for t in tags)
        raise BadInput(f"there is no tag {learning_filter.tag!r}; the rubric's tags are {known}")


def _names(wanted: str, tag: LearningTag) -> bool:
    """Whether a filter's tag (folded) is this tag, by id or by label."""
    return wanted in (tag.id.casefold(), tag.label.casefold())


def _panel(session: Session) -> tuple[str, tuple[str, ...]]:
    """The panel's name for the pack's cover, and a line saying demonstration data is
    invented, so a pack made from the demo is never taken for a real one."""
    settings = session.scalar(select(WorkspaceSettings).limit(1))
    name = (settings.panel_name if settings else None) or "Scrutiny panel"
    demo = ("Demonstration data: invented cases",) if settings and settings.is_demo else ()
    return name, demo
