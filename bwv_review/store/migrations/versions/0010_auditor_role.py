"""user_roles.role accepts "auditor": the force's data protection officer, who may export
and verify the audit log and nothing else

The role's CHECK constraint lists the values it accepts, so it is replaced by one that
also lists the new value. On SQLite that means rebuilding user_roles (batch mode); it is a
child table, so nothing points at it and the rebuild cannot trip a foreign key. users is
left alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ("admin", "chair", "reviewer", "training_lead")
_AFTER = (*_BEFORE, "auditor")


def _role_type(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="role", native_enum=False, create_constraint=True, length=32)


def _change_role_type(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    with op.batch_alter_table("user_roles") as batch:
        batch.alter_column(
            "role",
            existing_type=_role_type(before),
            type_=_role_type(after),
            existing_nullable=False,
        )


def upgrade() -> None:
    _change_role_type(_BEFORE, _AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM user_roles WHERE role = 'auditor'")
    _change_role_type(_AFTER, _BEFORE)
