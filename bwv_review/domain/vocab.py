"""The fixed vocabularies of the work: roles, case types, age bands, Taser levels, grades.

Values are the strings stored in the database and written to exports, so they never change
once released; labels are what people read.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person may do. One person often holds several (a chair usually also reviews)."""

    ADMIN = "admin"
    CHAIR = "chair"
    REVIEWER = "reviewer"
    TRAINING_LEAD = "training_lead"
    # The force's data protection officer: reads the audit log, nothing else.
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return {
            Role.ADMIN: "Administrator",
            Role.CHAIR: "Panel chair",
            Role.REVIEWER: "Reviewer",
            Role.TRAINING_LEAD: "Training lead",
            Role.AUDITOR: "Auditor (data protection)",
        }[self]


class CaseType(StrEnum):
    STOP_AND_SEARCH = "stop_and_search"
    USE_OF_FORCE = "use_of_force"
    TASER = "taser"
    VEHICLE_STOP_S163 = "vehicle_stop_s163"

    @property
    def label(self) -> str:
        return {
            CaseType.STOP_AND_SEARCH: "Stop and search",
            CaseType.USE_OF_FORCE: "Use of force",
            CaseType.TASER: "Taser",
            CaseType.VEHICLE_STOP_S163: "Vehicle stop (s.163 RTA)",
        }[self]


class AgeBand(StrEnum):
    """data.police.uk's age ranges, in their natural order."""

    UNDER_10 = "under 10"
    AGE_10_17 = "10-17"
    AGE_18_24 = "18-24"
    AGE_25_34 = "25-34"
    OVER_34 = "over 34"


class TaserLevel(StrEnum):
    """Taser use from least to most serious; a case reports the highest reached."""

    DRAWN = "drawn"
    AIMED = "aimed"
    RED_DOTTED = "red_dotted"
    ARCED = "arced"
    DRIVE_STUN = "drive_stun"
    ANGLE_DRIVE_STUN = "angle_drive_stun"
    FIRED = "fired"

    @property
    def rank(self) -> int:
        return list(TaserLevel).index(self)


class CaseGrade(StrEnum):
    GOOD_PRACTICE = "good_practice"
    ADEQUATE = "adequate"
    CONCERN = "concern"
    CANNOT_ASSESS = "cannot_assess"


class ReviewSessionStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FINALISED = "finalised"


class ReviewStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class LearningKind(StrEnum):
    GOOD_PRACTICE = "good_practice"
    LEARNING = "learning"

    @property
    def label(self) -> str:
        return {
            LearningKind.LEARNING: "Learning point",
            LearningKind.GOOD_PRACTICE: "Good practice",
        }[self]


class TrackerStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class ClipStatus(StrEnum):
    """What the last check of a clip found on this machine's storage."""

    UNVERIFIED = "unverified"
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"
