"""Markup in data is shown as the words it is, on every screen that shows data.

Every text field that can reach a screen (the force's record, names, what reviewers and the
chair type) holds the same hostile string; then each screen is shown and every label is
read back as Qt renders it: as plain text, or as the plain text of the HTML it holds. A
label showing any of it must show all of it, verbatim (issue 9 defect 1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.vocab import LearningKind
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case, Clip, ReviewSession, User
from bwv_review.ui.main_window import MainWindow
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel
from tests.ui.test_review_screen import show_window

MARK = "HOSTILE"
HOSTILE = f'{MARK} Male <25 seen; smell > strong & <b>bold</b> <img src="file:///etc/hostname">'


@pytest.fixture
def hostile(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    ws = Workspace.create(sqlite_url)
    panel = build_panel(ws, cases=1)
    with ws.db.transaction() as session:
        session.execute(
            update(Case).values(
                force_reference=f"{MARK} <i>CASE</i>",
                area=HOSTILE,
                power=HOSTILE,
                object_of_search=HOSTILE,
                grounds_text=HOSTILE,
                outcome=HOSTILE,
                subject_gender=HOSTILE[:64],
                subject_self_defined_ethnicity=HOSTILE,
                officer_pseudonym=HOSTILE[:64],
            )
        )
        session.execute(update(Clip).values(label=HOSTILE))
        session.execute(update(ReviewSession).values(name=HOSTILE))
        session.execute(update(User).values(display_name=User.display_name + " " + HOSTILE))
    case_id = panel.case_ids[0]
    for reviewer in (panel.alice, panel.bob):
        assignment = panel.assignment(ws, reviewer, case_id)
        answer_all(ws, reviewer, assignment, "not_met")
        check = next(iter(ws.reviews.open_case(reviewer, assignment, purpose=PURPOSE).applicable))
        ws.reviews.save_answer(reviewer, assignment, check, "not_met", HOSTILE, purpose=PURPOSE)
        for field in ReviewText:
            ws.reviews.set_text(reviewer, assignment, field, HOSTILE, purpose=PURPOSE)
        clip = ws.reviews.open_case(reviewer, assignment, purpose=PURPOSE).clips[0].clip_id
        point = LearningPointInput(clip, 1000, 25, 0, LearningKind.LEARNING, (), HOSTILE)
        ws.reviews.add_learning_point(reviewer, assignment, point, purpose=PURPOSE)
        ws.reviews.submit(reviewer, assignment, purpose=PURPOSE)
    draft = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), HOSTILE, HOSTILE)
    saved = ws.consensus.save_outcome(
        panel.chair, panel.session_id, case_id, draft, expected_version=None, purpose=PURPOSE
    )
    ws.consensus.record_force_response(
        panel.chair,
        panel.session_id,
        case_id,
        HOSTILE,
        expected_version=saved.version,
        purpose=PURPOSE,
    )
    entry = TrackerEntry(HOSTILE, HOSTILE, HOSTILE, force_response=HOSTILE)
    ws.tracker.add(
        panel.chair,
        entry,
        raised_in_session_id=panel.session_id,
        raised_on=date(2026, 10, 1),
        purpose=PURPOSE,
    )
    for actor in (panel.alice, panel.chair):
        ws.users.accept_confidentiality(actor, purpose=PURPOSE)
    yield ws, panel
    ws.close()


def shown_text(label: QLabel) -> str:
    """What a person reads on the label, as Qt decides to render its text."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\xa0", " ")


def misshown(root: QWidget) -> list[str]:
    """Labels that show part of the hostile text but not all of it as written."""
    wrong = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or MARK not in label.text():
            continue
        shown = shown_text(label)
        if HOSTILE not in shown and f"{MARK} <i>CASE</i>" not in shown:
            wrong.append(f"{label.accessibleName() or type(label.parent()).__name__}: {shown!r}")
    return wrong


def test_the_reviewer_screens_show_markup_as_written(
    qtbot: QtBot, hostile: tuple[Workspace, Panel]
) -> None:
    ws, panel = hostile
    window = show_window(qtbot, MainWindow(ws, panel.alice))
    window.reviews.open_case(panel.assignment(ws, panel.alice, panel.case_ids[0]))
    case = window.reviews.case_view
    assert case is not None
    assert HOSTILE in shown_text(case.record)
    case.compare()
    qtbot.waitUntil(lambda: case.others is not None and case.others.isVisible())
    assert misshown(window) == []
    assert case.others is not None and misshown(case.others) == []
    window.idle_lock.lock()
    assert misshown(window) == []


def test_the_chair_screens_show_markup_as_written(
    qtbot: QtBot, hostile: tuple[Workspace, Panel]
) -> None:
    ws, panel = hostile
    window = show_window(qtbot, MainWindow(ws, panel.chair))
    window.tabs.setCurrentWidget(window.sessions)
    sessions = window.sessions
    sessions.select_session(panel.session_id)
    assert misshown(window) == []
    seen = 0
    for page in (sessions.setup, sessions.consensus, sessions.tracker):
        sessions.tabs.setCurrentWidget(page)
        if page is sessions.consensus:
            sessions.compare(panel.case_ids[0])
            table = sessions.consensus.table
            table.setCurrentCell(0, 0)  # a check's reasons are read below the table
        QApplication.processEvents()
        assert misshown(window) == []
        seen += sum(MARK in label.text() for label in page.findChildren(QLabel))
    assert seen >= 3  # the heading, the notes and the reasons show the hostile text
