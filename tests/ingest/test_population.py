"""Population CSVs: the shipped Census 2011 file as it is, the long form, area names as
people write them, unknown columns refused by name and every problem with its line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bwv_review.ingest.population import PopulationReading, read_population_csv
from bwv_review.services.workspace_settings import FORCES

CENSUS_2011 = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "data"
    / "census-2011-ethnic-group-by-police-force-area.csv"
)


def _read(text: str | bytes) -> PopulationReading:
    data = text.encode() if isinstance(text, str) else text
    return read_population_csv(io.BytesIO(data), FORCES)


def _messages(reading: PopulationReading) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in reading.errors]


def test_the_shipped_census_file_imports_unmodified() -> None:
    with CENSUS_2011.open("rb") as stream:
        reading = read_population_csv(stream, FORCES)
    assert reading.errors == ()
    assert len(reading.areas) == 43
    with CENSUS_2011.open(encoding="utf-8", newline="") as stream:
        expected = {row["police_force_area"]: row for row in csv.DictReader(stream)}
    for area in reading.areas:
        row = expected[area.area_name]
        assert dict(area.people_by_group) == {
            "white": int(row["white"]),
            "black": int(row["black"]),
            "asian": int(row["asian"]) + int(row["chinese"]),
            "mixed": int(row["mixed"]),
            "other": int(row["other"]),
        }
    avon = next(a for a in reading.areas if a.area_slug == "avon-and-somerset")
    assert avon.area_name == "Avon & Somerset"
    assert avon.people_by_group["asian"] == 33005 + 8976
    # Every area is a force the public records name; British Transport Police and Northern
    # Ireland are not census police force areas of England and Wales.
    assert {a.area_slug for a in reading.areas} == set(FORCES) - {"btp", "northern-ireland"}


def test_the_long_form_reads_the_same_as_the_wide() -> None:
    with CENSUS_2011.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", "group", "population"])
    for row in rows:
        for group in ("white", "black", "asian", "chinese", "mixed", "other"):
            writer.writerow([row["police_force_area"], group.capitalize(), row[group]])
    long_form = _read(out.getvalue())
    with CENSUS_2011.open("rb") as stream:
        wide = read_population_csv(stream, FORCES)
    assert long_form.shape == "long"
    assert {a.area_slug: dict(a.people_by_group) for a in long_form.areas} == {
        a.area_slug: dict(a.people_by_group) for a in wide.areas
    }


@pytest.mark.parametrize(
    "name", ["Avon & Somerset", "avon-and-somerset", "AVON AND SOMERSET", "Avon  and-Somerset"]
)
def test_area_names_match_force_ids_ignoring_case_ampersands_and_hyphens(name: str) -> None:
    reading = _read(f'police_force_area,white,black,asian,mixed,other\n"{name}",10,2,3,4,5\n')
    assert [a.area_slug for a in reading.areas] == ["avon-and-somerset"]


def test_an_unknown_column_is_refused_by_name() -> None:
    reading = _read("police_force_area,white,black,asian,mixed,other,arab\nEssex,1,2,3,4,5,6\n")
    assert reading.areas == ()
    [(line, message)] = _messages(reading)
    assert line == 1
    assert "unknown column(s) 'arab'" in message


def test_a_missing_group_column_is_named() -> None:
    reading = _read("police_force_area,white,black,asian,other\nEssex,1,2,3,5\n")
    assert _messages(reading) == [(1, "missing column(s): mixed")]


def test_every_bad_line_is_reported_and_no_area_is_kept() -> None:
    text = (
        "police_force_area,white,black,asian,mixed,other\n"
        "Essex,1000,20,30,40,50\n"
        "Kent,1000,twenty,30,-4,50\n"
        "Atlantis,1,2,3,4,5\n"
        "\n"
        "essex,1,2,3,4,5\n"
        "Surrey,1,2,3\n"
        'Sussex,"1,234,567",2,3,4,5\n'
    )
    reading = _read(text)
    assert reading.areas == ()
    assert _messages(reading) == [
        (
            3,
            "black: 'twenty' is not a whole number of people; mixed: '-4' is not a whole number"
            " of people",
        ),
        (4, "no police force area called 'Atlantis'"),
        (6, "'essex' is given again (first at line 2)"),
        (7, "4 fields, expected 6"),
    ]


def test_thousands_separators_are_read() -> None:
    reading = _read('police_force_area,white,black,asian,mixed,other\nSussex,"1,234,567",2,3,4,5\n')
    assert reading.areas[0].people_by_group["white"] == 1_234_567


def test_long_form_problems_by_line_and_areas_missing_a_group() -> None:
    text = (
        "area,group,population\n"
        "Kent,white,100\n"
        "Kent,black,10\n"
        "Kent,purple,3\n"
        "Kent,black,11\n"
        "Dorset,white,50\n"
    )
    reading = _read(text)
    assert _messages(reading) == [
        (2, "Kent: no line for asian, mixed, other"),
        (4, "group 'purple' is not one of white, black, asian, mixed, other or chinese"),
        (5, "Kent black is given again (first at line 3)"),
        (6, "Dorset: no line for black, asian, mixed, other"),
    ]


def test_a_file_that_is_not_a_population_table_says_what_was_expected() -> None:
    with (CENSUS_2011.parent / "2018-01-avon-and-somerset-stop-and-search.csv").open("rb") as raw:
        reading = read_population_csv(raw, FORCES)
    [(line, message)] = _messages(reading)
    assert line == 1
    assert message.startswith("the header must be police_force_area then white, black")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", (1, "the file is empty")),
        (b"police_force_area,white,black,asian,mixed,other\n", (2, "no areas")),
        (
            b"police_force_area,white,black,asian,mixed,other\nEssex,1,2,3,4,5\nKent\xff,1,2,3,4,5\n",
            (3, "is not UTF-8 text"),
        ),
        (b'police_force_area,white,black,asian,mixed,other\n"Essex,1,2\n', (2, "not readable")),
    ],
)
def test_empty_header_only_binary_and_broken_quoting(
    data: bytes, expected: tuple[int, str]
) -> None:
    [(line, message)] = _messages(_read(data))
    assert (line, message[: len(expected[1])]) == expected
