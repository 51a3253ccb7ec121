"""How far panel members agreed: Krippendorff's alpha (ordinal) per check or dimension.

The chair reads agreement before discussion, so it comes with plain words and the number of
ratings it rests on: an alpha from six ratings means little, and the report must not imply
more. Answers off the ordinal scale (Cannot tell, Not applicable) are left out as missing.
The computation itself is the `krippendorff` package's; this module shapes the data.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import krippendorff
import numpy as np

# Fewer pairable ratings than this and the figure is shown but not interpreted.
MIN_RATINGS_TO_INTERPRET = 10

# Units and raters are whatever the caller keys them by (a case, a case's check, a member id).
_Unit = TypeVar("_Unit", bound=Hashable)
_Rater = TypeVar("_Rater", bound=Hashable)


@dataclass(frozen=True)
class Agreement:
    alpha: float | None
    ratings: int  # ratings in units that at least two members rated (the pairable ones)
    units: int  # units (a case's check, say) rated by at least two members
    reading: str


def reading_for(alpha: float | None, ratings: int) -> str:
    """Plain words, using Krippendorff's own thresholds (0.667 and 0.8)."""
    if ratings < MIN_RATINGS_TO_INTERPRET:
        return f"too few ratings to say ({ratings})"
    if alpha is None:
        return "every rating was the same, so agreement cannot be measured"
    if alpha >= 0.8:
        return "members agreed closely"
    if alpha >= 0.667:
        return "members mostly agreed"
    if alpha >= 0.4:
        return "members agreed only in part"
    return "members often disagreed"


def ordinal_agreement(
    ratings: Mapping[_Unit, Mapping[_Rater, int | None]],
) -> Agreement:
    """`ratings[unit][rater]` is an ordinal rank, or None for an answer off the scale.

    A unit counts only when at least two members gave it a rank; alpha is None when there
    is nothing to compare or no variation at all in the ranks.
    """
    pairable = {
        unit: {rater: rank for rater, rank in by_rater.items() if rank is not None}
        for unit, by_rater in ratings.items()
    }
    pairable = {unit: ranks for unit, ranks in pairable.items() if len(ranks) >= 2}
    count = sum(len(ranks) for ranks in pairable.values())
    alpha = _alpha(pairable) if pairable else None
    return Agreement(alpha, count, len(pairable), reading_for(alpha, count))


def _alpha(pairable: Mapping[_Unit, Mapping[_Rater, int]]) -> float | None:
    raters = sorted({rater for ranks in pairable.values() for rater in ranks}, key=repr)
    matrix = np.full((len(raters), len(pairable)), np.nan)
    for column, ranks in enumerate(pairable.values()):
        for row, rater in enumerate(raters):
            if rater in ranks:
                matrix[row, column] = ranks[rater]
    domain = np.unique(matrix[~np.isnan(matrix)])
    if len(domain) < 2:
        return None
    value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal"))
    return None if math.isnan(value) else value
