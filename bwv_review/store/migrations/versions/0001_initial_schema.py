"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:00:08.894546
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bwv_review.store.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=400), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=True),
        sa.Column("entity_id", sa.String(length=100), nullable=True),
        sa.Column("detail_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_events_prev_hash")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_events_seq")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "footage_roots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_footage_roots")),
        sa.UniqueConstraint("name", name=op.f("uq_footage_roots_name")),
    )
    op.create_table(
        "record_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("force", sa.String(length=100), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["record_imports.id"],
            name=op.f("fk_record_imports_superseded_by_id_record_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_imports")),
        sa.UniqueConstraint("file_sha256", name=op.f("uq_record_imports_file_sha256")),
    )
    with op.batch_alter_table("record_imports", schema=None) as batch_op:
        batch_op.create_index("ix_record_imports_force_month", ["force", "month"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("confidentiality_version", sa.String(length=32), nullable=True),
        sa.Column("confidentiality_accepted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_users_pseudonym")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "police_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("type_raw", sa.String(length=100), nullable=False),
        sa.Column("date_raw", sa.String(length=64), nullable=False),
        sa.Column("part_of_operation_raw", sa.String(length=16), nullable=False),
        sa.Column("policing_operation_raw", sa.Text(), nullable=False),
        sa.Column("latitude_raw", sa.String(length=32), nullable=False),
        sa.Column("longitude_raw", sa.String(length=32), nullable=False),
        sa.Column("gender_raw", sa.String(length=64), nullable=False),
        sa.Column("age_range_raw", sa.String(length=64), nullable=False),
        sa.Column("self_defined_ethnicity_raw", sa.String(length=200), nullable=False),
        sa.Column("officer_defined_ethnicity_raw", sa.String(length=64), nullable=False),
        sa.Column("legislation_raw", sa.String(length=200), nullable=False),
        sa.Column("object_of_search_raw", sa.String(length=200), nullable=False),
        sa.Column("outcome_raw", sa.String(length=200), nullable=False),
        sa.Column("outcome_linked_raw", sa.String(length=16), nullable=False),
        sa.Column("removal_of_outer_clothing_raw", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("date_only", sa.Boolean(), nullable=False),
        sa.Column("search_type", sa.String(length=64), nullable=False),
        sa.Column("part_of_operation", sa.Boolean(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("gender", sa.String(length=64), nullable=True),
        sa.Column("age_band", sa.String(length=16), nullable=True),
        sa.Column("self_defined_ethnicity_group", sa.String(length=64), nullable=True),
        sa.Column("officer_defined_ethnicity", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.Column("outcome_linked", sa.Boolean(), nullable=True),
        sa.Column("removal_of_outer_clothing", sa.Boolean(), nullable=True),
        sa.Column("unrecognised_fields", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["record_imports.id"],
            name=op.f("fk_police_records_import_id_record_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_records")),
        sa.UniqueConstraint(
            "file_sha256", "line_number", name=op.f("uq_police_records_file_sha256_line_number")
        ),
    )
    with op.batch_alter_table("police_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_police_records_import_id"), ["import_id"], unique=False
        )
        batch_op.create_index("ix_police_records_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "sample_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.String(length=100), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("frame_size", sa.Integer(), nullable=False),
        sa.Column("stratum_counts_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_sample_draws_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_draws")),
        sa.UniqueConstraint("name", name=op.f("uq_sample_draws_name")),
    )
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "chair",
                "reviewer",
                "training_lead",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_reference", sa.String(length=100), nullable=False),
        sa.Column(
            "case_type",
            sa.Enum(
                "stop_and_search",
                "use_of_force",
                "taser",
                "vehicle_stop_s163",
                name="casetype",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("power", sa.String(length=200), nullable=True),
        sa.Column("object_of_search", sa.String(length=200), nullable=True),
        sa.Column("grounds_text", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("outcome_linked", sa.Boolean(), nullable=True),
        sa.Column("subject_age_band", sa.String(length=16), nullable=True),
        sa.Column("subject_gender", sa.String(length=64), nullable=True),
        sa.Column("subject_self_defined_ethnicity", sa.String(length=200), nullable=True),
        sa.Column("subject_officer_defined_ethnicity", sa.String(length=64), nullable=True),
        sa.Column("strip_search", sa.Boolean(), nullable=True),
        sa.Column("taser_highest_level", sa.String(length=32), nullable=True),
        sa.Column("officer_pseudonym", sa.String(length=64), nullable=True),
        sa.Column("police_record_id", sa.Integer(), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("manifest_line", sa.Integer(), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["police_record_id"],
            ["police_records.id"],
            name=op.f("fk_cases_police_record_id_police_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("force_reference", name=op.f("uq_cases_force_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "review_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quarter", sa.String(length=16), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "finalised",
                name="reviewsessionstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("rubric_version", sa.String(length=32), nullable=False),
        sa.Column("reveal_after_all_submitted", sa.Boolean(), nullable=False),
        sa.Column("show_member_names", sa.Boolean(), nullable=False),
        sa.Column("sample_draw_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=True),
        sa.Column("finalised_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_review_sessions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["sample_draw_id"],
            ["sample_draws.id"],
            name=op.f("fk_review_sessions_sample_draw_id_sample_draws"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_sessions")),
        sa.UniqueConstraint("name", name=op.f("uq_review_sessions_name")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_assignments_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_assignments_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["review_sessions.id"],
            name=op.f("fk_assignments_session_id_review_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "session_id",
            "case_id",
            "reviewer_id",
            name=op.f("uq_assignments_session_id_case_id_reviewer_id"),
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "clips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("footage_root_id", sa.Integer(), nullable=False),
        sa.Column("relative_path", sa.String(length=1000), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("fps_num", sa.Integer(), nullable=True),
        sa.Column("fps_den", sa.Integer(), nullable=True),
        sa.Column("variable_frame_rate", sa.Boolean(), nullable=True),
        sa.Column("frame_count", sa.Integer(), nullable=True),
        sa.Column("width_px", sa.Integer(), nullable=True),
        sa.Column("height_px", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=True),
        sa.Column("deletion_due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "unverified",
                "ok",
                "missing",
                "changed",
                name="clipstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("last_verified_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_clips_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["footage_root_id"],
            ["footage_roots.id"],
            name=op.f("fk_clips_footage_root_id_footage_roots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clips")),
        sa.UniqueConstraint(
            "footage_root_id", "relative_path", name=op.f("uq_clips_footage_root_id_relative_path")
        ),
    )
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clips_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_clips_sha256"), ["sha256"], unique=False)

    op.create_table(
        "learning_tracker_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "closed",
                name="trackerstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("force_response", sa.Text(), nullable=False),
        sa.Column("raised_in_session_id", sa.Integer(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["raised_in_session_id"],
            ["review_sessions.id"],
            name=op.f("fk_learning_tracker_items_raised_in_session_id_review_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_tracker_items")),
    )
    op.create_table(
        "panel_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "consensus_grade",
            sa.Enum(
                "good_practice",
                "adequate",
                "concern",
                "cannot_assess",
                name="casegrade",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("actions_json", sa.Text(), nullable=False),
        sa.Column("vignette", sa.Text(), nullable=False),
        sa.Column("questions_to_force", sa.Text(), nullable=False),
        sa.Column("force_response", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_panel_outcomes_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["review_sessions.id"],
            name=op.f("fk_panel_outcomes_session_id_review_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_panel_outcomes_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_outcomes")),
        sa.UniqueConstraint(
            "session_id", "case_id", name=op.f("uq_panel_outcomes_session_id_case_id")
        ),
    )
    op.create_table(
        "sample_draw_cases",
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.String(length=200), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_sample_draw_cases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["sample_draws.id"], name=op.f("fk_sample_draw_cases_draw_id_sample_draws")
        ),
        sa.PrimaryKeyConstraint("draw_id", "case_id", name=op.f("pk_sample_draw_cases")),
    )
    op.create_table(
        "session_cases",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("discussed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_session_cases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["review_sessions.id"],
            name=op.f("fk_session_cases_session_id_review_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "case_id", name=op.f("pk_session_cases")),
    )
    op.create_table(
        "session_members",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["review_sessions.id"],
            name=op.f("fk_session_members_session_id_review_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_session_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("session_id", "user_id", name=op.f("pk_session_members")),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "in_progress",
                "submitted",
                name="reviewstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "overall_grade",
            sa.Enum(
                "good_practice",
                "adequate",
                "concern",
                "cannot_assess",
                name="casegrade",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("overall_grade_override_reason", sa.Text(), nullable=True),
        sa.Column("general_note", sa.Text(), nullable=True),
        sa.Column("question_to_force", sa.Text(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignments.id"], name=op.f("fk_reviews_assignment_id_assignments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_reviews_assignment_id")),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_answers_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("review_id", "check_id", name=op.f("uq_answers_review_id_check_id")),
    )
    op.create_table(
        "dimension_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(length=100), nullable=False),
        sa.Column(
            "grade",
            sa.Enum(
                "good_practice",
                "adequate",
                "concern",
                "cannot_assess",
                name="casegrade",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_dimension_grades_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dimension_grades")),
        sa.UniqueConstraint(
            "review_id", "dimension_id", name=op.f("uq_dimension_grades_review_id_dimension_id")
        ),
    )
    op.create_table(
        "learning_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=False),
        sa.Column("position_ms", sa.Integer(), nullable=False),
        sa.Column("frame_index", sa.Integer(), nullable=True),
        sa.Column("frame_uncertainty", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "good_practice",
                "learning",
                name="learningkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("tags_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clip_id"], ["clips.id"], name=op.f("fk_learning_points_clip_id_clips")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_learning_points_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_points")),
    )
    with op.batch_alter_table("learning_points", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_points_review_id"), ["review_id"], unique=False
        )

    protect_audit_log()


def downgrade() -> None:
    unprotect_audit_log()
    with op.batch_alter_table("learning_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_points_review_id"))

    op.drop_table("learning_points")
    op.drop_table("dimension_grades")
    op.drop_table("answers")
    op.drop_table("reviews")
    op.drop_table("session_members")
    op.drop_table("session_cases")
    op.drop_table("sample_draw_cases")
    op.drop_table("panel_outcomes")
    op.drop_table("learning_tracker_items")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clips_sha256"))
        batch_op.drop_index(batch_op.f("ix_clips_case_id"))

    op.drop_table("clips")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_reviewer_id"))

    op.drop_table("assignments")
    op.drop_table("review_sessions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_occurred_at")

    op.drop_table("cases")
    op.drop_table("user_roles")
    op.drop_table("sample_draws")
    with op.batch_alter_table("police_records", schema=None) as batch_op:
        batch_op.drop_index("ix_police_records_occurred_at")
        batch_op.drop_index(batch_op.f("ix_police_records_import_id"))

    op.drop_table("police_records")
    op.drop_table("users")
    with op.batch_alter_table("record_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_record_imports_force_month")

    op.drop_table("record_imports")
    op.drop_table("footage_roots")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_entity")

    op.drop_table("audit_events")


# The audit log is append-only in the database itself, not only by convention: an UPDATE or
# DELETE of an audit event is refused by a trigger. (Someone with the database owner's
# rights can still drop the trigger; `bwv-review audit verify` catches what they change.)
AUDIT_APPEND_ONLY_MESSAGE = "audit events are append-only"


def protect_audit_log() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY_MESSAGE}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{AUDIT_APPEND_ONLY_MESSAGE}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )


def unprotect_audit_log() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
