"""Breakdowns: labels, merging, report order, margins, and the Wilson interval."""

from __future__ import annotations

import pytest

from bwv_review.domain.police_vocab import AGE_BANDS, OUTCOMES
from bwv_review.domain.stats import label_by, label_stored, tabulate, wilson_interval


def test_one_field_counts_label_blanks_and_order_markers_last() -> None:
    grouped = [
        (("25-34",), 4),
        ((None,), 3),
        (("unrecognised",), 1),
        (("under 10",), 2),
        (("not stated",), 5),
    ]
    breakdown = tabulate(["age_range"], grouped, [label_stored], [AGE_BANDS.order])
    assert breakdown.total == 15
    assert breakdown.levels == (
        ("under 10", "25-34", "not stated", "unrecognised", "not recorded"),
    )
    assert breakdown.cells()[0] == (("under 10",), 2)
    assert breakdown.count("not recorded") == 3


def test_values_outside_the_order_come_by_count_then_name() -> None:
    grouped = [(("b",), 2), (("a",), 2), (("c",), 7), (("",), 1)]
    breakdown = tabulate(["legislation"], grouped, [label_stored], [()])
    assert breakdown.levels == (("c", "a", "b", "not recorded"),)


def test_values_that_label_alike_are_added_together() -> None:
    grouped = [(("Arrest",), 2), (("Suspect arrested",), 3), ((" ",), 1), ((None,), 1)]
    breakdown = tabulate(["outcome"], grouped, [label_by(OUTCOMES)], [OUTCOMES.order])
    assert dict(breakdown.counts) == {("arrest",): 5, ("not recorded",): 2}


def test_cross_tab_margins_add_up() -> None:
    grouped = [
        (("18-24", True), 3),
        (("18-24", False), 1),
        (("over 34", None), 2),
        ((None, True), 1),
    ]
    breakdown = tabulate(
        ["age_range", "strip_search"],
        grouped,
        [label_stored, label_stored],
        [AGE_BANDS.order, ("yes", "no")],
    )
    assert breakdown.levels == (("18-24", "over 34", "not recorded"), ("yes", "no", "not recorded"))
    assert breakdown.margin(0) == {"18-24": 4, "over 34": 2, "not recorded": 1}
    assert breakdown.margin(1) == {"yes": 4, "no": 1, "not recorded": 2}
    assert breakdown.count("over 34", "not recorded") == 2
    assert breakdown.count("over 34", "yes") == 0
    assert [values for values, _ in breakdown.cells()] == [
        ("18-24", "yes"),
        ("18-24", "no"),
        ("over 34", "not recorded"),
        ("not recorded", "yes"),
    ]


def test_three_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="one field or a cross-tab of two"):
        tabulate(["a", "b", "c"], [], [label_stored] * 3, [(), (), ()])


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(5, 10, 0.2366, 0.7634), (0, 10, 0.0, 0.2775), (3, 3, 0.4385, 1.0), (1, 1, 0.2065, 1.0)],
)
def test_wilson_interval_matches_published_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-4)


def test_wilson_interval_needs_a_sensible_proportion() -> None:
    with pytest.raises(ValueError):
        wilson_interval(1, 0)
    with pytest.raises(ValueError):
        wilson_interval(4, 3)
