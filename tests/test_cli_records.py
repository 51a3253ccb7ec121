"""`import-records` and `stats` through the CLI contract. Every stats field, and a cross-tab,
is checked against counts made independently from the real files with the csv module and
mapping tables written out here, not imported from the code under test."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, run
from tests.ingest.test_police_csv import AVON, ESSEX

PIN = "135791"
NR = "not recorded"

TYPES = {
    "Person search": "person",
    "Person and Vehicle search": "person_and_vehicle",
    "Vehicle search": "vehicle",
}
OUTCOMES = {
    "Nothing found - no further action": "no_further_action",
    "A no further action disposal": "no_further_action",
    "Suspect arrested": "arrest",
    "Arrest": "arrest",
    "Suspect summonsed to court": "summons",
    "Summons / charged by post": "summons",
    "Offender given drugs possession warning": "drugs_warning",
    "Khat or Cannabis warning": "drugs_warning",
    "Offender cautioned": "caution",
    "Caution (simple or conditional)": "caution",
    "Local resolution": "community_resolution",
    "Community resolution": "community_resolution",
}
GROUPS = {
    "White": "white",
    "Black/African/Caribbean/Black British": "black",
    "Asian/Asian British": "asian",
    "Mixed/Multiple ethnic groups": "mixed",
    "Other ethnic group": "other",
}
FLAGS = {"True": "yes", "False": "no", "": NR}


def _self_defined(value: str) -> str:
    if not value:
        return NR
    if value == "Other ethnic group - Not stated":
        return "not stated"
    return GROUPS[value.split(" - ")[0]]


def _or_nr(value: str) -> str:
    return value or NR


def _mapped(table: dict[str, str]) -> Callable[[str], str]:
    return lambda value: table[value] if value else NR


# stats field -> (CSV column, how its value is counted)
FIELDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "type": ("Type", _mapped(TYPES)),
    "part_of_operation": ("Part of a policing operation", FLAGS.__getitem__),
    "gender": ("Gender", lambda value: value.lower() or NR),
    "age_range": ("Age range", _or_nr),
    "self_defined_ethnicity": ("Self-defined ethnicity", _self_defined),
    "self_defined_ethnicity_detail": ("Self-defined ethnicity", _or_nr),
    "officer_defined_ethnicity": ("Officer-defined ethnicity", lambda value: value.lower() or NR),
    "legislation": ("Legislation", _or_nr),
    "object_of_search": ("Object of search", _or_nr),
    "outcome": ("Outcome", _mapped(OUTCOMES)),
    "outcome_detail": ("Outcome", _or_nr),
    "outcome_linked": ("Outcome linked to object of search", FLAGS.__getitem__),
    "removal_of_outer_clothing": ("Removal of more than just outer clothing", FLAGS.__getitem__),
}
FILE_FIELDS = {"force": {AVON: "avon-and-somerset", ESSEX: "essex"}}
FILE_FIELDS["month"] = {AVON: "2018-01", ESSEX: "2019-12"}


def _published_rows() -> list[tuple[Path, dict[str, str]]]:
    rows = []
    for path in (AVON, ESSEX):
        with path.open(newline="", encoding="utf-8") as stream:
            rows.extend((path, row) for row in csv.DictReader(stream))
    return rows


def _expected(*fields: str) -> Counter[tuple[str, ...]]:
    def value(path: Path, row: dict[str, str], field: str) -> str:
        if field in FILE_FIELDS:
            return FILE_FIELDS[field][path]
        column, count_as = FIELDS[field]
        return count_as(row[column])

    return Counter(
        tuple(value(path, row, field) for field in fields) for path, row in _published_rows()
    )


def _json_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--json"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return code, json.loads(lines[0])


@pytest.fixture
def imported(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    assert run(["--db", db_url, "init", "--admin", "alice"]) == EXIT_OK
    capsys.readouterr()
    options = ["--db", db_url, "--as", "alice"]
    code, payload = _json_run(capsys, *options, "import-records", str(AVON), str(ESSEX))
    assert code == EXIT_OK, payload
    assert [f["rows_added"] for f in payload["result"]["files"]] == [522, 1523]
    return options


def _counts(payload: dict) -> Counter[tuple[str, ...]]:
    return Counter({tuple(cell["values"]): cell["count"] for cell in payload["result"]["counts"]})


def test_stats_for_every_field_match_independent_counts(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for field in [*FIELDS, *FILE_FIELDS]:
        code, payload = _json_run(capsys, *imported, "stats", "--by", field)
        assert code == EXIT_OK
        assert payload["result"]["total"] == 522 + 1523
        assert _counts(payload) == _expected(field), field


def test_cross_tab_matches_independent_counts(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    by = ("self_defined_ethnicity", "outcome")
    code, payload = _json_run(capsys, *imported, "stats", "--by", by[0], "--by", by[1])
    assert code == EXIT_OK
    assert payload["result"]["by"] == list(by)
    assert _counts(payload) == _expected(*by)
    assert payload["result"]["levels"][0][-2:] == ["not stated", NR]


def test_stats_in_words_is_a_table_with_totals(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*imported, "stats", "--by", "age_range", "--by", "gender"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["age_range", "\\", "gender"]
    assert out[-1].split()[-1] == "2045"


def test_stats_in_words_writes_groups_as_people_read_them(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The table printed "white" and "not recorded"; the vocabulary's labels have capitals."""
    assert run([*imported, "stats", "--by", "officer_defined_ethnicity"]) == EXIT_OK
    groups = [line.rsplit(None, 2)[0] for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert "White" in groups and "Black" in groups and "Not recorded" in groups
    assert all(group[:1].isupper() for group in groups), groups
    code, payload = _json_run(capsys, *imported, "stats", "--by", "officer_defined_ethnicity")
    assert code == EXIT_OK and ("white",) in _counts(payload)  # JSON keeps the stored ids


def test_reimport_says_nothing_was_added(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*imported, "import-records", str(ESSEX)]) == EXIT_OK
    assert "already imported" in capsys.readouterr().out


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_corrupted_file_is_refused_with_file_and_line_in_json(
    imported: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = AVON.read_bytes().splitlines(keepends=True)
    lines[41] = lines[41].replace(b",", b",,", 1)  # line 42 gets a 16th field
    bad = tmp_path / "2018-02-avon-and-somerset-stop-and-search.csv"
    bad.write_bytes(b"".join(lines))
    code, payload = _json_run(capsys, *imported, "import-records", str(bad), str(ESSEX))
    assert code == EXIT_BAD_INPUT and payload["ok"] is False
    assert payload["errors"] == [
        {"file": str(bad), "line": 42, "message": "16 fields, expected 15"}
    ]
    # The other file was still handled (already imported).
    (refused,) = payload["result"]["refused"]
    assert refused["file"] == str(bad) and "nothing was imported" in refused["reason"]
    assert payload["result"]["files"][0]["already_imported"] is True
    code, payload = _json_run(capsys, *imported, "stats", "--by", "month")
    assert _counts(payload) == Counter({("2018-01",): 522, ("2019-12",): 1523})


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_stats_refuses_an_unknown_field_or_three(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = _json_run(capsys, *imported, "stats", "--by", "colour")
    assert code == EXIT_BAD_INPUT and "'colour'" in payload["errors"][0]["message"]
    code, payload = _json_run(
        capsys, *imported, "stats", "--by", "gender", "--by", "type", "--by", "outcome"
    )
    assert code == EXIT_BAD_INPUT


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_stats_over_cases_start_empty(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = _json_run(capsys, *imported, "stats", "--source", "cases", "--by", "gender")
    assert code == EXIT_OK and payload["result"]["total"] == 0
