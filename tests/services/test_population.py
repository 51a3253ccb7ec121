"""Population tables on SQLite and PostgreSQL: the shipped census imports whole, audited,
by administrators only; a bad file leaves nothing behind; the newest census year is the
one a force's rates use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, PopulationCount, PopulationTable
from tests.ingest.test_population import CENSUS_2011

PIN = "246810"
SOURCE = "ONS Census 2011, QS201EW, by police force area"


@pytest.fixture
def admin(workspace: Workspace) -> Actor:
    return workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")


def _stored(workspace: Workspace) -> tuple[int, int, int]:
    with workspace.db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(PopulationTable)) or 0,
            session.scalar(select(func.count()).select_from(PopulationCount)) or 0,
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action.like("population.%"))
            )
            or 0,
        )


def test_the_shipped_census_imports_whole_and_audited(workspace: Workspace, admin: Actor) -> None:
    report = workspace.population.import_file(
        admin, CENSUS_2011, source=SOURCE, year=2011, purpose="test"
    )
    assert (report.areas, report.shape, report.already_imported) == (43, "wide", False)
    assert _stored(workspace) == (1, 43 * 5, 1)
    figures = workspace.population.latest_for(admin, "avon-and-somerset")
    assert figures is not None
    assert (figures.source, figures.year, figures.table_id) == (SOURCE, 2011, report.table_id)
    assert dict(figures.people_by_group) == {
        "white": 1491970,
        "black": 30923,
        "asian": 33005 + 8976,
        "mixed": 28277,
        "other": 6404,
    }
    with workspace.db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "population.imported")
        ).one()
        assert event.actor == "alice"
        detail = json.loads(event.detail_json)
    assert detail["areas"] == 43
    assert detail["year"] == 2011
    assert detail["sha256"] == report.sha256
    assert workspace.audit.verify(admin, purpose="test").intact


def test_the_same_file_again_adds_nothing(workspace: Workspace, admin: Actor) -> None:
    first = workspace.population.import_file(
        admin, CENSUS_2011, source=SOURCE, year=2011, purpose="test"
    )
    again = workspace.population.import_file(
        admin, CENSUS_2011, source=SOURCE, year=2011, purpose="test"
    )
    assert again.already_imported
    assert again.table_id == first.table_id
    assert _stored(workspace) == (1, 215, 2)


def test_only_administrators_import(workspace: Workspace, admin: Actor) -> None:
    chair = workspace.auth.create_user(admin, "carol", "Carol", PIN, [Role.CHAIR], purpose="t")
    with pytest.raises(PermissionDenied, match="administrator"):
        workspace.population.import_file(
            chair, CENSUS_2011, source=SOURCE, year=2011, purpose="test"
        )
    assert _stored(workspace) == (0, 0, 0)
    # Reading the figures is open to every role: they are public statistics.
    assert workspace.population.latest_for(chair, "essex") is None


def test_a_bad_file_is_refused_whole_with_every_line(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    bad = tmp_path / "population.csv"
    lines = CENSUS_2011.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Cambridgeshire", "Camelot")
    lines[9] = lines[9].replace(",", ",x", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match="2 problem") as refused:
        workspace.population.import_file(admin, bad, source=SOURCE, year=2011, purpose="test")
    assert [(p.file, p.line) for p in refused.value.problems] == [(str(bad), 4), (str(bad), 10)]
    assert "Camelot" in refused.value.problems[0].message
    assert _stored(workspace) == (0, 0, 0)


@pytest.mark.parametrize(
    ("source", "year", "message"),
    [("", 2011, "--source"), (SOURCE, 1700, "census year"), (SOURCE, 9999, "census year")],
)
def test_source_and_year_are_checked(
    workspace: Workspace, admin: Actor, source: str, year: int, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        workspace.population.import_file(admin, CENSUS_2011, source=source, year=year, purpose="t")
    assert _stored(workspace) == (0, 0, 0)


def test_a_missing_file_is_named(workspace: Workspace, admin: Actor, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read the file"):
        workspace.population.import_file(
            admin, tmp_path / "absent.csv", source=SOURCE, year=2011, purpose="t"
        )


def test_the_newest_census_year_covering_the_force_is_used(
    workspace: Workspace, admin: Actor, tmp_path: Path
) -> None:
    workspace.population.import_file(admin, CENSUS_2011, source=SOURCE, year=2011, purpose="t")
    newer = tmp_path / "ts021.csv"
    newer.write_text(
        "area,group,population\n"
        "Avon and Somerset,White,1500000\nAvon and Somerset,Black,40000\n"
        "Avon and Somerset,Asian,60000\nAvon and Somerset,Mixed,45000\n"
        "Avon and Somerset,Other,15000\n",
        encoding="utf-8",
    )
    report = workspace.population.import_file(
        admin, newer, source="ONS Census 2021, TS021", year=2021, purpose="t"
    )
    assert report.shape == "long"
    avon = workspace.population.latest_for(admin, "avon-and-somerset")
    essex = workspace.population.latest_for(admin, "essex")
    assert avon is not None
    assert essex is not None
    assert (avon.year, avon.people_by_group["black"]) == (2021, 40000)
    assert (essex.year, essex.source) == (2011, SOURCE)  # the 2021 file has no Essex


def test_a_huge_file_is_refused_unread(workspace: Workspace, admin: Actor, tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as stream:
        stream.truncate(6 * 1024 * 1024)  # sparse: nothing to read, but the size says enough
    with pytest.raises(BadInput, match="not a population table"):
        workspace.population.import_file(admin, huge, source=SOURCE, year=2011, purpose="t")
    assert _stored(workspace) == (0, 0, 0)
