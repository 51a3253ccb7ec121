"""The chair's Review sessions tab on a real SQLite workspace: a session made through the
dialog by keyboard, a sample draw adopted, a case added by hand, reviewers narrowed, names
shown, opened, a submission seen arriving by polling, attendance and discussion recorded,
and finalising with a confirmation that counts unsubmitted reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.services.sampling import parse_spec
from bwv_review.services.workspace import Workspace
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sessions_screen import SessionsScreen
from tests.services.review_fixtures import PURPOSE, answer_all, make_case, make_person
from tests.support.access_keys import access_keys, menu_bar_keys
from tests.support.tab_walk import walk_tab

TODAY = date(2026, 9, 14)
INTERNALS = (QComboBox, QAbstractSpinBox, QTabBar, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets under `root` with no accessible name, leaving out the parts Qt
    builds inside composite controls (a spin box's line edit, a table's headers)."""
    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)
    found = [*root.findChildren(QWidget)]
    missing = []
    for widget in found:
        if not isinstance(widget, (*kinds, QAbstractItemView)) or isinstance(widget, QHeaderView):
            continue
        parent = widget.parentWidget()
        inside = False
        while parent is not None and parent is not root:
            inside = inside or isinstance(parent, INTERNALS)
            parent = parent.parentWidget()
        if not inside and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}")
    return missing


@pytest.fixture
def stocked(sqlite_url: str) -> Iterator[tuple[Workspace, Actor, Actor]]:
    """A chair, three reviewers who sat on last quarter's session, four cases and a draw
    of two of them. Yields the workspace, the chair and Alice."""
    ws = Workspace.create(sqlite_url)
    chair = make_person(ws, "chair", Role.CHAIR)
    alice, *_ = (make_person(ws, name, Role.REVIEWER) for name in ("alice", "bob", "carol"))
    for n in range(1, 5):
        make_case(ws, f"CASE-{n:03d}")
    ws.review_sessions.create(
        chair, "2026 Q2 panel", "2026-Q2", None, ["alice", "bob", "carol"], purpose=PURPOSE
    )
    ws.sampling.draw(chair, "Q3 dip sample", "2026", parse_spec([], [], 2), purpose=PURPOSE)
    yield ws, chair, alice
    ws.close()


def _cases(screen: SessionsScreen) -> dict[str, list[str]]:
    table = screen.setup.cases
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)]
        for r in range(table.rowCount())
    }


def test_chair_sets_up_opens_follows_and_finalises_a_session(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    ws, chair, alice = stocked
    screen = SessionsScreen(ws, chair, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()

    # A new session, typed and ticked from the keyboard.
    dialog = screen.setup.new_session_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.quarter.text() == "2026-Q3"
    qtbot.keyClicks(dialog.name, "2026 Q3 panel")
    dialog.members.setFocus()
    dialog.members.setCurrentRow(0)
    qtbot.keyClick(dialog.members, Qt.Key.Key_Space)  # Alice
    qtbot.keyClick(dialog.members, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.members, Qt.Key.Key_Space)  # Bob
    dialog.extra.setFocus()
    qtbot.keyClicks(dialog.extra, "Carol")
    qtbot.keyClick(dialog.extra, Qt.Key.Key_Return)  # adds, does not press OK
    assert dialog.isVisible()
    assert dialog.values().members == ("alice", "bob", "carol")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert screen.setup.detail is not None and screen.setup.detail.summary.name == "2026 Q3 panel"
    assert screen.setup.sessions.item(0, 3).text().startswith("Being set up")
    assert [m.username for m in screen.setup.detail.members] == ["alice", "bob", "carol"]

    # A name already used is refused in the dialog, which stays open with the reason.
    again = screen.setup.new_session_dialog()
    qtbot.addWidget(again)
    again.name.setText("2026 Q3 panel")
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "already a session" in again.error.text() and again.result() == 0

    # The sample draw, then a case outside it with its reason.
    adopt = screen.setup.adopt_dialog()
    qtbot.addWidget(adopt)
    assert adopt.draw_name.findText("Q3 dip sample") >= 0  # stored draws are offered
    qtbot.keyClicks(adopt.draw_name, "Q3 dip sample")
    adopt.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert len(_cases(screen)) == 2
    drawn = set(_cases(screen))
    extra = next(f"CASE-{n:03d}" for n in range(1, 5) if f"CASE-{n:03d}" not in drawn)
    add = screen.setup.add_case_dialog()
    qtbot.addWidget(add)
    qtbot.keyClicks(add.reference, extra)
    add.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "say why" in add.error.text()  # the reason is required
    qtbot.keyClicks(add.reason, "theme: strip search of a child")
    add.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    rows = _cases(screen)
    assert rows[extra][0] == "Added by hand: theme: strip search of a child"
    assert rows[extra][1] == "Member A, Member B, Member C"  # everyone by default
    assert all(rows[r][0] == "Sample draw" for r in drawn)

    # Only Alice and Bob review the extra case.
    screen.setup.cases.selectRow(sorted(rows).index(extra))
    assign = screen.setup.assign_dialog()
    assert assign is not None
    qtbot.addWidget(assign)
    assign.members.item(2).setCheckState(Qt.CheckState.Unchecked)
    assign.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert _cases(screen)[extra][1] == "Member A, Member B"

    # Names instead of letters, then back.
    screen.setup.show_names.click()
    assert _cases(screen)[extra][1] == "Alice, Bob"
    assert screen.setup.detail.show_member_names
    screen.setup.show_names.click()
    screen.setup.reveal.click()
    assert screen.setup.detail.reveal_after_all_submitted

    # Open it; a submission arrives and is seen by polling.
    screen.setup.open_button.click()
    assert screen.setup.detail.summary.status == "open"
    assert screen.setup.sessions.item(0, 3).text() == "Open for reviewing"
    assert screen.submissions.poll_timer.isActive() and not screen.setup.open_button.isEnabled()
    first = sorted(drawn)[0]
    assignment = next(
        i.assignment_id for i in ws.reviews.queue(alice) if i.force_reference == first
    )
    assert screen.consensus.case_choice.count() == 3  # the consensus tab follows the status
    screen.setup.cases.selectRow(sorted(rows).index(extra))
    answer_all(ws, alice, assignment)
    ws.reviews.submit(alice, assignment, purpose=PURPOSE)
    qtbot.waitUntil(lambda: screen.submissions.activity.count() == 1, timeout=5000)
    assert screen.submissions.activity.item(0).text().endswith(f"Member A submitted case {first}")
    assert screen.submissions.latest.text() == screen.submissions.activity.item(0).text()
    assert screen.setup.sessions.item(0, 4).text() == "1 of 8"
    extra_id = next(c.case_id for c in screen.setup.detail.cases if c.force_reference == extra)
    assert screen.setup.selected_case() == extra_id  # the refresh kept the chair's place
    screen.setup.compare_button.click()
    assert screen.tabs.currentWidget() is screen.consensus
    assert screen.consensus.case_choice.currentData() == extra_id

    # The meeting: attendance and a case discussed.
    screen.setup.attendance.item(0).setCheckState(Qt.CheckState.Checked)
    assert [m.attended for m in screen.setup.detail.members] == [True, None, None]
    discussed = screen.setup.cases.item(sorted(rows).index(first), 3)
    discussed.setCheckState(Qt.CheckState.Checked)
    assert next(c for c in screen.setup.detail.cases if c.force_reference == first).discussed

    # Finalise: the confirmation counts what is unsubmitted; No leaves it open.
    asked: list[str] = []
    screen.setup.confirm = lambda _title, text: asked.append(text) is not None
    screen.setup.finalise_button.click()
    assert "7 of 8 reviews are not submitted" in asked[0]
    assert screen.setup.detail.summary.status == "open"
    screen.setup.confirm = lambda _title, _text: True
    screen.setup.finalise_button.click()
    assert screen.setup.detail.summary.status == "finalised"
    assert screen.setup.sessions.item(0, 3).text().startswith("Finalised")
    assert not screen.submissions.poll_timer.isActive()
    assert not screen.setup.add_case_button.isEnabled()
    assert not screen.setup.finalise_button.isEnabled()
    assert screen.consensus.outcome.save_button.text().replace("&", "") == "Amend outcome"


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    ws, chair, _ = stocked
    screen = SessionsScreen(ws, chair, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    sid = ws.review_sessions.session_id(chair, "2026 Q2 panel")
    ws.review_sessions.add_case(chair, sid, "CASE-001", "theme: handcuffing", purpose=PURPOSE)
    screen.select_session(sid)
    screen.setup.cases.selectRow(0)
    dialogs = [
        screen.setup.new_session_dialog(),
        screen.setup.adopt_dialog(),
        screen.setup.add_case_dialog(),
        screen.setup.assign_dialog(),
    ]
    for dialog in dialogs:
        assert dialog is not None
        qtbot.addWidget(dialog)
    assert unnamed_controls(screen) == []
    for dialog in dialogs:
        assert unnamed_controls(dialog) == []


def test_alt_keys_are_unique_on_each_page(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    """Two controls on one page with the same Alt+letter leave one of them unreachable by
    its key; the main window's menu titles (File, Help...) count on every page."""
    ws, chair, _ = stocked
    window = MainWindow(ws, chair)
    qtbot.addWidget(window)
    menu_keys = menu_bar_keys(window)
    screen = SessionsScreen(ws, chair, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_session(ws.review_sessions.session_id(chair, "2026 Q2 panel"))
    for page in (screen.tabs.widget(i) for i in range(screen.tabs.count())):
        screen.tabs.setCurrentWidget(page)
        keys = [*menu_keys, *access_keys(screen)]
        assert len(keys) == len(set(keys)), sorted(keys)


def test_a_failed_poll_is_said_and_retried(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, chair, _ = stocked
    sid = ws.review_sessions.session_id(chair, "2026 Q2 panel")
    ws.review_sessions.add_case(chair, sid, "CASE-001", "theme: handcuffing", purpose=PURPOSE)
    ws.review_sessions.open(chair, sid, purpose=PURPOSE)
    screen = SessionsScreen(ws, chair, poll_interval_ms=20, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.select_session(sid)
    screen.setup.error.show_error("the chair's own refusal")
    real = ws.consensus.changes_since

    def unavailable(*args: object, **kwargs: object) -> object:
        raise DatabaseUnavailable("the database server did not answer")

    monkeypatch.setattr(ws.consensus, "changes_since", unavailable)
    qtbot.waitUntil(lambda: "did not answer" in screen.submissions.latest.text(), timeout=5000)
    assert screen.submissions.latest.text().startswith("\u26a0 Could not check for new submissions")
    assert "own refusal" in screen.setup.error.text()  # left for the chair to read
    assert screen.submissions.poll_timer.isActive()
    monkeypatch.setattr(ws.consensus, "changes_since", real)
    qtbot.waitUntil(lambda: screen.submissions.latest.text() == "", timeout=5000)


def test_buttons_open_their_dialogs(qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]) -> None:
    ws, chair, _ = stocked
    screen = SessionsScreen(ws, chair, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_session(ws.review_sessions.session_id(chair, "2026 Q2 panel"))
    seen: list[str] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen.append(dialog.windowTitle())
        dialog.close()

    setup = screen.setup
    for button in (setup.new_button, setup.adopt_button, setup.add_case_button):
        QTimer.singleShot(0, cancel)
        button.click()
    assert seen == ["New review session", "Adopt a sample draw", "Add a case by hand"]


def _open_session(ws: Workspace, chair: Actor) -> int:
    sid = ws.review_sessions.session_id(chair, "2026 Q2 panel")
    ws.review_sessions.add_case(chair, sid, "CASE-001", "theme: handcuffing", purpose=PURPOSE)
    ws.review_sessions.open(chair, sid, purpose=PURPOSE)
    return sid


def test_a_second_chair_sees_the_session_and_joins_its_panel(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    """Issue 8 defect 9: an administrator holding the chair role saw "No review sessions
    yet" while a session existed."""
    ws, chair, _ = stocked
    sid = _open_session(ws, chair)
    dora = make_person(ws, "dora", Role.ADMIN, Role.CHAIR)
    screen = SessionsScreen(ws, dora, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    setup = screen.setup
    assert setup.sessions.rowCount() == 1
    assert setup.sessions.item(0, 0).text() == "2026 Q2 panel"
    setup.sessions.setFocus()
    qtbot.keyClick(setup.sessions, Qt.Key.Key_Down)  # choose it by keyboard
    qtbot.waitUntil(lambda: setup.detail is not None, timeout=2000)
    assert "You are not on this session's panel" in setup.heading.text()
    assert setup.finalise_button.isEnabled()  # any chair may finalise
    join = setup.join_button
    assert join.isVisible() and join.accessibleName() == "Join this session as a panel member"
    assert "press Join this session as a panel member" in screen.consensus.held.text()
    assert not screen.consensus.outcome.isEnabled()

    qtbot.mouseClick(join, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not join.isVisible(), timeout=2000)
    assert ws.review_sessions.detail(dora, sid).on_panel
    assert "not on this session's panel" not in setup.heading.text()
    assert [m.username for m in setup.detail.members][-1] == "dora"
    assert not screen.consensus.held.isVisible()
    assert screen.consensus.outcome.isEnabled()  # the consensus tab opened to her
    assert "Waiting for: Member A, Member B, Member C" in screen.consensus.members.text()


def test_the_chair_reopens_a_submitted_review_with_a_reason(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    ws, chair, alice = stocked
    sid = _open_session(ws, chair)
    own = next(i.assignment_id for i in ws.reviews.queue(alice))
    answer_all(ws, alice, own)
    ws.reviews.submit(alice, own, purpose=PURPOSE)
    screen = SessionsScreen(ws, chair, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_session(sid)
    panel = screen.submissions
    assert "press Reopen a submitted review" in panel.help.text()  # the documented route
    assert panel.reopen_button.isEnabled()

    dialog = panel.reopen_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.review.currentText().startswith("CASE-001 · Member A · submitted")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "say why" in dialog.error.text() and dialog.isVisible()  # nothing reopened
    assert ws.reopening.submitted(chair, sid) != []
    qtbot.keyClicks(dialog.reason, "Alice asked: she pressed Submit too soon")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert ws.reopening.submitted(chair, sid) == []
    [item] = ws.reviews.queue(alice)
    assert (item.status, item.locked) == ("in_progress", False)
    qtbot.waitUntil(
        lambda: "Member A had their review reopened for case CASE-001" in panel.latest.text(),
        timeout=3000,
    )
    assert screen.setup.sessions.item(0, 4).text() == "0 of 3"
    assert unnamed_controls(dialog) == []

    # With nothing submitted, the button says so instead of offering an empty list.
    assert panel.reopen_dialog() is None
    assert "No review in this session is submitted yet" in panel.error.text()


def test_finalise_warns_about_cases_with_no_panel_outcome(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    """Issue 11 fault 4: the confirmation counted unsubmitted reviews but said nothing of
    cases the panel never agreed an outcome for, which then fall out of the report."""
    ws, chair, _ = stocked
    sid = ws.review_sessions.session_id(chair, "2026 Q2 panel")
    for reference in ("CASE-001", "CASE-002", "CASE-003"):
        ws.review_sessions.add_case(chair, sid, reference, "theme: handcuffing", purpose=PURPOSE)
    ws.review_sessions.open(chair, sid, purpose=PURPOSE)
    graded, notes_only, untouched = (c.case_id for c in ws.review_sessions.detail(chair, sid).cases)

    def record(case_id: int, grade: str | None, vignette: str = "") -> None:
        before = ws.consensus.outcome(chair, sid, case_id)
        ws.consensus.save_outcome(
            chair,
            sid,
            case_id,
            OutcomeDraft(grade, (), vignette, ""),
            expected_version=before.version if before else None,
            purpose=PURPOSE,
        )

    record(graded, "concern")
    record(notes_only, None, "Discuss again")  # notes alone: the report counts grades
    screen = SessionsScreen(ws, chair, poll_interval_ms=50, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_session(sid)
    asked: list[str] = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer_no)
    qtbot.mouseClick(screen.setup.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=3000)
    assert "2 of 3 cases have no panel outcome" in asked[0]
    assert "9 of 9 reviews are not submitted" in asked[0]
    assert ws.review_sessions.detail(chair, sid).summary.status == "open"  # No kept it open

    record(notes_only, "adequate")
    record(untouched, "good_practice")
    screen.setup.reload()
    QTimer.singleShot(0, answer_no)
    qtbot.mouseClick(screen.setup.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=3000)
    assert "Every case has a panel outcome" in asked[1]


def test_tab_reaches_every_control_and_leaves_both_tables(
    qtbot: QtBot, stocked: tuple[Workspace, Actor, Actor]
) -> None:
    """Tab used to step through the tables' cells, so Finalise and seven other buttons
    could be reached only by their Alt keys; arrows are the way round a table."""
    ws, chair, _ = stocked
    screen = SessionsScreen(ws, chair, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_session(_open_session(ws, chair))
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    assert screen.setup.finalise_button.isEnabled()
    seen = walk_tab(qtbot, screen, screen.setup.sessions)
    assert {screen.setup.sessions, screen.setup.cases, screen.setup.finalise_button} <= set(seen)
    qtbot.keyClick(screen.setup.sessions, Qt.Key.Key_Down)  # arrows still move in the table
