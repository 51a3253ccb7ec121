"""records: a police record is unique by (import, line); the file hash stays on the import

Every row carried its file's SHA-256 and two indexes (the hash with the line, and the
import) that a million-row import had to maintain; the import already holds the hash,
uniquely, so (import_id, line_number) is the same identity at a fraction of the cost.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("police_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_police_records_file_sha256_line_number", type_="unique")
        batch_op.drop_index("ix_police_records_import_id")
        batch_op.drop_column("file_sha256")
        batch_op.create_unique_constraint(
            "uq_police_records_import_id_line_number", ["import_id", "line_number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("police_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_police_records_import_id_line_number", type_="unique")
        batch_op.add_column(sa.Column("file_sha256", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE police_records SET file_sha256 = (SELECT file_sha256 FROM record_imports "
        "WHERE record_imports.id = police_records.import_id)"
    )
    with op.batch_alter_table("police_records", schema=None) as batch_op:
        batch_op.alter_column("file_sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_police_records_import_id", ["import_id"], unique=False)
        batch_op.create_unique_constraint(
            "uq_police_records_file_sha256_line_number", ["file_sha256", "line_number"]
        )
