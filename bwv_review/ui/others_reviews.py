"""After submitting, a reviewer may compare their answers with the other members' (once the
chair's independence rule allows): one row per check, one column per member, labelled
Member A, B... as in the meeting, and in words whether members' answers differ. Until
another member has submitted there is nothing to compare, and the dialog says so instead
of calling each answer "the same"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.review_rules import AnswerEntry
from bwv_review.domain.rubric import Rubric
from bwv_review.services.review_views import MemberReview

DIFFER = "\u2260 differ"
SAME = "= same"
ONE_ANSWER = "one answer"  # nothing to agree or differ with
NOTHING_TO_COMPARE = (
    "No other member has submitted this case yet, so there is nothing to compare: only "
    "your own answers are shown. Come back once another member has submitted."
)


def _answer_text(rubric: Rubric, entry: AnswerEntry | None) -> str:
    if entry is None:
        return ""
    return rubric.answer(entry.answer_id).label + (" \u270e" if entry.reason else "")


def _grade_text(rubric: Rubric, grade: str | None) -> str:
    return "" if grade is None else f"{rubric.grade(grade).symbol} {rubric.grade(grade).label}"


def _agreement(given: Sequence[str | None]) -> str:
    """Same or differ only between two or more answers: one answer agrees with nobody."""
    answers = [value for value in given if value is not None]
    if len(answers) < 2:
        return ONE_ANSWER
    return DIFFER if len(set(answers)) > 1 else SAME


def comparison_rows(rubric: Rubric, reviews: Sequence[MemberReview]) -> list[list[str]]:
    """Check text, each member's answer (✎ when they gave a reason), then, when there is
    more than one member, whether their answers differ; the case grade last. Checks nobody
    answered are left out."""
    compared = len(reviews) > 1
    rows: list[list[str]] = []
    for check in rubric.checks:
        entries = [review.answers.get(check.id) for review in reviews]
        if not any(entries):
            continue
        cells = [_answer_text(rubric, entry) for entry in entries]
        given = [None if entry is None else entry.answer_id for entry in entries]
        rows.append([check.text, *cells, *([_agreement(given)] if compared else [])])
    grades = [review.case_grade for review in reviews]
    shown = [_grade_text(rubric, grade) for grade in grades]
    rows.append(["Case grade", *shown, *([_agreement(grades)] if compared else [])])
    return rows


class OthersReviewsDialog(QDialog):
    def __init__(
        self, rubric: Rubric, reviews: Sequence[MemberReview], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Other members' answers")
        self.setAccessibleName("Other members' answers compared with yours")
        self.resize(900, 600)
        compared = len(reviews) > 1
        rows = comparison_rows(rubric, reviews)
        headers = ["Check", *(review.label for review in reviews)]
        headers += ["Members"] if compared else []
        self.table = QTableWidget(len(rows), len(headers), self)
        self.table.setAccessibleName("Answers side by side" if compared else "Your answers")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setTabKeyNavigation(False)  # Tab reaches Close; arrows move in the table
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        legend = "\u270e marks an answer with a written reason. Names stay hidden."
        self.intro = QLabel(legend if compared else f"<b>{NOTHING_TO_COMPARE}</b><br>{legend}")
        self.intro.setAccessibleName("About this comparison")
        self.intro.setWordWrap(True)
        if not compared:
            self.setAccessibleDescription(NOTHING_TO_COMPARE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
