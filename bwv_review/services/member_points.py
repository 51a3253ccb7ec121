"""Members' learning points for the chair's consensus view: each under the member's label,
in clip order then time, and gathered into moments so that points several members made
within a few seconds of each other read as the agreement they are.

Only submitted reviews are read (the caller passes them), so a member's points reach the
chair exactly when that member's answers do: independence is the consensus service's rule,
checked once before anything here runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.services.review_views import LearningPointView, point_view
from bwv_review.store.models import Clip, LearningPoint, Review

logger = logging.getLogger(__name__)

MOMENT_MS = 5_000
"""Points on the same clip within this of a moment's first point belong to that moment: near
enough that members marking it saw the same thing, short enough that a moment stays one."""


@dataclass(frozen=True)
class MemberPoint:
    member: str  # the label the comparison shows the member's answers under
    clip_label: str
    point: LearningPointView


@dataclass(frozen=True)
class PointMoment:
    """Points on one clip starting at `start_ms`, none more than MOMENT_MS after it."""

    clip_label: str
    start_ms: int
    points: tuple[MemberPoint, ...]

    @property
    def members(self) -> tuple[str, ...]:
        """Who marked this moment, each once, in the order their points come."""
        return tuple(dict.fromkeys(p.member for p in self.points))


def member_points(
    session: Session, reviews: Mapping[int, Review], labels: Mapping[int, str]
) -> tuple[MemberPoint, ...]:
    """The points of these reviews (by reviewer id), by clip order, time, then member order."""
    order = {reviewer: index for index, reviewer in enumerate(reviews)}
    reviewer_of = {review.id: reviewer for reviewer, review in reviews.items()}
    rows = session.execute(
        select(LearningPoint, Clip.label, Clip.position)
        .join(Clip, Clip.id == LearningPoint.clip_id)
        .where(LearningPoint.review_id.in_(reviewer_of))
    ).all()
    ordered = sorted(
        rows,
        key=lambda row: (
            row[2],
            row[0].clip_id,
            row[0].position_ms,
            order[reviewer_of[row[0].review_id]],
            row[0].id,
        ),
    )
    logger.debug("%d learning points from %d submitted reviews", len(rows), len(reviews))
    return tuple(
        MemberPoint(labels[reviewer_of[point.review_id]], label, point_view(point))
        for point, label, _position in ordered
    )


def moments(points: Iterable[MemberPoint]) -> tuple[PointMoment, ...]:
    """`points` (in member_points' order) gathered into moments."""
    found: list[PointMoment] = []
    current: list[MemberPoint] = []
    for point in points:
        if current and not _same_moment(current, point):
            found.append(_moment(current))
            current = []
        current.append(point)
    if current:
        found.append(_moment(current))
    return tuple(found)


def _same_moment(current: Sequence[MemberPoint], point: MemberPoint) -> bool:
    first = current[0].point
    return (
        point.point.clip_id == first.clip_id
        and point.point.position_ms - first.position_ms <= MOMENT_MS
    )


def _moment(points: Sequence[MemberPoint]) -> PointMoment:
    return PointMoment(points[0].clip_label, points[0].point.position_ms, tuple(points))
