"""What the demo's people do with the cases, through the same service calls the screens
make: each reviewer answers every check from what the footage "shows" (the case's
findings), stamps learning points, writes notes and submits; the chair records the panel's
outcome. The answers are worked out, not random, so every build is the same.

Members differ as real panels do: the second reviewer reads some concerns more kindly and
the fourth is stricter about manner, so the consensus screen has disagreements to show.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bwv_review.demo.cases import DemoCase
from bwv_review.demo.footage import FRAME_MS
from bwv_review.domain.review_rules import OutcomeAction
from bwv_review.domain.rubric import Check, Rubric
from bwv_review.domain.vocab import LearningKind
from bwv_review.services.actor import Actor
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.review_views import ClipRef, ReviewView
from bwv_review.services.reviews import LearningPointInput, ReviewText
from bwv_review.services.workspace import Workspace

log = logging.getLogger(__name__)

PURPOSE = "demo: building the demonstration workspace"

LENIENT, STRICT = 1, 3  # reviewer positions: the second and the fourth member
_SOFTER = {"not_met": "partly_met", "partly_met": "met"}
_STRICT_ABOUT = {
    "introductions": "Gives a first name only and no role.",
    "listening": "Talks over the person twice while they explain.",
    "courtesy": "Curt at the start; better once the person calms down.",
}
_QUESTIONS = {
    "grounds_objective": (
        "How does the force supervise searches whose written grounds rest on smell or "
        "presence in an area alone?"
    ),
    "strip_search_necessity": (
        "Was an appropriate adult asked for, and why could the further search not wait for one?"
    ),
    "bwv_start_to_end": (
        "Why was the camera switched on late, and has the officer been reminded of the "
        "activation policy?"
    ),
    "taser_justified": "Has the Taser use in this case been reviewed by the force's Taser lead?",
    "record_and_receipt": "Why was no record made and offered for this stop?",
    "gowisely_entitlement": "Was the person told how to get a copy of the search record?",
}
_RESPONSES = {
    "grounds_objective": (
        "Sergeants now review every search on smell alone within 24 hours; the officer has "
        "had words of advice."
    ),
    "strip_search_necessity": (
        "No appropriate adult was requested. The custody inspector has reminded all staff "
        "of Code A Annex L; the case is with Professional Standards for learning."
    ),
    "bwv_start_to_end": (
        "The officer says the camera was knocked off on leaving the car. Activation is being "
        "covered in the spring refresher."
    ),
    "taser_justified": (
        "The Taser lead has reviewed the footage and found the use not justified; the "
        "officer has been given management advice and refresher training."
    ),
    "record_and_receipt": "The stop has since been recorded; the driver was sent a copy.",
    "gowisely_entitlement": "The officer has been reminded; the person has been sent a copy.",
}


def _coin(*parts: object) -> bool:
    """A fair, fixed coin for this combination (Python's hash() differs run to run)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return digest[0] % 2 == 0


def _spot(*parts: object, within_ms: int) -> int:
    """A fixed frame-aligned position inside the clip, away from its first and last second."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    usable = max(within_ms - 2000, FRAME_MS)
    return (1000 + int.from_bytes(digest[:4], "big") % usable) // FRAME_MS * FRAME_MS


def answer_for(case: DemoCase, check: Check, reviewer: int) -> tuple[str, str | None]:
    """What reviewer number `reviewer` (0-based) answers, with a reason where needed."""
    if check.id == "gowisely_warrant_card":
        answer, note = "not_applicable", None  # the demo's officers are all in uniform
    else:
        answer, note = case.findings.get(check.id, ("met", None))
    if reviewer == LENIENT and answer in _SOFTER and _coin(case.reference, check.id):
        answer = _SOFTER[answer]
    strict = reviewer == STRICT and check.id in _STRICT_ABOUT
    if strict and answer == "met" and _coin(case.reference, check.id, reviewer):
        answer, note = "partly_met", _STRICT_ABOUT[check.id]
    reason = note if check.requires_reason(answer) else None
    return answer, reason


def _asked(rubric: Rubric, view: ReviewView, case: DemoCase) -> list[Check]:
    """The checks the form asks, plus any the form starts at Not applicable that the
    footage shows do apply (handcuffs: the record has no flag for them)."""
    return [c for c in rubric.checks if c.id in view.applicable or c.id in case.findings]


@dataclass(frozen=True)
class Reviewer:
    actor: Actor
    position: int  # 0-based, fixes how this member answers


def review(
    ws: Workspace,
    reviewer: Reviewer,
    assignment_id: int,
    case: DemoCase,
    rubric: Rubric,
    *,
    share: float = 1.0,
    submit: bool = True,
) -> str | None:
    """Open the case and answer `share` of its checks; submit when asked (all answered).
    Returns the case grade submitted, or None."""
    actor, who = reviewer.actor, reviewer.position
    view = ws.reviews.open_case(actor, assignment_id, purpose=PURPOSE)
    checks = _asked(rubric, view, case)
    for check in checks[: round(len(checks) * share)]:
        answer, reason = answer_for(case, check, who)
        ws.reviews.save_answer(actor, assignment_id, check.id, answer, reason, purpose=PURPOSE)
    _learning_points(ws, reviewer, assignment_id, case, rubric, view.clips, checks)
    if who == 0 and (case.concerns or case.good_practice):
        concern = next(iter(case.concerns.values()), None)
        note = f"Main concern: {concern}" if concern else f"Worth sharing: {case.good_practice}"
        ws.reviews.set_text(actor, assignment_id, ReviewText.GENERAL_NOTE, note, purpose=PURPOSE)
    question = next((_QUESTIONS[c] for c in case.concerns if c in _QUESTIONS), None)
    if who == 2 and question:
        ws.reviews.set_text(
            actor, assignment_id, ReviewText.QUESTION_TO_FORCE, question, purpose=PURPOSE
        )
    if not submit:
        return None
    return ws.reviews.submit(actor, assignment_id, purpose=PURPOSE).case_grade


def _learning_points(
    ws: Workspace,
    reviewer: Reviewer,
    assignment_id: int,
    case: DemoCase,
    rubric: Rubric,
    clips: Sequence[ClipRef],
    asked: Sequence[Check],
) -> None:
    """The first two members stamp what concerned them; the first also stamps good
    practice, on the last clip, so cases with two clips carry points on both."""
    if reviewer.position > 1 or not clips:
        return
    points: list[tuple[ClipRef, LearningKind, tuple[str, ...], str]] = []
    for check in asked:
        _answer, reason = answer_for(case, check, reviewer.position)
        if reason and check.tag_ids:
            points.append((clips[0], LearningKind.LEARNING, check.tag_ids[:1], reason))
    if case.good_practice and reviewer.position == 0:
        exemplar: tuple[str, ...] = ("good_practice_exemplar",)
        offered = exemplar if exemplar[0] in _tag_ids(rubric) else ()
        points.append((clips[-1], LearningKind.GOOD_PRACTICE, offered, case.good_practice))
    for clip, kind, tags, note in points[:3]:
        position = _spot(case.reference, note, reviewer.position, within_ms=clip.duration_ms or 0)
        stamp = LearningPointInput(
            clip_id=clip.clip_id,
            position_ms=position,
            frame_index=position // FRAME_MS,
            frame_uncertainty=0,
            kind=kind,
            tags=tags,
            note=note,
        )
        ws.reviews.add_learning_point(reviewer.actor, assignment_id, stamp, purpose=PURPOSE)


def _tag_ids(rubric: Rubric) -> set[str]:
    return {tag.id for tag in rubric.tags}


def outcome_for(case: DemoCase, grades: Sequence[str | None]) -> OutcomeDraft:
    """The chair's record of the discussion: the members' most common grade, what the
    panel asks for, a short account and the questions for the force."""
    counted = Counter(grade for grade in grades if grade)
    grade = counted.most_common(1)[0][0] if counted else None
    actions: list[OutcomeAction] = []
    if grade == "good_practice" or (case.good_practice and grade != "concern"):
        actions.append(OutcomeAction.COMMEND_OFFICER)
    if case.concerns:
        actions.append(OutcomeAction.FEEDBACK_TO_OFFICER)
    questions = [q for c, q in _QUESTIONS.items() if c in case.concerns]
    if questions:
        actions.append(OutcomeAction.QUESTION_TO_FORCE)
    summary = next(iter(case.concerns.values()), "The panel found no concerns.")
    vignette = (
        f"{case.case_type.label} in {case.area}, {case.occurred_at:%d %B %Y}: "
        f"{case.grounds} {summary}"
    )
    return OutcomeDraft(grade, tuple(actions), vignette, "\n".join(questions))


def force_response_for(case: DemoCase) -> str | None:
    """The force's written answer to the panel's questions, when it asked any."""
    answers = [r for c, r in _RESPONSES.items() if c in case.concerns]
    return "\n".join(answers) or None
