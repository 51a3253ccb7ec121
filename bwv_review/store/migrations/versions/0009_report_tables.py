"""Tables for the panel's outputs: training descriptions of learning points, population
tables for rates, the chair's narrative sections, and the reports issued

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bwv_review.store.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_descriptions",
        sa.Column("learning_point_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.Integer(), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learning_point_id"],
            ["learning_points.id"],
            name="fk_training_descriptions_learning_point_id_learning_points",
        ),
        sa.ForeignKeyConstraint(
            ["written_by"], ["users.id"], name="fk_training_descriptions_written_by_users"
        ),
        sa.PrimaryKeyConstraint("learning_point_id", name="pk_training_descriptions"),
    )
    op.create_table(
        "population_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name="fk_population_tables_imported_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_population_tables"),
    )
    op.create_table(
        "population_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("area_slug", sa.String(100), nullable=False),
        sa.Column("ethnic_group", sa.String(16), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["population_tables.id"],
            name="fk_population_counts_table_id_population_tables",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_population_counts"),
        sa.UniqueConstraint(
            "table_id",
            "area_slug",
            "ethnic_group",
            name="uq_population_counts_table_id_area_slug_ethnic_group",
        ),
    )
    op.create_index(
        "ix_population_counts_table_id", "population_counts", ["table_id"], unique=False
    )
    op.create_table(
        "report_narratives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_key", sa.String(200), nullable=False),
        sa.Column("section", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name="fk_report_narratives_updated_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_narratives"),
        sa.UniqueConstraint("scope_key", "section", name="uq_report_narratives_scope_key_section"),
    )
    op.create_table(
        "issued_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("variant", sa.String(16), nullable=False),
        sa.Column("file_format", sa.String(8), nullable=False),
        sa.Column("scope_key", sa.String(200), nullable=False),
        sa.Column("scope_json", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("audit_event_id", sa.Integer(), nullable=False),
        sa.Column("audit_count", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(64), nullable=False),
        sa.Column("checkpoint_written", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["users.id"], name="fk_issued_reports_issued_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_issued_reports"),
        sa.UniqueConstraint("sha256", name="uq_issued_reports_sha256"),
    )


def downgrade() -> None:
    op.drop_table("issued_reports")
    op.drop_table("report_narratives")
    op.drop_index("ix_population_counts_table_id", table_name="population_counts")
    op.drop_table("population_counts")
    op.drop_table("population_tables")
    op.drop_table("training_descriptions")
