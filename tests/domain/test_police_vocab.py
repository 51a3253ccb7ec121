"""The published vocabularies: both outcome lists, the three markers, and the parsers that
decide which rows are malformed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bwv_review.domain.police_vocab import (
    AGE_BANDS,
    GENDERS,
    LATITUDE_RANGE_DEG,
    NOT_STATED,
    OFFICER_DEFINED_ETHNICITY,
    OUTCOMES,
    SEARCH_TYPES,
    SELF_DEFINED_ETHNICITY,
    UNRECOGNISED,
    parse_coordinate,
    parse_flag,
    parse_published_time,
)

OLDER_AND_NEWER_OUTCOMES = [
    ("Nothing found - no further action", "A no further action disposal", "no_further_action"),
    ("Suspect arrested", "Arrest", "arrest"),
    ("Suspect summonsed to court", "Summons / charged by post", "summons"),
    ("Offender given drugs possession warning", "Khat or Cannabis warning", "drugs_warning"),
    ("Offender cautioned", "Caution (simple or conditional)", "caution"),
    ("Offender given penalty notice", "Penalty Notice for Disorder", "penalty_notice"),
    ("Local resolution", "Community resolution", "community_resolution"),
]


@pytest.mark.parametrize(("older", "newer", "canonical"), OLDER_AND_NEWER_OUTCOMES)
def test_both_outcome_vocabularies_meet_in_one_canonical_outcome(
    older: str, newer: str, canonical: str
) -> None:
    assert OUTCOMES.classify(older) == OUTCOMES.classify(newer) == canonical


def test_article_found_without_detail_is_its_own_outcome() -> None:
    found = OUTCOMES.classify("Article found - Detailed outcome unavailable")
    assert found == "article_found_outcome_unavailable"


def test_blank_is_not_recorded_never_a_group() -> None:
    for vocabulary in (SEARCH_TYPES, GENDERS, AGE_BANDS, OUTCOMES, OFFICER_DEFINED_ETHNICITY):
        assert vocabulary.classify("") is None
        assert vocabulary.classify("   ") is None
    assert SELF_DEFINED_ETHNICITY.classify("") is None


def test_not_stated_is_neither_other_nor_blank() -> None:
    assert SELF_DEFINED_ETHNICITY.classify("Other ethnic group - Not stated") == NOT_STATED
    assert SELF_DEFINED_ETHNICITY.classify("Other ethnic group - Any other ethnic group") == "other"


@pytest.mark.parametrize(
    ("published", "group"),
    [
        ("White - English/Welsh/Scottish/Northern Irish/British", "white"),
        ("Black/African/Caribbean/Black British - Caribbean", "black"),
        ("Asian/Asian British - Pakistani", "asian"),
        ("Mixed/Multiple ethnic groups - White and Black Caribbean", "mixed"),
        ("Other ethnic group - Arab", "other"),
        # A subgroup not listed yet still belongs to the group it names.
        ("Asian/Asian British - Nepali", "asian"),
    ],
)
def test_self_defined_ethnicity_maps_to_its_stated_group(published: str, group: str) -> None:
    assert SELF_DEFINED_ETHNICITY.classify(published) == group


@pytest.mark.parametrize(
    ("vocabulary", "value"),
    [
        (SELF_DEFINED_ETHNICITY, "Black or Black British - Somali"),
        (SELF_DEFINED_ETHNICITY, "Prefer not to say"),
        (OFFICER_DEFINED_ETHNICITY, "Chinese"),
        (OUTCOMES, "Suspected psychoactive substances seized - No further action"),
        (AGE_BANDS, "35-44"),
        (GENDERS, "Unknown"),
        (SEARCH_TYPES, "Boat search"),
    ],
)
def test_a_value_never_seen_is_unrecognised_never_a_neighbour(
    vocabulary: object, value: str
) -> None:
    assert vocabulary.classify(value) == UNRECOGNISED  # type: ignore[attr-defined]


def test_case_and_spacing_do_not_make_a_new_value() -> None:
    assert OFFICER_DEFINED_ETHNICITY.classify(" white ") == "white"
    assert OUTCOMES.classify("Summons  /  charged by post") == "summons"
    assert OUTCOMES.classify("community_resolution") == "community_resolution"


def test_age_bands_keep_their_natural_order_then_markers() -> None:
    assert AGE_BANDS.order == (
        "under 10",
        "10-17",
        "18-24",
        "25-34",
        "over 34",
        "not stated",
        "unrecognised",
        "not recorded",
    )


@pytest.mark.parametrize(
    ("raw", "value"), [("True", True), ("False", False), ("", None), (" true ", True), (" ", None)]
)
def test_flags(raw: str, value: bool | None) -> None:
    assert parse_flag(raw) is value


@pytest.mark.parametrize("raw", ["Yes", "1", "T", "Falsey"])
def test_a_flag_that_is_not_true_false_or_blank_is_malformed(raw: str) -> None:
    with pytest.raises(ValueError, match="not True, False or blank"):
        parse_flag(raw)


def test_published_times_become_utc_and_midnight_marks_a_date_only_record() -> None:
    timed = parse_published_time("2019-07-01T10:30:00+01:00")
    assert timed.utc == datetime(2019, 7, 1, 9, 30, tzinfo=UTC) and not timed.date_only
    midnight = parse_published_time("2019-07-01T00:00:00+01:00")
    assert midnight.utc == datetime(2019, 6, 30, 23, 0, tzinfo=UTC) and midnight.date_only
    bare = parse_published_time("2019-07-01")
    assert bare.utc == datetime(2019, 7, 1, tzinfo=UTC) and bare.date_only


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "blank"),
        ("2019-13-01T00:00:00+00:00", "not an ISO 8601"),
        ("yesterday", "not an ISO 8601"),
        ("2019-07-01T10:30:00", "no UTC offset"),
        ("0001-01-01T00:30:00+01:00", "out of range"),
    ],
)
def test_a_bad_date_is_malformed(raw: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_published_time(raw)


def test_coordinates() -> None:
    assert parse_coordinate("51.383290", LATITUDE_RANGE_DEG) == pytest.approx(51.38329)
    assert parse_coordinate("", LATITUDE_RANGE_DEG) is None
    for bad in ("north", "nan", "91", "5_1", "inf"):
        with pytest.raises(ValueError):
            parse_coordinate(bad, LATITUDE_RANGE_DEG)
