"""After submitting, a reviewer may compare their answers with the other members' (once the
chair's independence rule allows): one row per check, one column per member, labelled
Member A, B... as in the meeting, with a sign where members differ."""

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


def _answer_text(rubric: Rubric, entry: AnswerEntry | None) -> str:
    if entry is None:
        return ""
    return rubric.answer(entry.answer_id).label + (" \u270e" if entry.reason else "")


def comparison_rows(rubric: Rubric, reviews: Sequence[MemberReview]) -> list[list[str]]:
    """Check text, each member's answer (✎ when they gave a reason), and whether they differ;
    then the case grade. Checks nobody answered are left out."""
    rows: list[list[str]] = []
    for check in rubric.checks:
        entries = [review.answers.get(check.id) for review in reviews]
        if not any(entries):
            continue
        cells = [
            ""
            if entry is None
            else rubric.answer(entry.answer_id).label + (" \u270e" if entry.reason else "")
            for entry in entries
        ]
        answered = {entry.answer_id for entry in entries if entry is not None}
        rows.append([check.text, *cells, DIFFER if len(answered) > 1 else SAME])
    grades = [review.case_grade for review in reviews]
    shown = [
        "" if grade is None else f"{rubric.grade(grade).symbol} {rubric.grade(grade).label}"
        for grade in grades
    ]
    differ = len({grade for grade in grades if grade}) > 1
    rows.append(["Case grade", *shown, DIFFER if differ else SAME])
    return rows


class OthersReviewsDialog(QDialog):
    def __init__(
        self, rubric: Rubric, reviews: Sequence[MemberReview], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Other members' answers")
        self.setAccessibleName("Other members' answers compared with yours")
        self.resize(900, 600)
        rows = comparison_rows(rubric, reviews)
        headers = ["Check", *(review.label for review in reviews), "Members"]
        self.table = QTableWidget(len(rows), len(headers), self)
        self.table.setAccessibleName("Answers side by side")
        self.table.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        waiting = "" if len(reviews) > 1 else " No other member has submitted this case yet."
        intro = QLabel("\u270e marks an answer with a written reason. Names stay hidden." + waiting)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
