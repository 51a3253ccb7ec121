"""The tables. Two kinds of row are never mixed: a `PoliceRecord` is one row of a public
data.police.uk file; a `Case` is an encounter the force hands the panel, with footage.

Every change to these models needs an Alembic migration; a test compares the two.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bwv_review.domain.vocab import (
    CaseGrade,
    CaseType,
    ClipStatus,
    LearningKind,
    ReviewSessionStatus,
    ReviewStatus,
    Role,
    TrackerStatus,
)
from bwv_review.store.types import UTCDateTime, utc_now

# Deterministic constraint names make migrations and schema comparisons identical on
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SHA256_HEX_LEN = 64


def enum_type(enum_cls: type[StrEnum]) -> Enum:
    """A VARCHAR holding the enum's value (not its name), checked by a named constraint."""
    return Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


class User(Base):
    """A person who signs in. The pseudonym is what watermarks and anonymised views show."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A PIN an administrator set (added, or reset) is known to them too, so the person
    # chooses their own at first sign-in.
    pin_is_temporary: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confidentiality_version: Mapped[str | None] = mapped_column(String(32))
    confidentiality_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)


class SignInFailure(Base):
    """Failed sign-ins under a name no account has, counted and locked exactly as a real
    account's are, so that lock-out does not tell who has an account. The name is kept as
    its SHA-256 (`auth.name_key`): any text typed fits, and the table does not spell out
    what was typed (a guess is easily confirmed, though, so it is no secret)."""

    __tablename__ = "sign_in_failures"

    name_key: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), primary_key=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


# ---------------------------------------------------------------------------------------
# The workspace itself
# ---------------------------------------------------------------------------------------


class WorkspaceSettings(Base):
    """What belongs to the panel rather than to one laptop: its name, the force it
    scrutinises (a data.police.uk slug, so the report can find that force's public records)
    and whether this is demonstration data. One row (id 1); none until it is first set."""

    __tablename__ = "workspace_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_name: Mapped[str | None] = mapped_column(String(200))
    force: Mapped[str | None] = mapped_column(String(100))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Days a case's personal data is kept after its encounter (services.retention); None:
    # the panel has set no period, so nothing warns of a purge.
    retention_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


# ---------------------------------------------------------------------------------------
# The public sampling frame
# ---------------------------------------------------------------------------------------


class RecordImport(Base):
    """One data.police.uk file as imported; its SHA-256 is half of each row's identity."""

    __tablename__ = "record_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), unique=True)
    file_name: Mapped[str] = mapped_column(String(400))
    force: Mapped[str | None] = mapped_column(String(100))
    month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM
    source_format: Mapped[str] = mapped_column(String(16))  # csv | json
    row_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    imported_by: Mapped[str] = mapped_column(String(64))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("record_imports.id"))

    __table_args__ = (Index("ix_record_imports_force_month", "force", "month"),)


class PoliceRecord(Base):
    """One row of a public stop-and-search file: the original strings and canonical values.

    Identity is (file SHA-256, line number), never content: the real files contain exact
    duplicate rows that are distinct searches. The SHA-256 is kept once, on the import (unique
    there), so a row is unique by (import, line): a million rows do not each carry 64 bytes
    of hash and a second index on them.
    """

    __tablename__ = "police_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("record_imports.id"))
    line_number: Mapped[int] = mapped_column(Integer)

    # The original strings, exactly as published.
    type_raw: Mapped[str] = mapped_column(String(100))
    date_raw: Mapped[str] = mapped_column(String(64))
    part_of_operation_raw: Mapped[str] = mapped_column(String(16))
    policing_operation_raw: Mapped[str] = mapped_column(Text)
    latitude_raw: Mapped[str] = mapped_column(String(32))
    longitude_raw: Mapped[str] = mapped_column(String(32))
    gender_raw: Mapped[str] = mapped_column(String(64))
    age_range_raw: Mapped[str] = mapped_column(String(64))
    self_defined_ethnicity_raw: Mapped[str] = mapped_column(String(200))
    officer_defined_ethnicity_raw: Mapped[str] = mapped_column(String(64))
    legislation_raw: Mapped[str] = mapped_column(String(200))
    object_of_search_raw: Mapped[str] = mapped_column(String(200))
    outcome_raw: Mapped[str] = mapped_column(String(200))
    outcome_linked_raw: Mapped[str] = mapped_column(String(16))
    removal_of_outer_clothing_raw: Mapped[str] = mapped_column(String(16))

    # Canonical values (blank -> None means "not recorded").
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    date_only: Mapped[bool] = mapped_column(Boolean, default=False)
    search_type: Mapped[str] = mapped_column(String(64))
    part_of_operation: Mapped[bool | None] = mapped_column(Boolean)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    gender: Mapped[str | None] = mapped_column(String(64))
    age_band: Mapped[str | None] = mapped_column(String(16))
    self_defined_ethnicity_group: Mapped[str | None] = mapped_column(String(64))
    officer_defined_ethnicity: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(64))
    outcome_linked: Mapped[bool | None] = mapped_column(Boolean)
    removal_of_outer_clothing: Mapped[bool | None] = mapped_column(Boolean)
    # Values never seen before are kept and flagged, never mapped to another group.
    unrecognised_fields: Mapped[str | None] = mapped_column(String(400))

    __table_args__ = (
        UniqueConstraint("import_id", "line_number"),
        Index("ix_police_records_occurred_at", "occurred_at"),
    )


# ---------------------------------------------------------------------------------------
# What the force hands the panel
# ---------------------------------------------------------------------------------------


class FootageRoot(Base):
    """A named place footage lives (force storage); each machine maps it to a local folder."""

    __tablename__ = "footage_roots"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class Case(Base):
    """One encounter: the record and its clips. What gets sampled, reviewed and reported."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    force_reference: Mapped[str] = mapped_column(String(100), unique=True)
    case_type: Mapped[CaseType] = mapped_column(enum_type(CaseType))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    area: Mapped[str | None] = mapped_column(String(200))
    power: Mapped[str | None] = mapped_column(String(200))
    object_of_search: Mapped[str | None] = mapped_column(String(200))
    grounds_text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(200))
    outcome_linked: Mapped[bool | None] = mapped_column(Boolean)
    subject_age_band: Mapped[str | None] = mapped_column(String(16))
    subject_gender: Mapped[str | None] = mapped_column(String(64))
    subject_self_defined_ethnicity: Mapped[str | None] = mapped_column(String(200))
    subject_officer_defined_ethnicity: Mapped[str | None] = mapped_column(String(64))
    strip_search: Mapped[bool | None] = mapped_column(Boolean)
    taser_highest_level: Mapped[str | None] = mapped_column(String(32))
    officer_pseudonym: Mapped[str | None] = mapped_column(String(64))
    police_record_id: Mapped[int | None] = mapped_column(ForeignKey("police_records.id"))
    manifest_sha256: Mapped[str | None] = mapped_column(String(SHA256_HEX_LEN))
    manifest_line: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    clips: Mapped[list[Clip]] = relationship(
        back_populates="case", order_by="Clip.position", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_cases_occurred_at", "occurred_at"),)


class Clip(Base):
    """A footage file referenced in place (never copied), with what proves it unchanged."""

    __tablename__ = "clips"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the case
    label: Mapped[str] = mapped_column(String(200), default="")
    footage_root_id: Mapped[int] = mapped_column(ForeignKey("footage_roots.id"))
    relative_path: Mapped[str] = mapped_column(String(1000))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    mtime_ns: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(SHA256_HEX_LEN), index=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    fps_num: Mapped[int | None] = mapped_column(Integer)
    fps_den: Mapped[int | None] = mapped_column(Integer)
    variable_frame_rate: Mapped[bool | None] = mapped_column(Boolean)
    frame_count: Mapped[int | None] = mapped_column(Integer)
    width_px: Mapped[int | None] = mapped_column(Integer)
    height_px: Mapped[int | None] = mapped_column(Integer)
    codec: Mapped[str | None] = mapped_column(String(32))
    # Frame indices where decoding can start, as a JSON list, from the registration probe.
    keyframe_indices_json: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deletion_due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ClipStatus] = mapped_column(enum_type(ClipStatus), default=ClipStatus.UNVERIFIED)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="clips")
    footage_root: Mapped[FootageRoot] = relationship()

    __table_args__ = (UniqueConstraint("footage_root_id", "relative_path"),)


# ---------------------------------------------------------------------------------------
# Sampling and review sessions
# ---------------------------------------------------------------------------------------


class SampleDraw(Base):
    """A named, reproducible draw: the spec and seed re-create exactly these cases."""

    __tablename__ = "sample_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    seed: Mapped[str] = mapped_column(String(100))
    spec_json: Mapped[str] = mapped_column(Text)
    frame_size: Mapped[int] = mapped_column(Integer)
    stratum_counts_json: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class SampleDrawCase(Base):
    __tablename__ = "sample_draw_cases"

    draw_id: Mapped[int] = mapped_column(ForeignKey("sample_draws.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    stratum: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)


class ReviewSession(Base):
    """A panel meeting and the reviewing before it (a database session stays `Session`)."""

    __tablename__ = "review_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    quarter: Mapped[str] = mapped_column(String(16))  # e.g. 2026-Q3
    meeting_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ReviewSessionStatus] = mapped_column(
        enum_type(ReviewSessionStatus), default=ReviewSessionStatus.DRAFT
    )
    rubric_id: Mapped[str] = mapped_column(String(100))
    rubric_version: Mapped[str] = mapped_column(String(32))
    # Whether reviewers see others' answers after their own submission or only once all
    # members have submitted.
    reveal_after_all_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    show_member_names: Mapped[bool] = mapped_column(Boolean, default=False)
    sample_draw_id: Mapped[int | None] = mapped_column(ForeignKey("sample_draws.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SessionMember(Base):
    __tablename__ = "session_members"

    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    attended: Mapped[bool | None] = mapped_column(Boolean)


class SessionCase(Base):
    __tablename__ = "session_cases"

    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # sample | manual
    reason: Mapped[str | None] = mapped_column(Text)
    discussed: Mapped[bool] = mapped_column(Boolean, default=False)


class Assignment(Base):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    __table_args__ = (UniqueConstraint("session_id", "case_id", "reviewer_id"),)


class Review(Base):
    """One reviewer's judgement of one case in one session (keyed on the assignment, so a
    case can be reviewed again in a later session)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus), default=ReviewStatus.IN_PROGRESS
    )
    overall_grade: Mapped[CaseGrade | None] = mapped_column(enum_type(CaseGrade))
    overall_grade_override_reason: Mapped[str | None] = mapped_column(Text)
    general_note: Mapped[str | None] = mapped_column(Text)
    question_to_force: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Answer(Base):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    check_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    __table_args__ = (UniqueConstraint("review_id", "check_id"),)


class DimensionGrade(Base):
    """A reviewer's grade for one rubric dimension, with the suggestion it may override."""

    __tablename__ = "dimension_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    dimension_id: Mapped[str] = mapped_column(String(100))
    grade: Mapped[CaseGrade] = mapped_column(enum_type(CaseGrade))
    override_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("review_id", "dimension_id"),)


class LearningPoint(Base):
    """A time-coded observation in a clip. The frame index is exact only when the
    uncertainty is 0; otherwise it is ±frame_uncertainty frames."""

    __tablename__ = "learning_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id"))
    position_ms: Mapped[int] = mapped_column(Integer)
    frame_index: Mapped[int | None] = mapped_column(Integer)
    frame_uncertainty: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[LearningKind] = mapped_column(enum_type(LearningKind))
    tags_json: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class PanelOutcome(Base):
    """What the panel agreed about a case. `version` detects concurrent edits by two
    chairs' laptops instead of letting the later save silently win."""

    __tablename__ = "panel_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    consensus_grade: Mapped[CaseGrade | None] = mapped_column(enum_type(CaseGrade))
    actions_json: Mapped[str] = mapped_column(Text, default="[]")
    vignette: Mapped[str] = mapped_column(Text, default="")
    questions_to_force: Mapped[str] = mapped_column(Text, default="")
    force_response: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("session_id", "case_id"),)


class LearningTrackerItem(Base):
    """An organisational recommendation followed across sessions until closed."""

    __tablename__ = "learning_tracker_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation: Mapped[str] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[TrackerStatus] = mapped_column(
        enum_type(TrackerStatus), default=TrackerStatus.OPEN
    )
    force_response: Mapped[str] = mapped_column(Text, default="")
    raised_in_session_id: Mapped[int | None] = mapped_column(ForeignKey("review_sessions.id"))
    raised_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TrainingDescription(Base):
    """The words a training lead may export for a learning point. A reviewer's raw note is
    never exported: it can hold names and places; this text is written or approved by the
    chair or a training lead for training use, and each change is audited."""

    __tablename__ = "training_descriptions"

    learning_point_id: Mapped[int] = mapped_column(
        ForeignKey("learning_points.id"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


# ---------------------------------------------------------------------------------------
# Reports: the population table for rates, the chair's narrative, and issued reports
# ---------------------------------------------------------------------------------------


class PopulationTable(Base):
    """One imported population file (e.g. Census 2011 by police force area). Rates always
    print its source and year beside them, so the table is kept whole, never merged."""

    __tablename__ = "population_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(SHA256_HEX_LEN))
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class PopulationCount(Base):
    """People in one census group of one police force area; `area_slug` is the force slug
    the public records use (`avon-and-somerset`), `ethnic_group` one of the five groups."""

    __tablename__ = "population_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("population_tables.id"), index=True)
    area_slug: Mapped[str] = mapped_column(String(100))
    ethnic_group: Mapped[str] = mapped_column(String(16))
    population: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("table_id", "area_slug", "ethnic_group"),)


class ReportNarrative(Base):
    """A section of the report the chair writes (recommendations, next quarter's sampling
    focus...), for one scope: `scope_key` names the sessions it covers, canonically."""

    __tablename__ = "report_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("scope_key", "section"),)


class IssuedReport(Base):
    """A report file the panel issued: its SHA-256 lets `report --verify` say whether a file
    is one this workspace issued, and the audit chain's head at issue ties it to the log."""

    __tablename__ = "issued_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), unique=True)
    variant: Mapped[str] = mapped_column(String(16))
    file_format: Mapped[str] = mapped_column(String(8))
    scope_key: Mapped[str] = mapped_column(String(200))
    scope_json: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    audit_event_id: Mapped[int] = mapped_column(Integer)
    audit_count: Mapped[int] = mapped_column(Integer)
    audit_hash: Mapped[str] = mapped_column(String(SHA256_HEX_LEN))
    checkpoint_written: Mapped[bool] = mapped_column(Boolean, default=False)


# ---------------------------------------------------------------------------------------
# The audit log
# ---------------------------------------------------------------------------------------


class AuditEvent(Base):
    """Append-only and hash-chained: each event holds the SHA-256 of the one before it.

    `prev_hash` is unique, so two writers that raced for the same predecessor cannot both
    commit: the chain cannot fork even if the append lock were bypassed. The actor is kept
    as text so the log outlives any change to the users table.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(400))
    entity_type: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    detail_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), unique=True)
    hash: Mapped[str] = mapped_column(String(SHA256_HEX_LEN))

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)


# ---------------------------------------------------------------------------------------
# Corrections after a session is finalised
# ---------------------------------------------------------------------------------------


class Amendment(Base):
    """A correction made after finalising, kept beside the original rather than over it:
    the original row never changes, and the latest amendment of a field is what now holds.
    `target` names the row ("answer", "review" or "panel_outcome") and `field` its column."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    target: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100))
    original_value: Mapped[str | None] = mapped_column(Text)
    amended_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    __table_args__ = (Index("ix_amendments_session_case", "session_id", "case_id"),)
