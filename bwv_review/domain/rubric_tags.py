"""The rubric's tags: themes a training lead collects across cases, each in a group that
heads the tag picker and the learning export. A group is for one kind of point, learning for
the officer or good practice, so a point is offered only the tags that fit what it records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bwv_review.domain.vocab import LearningKind


@dataclass(frozen=True)
class TagGroup:
    """A heading in the tag picker and the learning export; its tags are for points of
    ``kind``."""

    id: str
    label: str
    kind: LearningKind


@dataclass(frozen=True)
class LearningTag:
    """A theme a training lead collects across cases, attached to a moment in a clip."""

    id: str
    label: str
    group_id: str
    help: str


def groups_for_kind(groups: Sequence[TagGroup], kind: LearningKind) -> tuple[TagGroup, ...]:
    """The groups a point of ``kind`` is offered. A rubric that marks no group as good
    practice (version 2026.1 and panels' files written before) offers every group for either
    kind, as it always did, so its sessions keep the tags their points already carry."""
    if all(group.kind is LearningKind.LEARNING for group in groups):
        return tuple(groups)
    return tuple(group for group in groups if group.kind is kind)
