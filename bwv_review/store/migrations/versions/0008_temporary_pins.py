"""users.pin_is_temporary: a PIN an administrator set must be changed at first sign-in

Accounts that exist already keep their PINs as they are (not temporary): their people
have been signing in with them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild the users table on SQLite, and dropping
    # the old one fails while accounts' roles and sign-in records point at it.
    op.add_column(
        "users",
        sa.Column("pin_is_temporary", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pin_is_temporary")
