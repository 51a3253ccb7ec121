"""The consensus screen on a real SQLite workspace: members' answers side by side under
Member labels (or names), disagreements marked in words, pending members, agreement with
its reading, members' learning points by clip and time, and the outcome editor: save, a
concurrent save reported and never overwritten, reload, the force's response, and
amendments with a reason once finalised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.vocab import LearningKind
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.workspace import Workspace
from bwv_review.ui.consensus_screen import DIFFER, SAME, ConsensusScreen
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel
from tests.support.tab_walk import walk_tab
from tests.ui.test_sessions_screen import unnamed_controls


def _submit(ws: Workspace, panel: Panel, reviewer: str, case: int, answer: str) -> None:
    actor = getattr(panel, reviewer)
    assignment = panel.assignment(ws, actor, panel.case_ids[case])
    answer_all(ws, actor, assignment, answer)
    ws.reviews.submit(actor, assignment, purpose=PURPOSE)


@pytest.fixture
def reviewed(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    """Alice answered Met and Bob Not met on the first case; the second is unreviewed."""
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws)
    _submit(ws, panel, "alice", 0, "met")
    bob = panel.assignment(ws, panel.bob, panel.case_ids[0])
    question = "Why was <no> reason given?"
    ws.reviews.set_text(panel.bob, bob, ReviewText.QUESTION_TO_FORCE, question, purpose=PURPOSE)
    _submit(ws, panel, "bob", 0, "not_met")
    yield ws, panel
    ws.close()


def _row(screen: ConsensusScreen, starts: str) -> list[str]:
    table = screen.table
    for r in range(table.rowCount()):
        if table.item(r, 0).text().strip().startswith(starts):
            return [table.item(r, c).text() for c in range(table.columnCount())]
    raise AssertionError(f"no row starting {starts!r}")


def _index(screen: ConsensusScreen, text: str) -> int:
    table = screen.table
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text().strip() == text)


def _headers(screen: ConsensusScreen) -> list[str]:
    table = screen.table
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_answers_side_by_side_with_disagreements_and_agreement(
    qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    ws, panel = reviewed
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(panel.session_id)

    assert _headers(screen)[:3] == ["Check", "Member A", "Member B"]
    courtesy = _row(screen, "The officers were courteous")
    assert courtesy[1] == "Met"
    assert courtesy[2] == "Not met \u270e"  # marked: there is a reason to read
    assert courtesy[3] == DIFFER and "\u2260" in DIFFER and "Differ" in DIFFER
    assert courtesy[4] == "Too few answers yet to say"  # plain words; no jargon
    assert "\u03b1" not in courtesy[4] and "ratings" not in courtesy[4]
    tooltip = screen.table.item(_index(screen, "The officers were courteous"), 4).toolTip()
    assert "\u03b1" in tooltip and "ratings" in tooltip  # the statistic, for who wants it
    legal = _row(screen, "Legal")
    assert legal[1].startswith("\u2714") and legal[2].startswith("\u2716")  # symbols, not colour
    assert legal[4] == "Members often disagreed"
    assert (
        screen.table.item(_index(screen, "Legal"), 4)
        .toolTip()
        .endswith("from 28 ratings: members often disagreed")
    )
    screen.table.setCurrentCell(_index(screen, "The officers were courteous"), 0)
    assert screen.reasons.text() == "<b>Member B</b> (Not met): seen at 00:42"
    grades = _row(screen, "Case grade")
    assert grades[1:4] == ["\u2714 Good practice", "\u2716 Concern", DIFFER]
    assert "Everyone has submitted" in screen.members.text()
    assert screen.notes.text() == (
        "<b>Member B</b> suggests asking the force: Why was &lt;no&gt; reason given?"
    )
    assert screen.case_agreement.text() == (
        "Case grade agreement across the session: Too few answers yet to say"
    )
    assert "\u03b1" in screen.case_agreement.toolTip()
    # Checks every member marked Not applicable are hidden until asked for.
    with pytest.raises(AssertionError):
        _row(screen, "Taser was used")
    screen.show_all.click()
    assert _row(screen, "Taser was used")[3] == SAME

    screen.show_case(panel.case_ids[1])
    assert "Waiting for: Member A, Member B" in screen.members.text()
    assert _headers(screen)[:2] == ["Check", "Differ?"]

    ws.review_sessions.set_visibility(
        panel.chair, panel.session_id, show_member_names=True, purpose=PURPOSE
    )
    screen.show_case(panel.case_ids[0])
    screen.show_session(panel.session_id)
    assert _headers(screen)[:3] == ["Check", "Alice", "Bob"]
    assert unnamed_controls(screen) == []


def test_outcome_saves_and_a_concurrent_save_is_reported_not_overwritten(
    qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    ws, panel = reviewed
    sid, case_id = panel.session_id, panel.case_ids[0]
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(sid)
    editor = screen.outcome

    assert editor.grade.itemText(editor.grade.findData("concern")) == "\u2716 Concern"
    editor.grade.setCurrentIndex(editor.grade.findData("concern"))
    editor.action_boxes[OutcomeAction.QUESTION_TO_FORCE].click()
    qtbot.keyClicks(editor.vignette, "A young man was searched for drugs; nothing was found.")
    qtbot.keyClicks(editor.questions, "Why was the search not explained?")
    editor.save_button.click()
    saved = ws.consensus.outcome(panel.chair, sid, case_id)
    assert saved is not None and saved.consensus_grade == "concern"
    assert saved.actions == (OutcomeAction.QUESTION_TO_FORCE.value,)
    assert f"version {saved.version}" in editor.state.text()

    # Another laptop saves behind the screen's back; this save is refused, not applied.
    theirs = OutcomeDraft("adequate", (OutcomeAction.FEEDBACK_TO_OFFICER,), "Theirs.", "")
    ws.consensus.save_outcome(
        panel.chair, sid, case_id, theirs, expected_version=saved.version, purpose=PURPOSE
    )
    editor.vignette.setPlainText("Mine, typed meanwhile.")
    editor.save_button.click()
    assert "Not saved: Chair changed this outcome at" in editor.error.text()
    assert editor.reload_button.isVisible()
    assert editor.vignette.toPlainText() == "Mine, typed meanwhile."  # kept on screen
    stored = ws.consensus.outcome(panel.chair, sid, case_id)
    assert stored is not None and stored.vignette == "Theirs."

    editor.reload_button.click()
    assert editor.vignette.toPlainText() == "Theirs."
    assert editor.grade.currentData() == "adequate"
    assert not editor.reload_button.isVisible() and not editor.error.isVisible()
    editor.force_response.setPlainText("The force will write to the officer.")
    editor.save_button.click()
    stored = ws.consensus.outcome(panel.chair, sid, case_id)
    assert stored is not None and stored.force_response == "The force will write to the officer."


def test_after_finalising_changes_are_amendments_with_a_reason(
    qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    ws, panel = reviewed
    sid, case_id = panel.session_id, panel.case_ids[0]
    draft = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), "As agreed.", "Why?")
    ws.consensus.save_outcome(panel.chair, sid, case_id, draft, expected_version=None, purpose="t")
    ws.review_sessions.finalise(panel.chair, sid, purpose=PURPOSE)
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(sid)
    editor = screen.outcome
    assert editor.save_button.text().replace("&", "") == "Amend outcome"
    assert editor.reason.isVisible()

    editor.vignette.setPlainText("As agreed, corrected: the search lasted 20 minutes.")
    editor.save_button.click()
    assert "needs a reason" in editor.error.text()
    qtbot.keyClicks(editor.reason, "The minutes gave the wrong length")
    editor.save_button.click()
    assert not editor.error.isVisible()
    history = ws.amendments.amendments(panel.chair, sid, case_id)
    assert [(a.field, a.original_value, a.reason) for a in history] == [
        ("vignette", "As agreed.", "The minutes gave the wrong length")
    ]
    assert editor.vignette.toPlainText().endswith("20 minutes.")  # the amended value holds
    assert "Amended vignette" in editor.history.text()
    stored = ws.consensus.outcome(panel.chair, sid, case_id)
    assert stored is not None and stored.vignette == "As agreed."  # original kept

    # The force's answer arrives after the meeting and is recorded directly, no reason.
    editor.force_response.setPlainText("Officers will be briefed in March.")
    editor.save_button.click()
    stored = ws.consensus.outcome(panel.chair, sid, case_id)
    assert stored is not None and stored.force_response == "Officers will be briefed in March."
    assert len(ws.amendments.amendments(panel.chair, sid, case_id)) == 1


def test_a_chair_who_also_reviews_is_told_to_submit_first_then_records_the_outcome(
    qtbot: QtBot, sqlite_url: str
) -> None:
    """Issue 8 defect 6: the chair saw "submit your own review first" and a disabled
    outcome panel with no hint of where to go."""
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws, open_it=False)
    ws.review_sessions.add_members(panel.chair, panel.session_id, ["chair"], purpose=PURPOSE)
    ws.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    _submit(ws, panel, "alice", 0, "met")
    own = panel.assignment(ws, panel.chair, panel.case_ids[0])
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(panel.session_id)

    assert screen.held.isVisible()
    assert "You are also reviewing case CASE-001" in screen.held.text()
    assert "under My reviews" in screen.held.text()
    assert not screen.error.isVisible()  # said as guidance, not as an error
    assert not screen.outcome.isEnabled()
    assert screen.table.rowCount() == 0  # nobody's answers before the chair's own
    button = screen.own_review_button
    assert button.isVisible() and button.accessibleName() == "Go to my review of this case"
    with qtbot.waitSignal(screen.ownReviewRequested, timeout=1000) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args == [own]
    button.setFocus()
    with qtbot.waitSignal(screen.ownReviewRequested, timeout=1000):
        qtbot.keyClick(button, Qt.Key.Key_Space)  # by keyboard too

    # The chair submits (under My reviews); a refresh opens the case to them.
    answer_all(ws, panel.chair, own)
    ws.reviews.submit(panel.chair, own, purpose=PURPOSE)
    qtbot.mouseClick(screen.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.outcome.isEnabled(), timeout=2000)
    assert not screen.held.isVisible() and not screen.own_review_button.isVisible()
    assert sorted(_headers(screen)[1:3]) == ["Member A", "Member C"]
    editor = screen.outcome
    editor.grade.setCurrentIndex(editor.grade.findData("adequate"))
    qtbot.keyClicks(editor.vignette, "An adult was searched; the grounds were explained.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = ws.consensus.outcome(panel.chair, panel.session_id, panel.case_ids[0])
    assert saved is not None and saved.consensus_grade == "adequate"
    assert saved.vignette == "An adult was searched; the grounds were explained."
    ws.close()


def _point_rows(screen: ConsensusScreen) -> list[list[str]]:
    table = screen.points.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount()) if table.item(r, c)]
        for r in range(table.rowCount())
    ]


def test_members_learning_points_by_clip_and_time_with_close_ones_together(
    qtbot: QtBot, sqlite_url: str
) -> None:
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws)
    case_id = panel.case_ids[0]
    alice = panel.assignment(ws, panel.alice, case_id)
    bob = panel.assignment(ws, panel.bob, case_id)
    clip = ws.reviews.open_case(panel.alice, alice, purpose=PURPOSE).clips[0].clip_id
    marked = "<b>Not</b> explained & <i>rushed</i>"
    for who, assignment, at_ms, kind, tags, note in (
        (panel.alice, alice, 64_500, LearningKind.LEARNING, ("grounds_not_explained",), marked),
        (panel.alice, alice, 10_000, LearningKind.GOOD_PRACTICE, ("good_practice_exemplar",),
         "Calm greeting"),
        (panel.bob, bob, 62_000, LearningKind.LEARNING,
         ("grounds_not_explained", "receipt_not_offered"), "Grounds came after the search"),
    ):  # fmt: skip
        stamp = LearningPointInput(clip, at_ms, at_ms // 40, 2, kind, tags, note)
        ws.reviews.add_learning_point(who, assignment, stamp, purpose=PURPOSE)
    _submit(ws, panel, "alice", 0, "met")
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.resize(1240, 740)
    screen.show()
    screen.show_session(panel.session_id)

    # Bob has not submitted: his point is held back with his answers.
    assert _point_rows(screen) == [
        ["Member A", "Officer 1 00:00:10.000\nframe 250 \u00b12", "\u25cf Good practice",
         "Good-practice exemplar", "Calm greeting"],
        ["Member A", "Officer 1 00:01:04.500\nframe 1612 \u00b12", "\u25b2 Learning point",
         "Grounds not explained", marked],
    ]  # fmt: skip
    assert "2, by clip and time" in screen.points.heading.text()

    _submit(ws, panel, "bob", 0, "not_met")
    qtbot.mouseClick(screen.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.points.table.rowCount() == 4, timeout=2000)
    rows = _point_rows(screen)
    assert rows[0][0] == "Member A" and rows[0][4] == "Calm greeting"
    # Bob at 1:02 and Alice at 1:04.5 marked the same moment: together under one heading.
    assert rows[1] == [
        "\u21d4 2 members marked Officer 1 at 00:01:02.000 to 00:01:04.500: Member B, Member A"
    ]
    assert rows[2] == [
        "    Member B",
        "Officer 1 00:01:02.000\nframe 1550 \u00b12",
        "\u25b2 Learning point",
        "Grounds not explained, Receipt not offered",
        "Grounds came after the search",
    ]
    assert rows[3][0] == "    Member A" and rows[3][4] == marked  # markup shown as typed
    assert "\u21d4" in screen.points.heading.text()  # the symbol is explained in words
    # A screen reader moving row by row hears the whole point from its first cell.
    first_cell = screen.points.table.item(3, 0)
    assert first_cell.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Member A: Officer 1 00:01:04.500 · frame 1612 \u00b12 · Learning point · "
        f"Grounds not explained · {marked}"
    )
    assert unnamed_controls(screen) == []

    # Keyboard: Tab goes from the answers to the points and on out again, no trap.
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=2000)
    screen.table.setFocus()
    qtbot.waitUntil(screen.table.hasFocus, timeout=2000)
    qtbot.keyClick(screen.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(screen.points.table.hasFocus, timeout=2000)
    qtbot.keyClick(screen.points.table, Qt.Key.Key_Down)
    assert screen.points.table.hasFocus()  # arrows move within the list
    qtbot.keyClick(screen.points.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not screen.points.table.hasFocus(), timeout=2000)

    # Names once the chair shows them, as the answers' columns do.
    ws.review_sessions.set_visibility(
        panel.chair, panel.session_id, show_member_names=True, purpose=PURPOSE
    )
    qtbot.mouseClick(screen.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _point_rows(screen)[2][0] == "    Bob", timeout=2000)
    assert "Bob, Alice" in _point_rows(screen)[1][0]
    ws.close()


def test_tab_leaves_the_answers_table_and_reaches_every_control(
    qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    """Tab used to walk the side-by-side table cell by cell and never leave it."""
    ws, panel = reviewed
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(panel.session_id)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    assert screen.table.rowCount() > 1
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)  # a member's row, picked with the arrows
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    seen = walk_tab(qtbot, screen, screen.table)
    assert screen.table in seen
