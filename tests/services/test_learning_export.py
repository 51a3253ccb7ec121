"""The learning export service: which points (submitted reviews only, each filter), what a
row carries (nothing personal, never the raw note), who may export, and the audit event
each export writes before its file is in place."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import CaseType, LearningKind
from bwv_review.services.errors import BadInput, NotFound, PermissionDenied
from bwv_review.services.learning_export import ExportCancelled, ExportFormat, LearningFilter
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, ReviewSession
from tests.services.learning_fixtures import RAW_NOTES, LearningPanel, build_learning_panel
from tests.services.review_fixtures import PURPOSE


@pytest.fixture
def learning(workspace: Workspace) -> LearningPanel:
    return build_learning_panel(workspace)


def _listed(ws: Workspace, learning: LearningPanel, **filters: object) -> list[int]:
    items = ws.learning_export.points(
        learning.lead,
        LearningFilter(**filters),  # type: ignore[arg-type]
        purpose=PURPOSE,
    )
    return [item.point_id for item in items]


def test_only_submitted_points_are_listed_in_session_case_clip_and_time_order(
    workspace: Workspace, learning: LearningPanel
) -> None:
    items = workspace.learning_export.points(learning.lead, LearningFilter(), purpose=PURPOSE)
    assert [item.point_id for item in items] == list(learning.point_ids)
    first = items[0]
    assert first.note == RAW_NOTES[0]  # for the one writing the description, never exported
    assert first.row.time_code == "00:00:42.040"
    assert (first.row.frame, first.row.uncertainty_frames) == (1051, 2)
    assert first.row.tags == ("BWV started late",)
    assert first.row.kind == "Learning point"
    assert first.row.case_type == "Stop and search"
    assert first.row.session == "2026 Q3 panel"
    assert items[2].row.case_type == "Use of force"
    assert items[2].row.frame is None
    assert learning.unsubmitted_point_id not in [item.point_id for item in items]


def test_each_filter_narrows_the_points(workspace: Workspace, learning: LearningPanel) -> None:
    a, b, c = learning.point_ids
    assert _listed(workspace, learning, kind=LearningKind.GOOD_PRACTICE) == [b]
    assert _listed(workspace, learning, case_type=CaseType.USE_OF_FORCE) == [c]
    assert _listed(workspace, learning, tag="gowisely_in_full") == [b]
    assert _listed(workspace, learning, tag="bwv STARTED late") == [a]  # a label, any case
    assert _listed(workspace, learning, session_name="2026 Q3 panel") == [a, b, c]
    met = date(2026, 10, 1)  # the session's meeting date, not the encounter's (1 July)
    assert _listed(workspace, learning, from_date=met, to_date=met) == [a, b, c]
    assert _listed(workspace, learning, from_date=date(2026, 7, 1), to_date=date(2026, 9, 30)) == []
    with workspace.db.transaction() as session:
        session.get_one(ReviewSession, learning.panel.session_id).meeting_date = None
    assert _listed(workspace, learning, from_date=date(2000, 1, 1)) == []
    assert _listed(workspace, learning) == [a, b, c]


def test_filters_naming_nothing_are_refused_in_words(
    workspace: Workspace, learning: LearningPanel
) -> None:
    with pytest.raises(NotFound, match="no review session named 'Q9'"):
        _listed(workspace, learning, session_name="Q9")
    with pytest.raises(BadInput, match="no tag 'nonsense'; the rubric's tags are BWV started"):
        _listed(workspace, learning, tag="nonsense")
    with pytest.raises(BadInput, match=r"starts \(2026-02-01\) after it ends \(2026-01-01\)"):
        _listed(workspace, learning, from_date=date(2026, 2, 1), to_date=date(2026, 1, 1))


def test_reviewers_may_neither_list_nor_export(
    workspace: Workspace, learning: LearningPanel, tmp_path: Path
) -> None:
    service = workspace.learning_export
    reviewer = learning.panel.alice
    with pytest.raises(PermissionDenied, match="alice may not write the training description"):
        service.points(reviewer, LearningFilter(), purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="alice may not export learning points"):
        service.export(
            reviewer, LearningFilter(), ExportFormat.CSV, tmp_path / "x.csv", purpose=PURPOSE
        )
    assert not (tmp_path / "x.csv").exists()


def test_an_export_carries_descriptions_not_notes_and_records_the_disclosure(
    workspace: Workspace, learning: LearningPanel, tmp_path: Path
) -> None:
    workspace.training_descriptions.save(
        learning.lead,
        learning.point_ids[1],
        "-Grounds and object explained before the search",
        expected_version=None,
        purpose=PURPOSE,
    )
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "learning.csv"
    steps: list[int] = []
    result = workspace.learning_export.export(
        learning.panel.chair,
        LearningFilter(kind=LearningKind.GOOD_PRACTICE),
        ExportFormat.CSV,
        out,
        purpose="training day",
        progress=lambda done: steps.append(done) or True,
    )
    data = out.read_bytes()
    assert result.rows == 1 and result.sha256 == hashlib.sha256(data).hexdigest()
    assert steps == [1, 2, 3]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][-1] == "'-Grounds and object explained before the search"
    assert RAW_NOTES[1] not in data.decode("utf-8-sig")
    with workspace.db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "learning.exported")
        ).one()
        assert (event.actor, event.purpose) == ("chair", "training day")
        detail = json.loads(event.detail_json)
    assert detail == {
        "file": "learning.csv",
        "filters": {
            "case_type": None,
            "from": None,
            "kind": "good_practice",
            "session": None,
            "tag": None,
            "to": None,
        },
        "format": "csv",
        "rows": 1,
        "sha256": result.sha256,
    }
    assert list(out.parent.iterdir()) == [out]  # no temporary file left beside it


def test_a_stopped_or_failed_export_leaves_no_file_and_no_record(
    workspace: Workspace, learning: LearningPanel, tmp_path: Path
) -> None:
    service = workspace.learning_export
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "learning.xlsx"
    out.write_bytes(b"the training lead's earlier export")
    with pytest.raises(ExportCancelled, match="stopped; no file was written"):
        service.export(
            learning.lead,
            LearningFilter(),
            ExportFormat.XLSX,
            out,
            purpose=PURPOSE,
            progress=lambda done: done < 2,
        )
    with pytest.raises(BadInput, match="no such folder"):
        service.export(
            learning.lead,
            LearningFilter(),
            ExportFormat.XLSX,
            tmp_path / "gone" / "x.xlsx",
            purpose=PURPOSE,
        )
    assert out.read_bytes() == b"the training lead's earlier export"
    assert list(out.parent.iterdir()) == [out]
    with workspace.db.transaction() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "learning.exported" not in actions

    service.export(learning.lead, LearningFilter(), ExportFormat.XLSX, out, purpose=PURPOSE)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None and sheet.max_row == 1 + len(learning.point_ids)


def test_the_same_points_and_words_give_the_same_pack(
    workspace: Workspace, learning: LearningPanel, tmp_path: Path
) -> None:
    """The pack is dated from its points and descriptions, never the clock: made twice, it
    is the same file; a new description makes a new one."""
    service = workspace.learning_export
    first = service.export(
        learning.lead, LearningFilter(), ExportFormat.PDF, tmp_path / "a.pdf", purpose=PURPOSE
    )
    again = service.export(
        learning.lead, LearningFilter(), ExportFormat.PDF, tmp_path / "b.pdf", purpose=PURPOSE
    )
    assert first.sha256 == again.sha256
    workspace.training_descriptions.save(
        learning.lead, learning.point_ids[0], "Start early.", expected_version=None, purpose="t"
    )
    changed = service.export(
        learning.lead, LearningFilter(), ExportFormat.PDF, tmp_path / "c.pdf", purpose=PURPOSE
    )
    assert changed.sha256 != first.sha256
