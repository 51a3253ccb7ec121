"""Reviews filled on paper or an online form, imported from a CSV with one row per
reviewer, case and check (docs/review-import.md; template in resources/templates/).

Like every import it is all-or-nothing: the whole file is checked against the session
(members, their assignments, the rubric) and every problem is reported as FILE:LINE; only a
file with none is stored, in one transaction. An imported review is complete by
definition, so it is stored submitted, with the grades the rubric suggests; a review
already started in the app is never overwritten.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bwv_review.domain.review_rules import (
    AnswerEntry,
    ReviewRuleError,
    check_answer,
    evaluate_form,
)
from bwv_review.domain.rubric import Rubric
from bwv_review.domain.text_fields import TextFieldError, free_text, name_text
from bwv_review.domain.vocab import CaseGrade, ReviewSessionStatus, ReviewStatus
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.review_access import (
    RubricLookup,
    applicable_checks,
    chaired_session,
    installed_rubric,
    require_status,
)
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import (
    Answer,
    Assignment,
    Case,
    DimensionGrade,
    Review,
    ReviewSession,
    SessionCase,
    User,
)
from bwv_review.store.types import utc_now

COLUMNS = ("reviewer", "case_reference", "check_id", "answer", "reason")


@dataclass(frozen=True)
class ReviewImportSummary:
    file: str
    file_sha256: str
    reviews: int
    answers: int


@dataclass
class _Sheet:
    """One reviewer's answers to one case, as read from the file."""

    reviewer: str
    case_reference: str
    first_line: int
    answers: dict[str, AnswerEntry]
    lines: dict[str, int]


class ReviewImportService:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics

    def import_reviews(
        self, actor: Actor, session_id: int, data: bytes, file_name: str, *, purpose: str
    ) -> ReviewImportSummary:
        problems: list[Problem] = []
        sheets = _read(data, file_name, problems)
        with self._db.transaction() as session:
            review_session = chaired_session(session, actor, session_id, lock=True)
            require_status(review_session, ReviewSessionStatus.OPEN)
            rubric = self._rubrics(review_session.rubric_id, review_session.rubric_version)
            plans = [
                plan
                for sheet in sheets
                if (plan := _plan(session, review_session, rubric, sheet, file_name, problems))
            ]
            if not sheets and not problems:
                problems.append(Problem("the file has no answers", file_name))
            if problems:
                problems.sort(key=lambda p: p.line or 0)
                raise BadInput(
                    f"{file_name}: {len(problems)} problem(s); nothing imported", problems
                )
            digest = hashlib.sha256(data).hexdigest()
            for plan in plans:
                _store(session, actor, plan, digest, purpose)
            answers = sum(len(sheet.answers) for sheet in sheets)
            append_event(
                session,
                actor=actor.username,
                action="reviews.imported",
                purpose=purpose,
                entity_type="review_session",
                entity_id=session_id,
                detail={"file": file_name, "sha256": digest, "reviews": len(plans)},
            )
            return ReviewImportSummary(file_name, digest, len(plans), answers)


def _rows(text: str, file_name: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            problems.append(
                Problem(f"the first line must name the columns {','.join(COLUMNS)}", file_name, 1)
            )
            return
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(COLUMNS):
                problems.append(
                    Problem(f"{len(values)} values for {len(COLUMNS)} columns", file_name, line)
                )
                continue
            yield line, values
    except csv.Error as exc:
        problems.append(Problem(f"not readable as CSV: {exc}", file_name, reader.line_num))


def _read(data: bytes, file_name: str, problems: list[Problem]) -> list[_Sheet]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem("not UTF-8 text; save the file as UTF-8", file_name, line))
        return []
    sheets: dict[tuple[str, str], _Sheet] = {}
    for line, values in _rows(text, file_name, problems):
        try:
            reviewer, reference, check_id, answer, reason = _values(values)
        except TextFieldError as exc:
            problems.append(Problem(str(exc), file_name, line))
            continue
        if not (reviewer and reference and check_id and answer):
            problems.append(
                Problem("reviewer, case, check and answer are all needed", file_name, line)
            )
            continue
        key = (reviewer.lower(), reference)
        sheet = sheets.setdefault(key, _Sheet(reviewer, reference, line, {}, {}))
        if check_id in sheet.answers:
            problems.append(
                Problem(
                    f"{check_id} already answered for {reviewer}, {reference} on line "
                    f"{sheet.lines[check_id]}",
                    file_name,
                    line,
                )
            )
            continue
        sheet.answers[check_id] = AnswerEntry(answer, reason or None)
        sheet.lines[check_id] = line
    return list(sheets.values())


def _values(values: list[str]) -> tuple[str, str, str, str, str]:
    """One row as stored: the names trimmed, the reason as written (line endings LF), by
    the same rule as a reason typed in the app."""
    reviewer, reference, check_id, answer = (
        name_text(value, label)
        for value, label in zip(
            values[:4], ("reviewer", "case reference", "check id", "answer"), strict=True
        )
    )
    return reviewer, reference, check_id, answer, free_text(values[4], "reason")


@dataclass(frozen=True)
class _Plan:
    """A sheet that passed every check, with the full answer set and suggested grades."""

    assignment: Assignment
    review: Review | None
    reviewer: str
    answers: dict[str, AnswerEntry]
    dimension_grades: dict[str, str | None]
    case_grade: str | None


def _plan(
    session: Session,
    review_session: ReviewSession,
    rubric: Rubric,
    sheet: _Sheet,
    file_name: str,
    problems: list[Problem],
) -> _Plan | None:
    """Check one sheet against the session; None (with problems noted) if it cannot go in."""
    where = f"{sheet.reviewer}, {sheet.case_reference}"

    def problem(message: str, line: int = sheet.first_line) -> None:
        problems.append(Problem(message, file_name, line))

    found = session.execute(
        select(Assignment, Case)
        .join(Case, Case.id == Assignment.case_id)
        .join(User, User.id == Assignment.reviewer_id)
        .join(
            SessionCase,
            (SessionCase.case_id == Case.id) & (SessionCase.session_id == Assignment.session_id),
        )
        .where(
            Assignment.session_id == review_session.id,
            Case.force_reference == sheet.case_reference,
            func.lower(User.username) == sheet.reviewer.lower(),
        )
    ).first()
    if found is None:
        problem(f"{where}: no such assignment in this session (check the name and reference)")
        return None
    assignment, case = found
    before = len(problems)
    for check_id, entry in sheet.answers.items():
        try:
            check_answer(rubric, check_id, entry.answer_id)
        except ReviewRuleError as exc:
            problem(str(exc), sheet.lines[check_id])
    if len(problems) > before:
        return None
    applicable = applicable_checks(rubric, case)
    answers = {
        check.id: AnswerEntry(rubric.not_applicable_answer_id, None)
        for check in rubric.checks
        if check.id not in applicable
    } | sheet.answers
    state = evaluate_form(rubric, answers, applicable, {}, None)
    for message in state.problems:
        problem(f"{where}: {message}")
    review = session.scalar(select(Review).where(Review.assignment_id == assignment.id))
    if review is not None and _started(session, review, applicable):
        problem(f"{where}: this review was started in the app; it is not overwritten")
    if len(problems) > before:
        return None
    return _Plan(
        assignment, review, sheet.reviewer, answers, dict(state.dimension_grades), state.case_grade
    )


def _started(session: Session, review: Review, applicable: frozenset[str]) -> bool:
    """Submitted, or any applicable check answered (opening a case fills only the checks
    that do not apply, which the import may replace)."""
    if review.status == ReviewStatus.SUBMITTED:
        return True
    answered = session.scalars(select(Answer.check_id).where(Answer.review_id == review.id))
    return any(check_id in applicable for check_id in answered)


def _store(session: Session, actor: Actor, plan: _Plan, digest: str, purpose: str) -> None:
    now = utc_now()
    review = plan.review
    if review is None:
        review = Review(assignment_id=plan.assignment.id)
        session.add(review)
        session.flush()
    else:
        session.execute(delete(Answer).where(Answer.review_id == review.id))
    review.status, review.submitted_at, review.updated_at = ReviewStatus.SUBMITTED, now, now
    review.overall_grade = CaseGrade(plan.case_grade) if plan.case_grade else None
    session.add_all(
        Answer(review_id=review.id, check_id=c, value=e.answer_id, reason=e.reason, updated_at=now)
        for c, e in plan.answers.items()
    )
    session.add_all(
        DimensionGrade(review_id=review.id, dimension_id=dim, grade=CaseGrade(grade))
        for dim, grade in plan.dimension_grades.items()
        if grade is not None
    )
    session.flush()
    append_event(
        session,
        actor=actor.username,
        action="review.imported",
        purpose=purpose,
        entity_type="review",
        entity_id=review.id,
        detail={"reviewer": plan.reviewer, "case": plan.assignment.case_id, "sha256": digest},
    )
