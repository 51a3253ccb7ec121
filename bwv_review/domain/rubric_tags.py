"""The rubric's learning tags: themes a training lead collects across cases, each in a
group that heads the tag picker and the learning export."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TagGroup:
    """A heading in the tag picker and the learning export."""

    id: str
    label: str


@dataclass(frozen=True)
class LearningTag:
    """A theme a training lead collects across cases, attached to a moment in a clip."""

    id: str
    label: str
    group_id: str
    help: str
