"""The audit log covers what issue 13 lists for the data protection officer: a panel is
walked through the real services (and the player's real view log) on both backends, and
every kind of event is then looked for, with who did it and the purpose they gave.

Sign-in and its failures, account and role changes, an import, a case opened and its
clips opened and played (purpose naming the session), answers and learning points made,
changed and deleted, an outcome, finalising, and the files that leave: a report issued,
a learning export and the audit export itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bwv_review.domain.vocab import LearningKind, Role
from bwv_review.reports.document import Variant
from bwv_review.services.audit_export import AuditFilter, AuditFormat
from bwv_review.services.errors import SignInRefused
from bwv_review.services.learning_export import ExportFormat, LearningFilter
from bwv_review.services.report_issuing import ReportFormat
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.view_log import AuditViewLog, clip_key, view_purpose
from tests.services.report_fixtures import SESSION, build_report_panel
from tests.services.review_fixtures import PURPOSE, answer_all

PIN = "246813"
ACCOUNTS = "account care"
IMPORT = "records for the 2018 sample"
WORK = "panel review"
ISSUE = "quarterly report to the PCC"
DPO = "DPO quarterly check"
CHANGED = "courtesy"  # a check every case type asks


def _walk(ws: Workspace, police_data_dir: Path, out: Path) -> int:
    """The panel's work; how many cases carol reviewed."""
    ada = ws.auth.create_first_admin("ada", "Ada Admin", PIN, purpose=ACCOUNTS)
    ws.auth.create_user(ada, "dpo", "Dee Officer", PIN, [Role.AUDITOR], purpose=ACCOUNTS)
    ws.users.set_roles(ada, "dpo", [Role.AUDITOR, Role.REVIEWER], purpose=ACCOUNTS)
    ws.users.set_roles(ada, "dpo", [Role.AUDITOR], purpose=ACCOUNTS)
    ws.users.set_active(ada, "dpo", False, purpose=ACCOUNTS)
    ws.users.set_active(ada, "dpo", True, purpose=ACCOUNTS)
    ws.users.reset_secret(ada, "dpo", "135799", purpose=ACCOUNTS)
    with pytest.raises(SignInRefused):
        ws.auth.sign_in("dpo", "000000", purpose="sign in")
    dpo = ws.auth.sign_in("dpo", "135799", purpose="sign in")
    ws.records.import_file(
        ada, police_data_dir / "2018-01-avon-and-somerset-stop-and-search.csv", purpose=IMPORT
    )

    panel = build_report_panel(ws, finalise=False)
    carol = next(member for member in panel.members if member.username == "carol")
    queue = ws.reviews.queue(carol)
    for item in queue:
        view = ws.reviews.open_case(carol, item.assignment_id, purpose=WORK)
        views = AuditViewLog(
            ws.audit, carol, assignment_id=item.assignment_id, session_name=view.session_name
        )
        views.clip_opened(clip_key(view.clips[0].clip_id))
        views.playback_started(clip_key(view.clips[0].clip_id), 0)
        answer_all(ws, carol, item.assignment_id)
        ws.reviews.save_answer(carol, item.assignment_id, CHANGED, "met", "on reflection",
                               purpose=WORK)  # fmt: skip
        stamped = LearningPointInput(
            view.clips[0].clip_id, 500, 12, 0, LearningKind.LEARNING, ("bwv_late_start",), "late"
        )
        point = ws.reviews.add_learning_point(carol, item.assignment_id, stamped, purpose=WORK)
        ws.reviews.update_learning_point(
            carol, point, kind=LearningKind.LEARNING, tags=("bwv_late_start",), note="later",
            purpose=WORK,
        )  # fmt: skip
        ws.reviews.delete_learning_point(carol, point, purpose=WORK)
        ws.reviews.submit(carol, item.assignment_id, purpose=WORK)
    ws.review_sessions.finalise(panel.chair, panel.session_id, purpose=ISSUE)
    scope = ReportScope.of_sessions(SESSION)
    ws.report_issuing.issue(
        panel.chair, scope, Variant.INTERNAL, ReportFormat.PDF, out / "report.pdf", purpose=ISSUE
    )
    ws.learning_export.export(
        panel.chair, LearningFilter(), ExportFormat.CSV, out / "learning.csv", purpose=ISSUE
    )
    ws.audit_export.export(dpo, AuditFilter(), AuditFormat.CSV, out / "audit.csv", purpose=DPO)
    return len(queue)


EXPECTED = {
    # action: (actor, purpose); None: the panel fixture's own purpose
    "user.created": ("ada", ACCOUNTS),
    "user.roles_changed": ("ada", ACCOUNTS),
    "user.disabled": ("ada", ACCOUNTS),
    "user.enabled": ("ada", ACCOUNTS),
    "user.pin_reset": ("ada", ACCOUNTS),
    "auth.sign_in_failed": ("dpo", "sign in"),
    "auth.signed_in": ("dpo", "sign in"),
    "records.imported": ("ada", IMPORT),
    "case.viewed": ("carol", WORK),
    "clip.opened": ("carol", view_purpose(SESSION)),
    "clip.played": ("carol", view_purpose(SESSION)),
    "review.answer_saved": ("carol", WORK),
    "review.learning_point_added": ("carol", WORK),
    "review.learning_point_changed": ("carol", WORK),
    "review.learning_point_deleted": ("carol", WORK),
    "review.submitted": ("carol", WORK),
    "outcome.saved": ("chair", PURPOSE),
    "session.finalised": ("chair", ISSUE),
    "report.issued": ("chair", ISSUE),
    "learning.exported": ("chair", ISSUE),
    "audit.exported": ("dpo", DPO),
}


def test_every_kind_of_event_the_officer_needs_is_logged_with_actor_and_purpose(
    workspace: Workspace, police_data_dir: Path, tmp_path: Path
) -> None:
    cases = _walk(workspace, police_data_dir, tmp_path)
    assert cases > 0
    with workspace.db.transaction() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.purpose).order_by(AuditEvent.seq)
        ).all()
    logged = {(action, actor, purpose) for action, actor, purpose in events}
    missing = [
        f"{action} by {actor} for {purpose!r}"
        for action, (actor, purpose) in EXPECTED.items()
        if (action, actor, purpose) not in logged
    ]
    assert missing == []
    assert all(actor and purpose for _action, actor, purpose in events)
    # Carol's changed answer is an event of its own, not folded into her first.
    with workspace.db.transaction() as session:
        details = session.scalars(
            select(AuditEvent.detail_json).where(
                AuditEvent.action == "review.answer_saved", AuditEvent.actor == "carol"
            )
        ).all()
    assert sum(f'"check":"{CHANGED}"' in detail for detail in details) == 2 * cases
