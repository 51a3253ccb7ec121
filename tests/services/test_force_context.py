"""The force-wide context from the real Avon and Somerset records and the real Census 2011
table, on SQLite and PostgreSQL. Expected figures are counted here from the files with the
csv module and the relative rate worked out with the formula written out, not taken from
the code under test."""

from __future__ import annotations

import csv
import math
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.force_context import ForceContext
from bwv_review.services.workspace import Workspace
from tests.ingest.test_police_csv import AVON, ESSEX
from tests.ingest.test_population import CENSUS_2011

PIN = "246810"
FORCE = "avon-and-somerset"
GROUP_OF = {
    "White": "white",
    "Black/African/Caribbean/Black British": "black",
    "Asian/Asian British": "asian",
    "Mixed/Multiple ethnic groups": "mixed",
    "Other ethnic group": "other",
}
# Avon & Somerset in the shipped Census 2011 table (Chinese added to Asian).
AVON_PEOPLE = {
    "white": 1491970,
    "black": 30923,
    "asian": 33005 + 8976,
    "mixed": 28277,
    "other": 6404,
}


def _avon_rows() -> list[dict[str, str]]:
    with AVON.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _self_group(value: str) -> str:
    if not value:
        return "not recorded"
    if value == "Other ethnic group - Not stated":
        return "not stated"
    return GROUP_OF[value.split(" - ")[0]]


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")


def _context(workspace: Workspace, actor: Actor, start: date, end: date) -> ForceContext:
    return workspace.force_context.for_period(actor, FORCE, start, end)


def test_searches_outcomes_and_rates_from_the_real_files(
    workspace: Workspace, admin: Actor
) -> None:
    workspace.records.import_file(admin, AVON, purpose="test")
    workspace.records.import_file(admin, ESSEX, purpose="test")  # another force: not counted
    workspace.population.import_file(
        admin, CENSUS_2011, source="ONS Census 2011 (QS201EW)", year=2011, purpose="test"
    )
    context = _context(workspace, admin, date(2018, 1, 1), date(2018, 1, 31))
    rows = _avon_rows()
    assert context.searches == len(rows) == 522
    assert context.months_held == context.months_in_period == ("2018-01",)

    expected = Counter(_self_group(row["Self-defined ethnicity"]) for row in rows)
    counts = context.self_defined.counts
    assert {g: counts.count(g) for g in AVON_PEOPLE} == {g: expected[g] for g in AVON_PEOPLE}
    assert (counts.not_recorded, counts.not_stated) == (
        expected["not recorded"],
        expected["not stated"],
    )
    grouped = len(rows) - expected["not recorded"] - expected["not stated"]
    assert (
        f"By self-defined ethnicity, {expected['not recorded']} not recorded and "
        f"{expected['not stated']} not stated: these are left out of every rate, which counts "
        f"only the {grouped} of {len(rows)} ({100 * grouped / len(rows):.0f}%) searches with a "
        "group."
    ) in context.notes
    assert context.coverage_text == "Records held for January 2018."
    officer = Counter(row["Officer-defined ethnicity"].lower() or "nr" for row in rows)
    assert context.officer_defined.counts.count("black") == officer["black"]
    assert context.officer_defined.counts.not_recorded == officer["nr"]

    for outcome in context.self_defined.outcomes:
        mine = [r for r in rows if _self_group(r["Self-defined ethnicity"]) == outcome.group]
        nfa = sum(r["Outcome"] == "Nothing found - no further action" for r in mine)
        linked = sum(r["Outcome linked to object of search"] == "True" for r in mine)
        assert (outcome.no_further_action.count, outcome.no_further_action.total) == (
            nfa,
            len(mine),
        )
        assert (outcome.outcome_linked.count, outcome.outcome_linked.total) == (linked, len(mine))
        assert outcome.outcome_not_recorded == sum(not r["Outcome"] for r in mine)

    rates = {rate.group: rate for rate in context.self_defined.rates}
    a, b = expected["black"], expected["white"]
    na, nb = AVON_PEOPLE["black"], AVON_PEOPLE["white"]
    ratio = (a / na) / (b / nb)
    spread = 1.96 * math.sqrt(1 / a + 1 / b - 1 / na - 1 / nb)
    black = rates["black"].relative
    assert black is not None
    assert black.ratio == pytest.approx(ratio)
    assert black.low == pytest.approx(ratio * math.exp(-spread), rel=1e-4)
    assert black.high == pytest.approx(ratio * math.exp(spread), rel=1e-4)
    assert black.text == (
        f"Black people were searched {ratio:.1f} times as often as White people "
        f"(95% CI {ratio * math.exp(-spread):.1f} to {ratio * math.exp(spread):.1f})"
    )
    assert rates["white"].relative is None
    assert rates["black"].per_thousand == pytest.approx(1000 * a / na)
    # 8 Asian and 4 Other searches: under 10, so no ratio.
    assert expected["asian"] < 10
    asian = rates["asian"].relative
    assert asian is not None
    assert asian.ratio is None
    assert asian.text.endswith("too few to compare")

    assert context.population is not None
    assert (context.population.source, context.population.year) == (
        "ONS Census 2011 (QS201EW)",
        2011,
    )
    assert context.population.years_before_period == 7
    assert context.population.warning is not None
    assert "7 years before this period" in context.population.warning
    assert context.population.warning in context.notes


def test_older_files_have_no_officer_defined_mixed_and_it_is_said(
    workspace: Workspace, admin: Actor
) -> None:
    workspace.records.import_file(admin, AVON, purpose="test")
    workspace.population.import_file(admin, CENSUS_2011, source="Census", year=2011, purpose="t")
    context = _context(workspace, admin, date(2018, 1, 1), date(2018, 1, 31))
    assert not context.officer_defined.has_mixed
    assert context.self_defined.has_mixed
    assert any("no Mixed group" in note for note in context.notes)
    mixed = next(r for r in context.officer_defined.rates if r.group == "mixed")
    assert mixed.per_thousand is None
    assert mixed.relative is not None
    assert "no officer-defined Mixed group" in mixed.relative.text


def test_a_newer_file_with_officer_defined_mixed_is_compared(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    lines = AVON.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    changed = [lines[0]]
    for index, line in enumerate(lines[1:]):
        # Every third record the officer saw as Other becomes Mixed, as newer files allow.
        changed.append(line.replace(",Other,", ",Mixed,", 1) if index % 3 == 0 else line)
    newer = tmp_path / "2021-01-avon-and-somerset-stop-and-search.csv"
    newer.write_text("".join(changed), encoding="utf-8")
    workspace.records.import_file(admin, newer, purpose="test")
    context = _context(workspace, admin, date(2021, 1, 1), date(2021, 1, 31))
    assert context.officer_defined.has_mixed
    assert not any("no Mixed group" in note for note in context.notes)
    assert context.officer_defined.counts.count("mixed") > 0


def test_only_the_months_held_are_counted_and_it_is_said(
    workspace: Workspace, admin: Actor
) -> None:
    workspace.records.import_file(admin, AVON, purpose="test")
    context = _context(workspace, admin, date(2017, 12, 15), date(2018, 2, 10))
    assert context.months_in_period == ("2017-12", "2018-01", "2018-02")
    assert context.months_held == ("2018-01",)
    assert context.months_missing == ("2017-12", "2018-02")
    assert context.searches == 522
    assert context.coverage_text == (
        "Records held for 1 of the 3 months of December 2017 to February 2018: January 2018. "
        "The figures are over those months only."
    )
    # No population table: counts and outcomes, no rates, and the report says why.
    assert context.population is None
    assert context.self_defined.rates == ()
    assert any("No population table" in note for note in context.notes)


def test_no_records_for_the_period(workspace: Workspace, admin: Actor) -> None:
    context = _context(workspace, admin, date(2020, 4, 1), date(2020, 6, 30))
    assert context.searches == 0
    assert context.months_held == ()
    assert context.coverage_text == (
        "No public records of Avon and Somerset are held for April 2020 to June 2020."
    )
    assert all(
        o.no_further_action.text == "0 of 0 (no cases)" for o in context.self_defined.outcomes
    )


def test_a_recent_table_has_no_warning(workspace: Workspace, admin: Actor, tmp_path: Path) -> None:
    workspace.records.import_file(admin, AVON, purpose="test")
    table = tmp_path / "recent.csv"
    table.write_text(
        "police_force_area,white,black,asian,mixed,other\n"
        "Avon & Somerset,1491970,30923,41981,28277,6404\n",
        encoding="utf-8",
    )
    workspace.population.import_file(admin, table, source="Recent", year=2015, purpose="t")
    context = _context(workspace, admin, date(2018, 1, 1), date(2018, 1, 31))
    assert context.population is not None
    assert context.population.warning is None
    assert "Population: Recent (2015)." in context.notes


def test_bad_requests_are_refused(workspace: Workspace, admin: Actor) -> None:
    with pytest.raises(BadInput, match="no police force"):
        workspace.force_context.for_period(admin, "gotham", date(2018, 1, 1), date(2018, 1, 2))
    with pytest.raises(BadInput, match="before it starts"):
        _context(workspace, admin, date(2018, 2, 1), date(2018, 1, 1))
