"""Reproducible stratified random sampling of cases: the same spec, seed and cases always
give the same draw, on any database and any Python version.

A panel must be able to show that its dip sample was random and was not re-drawn until it
looked convenient. So nothing here uses `random` or the database's ordering: each case gets
the rank SHA-256(seed + "\\n" + case key), where the key is the force reference (stable
across databases, unlike row ids), and each stratum takes its lowest ranks. Sorting those
hex strings in Python gives one order everywhere.

The fields a spec may test are in `domain.sampling_fields`, the chair's syntax in
`domain.sampling_spec`; both are re-exported here, where callers have always found them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bwv_review.domain.sampling_fields import FIELDS, NOT_RECORDED, CaseFacts, SpecError
from bwv_review.domain.sampling_spec import (
    ALL,
    MAX_SEED_CHARS,
    REMAINDER,
    REST,
    Condition,
    SampleSpec,
    Stratum,
    Take,
    check_seed,
)

__all__ = [
    "ALL",
    "COMPOSITION_FIELDS",
    "FIELDS",
    "MAX_SEED_CHARS",
    "NOT_RECORDED",
    "REMAINDER",
    "REST",
    "CaseFacts",
    "Composition",
    "Condition",
    "Draw",
    "Pick",
    "SampleSpec",
    "SpecError",
    "Stratum",
    "StratumDraw",
    "Take",
    "check_seed",
    "composition",
    "draw_sample",
    "rank_key",
]

# --- Drawing --------------------------------------------------------------------------------


def rank_key(seed: str, case_key: str) -> str:
    """A case's place in the random order: the same on every machine, database and Python."""
    return hashlib.sha256(f"{seed}\n{case_key}".encode()).hexdigest()


@dataclass(frozen=True)
class StratumDraw:
    label: str
    wanted: int | None  # None: all of the stratum
    frame_count: int
    chosen: tuple[str, ...]  # case keys, lowest rank first
    words: str = ""  # the conditions in plain words; "" for the rest or the whole frame

    @property
    def short_by(self) -> int:
        """How many fewer cases than asked for the stratum held (0 when it had enough)."""
        return 0 if self.wanted is None else self.wanted - len(self.chosen)

    @property
    def reason(self) -> str:
        """Why a case of this stratum is in the draw, as the chair reads it in the preview."""
        share = f"{len(self.chosen)} of {self.frame_count}"
        if self.label == ALL:
            return f"random dip: {share}"
        if self.label == REST:
            return f"random dip from the rest: {share}"
        take = "take all" if self.wanted is None else f"{share} at random"
        return f"stratum: {self.words}, {take}"


@dataclass(frozen=True)
class Pick:
    """One drawn case, the stratum it came from and why it is in."""

    key: str
    stratum: str  # the stratum's label, as stored with the draw
    reason: str


@dataclass(frozen=True)
class Draw:
    seed: str
    frame_size: int
    strata: tuple[StratumDraw, ...]

    @property
    def chosen(self) -> list[tuple[str, str]]:
        """(stratum label, case key) in draw order: strata in spec order, ranks within."""
        return [(s.label, key) for s in self.strata for key in s.chosen]

    @property
    def picks(self) -> list[Pick]:
        """Every drawn case in draw order with the reason it is in."""
        return [Pick(key, s.label, s.reason) for s in self.strata for key in s.chosen]


def draw_sample(frame: Sequence[CaseFacts], spec: SampleSpec, seed: str) -> Draw:
    """Filter the frame, put each case in its first matching stratum, and take each
    stratum's lowest ranks. Pure: the result depends only on the arguments."""
    seed = check_seed(seed)
    keys = [case.key for case in frame]
    if len(set(keys)) != len(keys):
        raise ValueError("the frame holds the same case key twice")
    in_frame = [case for case in frame if spec.in_frame(case)]
    ranked = sorted(in_frame, key=lambda case: (rank_key(seed, case.key), case.key))
    named = [s for s in spec.strata if not s.is_rest]
    members: dict[Stratum, list[str]] = {s: [] for s in spec.strata}
    rest = next((s for s in spec.strata if s.is_rest), None)
    for case in ranked:
        home = next((s for s in named if s.matches(case)), rest)
        if home is not None:
            members[home].append(case.key)
    results = []
    drawn = 0
    for stratum in [*named, *([rest] if rest else [])]:
        cases = members[stratum]
        wanted: int | None
        if stratum.take == ALL:
            wanted = None
        elif stratum.take == REMAINDER:
            wanted = max(0, (spec.size or 0) - drawn)
        else:
            wanted = int(stratum.take)
        chosen = cases if wanted is None else cases[:wanted]
        drawn += len(chosen)
        # With no named strata the "rest" is the whole frame; call it that.
        label = stratum.label if named else ALL
        results.append(StratumDraw(label, wanted, len(cases), tuple(chosen), stratum.words))
    return Draw(seed, len(in_frame), tuple(results))


COMPOSITION_FIELDS = {
    "officer_defined_ethnicity": "Officer-defined ethnicity",
    "age_band": "Age range",
    "case_type": "Case type",
}


@dataclass(frozen=True)
class Composition:
    """Counts per value of one field, in the frame and in the sample, so the chair sees
    before confirming whether the sample over- or under-represents a group."""

    field: str
    label: str
    frame: Mapping[str, int]
    sample: Mapping[str, int]

    def values(self) -> list[str]:
        """Values by frame count, largest first, then any found only in the sample."""
        ordered = sorted(self.frame, key=lambda value: (-self.frame[value], value))
        return ordered + sorted(set(self.sample) - set(self.frame))


def composition(
    frame: Sequence[CaseFacts], spec: SampleSpec, chosen: Collection[str]
) -> list[Composition]:
    """The make-up of the frame `spec` selects and of the `chosen` case keys: a preview's
    draw, or a stored draw's cases when the report compares its sample with the frame."""
    in_frame = [case for case in frame if spec.in_frame(case)]
    compositions = []
    for field_name, label in COMPOSITION_FIELDS.items():
        frame_counts: dict[str, int] = {}
        sample_counts: dict[str, int] = {}
        for case in in_frame:
            value = getattr(case, field_name) or NOT_RECORDED
            frame_counts[value] = frame_counts.get(value, 0) + 1
            if case.key in chosen:
                sample_counts[value] = sample_counts.get(value, 0) + 1
        compositions.append(Composition(field_name, label, frame_counts, sample_counts))
    return compositions
