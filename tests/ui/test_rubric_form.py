"""The review form as a person uses it: typing at a person's pace, pausing longer than the
save delay, leaving fields, switching case, signing out, locking and closing; the wheel
over a grade box; the keyboard in answer groups and grade boxes. Each check reads the
database back through the service."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.services.review_views import ReviewView
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.rubric_form import TYPING_SAVE_MS
from tests.services.review_fixtures import PURPOSE, Panel, build_panel
from tests.ui.test_review_screen import focused, press, show_window

# A person types a few characters a second and pauses longer than the save delay.
KEY_DELAY_MS = 15
PAUSE_MS = TYPING_SAVE_MS + 800


@pytest.fixture
def team(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws, cases=2)
    ws.users.accept_confidentiality(panel.alice, purpose=PURPOSE)
    yield ws, panel
    ws.close()


def open_case(qtbot: QtBot, ws: Workspace, team: Panel, number: int = 0) -> CaseView:
    window = show_window(qtbot, MainWindow(ws, team.alice))
    window.reviews.open_case(team.assignment(ws, team.alice, team.case_ids[number]))
    case = window.reviews.case_view
    assert case is not None
    return case


def stored(ws: Workspace, team: Panel, case: CaseView) -> ReviewView:
    return ws.reviews.open_case(team.alice, case.assignment_id, purpose=PURPOSE)


def type_slowly(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text, delay=KEY_DELAY_MS)


def click(qtbot: QtBot, widget) -> None:  # type: ignore[no-untyped-def]
    case_view = widget.window().findChild(CaseView)
    if case_view is not None:
        case_view.form_scroll.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_reason_typed_then_left_after_a_pause_is_saved(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    row = case.form.rows["power_fits_object"]
    click(qtbot, row.radios["partly_met"])
    assert row.reason.isVisible()
    click(qtbot, row.reason)
    type_slowly(qtbot, "Object named, power not (01:12)")
    assert "Typing" in case.save_status.text()  # never "Saved" while only on screen
    qtbot.wait(PAUSE_MS)
    assert "Saved" in case.save_status.text()
    click(qtbot, case.form.rows["grounds_objective"].radios["met"])  # focus leaves
    qtbot.wait(PAUSE_MS)
    view = stored(ws, panel, case)
    assert view.answers["power_fits_object"].reason == "Object named, power not (01:12)"
    assert not [p for p in case.state.problems if "reason is needed" in p]


def test_the_note_is_saved_after_a_pause_and_the_rest_on_a_case_switch(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    click(qtbot, case.form.general_note)
    type_slowly(qtbot, "Calm and clear.")
    qtbot.wait(PAUSE_MS)  # and stays in the field
    assert stored(ws, panel, case).general_note == "Calm and clear."
    type_slowly(qtbot, " Receipt offered.")
    click(qtbot, case.back_button)  # before the pause
    assert stored(ws, panel, case).general_note == "Calm and clear. Receipt offered."


def test_a_grade_override_reason_is_saved_after_a_pause(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    legal = case.form.grade_boxes["legal"]
    case.form_scroll.ensureWidgetVisible(legal.choice)
    legal.choice.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Down)
    chosen = legal.choice.currentData()
    assert legal.reason.isVisible()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is legal.reason
    type_slowly(qtbot, "Grounds were a smell alone")
    qtbot.wait(PAUSE_MS)
    press(qtbot, Qt.Key.Key_Tab)
    choice = stored(ws, panel, case).dimension_choices["legal"]
    assert (choice.grade_id, choice.reason) == (chosen, "Grounds were a smell alone")


@pytest.mark.parametrize("leave", ["sign out", "idle lock", "close window"])
def test_typing_is_saved_when_the_reviewer_leaves_without_pausing(
    qtbot: QtBot, team: tuple[Workspace, Panel], leave: str
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    window = case.window()
    assert isinstance(window, MainWindow)
    click(qtbot, case.form.question)
    type_slowly(qtbot, "Why were handcuffs used?")
    if leave == "sign out":
        window.sign_out_action.trigger()
    elif leave == "idle lock":
        window.idle_lock.lock()
    else:
        window.close()
    assert stored(ws, panel, case).question_to_force == "Why were handcuffs used?"


def test_the_wheel_scrolls_the_form_and_leaves_grades_alone(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    legal = case.form.grade_boxes["legal"]
    case.form_scroll.ensureWidgetVisible(legal.choice)
    bar = case.form_scroll.verticalScrollBar()
    bar.setValue(bar.value() - 100)  # the box is not at the very bottom of the view
    before_index, before_scroll = legal.choice.currentIndex(), bar.value()
    centre = QPointF(legal.choice.rect().center())
    for _ in range(3):
        wheel = QWheelEvent(
            centre,
            QPointF(legal.choice.mapToGlobal(centre.toPoint())),
            QPoint(),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(legal.choice, wheel)
    assert legal.choice.currentIndex() == before_index
    assert bar.value() > before_scroll
    assert stored(ws, panel, case).dimension_choices.get("legal") is None


def test_tab_enters_an_answered_check_at_its_answer_and_arrows_reach_every_answer(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    preset = next(
        row for row in case.form.rows.values() if row.answer_id == "not_applicable"
    )  # answered by the case's record
    rows = list(case.form.rows.values())
    before = rows[rows.index(preset) - 1]
    # From the check before it, Tab lands on its answer, so Space cannot overwrite it.
    before.radios["met"].setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Space)
    while focused() not in preset.radios.values():
        press(qtbot, Qt.Key.Key_Tab)
    assert focused() is preset.radios["not_applicable"]
    press(qtbot, Qt.Key.Key_Space)
    assert preset.answer_id == "not_applicable"

    row = case.form.rows["power_fits_object"]
    row.radios["met"].setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Space)
    seen = [row.answer_id]
    for _ in range(len(row.radios)):
        press(qtbot, Qt.Key.Key_Right)
        seen.append(row.answer_id)
    assert seen == [*row.radios, "met"]  # every answer, in order, then round again
    press(qtbot, Qt.Key.Key_Left)
    assert row.answer_id == "not_applicable"
    press(qtbot, Qt.Key.Key_Tab)  # one Tab leaves the answers
    assert focused() not in row.radios.values()
    qtbot.wait(PAUSE_MS)
    assert stored(ws, panel, case).answers["power_fits_object"].answer_id == "not_applicable"


def test_space_on_a_grade_box_does_not_open_its_list(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    legal = case.form.grade_boxes["legal"]
    case.form_scroll.ensureWidgetVisible(legal.choice)
    legal.choice.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.wait(200)
    assert not legal.choice.view().isVisible()
    assert focused() is legal.choice
    assert legal.choice.currentData() is None  # still "take the suggested grade"


def test_submit_asks_first_and_keep_reviewing_keeps_it_open(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    for row in case.form.rows.values():
        if row.answer_id is None:
            row.radios["met"].setChecked(True)
    assert not case.state.problems
    click(qtbot, case.submit_button)
    qtbot.waitUntil(lambda: case.confirm_dialog is not None and case.confirm_dialog.isVisible())
    dialog = case.confirm_dialog
    assert dialog is not None
    summary = dialog.informativeText()
    assert "Met" in summary and "general note" in summary and "learning points" in summary
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: case.confirm_dialog is None)
    assert not case.locked
    assert stored(ws, panel, case).locked is False


def test_a_note_refused_while_the_database_is_locked_is_sent_again_once_it_answers(
    qtbot: QtBot, team: tuple[Workspace, Panel], sqlite_url: str
) -> None:
    """Another laptop holds the database: the note is refused, stays on screen, and is
    saved without the reviewer typing again once the lock is gone."""
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        click(qtbot, case.form.general_note)
        type_slowly(qtbot, "Seen at 01:10.")
        qtbot.waitUntil(lambda: "Not saved" in case.save_status.text(), timeout=20_000)
        assert case.error.isVisible()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.waitUntil(lambda: "Saved" in case.save_status.text(), timeout=15_000)
    assert "\u2713" in case.save_status.text() and not case.error.isVisible()
    assert case.form.general_note.toPlainText() == "Seen at 01:10."
    assert stored(ws, panel, case).general_note == "Seen at 01:10."


def _placeholder_fits(field) -> bool:  # type: ignore[no-untyped-def]
    """With room to spare: the desktop's fonts (DejaVu under X) run about a fifth wider
    than the offscreen platform's, where the old hints only just fitted here."""
    room = field.width() - 16  # the frame and text margins of a line edit
    return field.fontMetrics().horizontalAdvance(field.placeholderText()) * 1.25 <= room


def test_reason_placeholders_are_whole_at_1280_and_the_full_hint_is_in_the_tooltip(
    qtbot: QtBot, team: tuple[Workspace, Panel]
) -> None:
    """At 1280 x 800 the hints were cut ("Reason needed: what did you see, and wh")."""
    ws, panel = team
    case = open_case(qtbot, ws, panel)
    case.window().resize(1280, 800)
    row = case.form.rows["power_fits_object"]
    click(qtbot, row.radios["partly_met"])
    conduct = case.form.grade_boxes["conduct"]
    case.form_scroll.ensureWidgetVisible(conduct.choice)
    conduct.choice.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: row.reason.isVisible() and conduct.reason.isVisible())
    qtbot.wait(50)  # the layout settles at the new size
    for field in (row.reason, conduct.reason):
        assert _placeholder_fits(field), (field.placeholderText(), field.width())
        assert field.toolTip()
        assert field.accessibleDescription() == field.toolTip()
    assert "(mm:ss)" in row.reason.toolTip()
