"""The rubric: what a panel checks in each case and how its answers suggest grades.

A rubric is data a panel chair edits by hand (``resources/rubrics/default.toml`` ships with the
app; a panel adds its own ``*.toml`` files to a rubrics folder). This module holds the rubric
as the app uses it once loaded; ``rubric_loading.py`` reads and checks the file,
``rubric_catalogue.py`` finds the files, and ``grading.py`` applies the rules.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bwv_review.domain.rubric_tags import LearningTag, TagGroup, groups_for_kind
from bwv_review.domain.vocab import CaseType, LearningKind

CASE_TYPES: tuple[str, ...] = tuple(case_type.value for case_type in CaseType)
"""Case types a check's ``applies_to`` may name; a case must use the same ids for its type."""

CASE_CONDITIONS: tuple[str, ...] = (
    "strip_search",
    "handcuffed",
    "force_used",
    "taser_used",
    "child",
)
"""Facts from a case record that a check's ``applies_if`` may name."""


@dataclass(frozen=True)
class AnswerOption:
    """One way to answer a check. ``rank`` orders answers from worst (lowest) to best; answers
    without a rank (Cannot tell, Not applicable) say nothing about quality, so agreement and
    averages leave them out."""

    id: str
    label: str
    help: str
    rank: int | None


@dataclass(frozen=True)
class CheckGroup:
    """Checks shown under one heading, such as GOWISELY; the report gives compliance per
    ``Check.letter`` of the group."""

    id: str
    label: str
    help: str


@dataclass(frozen=True)
class Check:
    """One question a reviewer answers about a case."""

    id: str
    dimension_id: str
    text: str
    help: str
    critical: bool
    reason_required_for: frozenset[str]
    applies_to: frozenset[str]
    applies_if: frozenset[str]
    group_id: str | None
    letter: str | None
    tag_ids: tuple[str, ...]

    def requires_reason(self, answer_id: str) -> bool:
        """A reason makes a critical answer reviewable by the chair and the force."""
        return answer_id in self.reason_required_for

    def applies(self, case_type: str, conditions: Collection[str]) -> bool:
        """Whether the form asks this check or starts it at Not applicable, so reviewers are
        not made to answer Taser questions about a search where no Taser was drawn."""
        if not self.applies_to and not self.applies_if:
            return True
        return case_type in self.applies_to or not self.applies_if.isdisjoint(conditions)


@dataclass(frozen=True)
class Dimension:
    """A heading such as Legal or Fair; each gets its own grade before the case does."""

    id: str
    label: str
    help: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class GradeDefinition:
    """A grade as shown and acted on. Colour is never the only signal: ``symbol`` (text) and
    ``icon`` (an icon name) carry the meaning for colour-blind readers and grey print.
    ``severity`` orders grades from best (0) to worst; None keeps a grade off that scale."""

    id: str
    label: str
    colour: str
    symbol: str
    icon: str
    leads_to: str
    severity: int | None


@dataclass(frozen=True)
class DimensionGradeRule:
    """Suggests ``grade_id`` for a dimension when at least ``min_count`` of its applicable
    checks (or ``min_share`` of them) got ``answer_id``. Exactly one threshold is set. Empty
    ``dimension_ids`` means every dimension."""

    grade_id: str
    answer_id: str
    min_count: int | None
    min_share: float | None
    critical_only: bool
    dimension_ids: frozenset[str]


@dataclass(frozen=True)
class CaseGradeRule:
    """Suggests ``grade_id`` for a case when at least ``min_count`` (or ``min_share``) of its
    dimensions, limited to ``dimension_ids`` when not empty, got ``dimension_grade_id``."""

    grade_id: str
    dimension_grade_id: str
    min_count: int | None
    min_share: float | None
    dimension_ids: frozenset[str]


@dataclass(frozen=True)
class GradeMapping:
    """Rules tried in order, the first that holds wins. A dimension otherwise gets
    ``dimension_otherwise_grade_id``; a case otherwise gets the worst severity among its
    dimension grades, or ``case_if_nothing_assessed_grade_id`` when none has a severity."""

    dimension_rules: tuple[DimensionGradeRule, ...]
    dimension_otherwise_grade_id: str
    case_rules: tuple[CaseGradeRule, ...]
    case_if_nothing_assessed_grade_id: str


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _by_id(items: Iterable[_Item], wanted_id: str) -> _Item:
    for item in items:
        if item.id == wanted_id:
            return item
    raise KeyError(wanted_id)


@dataclass(frozen=True)
class Rubric:
    """A whole rubric as loaded. Reviews store ``id`` and ``version`` to know what they used."""

    id: str
    title: str
    version: str
    description: str
    source: str
    answers: tuple[AnswerOption, ...]
    not_applicable_answer_id: str
    check_groups: tuple[CheckGroup, ...]
    dimensions: tuple[Dimension, ...]
    grades: tuple[GradeDefinition, ...]
    grading: GradeMapping
    tag_groups: tuple[TagGroup, ...]
    tags: tuple[LearningTag, ...]

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(check for dimension in self.dimensions for check in dimension.checks)

    def answer(self, answer_id: str) -> AnswerOption:
        return _by_id(self.answers, answer_id)

    def dimension(self, dimension_id: str) -> Dimension:
        return _by_id(self.dimensions, dimension_id)

    def check(self, check_id: str) -> Check:
        return _by_id(self.checks, check_id)

    def check_group(self, group_id: str) -> CheckGroup:
        return _by_id(self.check_groups, group_id)

    def group_checks(self, group_id: str) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.group_id == group_id)

    def grade(self, grade_id: str) -> GradeDefinition:
        return _by_id(self.grades, grade_id)

    def tag(self, tag_id: str) -> LearningTag:
        return _by_id(self.tags, tag_id)

    def tag_groups_for(self, kind: LearningKind) -> tuple[TagGroup, ...]:
        return groups_for_kind(self.tag_groups, kind)

    def tags_for(self, kind: LearningKind) -> tuple[LearningTag, ...]:
        """The tags a point of ``kind`` may carry, in the rubric's order."""
        group_ids = {group.id for group in self.tag_groups_for(kind)}
        return tuple(tag for tag in self.tags if tag.group_id in group_ids)
