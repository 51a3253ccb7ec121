"""The panel's report as one plain `ReportDocument`, built from the workspace in one
transaction: the PDF and the HTML twin both render what this returns, and compute nothing.

`build_report(actor, scope, variant, purpose=...)` is the entry point the CLI and the
Reports tab call. Compiling reads case content (the internal variant names cases), so it
needs the chair's permission to compile reports and is audited; the audit log is never an
input of the report, so writing to it does not change what the next build gives.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.domain.rubric import Rubric
from bwv_review.reports.document import Paragraph, ReportDocument, Section, Variant
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.force_context import ForceContextService
from bwv_review.services.permissions import Permission, require
from bwv_review.services.report_annex import annex_section
from bwv_review.services.report_cover import cover_section
from bwv_review.services.report_figures import load_cases, summary_figures
from bwv_review.services.report_findings import findings_section, sample_frame_section
from bwv_review.services.report_force_context import force_context_section, no_context_section
from bwv_review.services.report_narrative import NarrativeSection, narrative_views
from bwv_review.services.report_ratings import agreement_section, answer_counts, ratings_section
from bwv_review.services.report_redaction import Redactor, redactor
from bwv_review.services.report_scope import ReportScope, ResolvedScope, resolve_scope, scope_dated
from bwv_review.services.report_summary import summary_section
from bwv_review.services.report_themes import (
    questions_section,
    tagged_cases,
    themes_section,
    tracker_section,
    vignettes_section,
)
from bwv_review.services.review_access import RubricLookup, installed_rubric
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import WorkspaceSettings

DEFAULT_PANEL_NAME = "Scrutiny panel"
MARKINGS = {
    Variant.INTERNAL: "OFFICIAL-SENSITIVE: for the panel, the OPCC and the force only",
    Variant.PUBLISHED: "OFFICIAL: for publication",
}
PURPOSE = "compile the panel's report"


class ReportBuilder:
    def __init__(self, db: Database, rubrics: RubricLookup = installed_rubric) -> None:
        self._db = db
        self._rubrics = rubrics
        self._context = ForceContextService(db)

    def build_report(
        self, actor: Actor, scope: ReportScope, variant: Variant, *, purpose: str = PURPOSE
    ) -> ReportDocument:
        """The report for `scope` in `variant`; `draft` when any session in it is not
        finalised (a preview, never issued)."""
        require(actor, Permission.COMPILE_REPORTS)
        variant = Variant(variant)
        context = self._force_context(actor, scope)
        with self._db.transaction() as session:
            resolved = resolve_scope(session, scope)
            document = self._document(session, resolved, variant, context)
            append_event(
                session,
                actor=actor.username,
                action="report.compiled",
                purpose=purpose,
                entity_type="report_scope",
                entity_id=None,
                detail={"scope": resolved.key, "variant": variant.value, "draft": document.draft},
            )
            return document

    def _force_context(self, actor: Actor, scope: ReportScope) -> Section:
        """The force-wide section, read before the report's own transaction: the context
        service runs its own, and SQLite would make a second writer wait on the first."""
        with self._db.transaction() as session:
            span = resolve_scope(session, scope).span
            settings = session.scalar(select(WorkspaceSettings).limit(1))
            force = settings.force if settings else None
        if force is None:
            return no_context_section(
                "The workspace names no police force, so the force's public records cannot "
                "be set beside the sample (an administrator sets it)."
            )
        if span is None:
            return no_context_section(
                "A session's quarter is not written as YYYY-Qn (such as 2018-Q1), so the "
                "months of public records to compare with cannot be told."
            )
        return force_context_section(self._context.for_period(actor, force, *span))

    def _document(
        self, session: Session, scope: ResolvedScope, variant: Variant, context: Section
    ) -> ReportDocument:
        rubric = self._rubric(scope)
        settings = session.scalar(select(WorkspaceSettings).limit(1))
        panel_name = (settings.panel_name if settings else None) or DEFAULT_PANEL_NAME
        cases = load_cases(session, scope)
        figures = summary_figures(session, scope, cases, rubric)
        redact = (
            redactor(session, {c.occurred_at.date() for c in cases})
            if variant is Variant.PUBLISHED
            else Redactor(None)
        )
        narrative = {
            view.section: redact(view.text)
            for view in narrative_views(session, scope.key)
            if view.text.strip()
        }
        sections = (
            cover_section(
                session, scope, cases, panel_name, variant, demo=bool(settings and settings.is_demo)
            ),
            *_narrative(narrative, NarrativeSection.INTRODUCTION),
            summary_section(figures, variant),
            findings_section(cases, rubric, variant),
            ratings_section(answer_counts(session, scope), rubric, variant),
            agreement_section(session, scope, rubric),
            sample_frame_section(session, scope, variant),
            context,
            themes_section(tagged_cases(session, scope), rubric, variant),
            vignettes_section(cases, rubric, variant, redact),
            questions_section(cases, variant, redact),
            tracker_section(session, scope, redact),
            *_narrative(narrative, NarrativeSection.RECOMMENDATIONS),
            *_narrative(narrative, NarrativeSection.SAMPLING_FOCUS),
            annex_section(rubric, variant),
        )
        return ReportDocument(
            title=f"{panel_name}: report to the Police and Crime Commissioner",
            subtitle=f"Body-worn video scrutiny, {scope.period}"
            + (" (published version)" if variant is Variant.PUBLISHED else ""),
            marking=MARKINGS[variant],
            period=scope.period,
            variant=variant,
            draft=scope.draft,
            author=panel_name,
            subject=f"How police powers were used, as the panel found in {scope.period}",
            dated=scope_dated(session, scope),
            sections=sections,
        )

    def _rubric(self, scope: ResolvedScope) -> Rubric:
        """One rubric for the whole report: the latest session's. Sessions graded by
        rubrics with other checks or grades cannot be added together check by check, so a
        scope mixing them is refused; versions that differ only in their learning tags (a
        new tag added) are counted together."""
        used = list(dict.fromkeys((s.rubric_id, s.rubric_version) for s in scope.sessions))
        rubrics = [self._rubrics(*key) for key in used]
        shapes = {_shape(rubric) for rubric in rubrics}
        if len(shapes) > 1:
            listed = ", ".join(f"{rubric_id} {version}" for rubric_id, version in used)
            raise BadInput(
                f"these sessions use rubrics with different checks or grades ({listed}): "
                "report them apart"
            )
        return rubrics[-1]


def _shape(rubric: Rubric) -> tuple[object, ...]:
    """What must match for answers and grades to be counted together."""
    return (
        tuple((d.id, tuple(c.id for c in d.checks)) for d in rubric.dimensions),
        tuple(g.id for g in rubric.grades),
        tuple(a.id for a in rubric.answers),
    )


def _narrative(
    written: dict[NarrativeSection, str], section: NarrativeSection
) -> tuple[Section, ...]:
    """The chair's section as typed, or nothing when it is not written."""
    text = written.get(section)
    return (Section(section.heading, (Paragraph(text),)),) if text else ()
