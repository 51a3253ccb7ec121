"""workspace_settings.retention_days: how long the panel keeps a case's personal data,
counted from the encounter; the Sessions page warns of cases the period will soon take

Workspaces that exist keep none (NULL): no warnings until an administrator sets one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workspace_settings", sa.Column("retention_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace_settings") as batch:
        batch.drop_column("retention_days")
