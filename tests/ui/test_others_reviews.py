"""Comparing answers after submitting: members side by side, differences named in words,
and no claim of agreement while nobody else has submitted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.domain.review_rules import AnswerEntry
from bwv_review.domain.rubric_catalogue import load_default_rubric
from bwv_review.services.review_views import MemberReview
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_view import CONTENT_WARNING_SETTING, CaseView
from bwv_review.ui.others_reviews import (
    DIFFER,
    NOTHING_TO_COMPARE,
    ONE_ANSWER,
    SAME,
    OthersReviewsDialog,
    comparison_rows,
)
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel
from tests.support.tab_walk import walk_tab

RUBRIC = load_default_rubric()


def _review(label: str, answers: dict[str, AnswerEntry], grade: str | None) -> MemberReview:
    return MemberReview(label, answers, {}, grade, None, None, None)


def _table(dialog: OthersReviewsDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _headers(dialog: OthersReviewsDialog) -> list[str]:
    table = dialog.table
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_rows_show_each_member_and_whether_they_differ() -> None:
    first, second = RUBRIC.checks[0].id, RUBRIC.checks[1].id
    reviews = [
        _review("Member A", {first: AnswerEntry("met", None)}, "good_practice"),
        _review(
            "Member B",
            {first: AnswerEntry("met", None), second: AnswerEntry("not_met", "no grounds")},
            "concern",
        ),
    ]
    rows = comparison_rows(RUBRIC, reviews)
    assert rows[0] == [RUBRIC.checks[0].text, "Met", "Met", SAME]
    # Only one member answered: nothing agrees or differs with it.
    assert rows[1] == [RUBRIC.checks[1].text, "", "Not met \u270e", ONE_ANSWER]
    assert rows[-1][0] == "Case grade" and rows[-1][-1] == DIFFER
    assert len(rows) == 3  # checks nobody answered are left out


@pytest.fixture
def panel(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(sqlite_url)
    yield ws, build_panel(ws, cases=1)
    ws.close()


def _compare(qtbot: QtBot, ws: Workspace, team: Panel, app_home: Paths) -> CaseView:
    """Alice's submitted case, opened as on her screen, and its Compare button clicked;
    the dialog is the view's `others`."""
    settings = Settings(app_home.settings_file)
    settings.set(CONTENT_WARNING_SETTING, True)  # footage stays hidden; not needed here
    assignment = team.assignment(ws, team.alice, team.case_ids[0])
    view = CaseView(
        ws, team.alice, settings, ws.reviews.open_case(team.alice, assignment, purpose=PURPOSE)
    )
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.others is not None and view.others.isVisible())
    return view


def test_compare_with_nobody_else_submitted_claims_no_agreement(
    qtbot: QtBot, panel: tuple[Workspace, Panel], app_home: Paths
) -> None:
    """It used to say nobody else had submitted and still mark every row "= same"."""
    ws, team = panel
    alices = team.assignment(ws, team.alice, team.case_ids[0])
    answer_all(ws, team.alice, alices, "met")
    ws.reviews.submit(team.alice, alices, purpose=PURPOSE)

    case = _compare(qtbot, ws, team, app_home)
    dialog = case.others
    assert dialog is not None
    assert NOTHING_TO_COMPARE in dialog.intro.text()
    assert dialog.accessibleDescription() == NOTHING_TO_COMPARE
    assert _headers(dialog) == ["Check", "You"]
    cells = [cell for row in _table(dialog) for cell in row]
    assert "Met" in cells
    assert not {SAME, DIFFER, ONE_ANSWER} & set(cells)


def test_compare_marks_rows_only_where_another_member_answered(
    qtbot: QtBot, panel: tuple[Workspace, Panel], app_home: Paths
) -> None:
    ws, team = panel
    alices = team.assignment(ws, team.alice, team.case_ids[0])
    answer_all(ws, team.alice, alices, "met")
    ws.reviews.submit(team.alice, alices, purpose=PURPOSE)
    bobs = team.assignment(ws, team.bob, team.case_ids[0])
    answer_all(ws, team.bob, bobs, "met")
    first = RUBRIC.checks[0]
    ws.reviews.save_answer(team.bob, bobs, first.id, "not_met", "no grounds", purpose=PURPOSE)
    ws.reviews.submit(team.bob, bobs, purpose=PURPOSE)

    case = _compare(qtbot, ws, team, app_home)
    dialog = case.others
    assert dialog is not None
    assert NOTHING_TO_COMPARE not in dialog.intro.text()
    headers = _headers(dialog)
    assert headers[0] == "Check" and headers[1] == "You" and headers[-1] == "Members"
    assert len(headers) == 4  # you and one other member
    rows = {row[0]: row for row in _table(dialog)}
    assert rows[first.text][1:] == ["Met", "Not met \u270e", DIFFER]
    others = [row for text, row in rows.items() if text not in (first.text, "Case grade")]
    assert others and all(row[1] == row[2] and row[3] == SAME for row in others)
    assert rows["Case grade"][-1] in (SAME, DIFFER)  # both graded


def test_the_dialog_opens_with_tab_able_to_reach_close(
    qtbot: QtBot, panel: tuple[Workspace, Panel], app_home: Paths
) -> None:
    """The dialog opens in its table; Tab used to cycle the cells, so Close was never reached."""
    ws, team = panel
    alices = team.assignment(ws, team.alice, team.case_ids[0])
    answer_all(ws, team.alice, alices, "met")
    ws.reviews.submit(team.alice, alices, purpose=PURPOSE)
    case = _compare(qtbot, ws, team, app_home)  # kept: the dialog is the view's child
    dialog = case.others
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    seen = walk_tab(qtbot, dialog, dialog.table)
    assert any(getattr(w, "text", lambda: "")() == "Close" for w in seen)
