"""What must never appear in a published report or an export: every case reference,
officer pseudonym, person, encounter date and place finer than the force area that the
workspace holds (`identifying_values`), and, for exports, reviewers' raw notes."""

from __future__ import annotations

from sqlalchemy import select

from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case, LearningPoint, User


def identifying_values(url: str) -> set[str]:
    workspace = Workspace.open(url)
    try:
        with workspace.db.transaction() as session:
            found: set[str] = set()
            for case in session.scalars(select(Case)):
                found |= {case.force_reference, case.occurred_at.date().isoformat()}
                found |= {case.occurred_at.strftime("%d/%m/%Y")}
                found |= {value for value in (case.officer_pseudonym, case.area) if value}
            for user in session.scalars(select(User)):
                found |= {user.display_name, user.pseudonym}
    finally:
        workspace.close()
    assert len(found) > 50  # the demo's cases and people: a scan of nothing proves nothing
    return found


def raw_notes(url: str) -> set[str]:
    """Reviewers' notes as typed: a report's chair may quote a finding, an export never
    carries a note."""
    workspace = Workspace.open(url)
    try:
        with workspace.db.transaction() as session:
            return {note for note in session.scalars(select(LearningPoint.note)) if note}
    finally:
        workspace.close()
