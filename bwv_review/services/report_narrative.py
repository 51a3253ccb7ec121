"""The parts of the report the chair writes in the app: an introduction, the panel's
recommendations and next quarter's sampling focus, one of each per scope.

Stored as typed (the text rule of services/text_input.py; the renderers escape and shape
it), each save audited, and versioned like panel outcomes: a save based on a stale read is
refused with who changed the section and when, so two chairs' laptops never silently
overwrite each other. An edit moves the report's date, since it changes what the report
says; a save that changes nothing writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.services.actor import Actor
from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import NotFound
from bwv_review.services.permissions import Permission, require
from bwv_review.services.report_scope import ReportScope, resolve_scope
from bwv_review.services.text_input import typed_text
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import ReportNarrative, User
from bwv_review.store.types import utc_now


class NarrativeSection(StrEnum):
    """In the order the report prints them."""

    INTRODUCTION = "introduction"
    RECOMMENDATIONS = "recommendations"
    SAMPLING_FOCUS = "sampling_focus"

    @property
    def heading(self) -> str:
        return {
            NarrativeSection.INTRODUCTION: "Introduction from the chair",
            NarrativeSection.RECOMMENDATIONS: "The panel's recommendations",
            NarrativeSection.SAMPLING_FOCUS: "Next quarter's sampling focus",
        }[self]


@dataclass(frozen=True)
class NarrativeView:
    section: NarrativeSection
    text: str
    version: int | None  # None: never written; pass it back as expected_version
    updated_by: str | None
    updated_at: datetime | None


class ReportNarrativeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def sections(self, actor: Actor, scope: ReportScope) -> tuple[NarrativeView, ...]:
        """Every narrative section of the scope, written or not, in report order."""
        require(actor, Permission.COMPILE_REPORTS)
        with self._db.transaction() as session:
            key = resolve_scope(session, scope).key
            return tuple(narrative_views(session, key))

    def save(
        self,
        actor: Actor,
        scope: ReportScope,
        section: NarrativeSection,
        text: str,
        *,
        expected_version: int | None,
        purpose: str,
    ) -> NarrativeView:
        require(actor, Permission.COMPILE_REPORTS)
        section = NarrativeSection(section)
        clean = typed_text(text, section.heading.lower())
        with self._db.transaction() as session:
            key = resolve_scope(session, scope).key
            row = session.scalar(
                select(ReportNarrative)
                .where(ReportNarrative.scope_key == key, ReportNarrative.section == section.value)
                .with_for_update()
            )
            current = row.version if row is not None else None
            if current != expected_version:
                if row is None:
                    raise NotFound("this section is no longer there; reload")
                raise ConcurrentEdit(
                    "section", _name(session, row.updated_by), row.updated_at, row.version
                )
            if row is not None and row.text == clean:
                return _view(session, section, row)
            if row is None:
                row = ReportNarrative(scope_key=key, section=section.value)
                session.add(row)
            row.text, row.updated_by, row.updated_at = clean, actor.user_id, utc_now()
            session.flush()
            append_event(
                session,
                actor=actor.username,
                action="report.narrative_saved",
                purpose=purpose,
                entity_type="report_narrative",
                entity_id=row.id,
                detail={
                    "scope": key,
                    "section": section.value,
                    "version": row.version,
                    "chars": len(clean),
                },
            )
            return _view(session, section, row)


def narrative_views(session: Session, key: str) -> list[NarrativeView]:
    rows = {
        row.section: row
        for row in session.scalars(select(ReportNarrative).where(ReportNarrative.scope_key == key))
    }
    views = []
    for section in NarrativeSection:
        row = rows.get(section.value)
        views.append(
            _view(session, section, row) if row else NarrativeView(section, "", None, None, None)
        )
    return views


def _name(session: Session, user_id: int) -> str:
    return session.get_one(User, user_id).display_name


def _view(session: Session, section: NarrativeSection, row: ReportNarrative) -> NarrativeView:
    return NarrativeView(
        section, row.text, row.version, _name(session, row.updated_by), row.updated_at
    )
