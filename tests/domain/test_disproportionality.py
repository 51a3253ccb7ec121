"""Census groups from both ethnicity fields, the markers kept out of rates, and Katz's
relative rate checked against an example worked by hand below."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bwv_review.domain.disproportionality import (
    CENSUS_GROUPS,
    TOO_FEW,
    officer_defined_group,
    per_thousand,
    relative_rate,
    self_defined_group,
    tally,
)
from bwv_review.domain.police_vocab import NOT_STATED, UNRECOGNISED
from tests.ingest.test_police_csv import AVON, ESSEX


def test_the_worked_example() -> None:
    # a = 120 Black people searched of Na = 30,000; b = 600 White people of Nb = 1,500,000.
    # RR = (120 / 30,000) / (600 / 1,500,000) = 0.004 / 0.0004 = 10
    # SE(ln RR) = sqrt(1/120 + 1/600 - 1/30,000 - 1/1,500,000)
    #           = sqrt(0.0083333 + 0.0016667 - 0.0000333 - 0.0000007) = sqrt(0.0099660) = 0.099830
    # 95% CI = 10 * exp(-/+ 1.96 * 0.099830) = 10 * exp(-/+ 0.195667) = 8.2229 to 12.1612
    rate = relative_rate("black", 120, 30_000, 600, 1_500_000)
    assert rate.ratio == pytest.approx(10.0)
    assert rate.low == pytest.approx(8.2229, abs=1e-3)
    assert rate.high == pytest.approx(12.1612, abs=1e-3)
    assert rate.text == (
        "Black people were searched 10.0 times as often as White people (95% CI 8.2 to 12.2)"
    )


def test_a_second_example_below_one() -> None:
    # a = 40 of 100,000 Asian people; b = 500 of 500,000 White people.
    # RR = 0.0004 / 0.001 = 0.4; SE = sqrt(1/40 + 1/500 - 1/100,000 - 1/500,000)
    #    = sqrt(0.025 + 0.002 - 0.00001 - 0.000002) = sqrt(0.026988) = 0.164280
    # CI = 0.4 * exp(-/+ 0.321989) = 0.4 * 0.724712 .. 0.4 * 1.379858 = 0.2899 to 0.5519
    rate = relative_rate("asian", 40, 100_000, 500, 500_000)
    assert rate.ratio == pytest.approx(0.4)
    assert (rate.low, rate.high) == (
        pytest.approx(0.2899, abs=1e-3),
        pytest.approx(0.5519, abs=1e-3),
    )
    assert rate.text.startswith("Asian people were searched 0.4 times as often as White people")


@pytest.mark.parametrize(("searches", "reference"), [(0, 500), (9, 500), (50, 9), (50, 0), (3, 3)])
def test_too_few_searches_give_no_ratio_only_the_counts(searches: int, reference: int) -> None:
    rate = relative_rate("mixed", searches, 20_000, reference, 1_000_000)
    assert (rate.ratio, rate.low, rate.high) == (None, None, None)
    assert rate.text == (
        f"People of mixed ethnicity: {searches:,} searches; "
        f"White people: {reference:,} searches: {TOO_FEW}"
    )


def test_ten_searches_in_each_group_are_enough() -> None:
    rate = relative_rate("other", 10, 10_000, 10, 100_000)
    assert rate.ratio == pytest.approx(10.0)
    assert rate.low is not None
    assert rate.low < 10 < (rate.high or 0)


def test_no_population_means_no_rate() -> None:
    assert per_thousand(5, 0) is None
    assert per_thousand(30, 12_000) == pytest.approx(2.5)
    rate = relative_rate("black", 30, 0, 600, 1_500_000)
    assert rate.ratio is None
    assert "no population figure" in rate.text


def test_relative_rate_refuses_what_is_not_a_group_or_a_count() -> None:
    with pytest.raises(ValueError, match="census group"):
        relative_rate("not stated", 10, 100, 10, 100)
    with pytest.raises(ValueError, match="negative"):
        relative_rate("black", -1, 100, 10, 100)


def test_self_defined_groups_are_the_part_before_the_dash() -> None:
    assert self_defined_group("Black/African/Caribbean/Black British - Caribbean") == "black"
    assert self_defined_group("Asian/Asian British - Chinese") == "asian"
    assert self_defined_group("Mixed/Multiple ethnic groups - A subgroup added later") == "mixed"
    assert self_defined_group("Other ethnic group - Not stated") == NOT_STATED
    assert self_defined_group("") is None
    assert self_defined_group("Martian - Valley") == UNRECOGNISED
    assert officer_defined_group("Mixed") == "mixed"
    assert officer_defined_group("") is None


def test_markers_are_counted_apart_never_in_a_group() -> None:
    counts = tally(["white", "white", "black", None, NOT_STATED, NOT_STATED, UNRECOGNISED])
    assert dict(counts.by_group) == {"white": 2, "black": 1, "asian": 0, "mixed": 0, "other": 0}
    assert (counts.not_recorded, counts.not_stated, counts.unrecognised) == (1, 2, 1)
    assert (counts.in_groups, counts.total) == (3, 7)
    with pytest.raises(ValueError, match="not a census group"):
        tally(["purple"])


@pytest.mark.parametrize("path", [AVON, ESSEX], ids=["avon", "essex"])
def test_every_value_in_the_real_files_finds_a_group_or_a_marker(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    self_defined = tally(self_defined_group(row["Self-defined ethnicity"]) for row in rows)
    officer = tally(officer_defined_group(row["Officer-defined ethnicity"]) for row in rows)
    for counts in (self_defined, officer):
        assert counts.total == len(rows)
        assert counts.unrecognised == 0
    blanks = sum(1 for row in rows if not row["Self-defined ethnicity"].strip())
    assert self_defined.not_recorded == blanks
    stated_not = sum(1 for row in rows if row["Self-defined ethnicity"].endswith("Not stated"))
    assert self_defined.not_stated == stated_not
    assert set(self_defined.by_group) == set(CENSUS_GROUPS)
