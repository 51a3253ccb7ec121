"""Every field people type into, on SQLite and PostgreSQL: the same refusal for a NUL or
control character and for text over the limit, naming the field, with nothing written;
free text stored as typed with line endings as LF, names trimmed; and a save that changes
nothing writes nothing (issue 9, defects 2 and 8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.vocab import LearningKind, Role, TrackerStatus
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.errors import BadInput
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.sampling import parse_spec
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import (
    Amendment,
    Answer,
    AuditEvent,
    Clip,
    DimensionGrade,
    LearningPoint,
    LearningTrackerItem,
    PanelOutcome,
    Review,
    ReviewSession,
    SampleDraw,
    SessionCase,
    User,
)
from tests.services.review_fixtures import (
    PURPOSE,
    RUBRIC,
    Panel,
    answer_all,
    build_panel,
    make_case,
)

TYPED = "  two spaces  \r\nline\u2028next\rlast"
STORED = "  two spaces  \nline\nnext\nlast"
COURTESY = RUBRIC.check("courtesy")
DIMENSION = RUBRIC.dimensions[0]
GRADE = RUBRIC.grades[-1].id
DRAFT = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), "A calm adult", "Why?")


@dataclass(frozen=True)
class Field:
    """One place a person types: how the services save into it and how to read it back."""

    label: str  # how the refusal names it: "the <label> contains ..."
    save: Callable[[Workspace, Panel, str], object]
    read: Callable[[Workspace, Panel], str | None]
    prepare: Callable[[Workspace, Panel], object] = lambda ws, panel: None


def _alice(ws: Workspace, panel: Panel) -> int:
    return panel.assignment(ws, panel.alice, panel.case_ids[0])


def _scalar(ws: Workspace, query: object) -> str | None:
    with ws.db.transaction() as session:
        return session.scalar(query)  # type: ignore[call-overload,no-any-return]


def _latest(ws: Workspace, column: object) -> str | None:
    entity = column.class_  # type: ignore[attr-defined]
    return _scalar(ws, select(column).order_by(entity.id.desc()).limit(1))


def _review_column(name: str) -> Callable[[Workspace, Panel], str | None]:
    return lambda ws, panel: _scalar(ws, select(getattr(Review, name)))


def _outcome(ws: Workspace, panel: Panel) -> int:
    saved = ws.consensus.save_outcome(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        DRAFT,
        expected_version=None,
        purpose=PURPOSE,
    )
    return saved.version


def _save_outcome(field: str) -> Callable[[Workspace, Panel, str], object]:
    def save(ws: Workspace, panel: Panel, text: str) -> object:
        draft = OutcomeDraft(
            DRAFT.consensus_grade,
            DRAFT.actions,
            text if field == "vignette" else DRAFT.vignette,
            text if field == "questions" else DRAFT.questions_to_force,
        )
        return ws.consensus.save_outcome(
            panel.chair,
            panel.session_id,
            panel.case_ids[0],
            draft,
            expected_version=None,
            purpose=PURPOSE,
        )

    return save


def _force_response(ws: Workspace, panel: Panel, text: str) -> object:
    version = _scalar(ws, select(PanelOutcome.version))
    return ws.consensus.record_force_response(
        panel.chair,
        panel.session_id,
        panel.case_ids[0],
        text,
        expected_version=int(version or 0),
        purpose=PURPOSE,
    )


def _tracker(field: str) -> Callable[[Workspace, Panel, str], object]:
    def save(ws: Workspace, panel: Panel, text: str) -> object:
        values = {"recommendation": "Start BWV early", "theme": "BWV", "owner": "Training"}
        values[field] = text
        entry = TrackerEntry(
            values["recommendation"],
            values["theme"],
            values["owner"],
            force_response=text if field == "force_response" else "",
        )
        return ws.tracker.add(
            panel.chair, entry, raised_in_session_id=None, raised_on=date(2026, 10, 1), purpose="t"
        )

    return save


def _submitted(ws: Workspace, panel: Panel) -> None:
    answer_all(ws, panel.alice, _alice(ws, panel))
    ws.reviews.submit(panel.alice, _alice(ws, panel), purpose=PURPOSE)


def _finalised(ws: Workspace, panel: Panel) -> None:
    _submitted(ws, panel)
    ws.review_sessions.finalise(panel.chair, panel.session_id, purpose=PURPOSE)


def _reopen_reason(ws: Workspace, panel: Panel) -> str | None:
    detail = _scalar(
        ws,
        select(AuditEvent.detail_json)
        .where(AuditEvent.action == "review.reopened")
        .order_by(AuditEvent.seq.desc())
        .limit(1),
    )
    return json.loads(detail)["reason"] if detail else None


def _latest_case_reason(ws: Workspace) -> str | None:
    return _scalar(ws, select(SessionCase.reason).order_by(SessionCase.case_id.desc()).limit(1))


def _point(ws: Workspace, panel: Panel, text: str) -> object:
    clip = _scalar(ws, select(Clip.id).where(Clip.case_id == panel.case_ids[0]))
    point = LearningPointInput(int(clip or 0), 1000, 25, 0, LearningKind.LEARNING, (), text)
    return ws.reviews.add_learning_point(panel.alice, _alice(ws, panel), point, purpose=PURPOSE)


FREE_TEXT = {
    "answer reason": Field(
        f"reason for “{COURTESY.text}”",
        lambda ws, p, text: ws.reviews.save_answer(
            p.alice, _alice(ws, p), "courtesy", "not_met", text, purpose=PURPOSE
        ),
        lambda ws, p: _latest(ws, Answer.reason),
    ),
    "dimension override": Field(
        f"reason for the {DIMENSION.label} grade",
        lambda ws, p, text: ws.reviews.set_dimension_grade(
            p.alice, _alice(ws, p), DIMENSION.id, GRADE, text, purpose=PURPOSE
        ),
        lambda ws, p: _latest(ws, DimensionGrade.override_reason),
    ),
    "case override": Field(
        "reason for the case grade",
        lambda ws, p, text: ws.reviews.set_case_grade(
            p.alice, _alice(ws, p), GRADE, text, purpose=PURPOSE
        ),
        _review_column("overall_grade_override_reason"),
    ),
    "general note": Field(
        "general note",
        lambda ws, p, text: ws.reviews.set_text(
            p.alice, _alice(ws, p), ReviewText.GENERAL_NOTE, text, purpose=PURPOSE
        ),
        _review_column("general_note"),
    ),
    "question": Field(
        "question to the force",
        lambda ws, p, text: ws.reviews.set_text(
            p.alice, _alice(ws, p), ReviewText.QUESTION_TO_FORCE, text, purpose=PURPOSE
        ),
        _review_column("question_to_force"),
    ),
    "learning point": Field(
        "learning point's note", _point, lambda ws, p: _latest(ws, LearningPoint.note)
    ),
    "vignette": Field(
        "vignette", _save_outcome("vignette"), lambda ws, p: _latest(ws, PanelOutcome.vignette)
    ),
    "outcome questions": Field(
        "questions to the force",
        _save_outcome("questions"),
        lambda ws, p: _latest(ws, PanelOutcome.questions_to_force),
    ),
    "force response": Field(
        "force's response",
        _force_response,
        lambda ws, p: _latest(ws, PanelOutcome.force_response),
        prepare=_outcome,
    ),
    "tracker recommendation": Field(
        "recommendation",
        _tracker("recommendation"),
        lambda ws, p: _latest(ws, LearningTrackerItem.recommendation),
    ),
    "tracker response": Field(
        "force's response",
        _tracker("force_response"),
        lambda ws, p: _latest(ws, LearningTrackerItem.force_response),
    ),
    "case added by hand": Field(
        "reason for adding the case",
        lambda ws, p, text: ws.review_sessions.add_case(
            p.chair, p.session_id, "CASE-HAND", text, purpose=PURPOSE
        ),
        lambda ws, p: _latest_case_reason(ws),
        prepare=lambda ws, p: make_case(ws, "CASE-HAND"),
    ),
    "reopening": Field(
        "reason for reopening",
        lambda ws, p, text: ws.reopening.reopen(
            p.chair, p.session_id, _alice(ws, p), reason=text, purpose=PURPOSE
        ),
        _reopen_reason,
        prepare=_submitted,
    ),
    "amendment": Field(
        "reason for the amendment",
        lambda ws, p, text: ws.amendments.amend_answer(
            p.alice, _alice(ws, p), "courtesy", "not_met", reason=text, purpose=PURPOSE
        ),
        lambda ws, p: _latest(ws, Amendment.reason),
        prepare=_finalised,
    ),
}

NAMES = {
    "session name": Field(
        "session's name",
        lambda ws, p, text: ws.review_sessions.create(
            p.chair, text, "2026-Q4", None, ["alice"], purpose=PURPOSE
        ),
        lambda ws, p: _scalar(
            ws, select(ReviewSession.name).where(ReviewSession.quarter == "2026-Q4")
        ),
    ),
    "draw name": Field(
        "draw's name",
        lambda ws, p, text: ws.sampling.draw(
            p.chair, text, "7", parse_spec([], [], 1), purpose=PURPOSE
        ),
        lambda ws, p: _latest(ws, SampleDraw.name),
    ),
    "display name": Field(
        "display name",
        lambda ws, p, text: ws.auth.create_user(
            p.admin, "newcomer", text, "135791", [Role.REVIEWER], purpose=PURPOSE
        ),
        lambda ws, p: _scalar(ws, select(User.display_name).where(User.username == "newcomer")),
    ),
    "tracker theme": Field(
        "theme", _tracker("theme"), lambda ws, p: _latest(ws, LearningTrackerItem.theme)
    ),
    "tracker owner": Field(
        "owner", _tracker("owner"), lambda ws, p: _latest(ws, LearningTrackerItem.owner)
    ),
}


def _events(ws: Workspace) -> int:
    with ws.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


@pytest.fixture
def panel(workspace: Workspace) -> Panel:
    return build_panel(workspace)


def _refused(ws: Workspace, panel: Panel, field: Field, text: str) -> str:
    """Save `text`, expect a refusal, and check nothing was written; the message."""
    before, stored = _events(ws), field.read(ws, panel)
    with pytest.raises(BadInput) as refusal:
        field.save(ws, panel, text)
    assert refusal.value.exit_code == 2
    assert (_events(ws), field.read(ws, panel)) == (before, stored)
    return str(refusal.value)


@pytest.mark.parametrize("name", FREE_TEXT)
def test_free_text_is_refused_in_words_or_stored_as_typed(
    workspace: Workspace, panel: Panel, name: str
) -> None:
    field = FREE_TEXT[name]
    field.prepare(workspace, panel)
    message = _refused(workspace, panel, field, "see 00:42\0 here")
    assert message == (
        f"the {field.label} contains a NUL character (\\0) at position 10; remove it"
    )
    message = _refused(workspace, panel, field, "bell\x07")
    assert message == (
        f"the {field.label} contains a control character (U+0007) at position 5; remove it"
    )
    message = _refused(workspace, panel, field, "x" * 50_001)
    assert message == f"the {field.label} is 50,001 characters long; the most it can hold is 50,000"

    field.save(workspace, panel, "\ufeff" + TYPED + "\ttab")
    assert field.read(workspace, panel) == STORED + "\ttab"


@pytest.mark.parametrize("name", ["general note", "vignette", "tracker recommendation"])
def test_the_longest_free_text_is_kept_whole(workspace: Workspace, panel: Panel, name: str) -> None:
    field = FREE_TEXT[name]
    longest = "é" * 49_999 + "\n"
    field.save(workspace, panel, longest)
    assert field.read(workspace, panel) == longest


@pytest.mark.parametrize("name", NAMES)
def test_names_are_trimmed_on_one_line_and_up_to_200_characters(
    workspace: Workspace, panel: Panel, name: str
) -> None:
    field = NAMES[name]
    message = _refused(workspace, panel, field, "Panel\0")
    assert message == f"the {field.label} contains a NUL character (\\0) at position 6; remove it"
    message = _refused(workspace, panel, field, "two\r\nlines")
    assert message == (
        f"the {field.label} contains a line break at position 4; keep it on one line"
    )
    message = _refused(workspace, panel, field, "n" * 201)
    assert message == f"the {field.label} is 201 characters long; the most it can hold is 200"

    field.save(workspace, panel, "  " + "ñ" * 200 + " \r\n")
    assert field.read(workspace, panel) == "ñ" * 200


def test_a_reason_of_only_spaces_is_still_needed(workspace: Workspace, panel: Panel) -> None:
    assignment = _alice(workspace, panel)
    state = workspace.reviews.save_answer(
        panel.alice, assignment, "courtesy", "not_met", "  \n\t ", purpose=PURPOSE
    )
    assert f"a reason is needed for Not met: {COURTESY.text}" in state.problems
    state = workspace.reviews.set_case_grade(panel.alice, assignment, GRADE, "   ", purpose=PURPOSE)
    assert any(p.startswith("say why the case is graded") for p in state.problems)
    make_case(workspace, "CASE-HAND")
    with pytest.raises(BadInput, match="say why this case is added by hand"):
        workspace.review_sessions.add_case(
            panel.chair, panel.session_id, "CASE-HAND", " \n ", purpose=PURPOSE
        )


def test_an_untouched_tracker_item_saved_again_keeps_its_version(
    workspace: Workspace, panel: Panel
) -> None:
    tracker = workspace.tracker
    typed = TrackerEntry("\ufeffStart BWV\r\nbefore approaching  ", " BWV ", "Training")
    item = tracker.add(
        panel.chair, typed, raised_in_session_id=None, raised_on=date(2026, 10, 1), purpose="t"
    )
    assert item.entry.recommendation == "Start BWV\nbefore approaching  "
    before = _events(workspace)
    # As the edit box gives it back (LF, no BOM), and as first typed: both unchanged.
    for entry in (item.entry, typed):
        again = tracker.update(
            panel.chair, item.id, entry, expected_version=item.version, purpose="t"
        )
        assert again.version == item.version
    assert _events(workspace) == before
    changed = tracker.update(
        panel.chair,
        item.id,
        TrackerEntry(item.entry.recommendation, "BWV", "Training", TrackerStatus.IN_PROGRESS),
        expected_version=item.version,
        purpose="t",
    )
    assert changed.version == item.version + 1
    assert _events(workspace) == before + 1


def test_an_untouched_outcome_saved_again_keeps_its_version(
    workspace: Workspace, panel: Panel
) -> None:
    consensus, sid, cid = workspace.consensus, panel.session_id, panel.case_ids[0]
    typed = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), "Calm\r\nadult ", "Why?")
    first = consensus.save_outcome(
        panel.chair, sid, cid, typed, expected_version=None, purpose=PURPOSE
    )
    first = consensus.record_force_response(
        panel.chair, sid, cid, "We agree\r\n", expected_version=first.version, purpose=PURPOSE
    )
    assert (first.vignette, first.force_response) == ("Calm\nadult ", "We agree\n")
    before = _events(workspace)
    shown = OutcomeDraft("concern", (OutcomeAction.QUESTION_TO_FORCE,), "Calm\nadult ", "Why?")
    for draft in (typed, shown):
        again = consensus.save_outcome(
            panel.chair, sid, cid, draft, expected_version=first.version, purpose=PURPOSE
        )
        assert again.version == first.version
    again = consensus.record_force_response(
        panel.chair, sid, cid, "We agree\n", expected_version=first.version, purpose=PURPOSE
    )
    assert again.version == first.version
    assert _events(workspace) == before


def test_saving_the_same_review_text_answer_or_grade_writes_nothing(
    workspace: Workspace, panel: Panel
) -> None:
    reviews, alice, assignment = workspace.reviews, panel.alice, _alice(workspace, panel)
    reviews.save_answer(alice, assignment, "courtesy", "not_met", "Rude\r\n", purpose=PURPOSE)
    reviews.set_text(alice, assignment, ReviewText.GENERAL_NOTE, "Note\r\n", purpose=PURPOSE)
    reviews.set_case_grade(alice, assignment, GRADE, "Because", purpose=PURPOSE)
    reviews.set_dimension_grade(alice, assignment, DIMENSION.id, GRADE, "So", purpose=PURPOSE)
    point = _point(workspace, panel, "Here\r\n")
    saved_at = _scalar(workspace, select(Review.updated_at))
    before = _events(workspace)

    reviews.save_answer(alice, assignment, "courtesy", "not_met", "Rude\n", purpose=PURPOSE)
    reviews.set_text(alice, assignment, ReviewText.GENERAL_NOTE, "Note\n", purpose=PURPOSE)
    reviews.set_case_grade(alice, assignment, GRADE, "Because", purpose=PURPOSE)
    reviews.set_dimension_grade(alice, assignment, DIMENSION.id, GRADE, "So", purpose=PURPOSE)
    reviews.update_learning_point(
        alice, int(point), kind=LearningKind.LEARNING, tags=(), note="Here\n", purpose=PURPOSE
    )
    assert _events(workspace) == before
    assert _scalar(workspace, select(Review.updated_at)) == saved_at

    reviews.set_text(alice, assignment, ReviewText.GENERAL_NOTE, "Note, more", purpose=PURPOSE)
    assert _events(workspace) == before + 1
