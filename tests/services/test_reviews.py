"""The reviewer's work on both backends: the queue and case view, answers saved one by one
and audited, submission refused with every gap named, learning points, permissions, and
independence (nobody sees another member's answers before submitting their own)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bwv_review.domain.vocab import LearningKind, Role
from bwv_review.services.errors import BadInput, PermissionDenied
from bwv_review.services.reviews import LearningPointInput, ReviewText, SubmissionRefused
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, Clip
from tests.services.review_fixtures import (
    PURPOSE,
    RUBRIC,
    Panel,
    answer_all,
    build_panel,
    make_person,
)


@pytest.fixture
def panel(workspace: Workspace) -> Panel:
    return build_panel(workspace)


def _first(workspace: Workspace, panel: Panel, reviewer_name: str = "alice") -> int:
    return panel.assignment(workspace, getattr(panel, reviewer_name), panel.case_ids[0])


def _audited(workspace: Workspace, action: str) -> int:
    with workspace.db.transaction() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            or 0
        )


def test_the_case_view_has_the_record_and_starts_inapplicable_checks_at_not_applicable(
    workspace: Workspace, panel: Panel
) -> None:
    view = workspace.reviews.open_case(panel.alice, _first(workspace, panel), purpose=PURPOSE)
    assert view.case.force_reference == "CASE-001" and view.case.officer_pseudonym == "OFF-7"
    assert [c.label for c in view.clips] == ["Officer 1"]
    assert "taser_justified" not in view.applicable
    assert view.answers["taser_justified"].answer_id == "not_applicable"
    assert "courtesy" not in view.answers
    assert view.form.answered == len(RUBRIC.checks) - len(view.applicable)
    assert view.status == "in_progress" and not view.locked
    assert _audited(workspace, "case.viewed") == 1


def test_the_queue_counts_the_checks_a_case_opens_with_before_it_is_opened(
    workspace: Workspace, panel: Panel
) -> None:
    """My reviews said "0 of 30" for a case that opens at "3 of 30": the Not applicable
    answers preset on opening count from the start."""
    assignment = _first(workspace, panel)
    before = next(i for i in workspace.reviews.queue(panel.alice) if i.assignment_id == assignment)
    assert before.status == "not_started"
    view = workspace.reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    assert view.form.answered > 0
    assert before.answered == view.form.answered
    after = next(i for i in workspace.reviews.queue(panel.alice) if i.assignment_id == assignment)
    assert after.answered == view.form.answered


def test_each_answer_is_saved_audited_and_counted_in_the_queue(
    workspace: Workspace, panel: Panel
) -> None:
    assignment = _first(workspace, panel)
    reviews = workspace.reviews
    reviews.save_answer(panel.alice, assignment, "courtesy", "met", purpose=PURPOSE)
    state = reviews.save_answer(
        panel.alice, assignment, "courtesy", "not_met", "rude at 01:10", purpose=PURPOSE
    )
    assert state.dimension_suggestions["conduct"].grade_id is not None
    view = reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    assert view.answers["courtesy"].answer_id == "not_met"
    assert view.answers["courtesy"].reason == "rude at 01:10"
    item = next(i for i in reviews.queue(panel.alice) if i.assignment_id == assignment)
    assert (item.status, item.answered) == ("in_progress", view.form.answered)
    assert _audited(workspace, "review.answer_saved") == 2
    with pytest.raises(BadInput, match="not an answer"):
        reviews.save_answer(panel.alice, assignment, "courtesy", "yes", purpose=PURPOSE)
    with pytest.raises(BadInput, match="no check"):
        reviews.save_answer(panel.alice, assignment, "nonsense", "met", purpose=PURPOSE)


def test_submission_names_every_gap_then_locks_the_review(
    workspace: Workspace, panel: Panel
) -> None:
    assignment = _first(workspace, panel)
    reviews = workspace.reviews
    answer_all(workspace, panel.alice, assignment, skip=2)
    reviews.save_answer(panel.alice, assignment, "courtesy", "partly_met", purpose=PURPOSE)
    with pytest.raises(SubmissionRefused) as refused:
        reviews.submit(panel.alice, assignment, purpose=PURPOSE)
    messages = [p.message for p in refused.value.problems]
    assert len(messages) == 3
    assert f"a reason is needed for Partly met: {RUBRIC.check('courtesy').text}" in messages
    assert sum(m.startswith("unanswered: ") for m in messages) == 2

    answer_all(workspace, panel.alice, assignment)
    reviews.save_answer(
        panel.alice, assignment, "courtesy", "partly_met", "no name given", purpose=PURPOSE
    )
    state = reviews.submit(panel.alice, assignment, purpose=PURPOSE)
    assert state.case_grade is not None
    view = reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    assert view.locked and view.status == "submitted"
    with pytest.raises(BadInput, match="submitted and locked"):
        reviews.save_answer(panel.alice, assignment, "courtesy", "met", purpose=PURPOSE)
    with pytest.raises(BadInput, match="submitted and locked"):
        reviews.set_text(panel.alice, assignment, ReviewText.GENERAL_NOTE, "x", purpose=PURPOSE)


def test_a_grade_override_needs_a_reason(workspace: Workspace, panel: Panel) -> None:
    assignment = _first(workspace, panel)
    reviews = workspace.reviews
    answer_all(workspace, panel.alice, assignment)
    reviews.set_dimension_grade(panel.alice, assignment, "legal", "adequate", purpose=PURPOSE)
    reviews.set_case_grade(panel.alice, assignment, "concern", purpose=PURPOSE)
    with pytest.raises(SubmissionRefused) as refused:
        reviews.submit(panel.alice, assignment, purpose=PURPOSE)
    assert [p.message for p in refused.value.problems] == [
        "say why Legal is graded Adequate rather than the suggested Good practice",
        "say why the case is graded Concern rather than the suggested Adequate",
    ]
    reviews.set_dimension_grade(panel.alice, assignment, "legal", None, purpose=PURPOSE)
    reviews.set_case_grade(
        panel.alice, assignment, "concern", "handcuffs on a calm child", purpose=PURPOSE
    )
    reviews.set_text(
        panel.alice, assignment, ReviewText.QUESTION_TO_FORCE, " Why cuffs? ", purpose=PURPOSE
    )
    assert reviews.submit(panel.alice, assignment, purpose=PURPOSE).case_grade == "concern"
    view = reviews.open_case(panel.alice, assignment, purpose=PURPOSE)
    assert view.question_to_force == " Why cuffs? "  # free text is kept as typed
    assert view.dimension_choices["legal"].grade_id == "good_practice"  # stored at submission
    with pytest.raises(BadInput, match="no dimension"):
        reviews.set_dimension_grade(
            panel.bob, _first(workspace, panel, "bob"), "x", None, purpose="t"
        )


def test_learning_points_are_stamped_edited_and_deleted(workspace: Workspace, panel: Panel) -> None:
    assignment = _first(workspace, panel)
    reviews = workspace.reviews
    clip_id = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(
        clip_id, 42_040, 1051, 2, LearningKind.LEARNING, ("bwv_late_start",), "late start"
    )
    point = reviews.add_learning_point(panel.alice, assignment, stamp, purpose=PURPOSE)
    reviews.update_learning_point(
        panel.alice,
        point,
        kind=LearningKind.GOOD_PRACTICE,
        tags=["good_practice_exemplar"],
        note="calm",
        purpose=PURPOSE,
    )
    (shown,) = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).learning_points
    assert (shown.position_ms, shown.frame_index, shown.frame_uncertainty) == (42_040, 1051, 2)
    assert (shown.kind, shown.tags, shown.note) == (
        "good_practice",
        ("good_practice_exemplar",),
        "calm",
    )
    with pytest.raises(PermissionDenied):
        reviews.delete_learning_point(panel.bob, point, purpose=PURPOSE)
    reviews.delete_learning_point(panel.alice, point, purpose=PURPOSE)
    assert reviews.open_case(panel.alice, assignment, purpose=PURPOSE).learning_points == ()

    with pytest.raises(BadInput, match="unknown learning tag"):
        reviews.add_learning_point(
            panel.alice,
            assignment,
            replace(stamp, tags=("nope",)),
            purpose=PURPOSE,
        )
    with pytest.raises(BadInput, match="outside the clip"):
        reviews.add_learning_point(
            panel.alice,
            assignment,
            replace(stamp, position_ms=999_999),
            purpose=PURPOSE,
        )
    with workspace.db.transaction() as session:
        other_clip = session.scalar(select(Clip.id).where(Clip.case_id == panel.case_ids[1]))
    with pytest.raises(BadInput, match="not one of this case's clips"):
        reviews.add_learning_point(
            panel.alice,
            assignment,
            replace(stamp, clip_id=other_clip),
            purpose=PURPOSE,
        )
    assert _audited(workspace, "review.learning_point_deleted") == 1


def test_a_good_practice_point_carries_good_practice_tags_and_never_learning_ones(
    workspace: Workspace, panel: Panel
) -> None:
    assignment = _first(workspace, panel)
    reviews = workspace.reviews
    clip_id = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(
        clip_id,
        61_000,
        1525,
        0,
        LearningKind.GOOD_PRACTICE,
        ("gowisely_in_full", "receipt_offered"),
        "all eight points, then the receipt",
    )
    point = reviews.add_learning_point(panel.alice, assignment, stamp, purpose=PURPOSE)
    (shown,) = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).learning_points
    assert (shown.kind, shown.tags) == ("good_practice", ("gowisely_in_full", "receipt_offered"))

    with pytest.raises(BadInput) as refused:
        reviews.update_learning_point(
            panel.alice,
            point,
            kind=LearningKind.LEARNING,
            tags=["receipt_offered"],
            note="receipt",
            purpose=PURPOSE,
        )
    assert str(refused.value) == (
        "tag 'Receipt offered' (receipt_offered) is a good-practice tag"
        " and cannot go on a learning point"
    )
    with pytest.raises(BadInput, match="'Grounds weak' \\(grounds_weak\\) is a learning tag"):
        reviews.add_learning_point(
            panel.alice, assignment, replace(stamp, tags=("grounds_weak",)), purpose=PURPOSE
        )
    (unchanged,) = reviews.open_case(panel.alice, assignment, purpose=PURPOSE).learning_points
    assert unchanged == shown
    assert _audited(workspace, "review.learning_point_added") == 1
    assert _audited(workspace, "review.learning_point_changed") == 0


def test_reviewers_reach_only_their_own_assignments(workspace: Workspace, panel: Panel) -> None:
    alices = _first(workspace, panel)
    with pytest.raises(PermissionDenied, match="no assignment"):
        workspace.reviews.open_case(panel.bob, alices, purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="no assignment"):
        workspace.reviews.save_answer(panel.outsider, alices, "courtesy", "met", purpose=PURPOSE)
    assert workspace.reviews.queue(panel.outsider) == []
    admin_only = make_person(workspace, "root", Role.ADMIN)
    with pytest.raises(PermissionDenied, match="review cases"):
        workspace.reviews.open_case(admin_only, alices, purpose=PURPOSE)


def test_others_answers_stay_hidden_until_your_own_is_submitted(
    workspace: Workspace, panel: Panel
) -> None:
    alices, bobs = _first(workspace, panel), _first(workspace, panel, "bob")
    reviews = workspace.reviews
    answer_all(workspace, panel.bob, bobs, "not_met")
    reviews.submit(panel.bob, bobs, purpose=PURPOSE)
    answer_all(workspace, panel.alice, alices, "met")
    with pytest.raises(PermissionDenied, match="submit your own review"):
        reviews.others_reviews(panel.alice, alices, purpose=PURPOSE)
    reviews.submit(panel.alice, alices, purpose=PURPOSE)
    (bob_seen,) = reviews.others_reviews(panel.alice, alices, purpose=PURPOSE)
    assert bob_seen.label == "Member B"
    assert bob_seen.answers["courtesy"].answer_id == "not_met"
    assert bob_seen.case_grade == "concern"
    with pytest.raises(PermissionDenied, match="no assignment"):
        reviews.others_reviews(panel.outsider, alices, purpose=PURPOSE)


def test_the_chair_can_hold_answers_back_until_everyone_has_submitted(
    workspace: Workspace,
) -> None:
    panel = build_panel(workspace, open_it=False)
    workspace.review_sessions.set_visibility(
        panel.chair, panel.session_id, reveal_after_all_submitted=True, purpose=PURPOSE
    )
    workspace.review_sessions.open(panel.chair, panel.session_id, purpose=PURPOSE)
    alices, bobs = _first(workspace, panel), _first(workspace, panel, "bob")
    answer_all(workspace, panel.alice, alices)
    workspace.reviews.submit(panel.alice, alices, purpose=PURPOSE)
    with pytest.raises(PermissionDenied, match="every member"):
        workspace.reviews.others_reviews(panel.alice, alices, purpose=PURPOSE)
    answer_all(workspace, panel.bob, bobs)
    workspace.reviews.submit(panel.bob, bobs, purpose=PURPOSE)
    assert len(workspace.reviews.others_reviews(panel.alice, alices, purpose=PURPOSE)) == 1
