"""Sampling: the chair's syntax, strata, take-all, and a draw that depends only on its inputs."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwv_review.domain.sampling import (
    CaseFacts,
    Condition,
    SampleSpec,
    SpecError,
    draw_sample,
    rank_key,
)


def _frame(count: int = 200) -> list[CaseFacts]:
    bands = ["under 10", "10-17", "18-24", "25-34", "over 34", None]
    ethnicities = ["White", "Black", "Asian", "Mixed", "Other", None]
    return [
        CaseFacts(
            key=f"SS-{i:05d}",
            case_type="stop_and_search" if i % 5 else "taser",
            occurred_on=date(2026, 1 + i % 6, 1 + i % 28),
            power="Misuse of Drugs Act 1971 (section 23)" if i % 2 else "PACE s.1",
            outcome="Arrest" if i % 3 == 0 else "A no further action disposal",
            age_band=bands[i % 6],
            officer_defined_ethnicity=ethnicities[i % 6],
            self_defined_ethnicity="Black/African/Caribbean/Black British - African"
            if i % 6 == 1
            else None,
            strip_search=(i % 7 == 0) if i % 11 else None,
            taser_highest_level=["drawn", "aimed", "fired"][i % 3] if i % 5 == 0 else None,
            has_footage=i % 13 != 0,
        )
        for i in range(count)
    ]


def test_rank_is_sha256_of_seed_newline_key() -> None:
    expected = hashlib.sha256(b"2026-Q1\nSS-00001").hexdigest()
    assert rank_key("2026-Q1", "SS-00001") == expected


def test_same_inputs_give_the_same_draw_whatever_the_frame_order() -> None:
    frame = _frame()
    spec = SampleSpec.parse(["case_type=stop_and_search"], [], 20)
    shuffled = frame[:]
    random.Random(5).shuffle(shuffled)
    first = draw_sample(frame, spec, "42")
    assert first == draw_sample(shuffled, spec, "42")
    assert len(first.chosen) == 20
    assert first != draw_sample(frame, spec, "43")


def test_draw_takes_the_lowest_ranks_of_the_filtered_frame() -> None:
    frame = _frame()
    spec = SampleSpec.parse(["age_band=10-17,under 10"], [], 5)
    draw = draw_sample(frame, spec, "seed")
    eligible = [c.key for c in frame if c.age_band in ("10-17", "under 10")]
    assert draw.frame_size == len(eligible)
    assert [key for _, key in draw.chosen] == sorted(eligible, key=lambda k: rank_key("seed", k))[
        :5
    ]


def test_take_all_stratum_plus_random_rest() -> None:
    frame = _frame()
    spec = SampleSpec.parse([], ["strip_search=true&age_band=under 10,10-17:all", "rest:20"], None)
    draw = draw_sample(frame, spec, "7")
    children_stripped = {
        c.key for c in frame if c.strip_search and c.age_band in ("under 10", "10-17")
    }
    first, rest = draw.strata
    assert first.label == "strip_search=true&age_band=under 10,10-17"
    assert set(first.chosen) == children_stripped and first.frame_count == len(children_stripped)
    assert rest.label == "rest" and len(rest.chosen) == 20
    assert rest.frame_count == len(frame) - len(children_stripped)
    assert not children_stripped & set(rest.chosen)


def test_size_fills_up_with_the_rest_after_the_strata() -> None:
    spec = SampleSpec.parse([], ["taser=aimed+:all"], 30)
    draw = draw_sample(_frame(), spec, "x")
    tasers, rest = draw.strata
    assert tasers.frame_count == len(tasers.chosen) > 0
    assert len(tasers.chosen) + len(rest.chosen) == 30
    assert spec.to_json() == {"filters": [], "strata": ["taser=aimed+:all"], "size": 30}


def test_a_short_stratum_says_how_short() -> None:
    draw = draw_sample(_frame(10), SampleSpec.parse(["has_footage=no"], [], 5), "s")
    assert draw.strata[0].label == "all" and draw.strata[0].chosen == ("SS-00000",)
    assert draw.strata[0].short_by == 4


@pytest.mark.parametrize(
    ("text", "matching_keys"),
    [
        ("date=2026-06-01..", {"SS-00005", "SS-00011"}),
        ("date=..2026-01-28", {"SS-00000", "SS-00006"}),
        ("ethnicity=not recorded", {"SS-00005", "SS-00011"}),
        ("self_ethnicity=Black/African/Caribbean/Black British", {"SS-00001", "SS-00007"}),
        ("taser=fired", {"SS-00005"}),
        (
            "taser=none",
            set(f"SS-{i:05d}" for i in range(12)) - {"SS-00000", "SS-00005", "SS-00010"},
        ),
        ("strip_search=not recorded", {"SS-00000", "SS-00011"}),
        ("outcome=ARREST", {"SS-00000", "SS-00003", "SS-00006", "SS-00009"}),
    ],
)
def test_each_field_kind_matches(text: str, matching_keys: set[str]) -> None:
    condition = Condition.parse(text)
    assert {c.key for c in _frame(12) if condition.matches(c)} == matching_keys
    assert Condition.parse(condition.text) == condition


def test_escaped_separators_stay_in_the_value() -> None:
    condition = Condition.parse(r"power=Section 1\, PACE")
    assert condition.values == ("Section 1, PACE",)  # as typed; matching ignores case
    assert Condition.parse(condition.text) == condition


@pytest.mark.parametrize(
    ("filters", "strata", "size", "fragment"),
    [
        (["colour=red"], [], 5, "unknown field 'colour'"),
        (["age_band=teen"], [], 5, "'teen' not one of"),
        (["case_type"], [], 5, "write FIELD=VALUE"),
        (["date=2026-05-01..2026-01-01"], [], 5, "ends before it starts"),
        (["taser=zapped"], [], 5, "not a Taser level"),
        (["strip_search=maybe"], [], 5, "not true, false"),
        ([], ["strip_search=true"], None, "CONDITIONS:SIZE"),
        ([], ["strip_search=true:lots"], None, "whole number or 'all'"),
        ([], ["rest:5", "rest:6"], None, "at most one 'rest'"),
        ([], ["rest:5"], 10, "not both"),
        ([], [], None, "give --size"),
    ],
)
def test_mistakes_are_named(
    filters: list[str], strata: list[str], size: int | None, fragment: str
) -> None:
    with pytest.raises(SpecError) as caught:
        SampleSpec.parse(filters, strata, size)
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems


def test_every_mistake_is_reported_at_once() -> None:
    with pytest.raises(SpecError) as caught:
        SampleSpec.parse(["colour=red", "age_band=teen"], ["x=1:2"], None)
    assert len(caught.value.problems) == 3


@given(
    keys=st.sets(st.text(min_size=1, max_size=12), min_size=1, max_size=60),
    seed=st.text(min_size=1, max_size=20).filter(lambda s: s.strip()),
    size=st.integers(0, 70),
)
def test_any_draw_is_a_subset_of_distinct_cases_and_stable(
    keys: set[str], seed: str, size: int
) -> None:
    frame = [CaseFacts(key=k, case_type="taser", occurred_on=date(2026, 1, 1)) for k in keys]
    spec = SampleSpec.parse([], [], size)
    draw = draw_sample(frame, spec, seed)
    chosen = [key for _, key in draw.chosen]
    assert len(chosen) == len(set(chosen)) == min(size, len(keys))
    assert draw == draw_sample(list(reversed(frame)), SampleSpec.from_json(spec.to_json()), seed)


def test_each_drawn_case_says_why_it_is_in() -> None:
    """The chair reads, for every case, which group it came from and how that group was
    sampled; the draw knows, so it says so in words rather than in the spec's syntax."""
    frame = _frame()
    spec = SampleSpec.parse(
        [],
        ["strip_search=true&age_band=under 10,10-17:all", "case_type=taser:3", "rest:5"],
        None,
    )
    draw = draw_sample(frame, spec, "7")
    children, tasers, rest = draw.strata
    reasons = {pick.key: pick.reason for pick in draw.picks}
    assert [pick.key for pick in draw.picks] == [key for _, key in draw.chosen]
    assert [pick.stratum for pick in draw.picks] == [label for label, _ in draw.chosen]
    assert {reasons[key] for key in children.chosen} == {
        "stratum: strip search yes, age range under 10 or 10-17, take all"
    }
    assert {reasons[key] for key in tasers.chosen} == {
        f"stratum: case type Taser, 3 of {tasers.frame_count} at random"
    }
    assert {reasons[key] for key in rest.chosen} == {
        f"random dip from the rest: 5 of {rest.frame_count}"
    }


def test_a_plain_random_dip_says_how_many_of_how_many() -> None:
    spec = SampleSpec.parse(["case_type=taser"], [], 5)
    draw = draw_sample(_frame(), spec, "7")
    assert {pick.reason for pick in draw.picks} == {"random dip: 5 of 40"}


def test_a_condition_in_words_keeps_the_manifest_spelling_and_dates_read_plainly() -> None:
    assert Condition.parse("outcome=Arrest,  A no  further action disposal").words == (
        "outcome Arrest or A no further action disposal"
    )
    assert Condition.parse("taser=aimed+,none").words == "taser aimed or higher or none"
    assert Condition.parse("date=2026-01-01..").words == "dated from 2026-01-01"
    assert Condition.parse("ethnicity=BLACK").matches(_frame(2)[1])
