"""Sample draws stored with their spec, and the same draw on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bwv_review.config import Settings
from bwv_review.domain.sampling import rank_key
from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.sampling import DrawSummary, parse_spec
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent

PURPOSE = "test"
BANDS = ["under 10", "10-17", "18-24", "25-34", "over 34", ""]


def _manifest(tmp_path: Path, count: int = 80) -> Path:
    lines = ["force_reference,case_type,occurred_at,age_band,strip_search,footage_root,clips"]
    for i in range(count):
        case_type = "taser" if i % 4 == 0 else "stop_and_search"
        strip = "true" if i % 6 in (0, 1) else "false"
        clip = f"c/{i}.mp4" if i % 9 else ""
        root = "bwv" if clip else ""
        lines.append(
            f"REF-{i:04d},{case_type},2026-0{1 + i % 3}-{1 + i % 27:02d}T12:00:00+00:00,"
            f"{BANDS[i % 6]},{strip},{root},{clip}"
        )
    path = tmp_path / "frame.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ready(url: str, tmp_path: Path) -> tuple[Workspace, Actor]:
    workspace = Workspace.create(url)
    chair = workspace.auth.create_first_admin("carol", "Carol", "135791", purpose=PURPOSE)
    settings = Settings(tmp_path / "settings.json")
    workspace.library.import_manifest(chair, _manifest(tmp_path), settings, purpose=PURPOSE)
    return workspace, chair


@pytest.fixture
def ready(db_url: str, tmp_path: Path) -> Iterator[tuple[Workspace, Actor]]:
    workspace, chair = _ready(db_url, tmp_path)
    yield workspace, chair
    workspace.close()


CHILD_STRIP = "strip_search=true&age_band=under 10,10-17"


def _draw(workspace: Workspace, chair: Actor, name: str = "2026-Q1") -> DrawSummary:
    spec = parse_spec(["case_type=stop_and_search"], [f"{CHILD_STRIP}:all", "rest:20"], None)
    return workspace.sampling.draw(chair, name, "20260401", spec, purpose=PURPOSE)


def test_the_same_draw_on_sqlite_and_postgresql(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    draws = []
    for url in (sqlite_url, postgres_url):
        folder = tmp_path / url.split(":")[0]
        folder.mkdir()
        workspace, chair = _ready(url, folder)
        try:
            draws.append(_draw(workspace, chair))
        finally:
            workspace.close()
    on_sqlite, on_postgres = draws
    assert [(c.rank, c.stratum, c.force_reference) for c in on_sqlite.cases] == [
        (c.rank, c.stratum, c.force_reference) for c in on_postgres.cases
    ]
    assert on_sqlite.strata == on_postgres.strata
    assert on_sqlite.frame_size == on_postgres.frame_size


def test_a_draw_is_stored_with_its_spec_counts_and_ranked_cases(
    ready: tuple[Workspace, Actor],
) -> None:
    workspace, chair = ready
    draw = _draw(workspace, chair)
    # 60 stop-and-search cases (i % 4 != 0); children strip-searched: i % 6 == 0/1 with
    # band under 10 / 10-17, i.e. i % 6 in (0, 1) and i % 4 != 0.
    children = sorted(
        (f"REF-{i:04d}" for i in range(80) if i % 6 in (0, 1) and i % 4),
        key=lambda ref: rank_key("20260401", ref),
    )
    assert draw.frame_size == 60
    assert [(s.stratum, s.wanted, s.in_frame, s.drawn) for s in draw.strata] == [
        (CHILD_STRIP, None, len(children), len(children)),
        ("rest", 20, 60 - len(children), 20),
    ]
    assert [c.force_reference for c in draw.cases[: len(children)]] == children
    assert [c.rank for c in draw.cases] == list(range(1, len(children) + 21))
    assert draw.spec == {
        "filters": ["case_type=stop_and_search"],
        "strata": [f"{CHILD_STRIP}:all", "rest:20"],
        "size": None,
    }
    assert workspace.sampling.get(chair, "2026-Q1") == draw
    with workspace.db.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "sample.drawn")).one()
    assert event.entity_id == str(draw.draw_id)
    assert json.loads(event.detail_json)["drawn"] == len(draw.cases)


def test_has_footage_filter_reads_the_clips(ready: tuple[Workspace, Actor]) -> None:
    workspace, chair = ready
    spec = parse_spec(["has_footage=false"], [], 100)
    draw = workspace.sampling.draw(chair, "no footage", "1", spec, purpose=PURPOSE)
    assert sorted(c.force_reference for c in draw.cases) == [
        f"REF-{i:04d}" for i in range(0, 80, 9)
    ]


def test_a_name_is_used_once_so_a_draw_is_never_quietly_replaced(
    ready: tuple[Workspace, Actor],
) -> None:
    workspace, chair = ready
    _draw(workspace, chair)
    with pytest.raises(BadInput, match="already a draw called '2026-Q1'"):
        _draw(workspace, chair)


def test_only_a_chair_draws(ready: tuple[Workspace, Actor]) -> None:
    workspace, chair = ready
    reviewer = workspace.auth.create_user(
        chair, "rita", "Rita", "246802", [Role.REVIEWER, Role.ADMIN], purpose=PURPOSE
    )
    with pytest.raises(PermissionDenied):
        _draw(workspace, reviewer)


def test_spec_mistakes_are_bad_input_listing_each() -> None:
    with pytest.raises(BadInput) as caught:
        parse_spec(["colour=red"], ["rest:x"], None)
    assert len(caught.value.problems) == 2


def _ticks(workspace: Workspace, chair: Actor, field: str) -> list[tuple[str, str, int]]:
    return [
        (v.value, v.label, v.count) for v in workspace.sampling.choices(chair).field(field).values
    ]


def test_the_frame_offers_its_own_values_with_counts(db_url: str, tmp_path: Path) -> None:
    """What the draw dialog offers as ticks: each field's values as the frame holds them,
    with how many cases hold each, on both databases; a tick filters exactly those cases."""
    lines = [
        "force_reference,case_type,occurred_at,outcome,officer_defined_ethnicity,taser_highest_level"
    ]
    outcomes = ["Arrest", "arrest", "A no further action disposal", ""]
    for i in range(12):
        case_type = "taser" if i % 4 == 0 else "stop_and_search"
        taser = "fired" if i == 0 else ("aimed" if i % 4 == 0 else "")
        ethnicity = ["White", "Black", ""][i % 3]
        lines.append(
            f"V-{i:02d},{case_type},2026-0{1 + i % 3}-1{i % 10}T09:00:00+00:00,"
            f"{outcomes[i % 4]},{ethnicity},{taser}"
        )
    manifest = tmp_path / "values.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace = Workspace.create(db_url)
    try:
        chair = workspace.auth.create_first_admin("carol", "Carol", "135791", purpose=PURPOSE)
        settings = Settings(tmp_path / "settings.json")
        workspace.library.import_manifest(chair, manifest, settings, purpose=PURPOSE)
        offered = workspace.sampling.choices(chair)
        assert offered.size == 12
        assert (str(offered.first_date), str(offered.last_date)) == ("2026-01-10", "2026-03-18")
        assert _ticks(workspace, chair, "case_type") == [
            ("stop_and_search", "Stop and search", 9),
            ("taser", "Taser", 3),
        ]
        # "Arrest" and "arrest" are one value, as a filter matches them, shown as most spell it.
        assert _ticks(workspace, chair, "outcome") == [
            ("Arrest", "Arrest", 6),
            ("A no further action disposal", "A no further action disposal", 3),
            ("not recorded", "not recorded", 3),
        ]
        assert _ticks(workspace, chair, "ethnicity") == [
            ("Black", "Black", 4),
            ("White", "White", 4),
            ("not recorded", "not recorded", 4),
        ]
        assert _ticks(workspace, chair, "taser") == [
            ("aimed", "aimed", 2),
            ("fired", "fired", 1),
            ("none", "none", 9),
        ]
        assert _ticks(workspace, chair, "strip_search") == [("not recorded", "not recorded", 12)]
        assert _ticks(workspace, chair, "has_footage") == [("false", "no", 12)]
        for field in offered.fields:  # each tick, as a filter, draws exactly its count
            for tick in field.values:
                spec = parse_spec([f"{field.field}={tick.value}"], [], 100)
                drawn = workspace.sampling.preview(chair, "1", spec).drawn
                assert drawn == tick.count, (field.field, tick)
        reviewer = workspace.auth.create_user(
            chair, "rita", "Rita", "246802", [Role.REVIEWER], purpose=PURPOSE
        )
        with pytest.raises(PermissionDenied):
            workspace.sampling.choices(reviewer)
    finally:
        workspace.close()


def test_a_preview_lists_each_drawn_case_and_why_it_is_in(
    ready: tuple[Workspace, Actor],
) -> None:
    workspace, chair = ready
    spec = parse_spec(["case_type=stop_and_search"], [f"{CHILD_STRIP}:all", "rest:20"], None)
    shown = workspace.sampling.preview(chair, "20260401", spec)
    stored = _draw(workspace, chair)
    assert [(c.rank, c.force_reference) for c in shown.cases] == [
        (c.rank, c.force_reference) for c in stored.cases
    ]
    children = stored.strata[0].drawn
    assert {c.reason for c in shown.cases[:children]} == {
        "stratum: strip search yes, age range under 10 or 10-17, take all"
    }
    assert {c.reason for c in shown.cases[children:]} == {
        f"random dip from the rest: 20 of {60 - children}"
    }
