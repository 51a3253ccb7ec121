"""Building the demonstration workspace: a whole panel cycle in one folder, made through the
same services a person uses, so its audit log is real and verifies.

The folder is a BWV_REVIEW_HOME: `DIR/data/bwv-review.sqlite3`, `DIR/config/settings.json`
mapping the demo footage root to `DIR/footage`, and the manifest the cases came from. It
holds the Avon and Somerset public records for January 2018, 32 invented cases from that
month with footage made now, seven accounts, a finalised 2018-Q1 session and an open one
for the next quarter, and learning-tracker items across both.

A folder that holds anything is refused: an existing workspace is never touched. A build
that fails or is cancelled removes what it made.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path

from bwv_review.config import Paths, Settings
from bwv_review.demo import panel_work
from bwv_review.demo.accounts import ADMIN, CHAIR, DEMO_ACCOUNTS, REVIEWERS, DemoAccount
from bwv_review.demo.cases import (
    CASES,
    FIRST_HALF,
    FOOTAGE_ROOT,
    FORCE,
    MONTH,
    SECOND_HALF,
    DemoCase,
)
from bwv_review.demo.footage import ClipPlan, encode_clips
from bwv_review.demo.panel_work import PURPOSE, Reviewer
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.sampling import SampleSpec
from bwv_review.domain.vocab import TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.audit import ensure_checkpoint_key
from bwv_review.services.errors import BadInput, ServiceError
from bwv_review.services.review_access import default_rubric
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace, remember_workspace

log = logging.getLogger(__name__)

PANEL_NAME = "Demonstration scrutiny panel (Avon and Somerset)"
RECORDS_FILE = "2018-01-avon-and-somerset-stop-and-search.csv"
MANIFEST_NAME = "demo-manifest-2018-01.json"
MAX_FOOTAGE_SECONDS = 600
FIRST_SESSION = "2018-Q1 panel"
NEXT_SESSION = "2018-Q2 panel"

Progress = Callable[[int, str], bool]


class DemoCancelled(ServiceError):
    """The person cancelled the build; what it had made is gone."""


@dataclass(frozen=True)
class DemoWorkspace:
    home: Path
    db_url: str
    accounts: tuple[DemoAccount, ...]
    panel_name: str
    seconds: float  # how long the build took


def build_demo(home: Path, *, progress: Progress | None = None) -> DemoWorkspace:
    """Build the demo workspace in `home`, which must be absent or empty (BadInput
    otherwise). `progress(percent, step)` is told each step; False cancels (DemoCancelled),
    and a cancelled or failed build leaves no trace of itself."""
    home = Path(home).expanduser().absolute()
    if home.exists() and not home.is_dir():
        raise BadInput(f"{home} is a file: the demo is built in an empty or new folder")
    if home.exists() and any(home.iterdir()):
        raise BadInput(
            f"{home} is not empty: the demo is built only in an empty or new folder, so an "
            "existing workspace is never touched. Choose another folder with --out"
        )
    made_folder = not home.exists()
    started = time.monotonic()
    try:
        home.mkdir(parents=True, exist_ok=True)
        _Builder(home, progress).run()
    except BaseException:
        _remove(home, keep_folder=not made_folder)
        raise
    seconds = time.monotonic() - started
    log.info("built the demo workspace in %s in %.1f s", home, seconds)
    return DemoWorkspace(
        home=home,
        db_url=_db_url(home),
        accounts=DEMO_ACCOUNTS,
        panel_name=PANEL_NAME,
        seconds=seconds,
    )


def _db_url(home: Path) -> str:
    return f"sqlite:///{Paths.under(home).default_db_file}"


def _remove(home: Path, *, keep_folder: bool) -> None:
    """Remove what the build made: the folder, or only its contents if it was there."""
    if not home.exists():
        return
    if not keep_folder:
        shutil.rmtree(home, ignore_errors=True)
        return
    for child in home.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def footage_deleted_on(case: DemoCase, today: date) -> date:
    """The day the force would delete this case's footage, as its manifest says: a day and
    more after `today`, in the order the encounters happened, so the cases of 2, 4 and 6
    January fall due within the week and the rest later (services.footage lists those due
    within 7 days), whenever the demo is built."""
    return today + (case.occurred_at.date() - MONTH)


def manifest_rows(cases: Sequence[DemoCase], today: date) -> list[dict[str, object]]:
    """The cases as the force's manifest gives them (docs/manifest.md, JSON form)."""
    return [
        {
            "force_reference": case.reference,
            "case_type": case.case_type.value,
            "occurred_at": case.occurred_at.isoformat(),
            "area": case.area,
            "power": case.power,
            "object_of_search": case.object_of_search,
            "grounds": case.grounds,
            "outcome": case.outcome,
            "outcome_linked": case.outcome_linked,
            "age_band": case.age_band,
            "gender": case.gender,
            "self_defined_ethnicity": case.self_defined_ethnicity,
            "officer_defined_ethnicity": case.officer_defined_ethnicity,
            "strip_search": case.strip_search,
            "taser_highest_level": case.taser,
            "officer_pseudonym": case.officer,
            "footage_root": FOOTAGE_ROOT,
            "clips": list(case.clip_paths()),
            "footage_deleted_on": footage_deleted_on(case, today).isoformat(),
        }
        for case in cases
    ]


def clip_plans(cases: Sequence[DemoCase]) -> list[ClipPlan]:
    plans = [
        ClipPlan(
            relative_path=path,
            seconds=seconds,
            seed=index * 10 + position,
            caption=f"{case.reference} CAM {position + 1}",
            recorded_at=case.occurred_at + timedelta(seconds=20 * position),
        )
        for index, case in enumerate(cases)
        for position, (path, seconds) in enumerate(
            zip(case.clip_paths(), case.clip_seconds, strict=True)
        )
    ]
    total = sum(plan.seconds for plan in plans)
    if total > MAX_FOOTAGE_SECONDS or any(not 10 <= plan.seconds <= 30 for plan in plans):
        raise ValueError(f"demo footage must be 10-30 s a clip, {MAX_FOOTAGE_SECONDS} s in all")
    return plans


class _Builder:
    def __init__(self, home: Path, progress: Progress | None) -> None:
        self.home = home
        self.paths = Paths.under(home)
        self.footage = home / "footage"
        self._progress = progress
        self.rubric: Rubric = default_rubric()
        self.by_reference = {case.reference: case for case in CASES}

    def step(self, percent: int, words: str) -> None:
        log.info("demo build %d%%: %s", percent, words)
        if self._progress is not None and not self._progress(percent, words):
            raise DemoCancelled("the demo build was cancelled; nothing of it was kept")

    def run(self) -> None:
        self.step(0, "Making the demonstration footage")
        plans = clip_plans(CASES)

        def clip_done(done: int, total: int) -> bool:
            percent = 2 + 43 * done // total
            words = f"Making the demonstration footage: clip {done} of {total}"
            return self._progress is None or self._progress(percent, words)

        if not encode_clips(plans, self.footage, on_clip=clip_done):
            raise DemoCancelled("the demo build was cancelled; nothing of it was kept")
        self.step(45, "Creating the workspace and its accounts")
        settings = Settings(self.paths.settings_file)
        workspace = Workspace.create(_db_url(self.home))
        try:
            remember_workspace(self.paths, workspace)
            ensure_checkpoint_key(settings, self.paths.default_audit_key_file)
            self._fill(workspace, settings)
        finally:
            workspace.close()
        self.step(100, "The demonstration workspace is ready")

    def _fill(self, ws: Workspace, settings: Settings) -> None:
        admin, people = self._accounts(ws)
        ws.panel.change(admin, panel_name=PANEL_NAME, force=FORCE, purpose=PURPOSE)
        ws.panel.mark_as_demo(admin, purpose=PURPOSE)

        self.step(50, "Importing Avon and Somerset's public records for January 2018")
        records = files("bwv_review.resources") / "data" / RECORDS_FILE
        with as_file(records) as path:
            ws.records.import_file(admin, path, purpose=PURPOSE)

        self.step(53, "Importing the demonstration cases and registering their footage")
        manifest = self.home / "manifests" / MANIFEST_NAME
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(
            json.dumps(
                {"cases": manifest_rows(CASES, datetime.now(UTC).date())},
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        ws.library.import_manifest(admin, manifest, settings, purpose=PURPOSE)
        settings.map_footage_root(FOOTAGE_ROOT, self.footage)
        registered = ws.library.register_clips(admin, FOOTAGE_ROOT, settings, purpose=PURPOSE)
        if registered.problems:
            raise RuntimeError(f"demo footage not registered: {registered.problems[0].message}")

        chair = people[CHAIR.username]
        reviewers = [Reviewer(people[a.username], n) for n, a in enumerate(REVIEWERS)]
        first = self._finalised_session(ws, chair, reviewers)
        second = self._open_session(ws, chair, reviewers)
        self._tracker(ws, chair, first, second)

    def _accounts(self, ws: Workspace) -> tuple[Actor, dict[str, Actor]]:
        """The administrator first (as on any new workspace), who adds the others; then
        each person signs in once and accepts the confidentiality statement."""
        ws.auth.create_first_admin(ADMIN.username, ADMIN.display_name, ADMIN.pin, purpose=PURPOSE)
        admin = ws.auth.sign_in(ADMIN.username, ADMIN.pin, purpose=PURPOSE)
        for account in DEMO_ACCOUNTS:
            if account is not ADMIN:
                ws.auth.create_user(
                    admin,
                    account.username,
                    account.display_name,
                    account.pin,
                    account.roles,
                    purpose=PURPOSE,
                    temporary=False,  # the demo's PINs are published, to be shared
                )
        # The first administrator is made a chair too; the demo's chair is someone else.
        ws.users.set_roles(admin, ADMIN.username, ADMIN.roles, purpose=PURPOSE)
        people = {}
        for account in DEMO_ACCOUNTS:
            actor = ws.auth.sign_in(account.username, account.pin, purpose=PURPOSE)
            people[account.username] = ws.users.accept_confidentiality(actor, purpose=PURPOSE)
        return people[ADMIN.username], people

    def _session(
        self,
        ws: Workspace,
        chair: Actor,
        reviewers: Sequence[Reviewer],
        *,
        name: str,
        quarter: str,
        meeting: date,
        period: tuple[date, date],
        strata: Sequence[str],
        seed: str,
    ) -> tuple[int, list[tuple[DemoCase, dict[int, int]]]]:
        """Draw the sample, create the session on it and open it; returns the session and,
        for each case in draw order, each reviewer's assignment."""
        period_filter = f"date={period[0].isoformat()}..{period[1].isoformat()}"
        spec = SampleSpec.parse([period_filter], list(strata), None)
        draw_name = f"{name} sample"
        ws.sampling.draw(chair, draw_name, seed, spec, purpose=PURPOSE)
        members = [r.actor.username for r in reviewers]
        session_id = ws.review_sessions.create(
            chair, name, quarter, meeting, members, purpose=PURPOSE
        )
        ws.review_sessions.adopt_draw(chair, session_id, draw_name, purpose=PURPOSE)
        ws.review_sessions.open(chair, session_id, purpose=PURPOSE)
        order = [c.force_reference for c in ws.sampling.get(chair, draw_name).cases]
        assignments: dict[str, dict[int, int]] = {ref: {} for ref in order}
        for reviewer in reviewers:
            for item in ws.reviews.queue(reviewer.actor):
                if item.session_id == session_id:
                    assignments[item.force_reference][reviewer.position] = item.assignment_id
        return session_id, [(self.by_reference[ref], assignments[ref]) for ref in order]

    def _finalised_session(self, ws: Workspace, chair: Actor, reviewers: Sequence[Reviewer]) -> int:
        """2018-Q1: every member reviews every case and submits; the chair records the
        meeting and the outcomes, finalises, and then the force's answers arrive."""
        self.step(58, "Drawing the 2018-Q1 sample and opening its session")
        session_id, cases = self._session(
            ws,
            chair,
            reviewers,
            name=FIRST_SESSION,
            quarter="2018-Q1",
            meeting=date(2018, 4, 19),
            period=FIRST_HALF,
            strata=["strip_search=true:all", "taser=any:all", "rest:5"],
            seed="20180419",
        )
        grades: dict[str, list[str | None]] = {case.reference: [] for case, _ in cases}
        for reviewer in reviewers:
            self.step(
                60 + 6 * reviewer.position,
                f"2018-Q1: {reviewer.actor.display_name} reviews {len(cases)} cases",
            )
            for case, assigned in cases:
                grades[case.reference].append(
                    panel_work.review(ws, reviewer, assigned[reviewer.position], case, self.rubric)
                )
        self.step(84, "2018-Q1: the panel meets, records its outcomes and finalises")
        absent = reviewers[-1].actor.username
        for reviewer in reviewers:
            ws.review_sessions.record_attendance(
                chair,
                session_id,
                reviewer.actor.username,
                reviewer.actor.username != absent,
                purpose=PURPOSE,
            )
        versions: dict[int, int] = {}
        case_ids = self._case_ids(ws, chair, session_id)
        for case, _ in cases:
            case_id = case_ids[case.reference]
            ws.review_sessions.set_discussed(chair, session_id, case_id, True, purpose=PURPOSE)
            outcome = ws.consensus.save_outcome(
                chair,
                session_id,
                case_id,
                panel_work.outcome_for(case, grades[case.reference]),
                expected_version=None,
                purpose=PURPOSE,
            )
            versions[case_id] = outcome.version
        ws.review_sessions.finalise(chair, session_id, purpose=PURPOSE)
        for case, _ in cases:
            response = panel_work.force_response_for(case)
            if response:
                case_id = case_ids[case.reference]
                ws.consensus.record_force_response(
                    chair,
                    session_id,
                    case_id,
                    response,
                    expected_version=versions[case_id],
                    purpose=PURPOSE,
                )
        return session_id

    def _open_session(self, ws: Workspace, chair: Actor, reviewers: Sequence[Reviewer]) -> int:
        """The next quarter, part-way: the first member has submitted everything, the
        second some, the third has started a few, the fourth has not begun."""
        self.step(90, "2018-Q2: drawing the sample; the members start reviewing")
        session_id, cases = self._session(
            ws,
            chair,
            reviewers,
            name=NEXT_SESSION,
            quarter="2018-Q2",
            meeting=date(2018, 7, 19),
            period=SECOND_HALF,
            strata=["age_band=under 10,10-17:all", "rest:6"],
            seed="20180719",
        )
        plan = {0: (len(cases), 0), 1: (4, 3), 2: (0, 2), 3: (0, 0)}  # (submitted, started)
        for reviewer in reviewers:
            submitted, started = plan[reviewer.position]
            for index, (case, assigned) in enumerate(cases[: submitted + started]):
                finished = index < submitted
                panel_work.review(
                    ws,
                    reviewer,
                    assigned[reviewer.position],
                    case,
                    self.rubric,
                    share=1.0 if finished else 0.5,
                    submit=finished,
                )
        return session_id

    def _tracker(self, ws: Workspace, chair: Actor, first_session: int, next_session: int) -> None:
        """Recommendations raised at both meetings, one already closed: added open, as
        at the meeting, then brought up to date as the force answered."""
        self.step(97, "The learning tracker")
        q1 = date(2018, 4, 19)
        items = [
            (
                TrackerEntry(
                    "Give the station and explain the right to a copy of the record (GOWISELY "
                    "S and E) in every search.",
                    "GOWISELY",
                    "Force stop and search lead",
                    TrackerStatus.IN_PROGRESS,
                    "Briefing issued to all response teams; covered again in the next "
                    "officer safety training.",
                    date(2018, 9, 30),
                ),
                first_session,
                q1,
            ),
            (
                TrackerEntry(
                    "Switch body-worn video on before the first words to the person, not "
                    "once the search starts.",
                    "Body-worn video",
                    "Head of Professional Standards",
                    TrackerStatus.CLOSED,
                    "Activation policy re-issued in May 2018; compliance checked monthly.",
                    date(2018, 6, 30),
                ),
                first_session,
                q1,
            ),
            (
                TrackerEntry(
                    "Record on every search of a child beyond outer clothing whether an "
                    "appropriate adult was asked for, and why the search could not wait.",
                    "Children",
                    "Chief Inspector, safeguarding",
                    TrackerStatus.OPEN,
                    "",
                    date(2018, 12, 31),
                ),
                first_session,
                q1,
            ),
            (
                TrackerEntry(
                    "Review the decision to draw Taser on children holding no weapon.",
                    "Taser",
                    "Taser training lead",
                    TrackerStatus.OPEN,
                    "",
                    None,
                ),
                next_session,
                date(2018, 7, 2),
            ),
        ]
        for entry, session_id, raised_on in items:
            raised = replace(entry, status=TrackerStatus.OPEN, force_response="")
            item = ws.tracker.add(
                chair, raised, raised_in_session_id=session_id, raised_on=raised_on, purpose=PURPOSE
            )
            if entry != raised:
                ws.tracker.update(
                    chair, item.id, entry, expected_version=item.version, purpose=PURPOSE
                )

    @staticmethod
    def _case_ids(ws: Workspace, chair: Actor, session_id: int) -> dict[str, int]:
        detail = ws.review_sessions.detail(chair, session_id)
        return {case.force_reference: case.case_id for case in detail.cases}


__all__ = ["DemoCancelled", "DemoWorkspace", "build_demo"]
