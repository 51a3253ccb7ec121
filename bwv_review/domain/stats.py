"""Counts by one field or a cross-tab of two, in the order a report reads them.

The store hands over counts per stored value (grouped in SQL); here each stored value gets
its label (a blank is "not recorded", never dropped or folded into a group) and values that
mean the same after labelling are added together. Report order: a field's own order (age
bands youngest first), then other values by count, then the markers "not stated",
"unrecognised" and "not recorded" last, so a reader always finds them in the same place.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bwv_review.domain.police_vocab import FLAG_LABELS, MARKERS, NOT_RECORDED, Vocabulary

Labeller = Callable[[object], str]

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def label_stored(value: object) -> str:
    """A value as stored: None or blank is "not recorded", a flag reads yes/no."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return FLAG_LABELS[value]
    text = str(value).strip()
    return text or NOT_RECORDED


def label_by(vocabulary: Vocabulary) -> Labeller:
    """Labels through a vocabulary, for values kept as published (a force's manifest)."""

    def label(value: object) -> str:
        if value is None:
            return NOT_RECORDED
        return vocabulary.classify(str(value)) or NOT_RECORDED

    return label


@dataclass(frozen=True)
class Breakdown:
    """Counts by `fields` (one or two). `levels[i]` lists field i's values in report order;
    `counts` holds every non-zero combination."""

    fields: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    counts: Mapping[tuple[str, ...], int]
    total: int

    def count(self, *values: str) -> int:
        return self.counts.get(tuple(values), 0)

    def cells(self) -> list[tuple[tuple[str, ...], int]]:
        """Non-zero combinations in report order (rows by the first field's levels)."""
        rank = [{value: i for i, value in enumerate(level)} for level in self.levels]
        return sorted(
            self.counts.items(),
            key=lambda item: tuple(rank[i][value] for i, value in enumerate(item[0])),
        )

    def margin(self, field_index: int) -> dict[str, int]:
        """Totals per value of one field (a row or column total of a cross-tab)."""
        totals: Counter[str] = Counter()
        for values, count in self.counts.items():
            totals[values[field_index]] += count
        return {value: totals[value] for value in self.levels[field_index]}


def _ordered(present: Mapping[str, int], preferred: Sequence[str]) -> tuple[str, ...]:
    known = [value for value in preferred if value in present and value not in MARKERS]
    others = sorted(
        (value for value in present if value not in preferred and value not in MARKERS),
        key=lambda value: (-present[value], value),
    )
    markers = [value for value in MARKERS if value in present]
    return (*known, *others, *markers)


def tabulate(
    fields: Sequence[str],
    grouped: Iterable[tuple[Sequence[object], int]],
    labellers: Sequence[Labeller],
    orders: Sequence[Sequence[str]],
) -> Breakdown:
    """Label and combine `grouped` (stored values per field, count) into a Breakdown."""
    if not 1 <= len(fields) <= 2 or not len(fields) == len(labellers) == len(orders):
        raise ValueError("a breakdown is by one field or a cross-tab of two")
    counts: Counter[tuple[str, ...]] = Counter()
    for stored, count in grouped:
        labels = tuple(labeller(value) for labeller, value in zip(labellers, stored, strict=True))
        counts[labels] += count
    levels = []
    for index, order in enumerate(orders):
        per_value: Counter[str] = Counter()
        for values, count in counts.items():
            per_value[values[index]] += count
        levels.append(_ordered(per_value, order))
    return Breakdown(tuple(fields), tuple(levels), dict(counts), sum(counts.values()))


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: unlike `p ± z·se` it stays inside 0..1
    and stays honest for the small counts panels see (3 of 5 is not "60%, give or take 0")."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {successes}/{trials}")
    share = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / denominator
    half_width = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials))
    half_width /= denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)
