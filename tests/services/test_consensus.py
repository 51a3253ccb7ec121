"""The chair's consensus data on both backends: answers side by side under Member labels,
agreement, members' learning points by clip and time, what changed since, the panel outcome
with its version check, amendments after finalising and the learning tracker."""

from __future__ import annotations

from datetime import date

import pytest

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.vocab import LearningKind, TrackerStatus
from bwv_review.services.actor import Actor
from bwv_review.services.amendments import OutcomeField
from bwv_review.services.consensus import ConcurrentEdit, OutcomeDraft, OwnReviewPending
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Clip, FootageRoot
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel

DRAFT = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), "A calm adult...", "Why?")


def _submit(workspace: Workspace, panel: Panel, reviewer: str, case: int, answer: str) -> int:
    actor = getattr(panel, reviewer)
    assignment = panel.assignment(workspace, actor, panel.case_ids[case])
    answer_all(workspace, actor, assignment, answer)
    workspace.reviews.submit(actor, assignment, purpose=PURPOSE)
    return assignment


@pytest.fixture
def panel(workspace: Workspace) -> Panel:
    return build_panel(workspace)


def test_answers_side_by_side_with_disagreements_flagged(
    workspace: Workspace, panel: Panel
) -> None:
    _submit(workspace, panel, "alice", 0, "met")
    compare = workspace.consensus.compare_case
    early = compare(panel.chair, panel.session_id, panel.case_ids[0], purpose=PURPOSE)
    assert (early.members, early.pending) == (("Member A",), ("Member B",))
    assert not any(row.disagreement for row in early.checks)

    _submit(workspace, panel, "bob", 0, "not_met")
    both = compare(panel.chair, panel.session_id, panel.case_ids[0], purpose=PURPOSE)
    rows = {row.check_id: row for row in both.checks}
    assert rows["courtesy"].disagreement
    assert {k: v.answer_id for k, v in rows["courtesy"].answers.items()} == {
        "Member A": "met",
        "Member B": "not_met",
    }
    assert not rows["taser_justified"].disagreement  # both Not applicable
    assert [r.case_grade for r in both.reviews] == ["good_practice", "concern"]

    workspace.review_sessions.set_visibility(
        panel.chair, panel.session_id, show_member_names=True, purpose=PURPOSE
    )
    named = compare(panel.chair, panel.session_id, panel.case_ids[0], purpose=PURPOSE)
    assert named.members == ("Alice", "Bob")
    with pytest.raises(PermissionDenied, match="record panel outcomes"):
        compare(panel.alice, panel.session_id, panel.case_ids[0], purpose=PURPOSE)


def test_a_chair_who_reviews_compares_only_after_submitting(workspace: Workspace) -> None:
    panel = build_panel(workspace, open_it=False)
    workspace.review_sessions.add_members(panel.chair, panel.session_id, ["chair"], purpose="t")
    workspace.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    own = panel.assignment(workspace, panel.chair, panel.case_ids[0])
    case = panel.session_id, panel.case_ids[0]
    with pytest.raises(OwnReviewPending, match="Submit your own review of it first") as refused:
        workspace.consensus.compare_case(panel.chair, *case, purpose=PURPOSE)
    assert refused.value.assignment_id == own  # the screen takes the chair straight there
    assert "under My reviews" in str(refused.value)
    with pytest.raises(OwnReviewPending):  # the outcome is the panel's view of the answers
        workspace.consensus.outcome(panel.chair, *case)
    with pytest.raises(OwnReviewPending):
        workspace.consensus.save_outcome(
            panel.chair, *case, DRAFT, expected_version=None, purpose=PURPOSE
        )
    _submit(workspace, panel, "chair", 0, "met")
    seen = workspace.consensus.compare_case(panel.chair, *case, purpose=PURPOSE)
    assert seen.members == ("Member C",)  # joined last, so takes the next letter
    saved = workspace.consensus.save_outcome(
        panel.chair, *case, DRAFT, expected_version=None, purpose=PURPOSE
    )
    assert workspace.consensus.outcome(panel.chair, *case) == saved
    # The chair's own review of the second case was never submitted; once the session is
    # finalised nothing can be, so its consensus is no longer held back.
    workspace.review_sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE)
    workspace.consensus.compare_case(panel.chair, panel.session_id, panel.case_ids[1], purpose="t")


def _second_clip(workspace: Workspace, case_id: int) -> int:
    """A second officer's clip on the case, which sorts after the first whatever its times."""
    with workspace.db.transaction() as session:
        root = session.query(FootageRoot).filter_by(name="force-store").one()
        clip = Clip(
            case_id=case_id,
            position=1,
            label="Officer 2",
            footage_root_id=root.id,
            relative_path=f"{case_id}/officer2.mp4",
            duration_ms=120_000,
            frame_count=3000,
        )
        session.add(clip)
        session.flush()
        return clip.id


def _point(
    workspace: Workspace, reviewer: Actor, assignment: int, clip_id: int, at_ms: int, *tags: str
) -> None:
    kind = LearningKind.GOOD_PRACTICE if "good_practice_exemplar" in tags else LearningKind.LEARNING
    stamp = LearningPointInput(clip_id, at_ms, at_ms // 40, 1, kind, tags, f"note at {at_ms}")
    workspace.reviews.add_learning_point(reviewer, assignment, stamp, purpose=PURPOSE)


def test_learning_points_by_clip_and_time_under_member_labels_after_submitting(
    workspace: Workspace, panel: Panel
) -> None:
    case_id = panel.case_ids[0]
    compare = workspace.consensus.compare_case
    first = workspace.reviews.open_case(
        panel.alice, panel.assignment(workspace, panel.alice, case_id), purpose=PURPOSE
    ).clips[0]
    second = _second_clip(workspace, case_id)
    alices = panel.assignment(workspace, panel.alice, case_id)
    bobs = panel.assignment(workspace, panel.bob, case_id)
    _point(workspace, panel.alice, alices, second, 5_000, "receipt_not_offered")
    _point(workspace, panel.alice, alices, first.clip_id, 64_500, "grounds_not_explained")
    _point(workspace, panel.alice, alices, first.clip_id, 10_000, "good_practice_exemplar")
    _point(workspace, panel.bob, bobs, first.clip_id, 62_000, "grounds_not_explained")
    _submit(workspace, panel, "alice", 0, "met")

    # Bob's review is a draft: his point is his own until he submits, as his answers are.
    early = compare(panel.chair, panel.session_id, case_id, purpose=PURPOSE)
    assert [(p.member, p.point.position_ms) for p in early.learning_points] == [
        ("Member A", 10_000),
        ("Member A", 64_500),
        ("Member A", 5_000),
    ]

    _submit(workspace, panel, "bob", 0, "not_met")
    both = compare(panel.chair, panel.session_id, case_id, purpose=PURPOSE)
    shown = [
        (p.member, p.clip_label, p.point.position_ms, p.point.kind, p.point.tags, p.point.note)
        for p in both.learning_points
    ]
    assert shown == [
        ("Member A", "Officer 1", 10_000, "good_practice", ("good_practice_exemplar",),
         "note at 10000"),
        ("Member B", "Officer 1", 62_000, "learning", ("grounds_not_explained",), "note at 62000"),
        ("Member A", "Officer 1", 64_500, "learning", ("grounds_not_explained",), "note at 64500"),
        ("Member A", "Officer 2", 5_000, "learning", ("receipt_not_offered",), "note at 5000"),
    ]  # fmt: skip
    bobs_point = both.learning_points[1].point
    assert (bobs_point.frame_index, bobs_point.frame_uncertainty) == (1550, 1)
    # Points within 5 s of each other on the same clip are one moment, whoever made them.
    assert [(m.clip_label, m.start_ms, m.members) for m in both.moments] == [
        ("Officer 1", 10_000, ("Member A",)),
        ("Officer 1", 62_000, ("Member B", "Member A")),
        ("Officer 2", 5_000, ("Member A",)),
    ]
    assert [p for m in both.moments for p in m.points] == list(both.learning_points)

    workspace.review_sessions.set_visibility(
        panel.chair, panel.session_id, show_member_names=True, purpose=PURPOSE
    )
    named = compare(panel.chair, panel.session_id, case_id, purpose=PURPOSE)
    assert [p.member for p in named.learning_points] == ["Alice", "Bob", "Alice", "Alice"]


def test_a_chair_who_reviews_sees_no_points_until_submitting(workspace: Workspace) -> None:
    panel = build_panel(workspace, open_it=False)
    workspace.review_sessions.add_members(panel.chair, panel.session_id, ["chair"], purpose="t")
    workspace.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    case_id = panel.case_ids[0]
    alices = panel.assignment(workspace, panel.alice, case_id)
    clip = workspace.reviews.open_case(panel.alice, alices, purpose=PURPOSE).clips[0].clip_id
    _point(workspace, panel.alice, alices, clip, 30_000, "grounds_weak")
    _submit(workspace, panel, "alice", 0, "met")
    own = panel.assignment(workspace, panel.chair, case_id)
    _point(workspace, panel.chair, own, clip, 31_000, "grounds_weak")
    with pytest.raises(OwnReviewPending):
        workspace.consensus.compare_case(panel.chair, panel.session_id, case_id, purpose="t")
    _submit(workspace, panel, "chair", 0, "met")
    seen = workspace.consensus.compare_case(panel.chair, panel.session_id, case_id, purpose="t")
    assert [(p.member, p.point.position_ms) for p in seen.learning_points] == [
        ("Member A", 30_000),
        ("Member C", 31_000),
    ]
    assert [m.members for m in seen.moments] == [("Member A", "Member C")]


def test_agreement_per_check_dimension_and_case_grade(workspace: Workspace, panel: Panel) -> None:
    for case in (0, 1):
        _submit(workspace, panel, "alice", case, "met")
        _submit(workspace, panel, "bob", case, "met" if case == 0 else "not_met")
    agreement = workspace.consensus.agreement(panel.chair, panel.session_id)
    courtesy = agreement.per_check["courtesy"]
    assert (courtesy.units, courtesy.ratings) == (2, 4)
    assert courtesy.reading == "too few ratings to say (4)"
    conduct = agreement.per_dimension["conduct"]
    assert (conduct.units, conduct.ratings) == (8, 16)
    assert conduct.alpha is not None and conduct.alpha < 0.667
    assert agreement.per_check["taser_justified"].units == 0  # Not applicable has no rank
    assert agreement.case_grade.units == 2


def test_changes_since_reports_only_this_sessions_reviews_and_outcomes(
    workspace: Workspace, panel: Panel
) -> None:
    start = workspace.consensus.changes_since(panel.chair, panel.session_id)
    assert start.events == ()
    _submit(workspace, panel, "bob", 1, "met")
    changes = workspace.consensus.changes_since(panel.chair, panel.session_id, start.cursor)
    assert changes.events[-1].action == "review.submitted"
    assert {(e.case_id, e.member) for e in changes.events} == {(panel.case_ids[1], "Member B")}
    workspace.consensus.save_outcome(
        panel.chair, panel.session_id, panel.case_ids[1], DRAFT, expected_version=None, purpose="t"
    )
    later = workspace.consensus.changes_since(panel.chair, panel.session_id, changes.cursor)
    assert [(e.action, e.member) for e in later.events] == [("outcome.saved", None)]
    assert (
        workspace.consensus.changes_since(panel.chair, panel.session_id, later.cursor).events == ()
    )


def test_a_stale_outcome_save_is_refused_naming_who_changed_it(
    workspace: Workspace, panel: Panel
) -> None:
    save = workspace.consensus.save_outcome
    first = save(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        DRAFT,
        expected_version=None,
        purpose=PURPOSE,
    )
    assert (first.version, first.actions, first.updated_by) == (1, ("question_to_force",), "Chair")
    with pytest.raises(ConcurrentEdit, match="Chair changed this outcome") as stale:
        save(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            DRAFT,
            expected_version=None,
            purpose=PURPOSE,
        )
    assert stale.value.version == 1
    second = save(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        OutcomeDraft("adequate", (), "", ""),
        expected_version=1,
        purpose=PURPOSE,
    )
    assert second.version == 2
    with pytest.raises(ConcurrentEdit):
        save(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            DRAFT,
            expected_version=1,
            purpose=PURPOSE,
        )
    outcome = workspace.consensus.outcome(panel.chair, panel.session_id, panel.case_ids[0])
    assert outcome is not None and outcome.consensus_grade == "adequate"
    with pytest.raises(BadInput, match="not a grade"):
        save(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            OutcomeDraft("green", (), "", ""),
            expected_version=2,
            purpose=PURPOSE,
        )


def test_after_finalising_corrections_are_amendments_beside_the_original(
    workspace: Workspace, panel: Panel
) -> None:
    alices = _submit(workspace, panel, "alice", 0, "met")
    saved = workspace.consensus.save_outcome(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        DRAFT,
        expected_version=None,
        purpose=PURPOSE,
    )
    workspace.review_sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE)
    with pytest.raises(BadInput, match="finalised"):
        workspace.consensus.save_outcome(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            DRAFT,
            expected_version=saved.version,
            purpose=PURPOSE,
        )
    amend = workspace.amendments
    with pytest.raises(BadInput, match="needs a reason"):
        amend.amend_outcome(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            OutcomeField.CONSENSUS_GRADE,
            "adequate",
            reason=" ",
            purpose="t",
        )
    amend.amend_outcome(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        OutcomeField.CONSENSUS_GRADE,
        "adequate",
        reason="misread",
        purpose="t",
    )
    amend.amend_outcome(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        OutcomeField.CONSENSUS_GRADE,
        "good_practice",
        reason="footage",
        purpose="t",
    )
    amend.amend_answer(panel.alice, alices, "courtesy", "partly_met", reason="missed", purpose="t")
    history = amend.amendments(panel.chair, panel.session_id, panel.case_ids[0])
    assert [(a.field, a.original_value, a.amended_value) for a in history] == [
        ("consensus_grade", "concern", "adequate"),
        ("consensus_grade", "adequate", "good_practice"),
        ("value", "met", "partly_met"),
    ]
    outcome = workspace.consensus.outcome(panel.chair, panel.session_id, panel.case_ids[0])
    assert outcome is not None and outcome.consensus_grade == "concern"  # original kept
    responded = workspace.consensus.record_force_response(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        "Officer advised.",
        expected_version=outcome.version,
        purpose=PURPOSE,
    )
    assert responded.force_response == "Officer advised." and responded.version == 2
    bobs = panel.assignment(workspace, panel.bob, panel.case_ids[0])
    with pytest.raises(PermissionDenied):
        amend.amend_answer(panel.bob, alices, "courtesy", "met", reason="x", purpose="t")
    with pytest.raises(BadInput, match="no answer"):
        amend.amend_answer(panel.bob, bobs, "courtesy", "met", reason="x", purpose="t")


def test_the_tracker_carries_items_across_sessions_with_a_version_check(
    workspace: Workspace, panel: Panel
) -> None:
    tracker = workspace.tracker
    entry = TrackerEntry("Start BWV before approaching", "BWV late start", "Ch Insp Training")
    item = tracker.add(
        panel.chair,
        entry,
        raised_in_session_id=panel.session_id,
        raised_on=date(2026, 10, 1),
        purpose=PURPOSE,
    )
    closed = tracker.update(
        panel.chair,
        item.id,
        TrackerEntry(
            entry.recommendation, entry.theme, entry.owner, TrackerStatus.CLOSED, "Briefing issued"
        ),
        expected_version=item.version,
        purpose=PURPOSE,
    )
    assert closed.closed_on is not None and closed.version == item.version + 1
    with pytest.raises(ConcurrentEdit, match="chair changed this tracker item"):
        tracker.update(panel.chair, item.id, entry, expected_version=item.version, purpose="t")
    assert [i.entry.status for i in tracker.items(panel.chair)] == [TrackerStatus.CLOSED]
    assert tracker.items(panel.chair, status=TrackerStatus.OPEN) == []
    reopened = tracker.update(
        panel.chair, item.id, entry, expected_version=closed.version, purpose=PURPOSE
    )
    assert reopened.closed_on is None
    with pytest.raises(BadInput, match="needs a recommendation"):
        tracker.add(
            panel.chair,
            TrackerEntry("", "t", "o"),
            raised_in_session_id=None,
            raised_on=date(2026, 10, 1),
            purpose=PURPOSE,
        )
    with pytest.raises(PermissionDenied):
        tracker.items(panel.alice)
