"""Importing paper reviews on both backends: all-or-nothing, and only for the chair of an
open session."""

from __future__ import annotations

import pytest

from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.review_import import COLUMNS
from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import PURPOSE, RUBRIC, build_panel


def _csv(*sheets: tuple[str, str, str]) -> bytes:
    lines = [",".join(COLUMNS)]
    for reviewer, reference, answer in sheets:
        for check in RUBRIC.checks:
            if check.applies("stop_and_search", ()):
                reason = "seen" if check.requires_reason(answer) else ""
                lines.append(f"{reviewer},{reference},{check.id},{answer},{reason}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def test_one_bad_sheet_keeps_the_good_ones_out_too(workspace: Workspace) -> None:
    panel = build_panel(workspace)
    importer = workspace.review_import
    good, bad = ("alice", "CASE-001", "met"), ("bob", "CASE-002", "not_met")
    data = _csv(good, bad).replace(b",not_met,seen", b",not_met,", 1)
    with pytest.raises(BadInput, match="nothing imported") as refused:
        importer.import_reviews(panel.chair, panel.session_id, data, "paper.csv", purpose=PURPOSE)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("paper.csv", 2 + len(RUBRIC.checks) - 4)
    assert problem.message.startswith("bob, CASE-002: a reason is needed for Not met")
    assert (
        workspace.review_sessions.detail(panel.chair, panel.session_id).summary.reviews_submitted
        == 0
    )

    summary = importer.import_reviews(
        panel.chair, panel.session_id, _csv(good, bad), "paper.csv", purpose=PURPOSE
    )
    assert (summary.reviews, summary.answers) == (2, 2 * (len(RUBRIC.checks) - 4))
    assert (
        workspace.review_sessions.detail(panel.chair, panel.session_id).summary.reviews_submitted
        == 2
    )
    with pytest.raises(PermissionDenied):
        importer.import_reviews(panel.alice, panel.session_id, _csv(good), "x.csv", purpose=PURPOSE)


def test_a_file_that_is_not_the_format_is_refused_at_line_one(workspace: Workspace) -> None:
    panel = build_panel(workspace)
    with pytest.raises(BadInput) as refused:
        workspace.review_import.import_reviews(
            panel.chair, panel.session_id, b"who,what\nalice,met\n", "x.csv", purpose=PURPOSE
        )
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (1, "the first line must name the columns reviewer,case_reference,check_id,answer,reason")
    ]
    with pytest.raises(BadInput) as refused:
        workspace.review_import.import_reviews(
            panel.chair, panel.session_id, b"reviewer\n\xff", "x.csv", purpose=PURPOSE
        )
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (2, "not UTF-8 text; save the file as UTF-8")
    ]
