"""What must never appear in a published report or an export: every case reference,
officer pseudonym, person, raw note, encounter date and area the workspace holds."""

from __future__ import annotations

from sqlalchemy import select

from bwv_review.services.workspace import Workspace
from bwv_review.store.models import Case, LearningPoint, User


def personal_data(url: str) -> set[str]:
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
            found |= {note for note in session.scalars(select(LearningPoint.note)) if note}
    finally:
        workspace.close()
    assert len(found) > 50  # the demo's cases, people and notes: a scan of nothing proves nothing
    return found
