"""Stats over cases read the case columns as the force gave them: the same canonical values
and markers as the public records, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bwv_review.domain.vocab import CaseType, Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case

PIN = "246810"


@pytest.fixture
def reviewer(workspace: Workspace) -> Actor:
    admin = workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    return workspace.auth.create_user(admin, "rita", "Rita", PIN, [Role.REVIEWER], purpose="test")


def _add_cases(workspace: Workspace, *cases: dict[str, object]) -> None:
    with workspace.db.transaction() as session:
        for number, fields in enumerate(cases, start=1):
            session.add(
                Case(
                    force_reference=f"REF-{number}",
                    case_type=CaseType.STOP_AND_SEARCH,
                    occurred_at=datetime(2026, 7, number, tzinfo=UTC),
                    **fields,
                )
            )


def test_case_values_are_classified_like_records(workspace: Workspace, reviewer: Actor) -> None:
    _add_cases(
        workspace,
        {"outcome": "Arrest", "subject_self_defined_ethnicity": "Asian/Asian British - Indian"},
        {"outcome": "arrest", "subject_self_defined_ethnicity": "Other ethnic group - Not stated"},
        {"outcome": "Suspect arrested", "subject_self_defined_ethnicity": None},
        {"outcome": "Words of advice", "subject_self_defined_ethnicity": "Klingon"},
        {"outcome": None, "subject_self_defined_ethnicity": ""},
    )
    outcomes = workspace.stats.breakdown(reviewer, source="cases", by=["outcome"])
    assert dict(outcomes.counts) == {("arrest",): 3, ("unrecognised",): 1, ("not recorded",): 1}
    crossed = workspace.stats.breakdown(
        reviewer, source="cases", by=["self_defined_ethnicity", "outcome"]
    )
    assert crossed.levels[0] == ("asian", "not stated", "unrecognised", "not recorded")
    assert crossed.count("not recorded", "arrest") == 1
    assert crossed.count("unrecognised", "unrecognised") == 1


def test_flags_and_case_types_count_in_their_order(workspace: Workspace, reviewer: Actor) -> None:
    _add_cases(workspace, {"strip_search": True}, {"strip_search": False}, {"strip_search": None})
    flags = workspace.stats.breakdown(reviewer, source="cases", by=["strip_search"])
    assert flags.levels == (("yes", "no", "not recorded"),)
    types = workspace.stats.breakdown(reviewer, source="cases", by=["case_type"])
    assert dict(types.counts) == {("stop_and_search",): 3}


def test_an_unknown_source_is_bad_input(workspace: Workspace, reviewer: Actor) -> None:
    with pytest.raises(BadInput, match="records or cases"):
        workspace.stats.breakdown(reviewer, source="clips", by=["gender"])
