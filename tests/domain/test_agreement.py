"""Agreement figures: known values, missing answers left out, honest words for few ratings."""

from __future__ import annotations

import pytest

from bwv_review.domain.agreement import MIN_RATINGS_TO_INTERPRET, ordinal_agreement, reading_for


def test_perfect_agreement_with_variation_is_one() -> None:
    ratings = {case: {"A": rank, "B": rank, "C": rank} for case, rank in enumerate([1, 2, 3] * 4)}
    result = ordinal_agreement(ratings)
    assert result.alpha == pytest.approx(1.0)
    assert (result.ratings, result.units) == (36, 12)
    assert result.reading == "members agreed closely"


def test_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", ordinal example
    # data (4 observers, 12 units, missing values); published alpha = 0.815.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    ratings = {unit: {obs: data[obs][unit] for obs in range(4)} for unit in range(12)}
    result = ordinal_agreement(ratings)
    assert result.alpha == pytest.approx(0.815, abs=0.001)
    assert result.units == 11  # unit 12 has a single rating and cannot be paired


def test_answers_off_the_scale_and_lone_ratings_are_left_out() -> None:
    ratings = {1: {"A": 3, "B": None}, 2: {"A": 2}, 3: {"A": 1, "B": 1}}
    result = ordinal_agreement(ratings)
    assert (result.ratings, result.units) == (2, 1)
    assert result.alpha is None
    assert result.reading == "too few ratings to say (2)"


def test_no_variation_is_not_reported_as_a_number() -> None:
    ratings = {case: {"A": 3, "B": 3} for case in range(10)}
    result = ordinal_agreement(ratings)
    assert result.alpha is None
    assert "cannot be measured" in result.reading


@pytest.mark.parametrize(
    ("alpha", "words"),
    [
        (0.9, "closely"),
        (0.7, "mostly"),
        (0.5, "only in part"),
        (0.1, "often disagreed"),
        (-0.2, "often disagreed"),
    ],
)
def test_plain_words(alpha: float, words: str) -> None:
    assert words in reading_for(alpha, MIN_RATINGS_TO_INTERPRET)
