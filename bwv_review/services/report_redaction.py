"""The published report's safety net for free text the panel wrote: a vignette, a question to
the force or a narrative that names a case reference, an officer's pseudonym, a person who
signs in to the workspace, a place finer than the force area (a case's area: "Bristol
North"), or the date an encounter in scope happened, has those words
replaced by "[withheld]". The chair is asked to write anonymously; this catches what slips
through, so the published file never depends on nobody forgetting. The internal report
keeps the text as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.services.report_scope import long_date
from bwv_review.store.models import Case, User

WITHHELD = "[withheld]"


@dataclass(frozen=True)
class Redactor:
    pattern: re.Pattern[str] | None

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(WITHHELD, text)


def date_spellings(day: date) -> set[str]:
    """The ways a chair is likely to write an encounter's date."""
    long = long_date(day)
    return {
        long,
        f"{day.day:02d}{long[len(str(day.day)) :]}",
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
    }


def redactor(session: Session, encounter_days: Iterable[date]) -> Redactor:
    """Every case reference, officer pseudonym and case area in the workspace, every
    account's name and pseudonym, and the given encounter dates, matched whole and ignoring
    case."""
    words: set[str] = set()
    cases = select(Case.force_reference, Case.officer_pseudonym, Case.area)
    for reference, officer, area in session.execute(cases):
        words.add(reference)
        words.update(value for value in (officer, area) if value)
    for name, pseudonym in session.execute(select(User.display_name, User.pseudonym)):
        words.update((name, pseudonym))
    for day in encounter_days:
        words.update(date_spellings(day))
    words = {w.strip() for w in words if w and w.strip()}
    if not words:
        return Redactor(None)
    # Longest first, so "Helen Marsh" is withheld whole rather than as two names.
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return Redactor(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))
