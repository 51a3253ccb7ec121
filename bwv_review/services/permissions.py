"""Who may do what, in one table. Services check here; the GUI hides what a person may not
do, but hiding a button is a convenience, never the protection."""

from __future__ import annotations

from enum import StrEnum

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import PermissionDenied


class Permission(StrEnum):
    MANAGE_USERS = "manage users"
    CONFIGURE_WORKSPACE = "change the panel's name and force"
    IMPORT_DATA = "import records, cases and footage"
    VIEW_LIBRARY = "browse the library"
    DRAW_SAMPLE = "draw a sample"
    MANAGE_SESSIONS = "run review sessions"
    REVIEW = "review cases"
    RECORD_OUTCOMES = "record panel outcomes"
    COMPILE_REPORTS = "compile reports"
    EXPORT_LEARNING = "export learning points"
    DESCRIBE_LEARNING = "write the training description of a learning point"
    VERIFY_AUDIT = "check the audit log"
    EXPORT_AUDIT = "export the audit log"
    VIEW_FOOTAGE = "view footage"
    VIEW_STATISTICS = "see counts and breakdowns"
    VERIFY_SESSION_FOOTAGE = "check the footage of a session's cases"
    LIST_PANEL_MEMBERS = "see who may sit on a session (names and roles)"
    BACK_UP = "back up or restore the workspace"
    PURGE_PERSONAL_DATA = "purge the personal data of old cases"


ROLES_FOR: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.CONFIGURE_WORKSPACE: frozenset({Role.ADMIN}),
    Permission.IMPORT_DATA: frozenset({Role.ADMIN}),
    Permission.VIEW_LIBRARY: frozenset({Role.ADMIN, Role.CHAIR}),
    Permission.DRAW_SAMPLE: frozenset({Role.CHAIR}),
    Permission.MANAGE_SESSIONS: frozenset({Role.CHAIR}),
    Permission.REVIEW: frozenset({Role.REVIEWER, Role.CHAIR}),
    Permission.RECORD_OUTCOMES: frozenset({Role.CHAIR}),
    Permission.COMPILE_REPORTS: frozenset({Role.CHAIR}),
    Permission.EXPORT_LEARNING: frozenset({Role.TRAINING_LEAD, Role.CHAIR}),
    # Reads the reviewer's raw note to write words fit for training; only those words leave.
    Permission.DESCRIBE_LEARNING: frozenset({Role.TRAINING_LEAD, Role.CHAIR}),
    # The auditor (the force's data protection officer) holds these two and nothing else.
    Permission.VERIFY_AUDIT: frozenset({Role.ADMIN, Role.CHAIR, Role.AUDITOR}),
    Permission.EXPORT_AUDIT: frozenset({Role.ADMIN, Role.AUDITOR}),
    Permission.VIEW_FOOTAGE: frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER}),
    Permission.VIEW_STATISTICS: frozenset(Role) - {Role.AUDITOR},
    # Their own sessions only (services.session_footage); relinking stays with IMPORT_DATA.
    Permission.VERIFY_SESSION_FOOTAGE: frozenset({Role.CHAIR}),
    # Names and roles only (services.users.panel_members), so a chair can pick a session's
    # members; the accounts themselves stay with MANAGE_USERS.
    Permission.LIST_PANEL_MEMBERS: frozenset({Role.ADMIN, Role.CHAIR}),
    Permission.BACK_UP: frozenset({Role.ADMIN}),
    Permission.PURGE_PERSONAL_DATA: frozenset({Role.ADMIN}),
}


def allowed(actor: Actor, permission: Permission) -> bool:
    return bool(actor.roles & ROLES_FOR[permission])


def require(actor: Actor, permission: Permission) -> None:
    if not allowed(actor, permission):
        roles = " or ".join(sorted(role.label.lower() for role in ROLES_FOR[permission]))
        raise PermissionDenied(f"{actor.username} may not {permission.value}: needs {roles}")
