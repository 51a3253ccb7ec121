"""Comparing answers after submitting: members side by side, differences named in words."""

from __future__ import annotations

from bwv_review.domain.review_rules import AnswerEntry
from bwv_review.domain.rubric import load_default_rubric
from bwv_review.services.review_views import MemberReview
from bwv_review.ui.others_reviews import DIFFER, SAME, comparison_rows

RUBRIC = load_default_rubric()


def _review(label: str, answers: dict[str, AnswerEntry], grade: str | None) -> MemberReview:
    return MemberReview(label, answers, {}, grade, None, None, None)


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
    assert rows[1] == [RUBRIC.checks[1].text, "", "Not met \u270e", SAME]
    assert rows[-1][0] == "Case grade" and rows[-1][-1] == DIFFER
    assert len(rows) == 3  # checks nobody answered are left out
