"""Refused text is explained in words and stays where it was typed (issue 9, defect 2): a
control character in the general note, or in a learning point's note, used to reach the
database (PostgreSQL failed the save; the dialog closed and the note was gone)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import LearningKind
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import LearningPoint, Review
from bwv_review.ui.case_view import CONTENT_WARNING_SETTING, CaseView
from bwv_review.ui.rubric_form import TYPING_SAVE_MS
from tests.services.review_fixtures import PURPOSE, Panel, build_panel

REFUSED = "the general note contains a control character (U+001B) at position 6; remove it"


@pytest.fixture
def team(db_url: str) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(db_url)
    yield ws, build_panel(ws, cases=1)
    ws.close()


def _case(qtbot: QtBot, ws: Workspace, team: Panel, app_home: Paths) -> CaseView:
    settings = Settings(app_home.settings_file)
    settings.set(CONTENT_WARNING_SETTING, True)  # the footage is not needed here
    assignment = team.assignment(ws, team.alice, team.case_ids[0])
    view = CaseView(
        ws, team.alice, settings, ws.reviews.open_case(team.alice, assignment, purpose=PURPOSE)
    )
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def _stored(ws: Workspace, column: object) -> object:
    with ws.db.transaction() as session:
        return session.scalar(select(column))  # type: ignore[call-overload]


def test_a_refused_general_note_is_explained_and_kept_in_the_box(
    qtbot: QtBot, team: tuple[Workspace, Panel], app_home: Paths
) -> None:
    ws, panel = team
    case = _case(qtbot, ws, panel, app_home)
    note = case.form.general_note
    note.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is note)
    qtbot.keyClicks(note, "Calm ")
    note.insertPlainText("\x1b")  # as pasted from a terminal; no key types it
    qtbot.keyClicks(note, "[31m encounter")
    typed = note.toPlainText()
    assert typed == "Calm \x1b[31m encounter"
    qtbot.keyClick(note, Qt.Key.Key_Tab)  # focus leaves: the note is saved now
    qtbot.wait(TYPING_SAVE_MS + 200)
    assert case.error.isVisible()
    assert case.error.accessibleDescription() == f"Not saved: {REFUSED}"
    assert case.save_status.text() == "\u26a0 Not saved"
    assert note.toPlainText() == typed
    assert _stored(ws, Review.general_note) is None

    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    for _ in "[31m encounter":
        qtbot.keyClick(note, Qt.Key.Key_Backspace)
    qtbot.keyClick(note, Qt.Key.Key_Backspace)  # the ESC
    qtbot.keyClicks(note, "encounter")
    qtbot.waitUntil(lambda: not case.error.isVisible(), timeout=TYPING_SAVE_MS + 3000)
    assert _stored(ws, Review.general_note) == "Calm encounter"


def test_a_refused_learning_point_note_keeps_its_dialog_open(
    qtbot: QtBot, team: tuple[Workspace, Panel], app_home: Paths
) -> None:
    ws, panel = team
    aid = panel.assignment(ws, panel.alice, panel.case_ids[0])
    clip_id = ws.reviews.open_case(panel.alice, aid, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(clip_id, 2000, 50, 0, LearningKind.LEARNING, (), "first")
    ws.reviews.add_learning_point(panel.alice, aid, stamp, purpose=PURPOSE)
    case = _case(qtbot, ws, panel, app_home)
    case.points_list.list.setFocus()
    qtbot.keyClick(case.points_list.list, Qt.Key.Key_Return)
    dialog = case.point_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.note.setFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.note, "Calm")
    dialog.note.insertPlainText("\x00")
    qtbot.keyClicks(dialog.note, " words")
    [save] = [
        b for b in dialog.findChildren(QPushButton) if b.accessibleName() == "Save learning point"
    ]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert dialog.isVisible()
    assert dialog.error.accessibleDescription() == (
        "Not saved: the learning point's note contains a NUL character (\\0) at position 5; "
        "remove it"
    )
    assert dialog.note.toPlainText() == "Calm\x00 words"
    assert _stored(ws, LearningPoint.note) == "first"
