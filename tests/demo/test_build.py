"""The demo workspace holds what the issue asks for, read back from what the build stored:
cases over every type, age band and ethnicity, footage that is real H.264 with B-frames and
sound, two sessions in their states, outcomes, learning points and tracker items, deletion
dates relative to today, the demo flag and accounts that sign in. A full folder is refused
and a cancelled build leaves nothing behind."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.frame import PictureType
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bwv_review.config import Paths, Settings
from bwv_review.demo import DEMO_ACCOUNTS, DEMO_PIN, DemoCancelled, build_demo
from bwv_review.demo.build import PANEL_NAME, footage_deleted_on
from bwv_review.demo.cases import CASES
from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel, TrackerStatus
from bwv_review.services.errors import BadInput
from bwv_review.services.workspace import Workspace
from bwv_review.services.workspace_settings import PanelSettings
from bwv_review.store.models import (
    Answer,
    Assignment,
    Case,
    Clip,
    LearningPoint,
    LearningTrackerItem,
    PanelOutcome,
    PoliceRecord,
    RecordImport,
    Review,
    ReviewSession,
    SampleDraw,
    SampleDrawCase,
)
from tests.conftest import BuiltDemo


@pytest.fixture
def demo(demo_home: BuiltDemo) -> Iterator[Workspace]:
    assert demo_home.exit_code == 0, demo_home.output
    ws = Workspace.open(demo_home.db_url)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def db(demo: Workspace) -> Iterator[Session]:
    with demo.db.transaction() as session:
        yield session


def test_it_is_marked_as_the_demo_of_avon_and_somerset(demo: Workspace, db: Session) -> None:
    assert demo.panel.current() == PanelSettings(PANEL_NAME, "avon-and-somerset", demo=True)
    imports = db.execute(select(RecordImport.force, RecordImport.month, RecordImport.row_count))
    assert list(imports) == [("avon-and-somerset", "2018-01", 522)]
    assert db.scalar(select(func.count()).select_from(PoliceRecord)) == 522


def test_the_cases_cover_every_type_age_band_and_ethnicity(db: Session) -> None:
    cases = list(db.scalars(select(Case)))
    assert len(cases) >= 30
    assert all(c.force_reference.startswith("DEMO-") for c in cases)
    assert {c.case_type for c in cases} == set(CaseType)
    assert {c.subject_age_band for c in cases} == {band.value for band in AgeBand} | {None}
    assert {c.subject_officer_defined_ethnicity for c in cases} == {
        "White",
        "Black",
        "Asian",
        "Mixed",
        "Other",
        None,
    }
    self_defined = {c.subject_self_defined_ethnicity for c in cases}
    assert {"Other ethnic group - Not stated", None} <= self_defined
    assert len(self_defined) >= 8
    assert sum(bool(c.strip_search) for c in cases) >= 2
    children = {c.subject_age_band for c in cases if c.strip_search}
    assert "10-17" in children
    assert {c.taser_highest_level for c in cases} - {None} == {level.value for level in TaserLevel}
    assert all(
        c.occurred_at.year == 2018 and c.occurred_at.month == 1 and c.grounds_text for c in cases
    )


def test_every_case_has_one_or_two_registered_clips_of_10_to_30_s(
    demo_home: BuiltDemo, db: Session
) -> None:
    per_case = Counter(db.scalars(select(Clip.case_id)))
    assert set(per_case.values()) == {1, 2}
    assert set(per_case) == set(db.scalars(select(Case.id)))
    clips = list(db.scalars(select(Clip)))
    assert all(10_000 <= c.duration_ms <= 30_000 for c in clips)
    assert sum(c.duration_ms for c in clips) <= 600_000
    assert {(c.width_px, c.height_px, c.codec) for c in clips} == {(640, 360, "h264")}
    assert all(c.sha256 and c.status.value == "ok" for c in clips)
    settings = Settings(Paths.under(demo_home.home).settings_file)
    footage = settings.footage_root_folder("demo-bwv")
    assert footage == demo_home.home / "footage"
    assert all((footage / c.relative_path).is_file() for c in clips)


def test_the_footage_is_h264_with_b_frames_a_moving_picture_and_sound(
    demo_home: BuiltDemo, db: Session
) -> None:
    clip = db.scalars(select(Clip).order_by(Clip.id)).first()
    assert clip is not None
    path = demo_home.home / "footage" / clip.relative_path
    with av.open(str(path)) as container:
        assert container.streams.audio, "the clip has no sound"
        video = container.streams.video[0]
        kinds, frames = Counter(), []
        for frame in container.decode(video):
            kinds[PictureType(frame.pict_type).name] += 1
            if len(frames) < 50:
                frames.append(frame.to_ndarray(format="gray"))
        container.seek(0)
        sound = np.concatenate(
            [f.to_ndarray().ravel() for f in itertools.islice(container.decode(audio=0), 50)]
        )
    assert kinds["B"] > 0 and kinds["I"] > 0
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 5  # it moves
    assert np.abs(sound).max() > 0.05  # it is not silence


def _session(db: Session, quarter: str) -> ReviewSession:
    found = db.scalar(select(ReviewSession).where(ReviewSession.quarter == quarter))
    assert found is not None
    return found


def _review_states(db: Session, session_id: int) -> Counter[str]:
    rows = db.execute(
        select(Review.status)
        .select_from(Assignment)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.session_id == session_id)
    )
    return Counter(status.value if status else "not_started" for (status,) in rows)


def test_two_sessions_on_stored_stratified_draws(db: Session) -> None:
    first, second = _session(db, "2018-Q1"), _session(db, "2018-Q2")
    assert (first.status.value, second.status.value) == ("finalised", "open")
    for review_session in (first, second):
        draw = db.get(SampleDraw, review_session.sample_draw_id)
        assert draw is not None and "strata" in draw.spec_json
        strata = set(
            db.scalars(select(SampleDrawCase.stratum).where(SampleDrawCase.draw_id == draw.id))
        )
        assert len(strata) >= 2
    assert set(_review_states(db, first.id)) == {"submitted"}
    assert set(_review_states(db, second.id)) == {"not_started", "in_progress", "submitted"}


def test_the_finalised_session_has_disagreements_points_outcomes_and_answers(
    db: Session,
) -> None:
    first = _session(db, "2018-Q1")
    answers = db.execute(
        select(Assignment.case_id, Answer.check_id, Answer.value)
        .join(Review, Review.assignment_id == Assignment.id)
        .join(Answer, Answer.review_id == Review.id)
        .where(Assignment.session_id == first.id)
    )
    given: dict[tuple[int, str], set[str]] = {}
    for case_id, check_id, value in answers:
        given.setdefault((case_id, check_id), set()).add(value)
    disagreements = {key for key, values in given.items() if len(values) > 1}
    assert len({case_id for case_id, _ in disagreements}) >= 3
    clips_with_points = set(
        db.scalars(
            select(LearningPoint.clip_id)
            .join(Review, Review.id == LearningPoint.review_id)
            .join(Assignment, Assignment.id == Review.assignment_id)
            .where(Assignment.session_id == first.id)
        )
    )
    assert len(clips_with_points) >= 4
    outcomes = list(db.scalars(select(PanelOutcome).where(PanelOutcome.session_id == first.id)))
    assert len(outcomes) == 10 and all(o.consensus_grade and o.vignette for o in outcomes)
    answered = [o for o in outcomes if o.questions_to_force and o.force_response]
    assert len(answered) >= 3


def test_tracker_items_span_both_quarters(db: Session) -> None:
    items = list(db.scalars(select(LearningTrackerItem)))
    sessions = {item.raised_in_session_id for item in items}
    assert sessions == {_session(db, "2018-Q1").id, _session(db, "2018-Q2").id}
    assert {item.status for item in items} == set(TrackerStatus)


def test_only_a_few_clips_fall_due_for_deletion_this_week(db: Session) -> None:
    today = datetime.now(UTC).date()
    due = list(db.scalars(select(Clip.deletion_due_on)))
    soon = [d for d in due if d <= today + timedelta(days=7)]
    assert 1 <= len(soon) <= 6
    assert all(d > today for d in due)  # built today: none has passed


def test_every_demo_account_signs_in_with_the_demo_pin(demo: Workspace) -> None:
    for account in DEMO_ACCOUNTS:
        assert account.pin == DEMO_PIN
        actor = demo.auth.sign_in(account.username, DEMO_PIN, purpose="test")
        assert actor.roles == frozenset(account.roles)
        assert not demo.users.needs_confidentiality(actor)


def test_its_audit_log_verifies(demo: Workspace) -> None:
    chair = demo.auth.sign_in("chair", DEMO_PIN, purpose="test")
    assert demo.audit.verify(chair, purpose="test").intact


def test_a_folder_with_anything_in_it_is_refused_and_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "panel"
    home.mkdir()
    (home / "notes.txt").write_text("our panel's notes\n")
    with pytest.raises(BadInput, match="not empty"):
        build_demo(home)
    assert [p.name for p in home.iterdir()] == ["notes.txt"]
    assert (home / "notes.txt").read_text() == "our panel's notes\n"


@pytest.mark.parametrize("folder_there", [False, True])
def test_a_cancelled_build_leaves_nothing_of_itself(tmp_path: Path, folder_there: bool) -> None:
    home = tmp_path / "demo"
    if folder_there:
        home.mkdir()
    steps: list[tuple[int, str]] = []

    def progress(percent: int, step: str) -> bool:
        steps.append((percent, step))
        return "clip 3 of" not in step

    with pytest.raises(DemoCancelled):
        build_demo(home, progress=progress)
    assert steps[0][0] == 0 and "clip 3 of" in steps[-1][1]
    assert home.exists() == folder_there
    if folder_there:
        assert list(home.iterdir()) == []


def test_the_readme_names_every_demo_account_and_the_pin() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"PIN **{DEMO_PIN}**" in readme
    for account in DEMO_ACCOUNTS:
        assert account.display_name in readme
        assert account.role_labels in readme
    assert all(f"`{a.username}`" in readme for a in DEMO_ACCOUNTS if "reviewer" not in a.username)


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2031, 6, 30)])
def test_deletion_dates_put_three_cases_due_within_the_week(today: date) -> None:
    """Whenever the demo is built (its encounters stay in January 2018)."""
    due = {case.reference: footage_deleted_on(case, today) for case in CASES}
    soon = sorted(ref for ref, on in due.items() if on <= today + timedelta(days=7))
    assert soon == ["DEMO-SS-001", "DEMO-SS-002", "DEMO-UF-001"]
    assert min(due.values()) > today


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    home.write_text("not a folder\n")
    with pytest.raises(BadInput, match="is a file"):
        build_demo(home)
    assert home.read_text() == "not a folder\n"
