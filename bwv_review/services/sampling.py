"""Drawing a named sample of cases for a review session, and reading it back.

The frame is every case in the workspace; `domain.sampling` filters, stratifies and ranks
it. What is stored (spec, seed, frame size, per-stratum counts, cases with their stratum and
rank) is what the report's sampling method section cites, and enough to re-draw and compare.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bwv_review.domain.sampling import (
    CaseFacts,
    Composition,
    Draw,
    SampleSpec,
    SpecError,
    check_seed,
    composition,
    draw_sample,
)
from bwv_review.domain.sampling_choices import FrameValues, frame_values
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, NotFound, Problem
from bwv_review.services.permissions import Permission, require
from bwv_review.services.text_input import typed_name
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import Case, Clip, SampleDraw, SampleDrawCase


@dataclass(frozen=True)
class StratumCount:
    stratum: str
    wanted: int | None  # None: all of it
    in_frame: int
    drawn: int


@dataclass(frozen=True)
class DrawnCase:
    rank: int  # 1 = first in draw order
    stratum: str
    force_reference: str
    case_id: int


@dataclass(frozen=True)
class DrawSummary:
    draw_id: int
    name: str
    seed: str
    spec: dict[str, object]
    frame_size: int
    strata: tuple[StratumCount, ...]
    cases: tuple[DrawnCase, ...]


def case_frame(session: Session) -> tuple[list[CaseFacts], dict[str, int]]:
    """Every case as sampling sees it, and the id behind each force reference. Only the
    columns sampling reads are loaded (not the grounds text). The report reads the same
    frame to set a stored draw's sample beside the frame it was drawn from."""
    has_footage = exists().where(Clip.case_id == Case.id)
    rows = session.execute(
        select(
            Case.id,
            Case.force_reference,
            Case.case_type,
            Case.occurred_at,
            Case.area,
            Case.power,
            Case.object_of_search,
            Case.outcome,
            Case.subject_age_band,
            Case.subject_gender,
            Case.subject_officer_defined_ethnicity,
            Case.subject_self_defined_ethnicity,
            Case.strip_search,
            Case.taser_highest_level,
            has_footage.label("has_footage"),
        ).order_by(Case.id)
    )
    facts, ids = [], {}
    for row in rows:
        ids[row.force_reference] = row.id
        facts.append(
            CaseFacts(
                key=row.force_reference,
                case_type=row.case_type.value,
                occurred_on=row.occurred_at.date(),
                area=row.area,
                power=row.power,
                object_of_search=row.object_of_search,
                outcome=row.outcome,
                age_band=row.subject_age_band,
                gender=row.subject_gender,
                officer_defined_ethnicity=row.subject_officer_defined_ethnicity,
                self_defined_ethnicity=row.subject_self_defined_ethnicity,
                strip_search=row.strip_search,
                taser_highest_level=row.taser_highest_level,
                has_footage=bool(row.has_footage),
            )
        )
    return facts, ids


def parse_spec(filters: Sequence[str], strata: Sequence[str], size: int | None) -> SampleSpec:
    try:
        return SampleSpec.parse(filters, strata, size)
    except SpecError as exc:
        problems = [Problem(problem) for problem in exc.problems]
        raise BadInput("the sample spec is not right; nothing drawn", problems) from None


@dataclass(frozen=True)
class PreviewCase:
    rank: int  # 1 = first in draw order, as the stored draw will rank it
    force_reference: str
    reason: str  # why it is in: its stratum and how that was sampled, in words


@dataclass(frozen=True)
class SamplePreview:
    """A draw computed but not stored, for the chair to check before confirming."""

    seed: str
    frame_size: int
    strata: tuple[StratumCount, ...]
    drawn: int
    compositions: tuple[Composition, ...]
    cases: tuple[PreviewCase, ...] = ()


def _stratum_counts(result: Draw) -> list[StratumCount]:
    return [StratumCount(s.label, s.wanted, s.frame_count, len(s.chosen)) for s in result.strata]


class SamplingService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def choices(self, actor: Actor) -> FrameValues:
        """The values each field holds in the frame, with counts, for a chair to tick
        instead of typing a spec; the dates it spans. Only someone who may draw reads it."""
        require(actor, Permission.DRAW_SAMPLE)
        with self._db.transaction() as session:
            frame, _ = case_frame(session)
        return frame_values(frame)

    def preview(self, actor: Actor, seed: str, spec: SampleSpec) -> SamplePreview:
        """What `draw` would take with this seed and spec, each case with why it is in, and
        how the sample's make-up compares with the frame's. Nothing is stored or audited:
        cases are named by force reference only, as the stored draw names them."""
        require(actor, Permission.DRAW_SAMPLE)
        try:
            seed = check_seed(seed)
        except SpecError as exc:
            raise BadInput(exc.problems[0]) from None
        with self._db.transaction() as session:
            frame, _ = case_frame(session)
        result = draw_sample(frame, spec, seed)
        return SamplePreview(
            seed,
            result.frame_size,
            tuple(_stratum_counts(result)),
            len(result.chosen),
            tuple(composition(frame, spec, {key for _, key in result.chosen})),
            tuple(
                PreviewCase(rank, pick.key, pick.reason)
                for rank, pick in enumerate(result.picks, start=1)
            ),
        )

    def draw(
        self, actor: Actor, name: str, seed: str, spec: SampleSpec, *, purpose: str
    ) -> DrawSummary:
        """Draw and store a named sample. The name is unique so a draw cannot quietly be
        replaced by a luckier one; a new draw needs a new name, and both stay on record."""
        require(actor, Permission.DRAW_SAMPLE)
        name = typed_name(name, "draw's name")
        if not name:
            raise BadInput("give the draw a name")
        try:
            seed = check_seed(typed_name(seed, "seed"))
        except SpecError as exc:
            raise BadInput(exc.problems[0]) from None
        for stratum in spec.strata:  # stored as its label, so it is a name like any other
            typed_name(stratum.label, "stratum's conditions")
        with self._db.transaction() as session:
            if session.scalar(select(SampleDraw.id).where(SampleDraw.name == name)):
                raise BadInput(f"there is already a draw called {name!r}; choose another name")
            frame, case_ids = case_frame(session)
            result = draw_sample(frame, spec, seed)
            counts = _stratum_counts(result)
            draw = SampleDraw(
                name=name,
                seed=seed,
                spec_json=json.dumps(spec.to_json(), sort_keys=True),
                frame_size=result.frame_size,
                stratum_counts_json=json.dumps([c.__dict__ for c in counts]),
                created_by=actor.user_id,
            )
            session.add(draw)
            session.flush()
            session.add_all(
                SampleDrawCase(draw_id=draw.id, case_id=case_ids[key], stratum=stratum, rank=rank)
                for rank, (stratum, key) in enumerate(result.chosen, start=1)
            )
            session.flush()
            append_event(
                session,
                actor=actor.username,
                action="sample.drawn",
                purpose=purpose,
                entity_type="sample_draw",
                entity_id=draw.id,
                detail={
                    "name": name,
                    "seed": seed,
                    "spec": spec.to_json(),
                    "frame_size": result.frame_size,
                    "drawn": len(result.chosen),
                },
            )
            return _summary(session, draw)

    def draw_names(self, actor: Actor) -> list[str]:
        """Names of the stored draws, newest first, for the chair to pick one to adopt."""
        require(actor, Permission.VIEW_LIBRARY)
        with self._db.transaction() as session:
            query = select(SampleDraw.name).order_by(SampleDraw.created_at.desc(), SampleDraw.id)
            return list(session.scalars(query))

    def get(self, actor: Actor, name: str) -> DrawSummary:
        require(actor, Permission.VIEW_LIBRARY)
        with self._db.transaction() as session:
            draw = session.scalar(select(SampleDraw).where(SampleDraw.name == name))
            if draw is None:
                raise NotFound(f"there is no draw called {name!r}")
            return _summary(session, draw)


def _summary(session: Session, draw: SampleDraw) -> DrawSummary:
    rows = session.execute(
        select(SampleDrawCase.rank, SampleDrawCase.stratum, Case.force_reference, Case.id)
        .join(Case, SampleDrawCase.case_id == Case.id)
        .where(SampleDrawCase.draw_id == draw.id)
        .order_by(SampleDrawCase.rank)
    )
    return DrawSummary(
        draw_id=draw.id,
        name=draw.name,
        seed=draw.seed,
        spec=json.loads(draw.spec_json),
        frame_size=draw.frame_size,
        strata=tuple(StratumCount(**c) for c in json.loads(draw.stratum_counts_json)),
        cases=tuple(DrawnCase(*row) for row in rows),
    )
