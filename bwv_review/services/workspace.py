"""A workspace is one database with its schema at head and the services built on it.

The GUI and every CLI command open the workspace the same way, so both see the same
migrations, the same services and the same errors.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError

from bwv_review.config import Paths, Settings, SettingsError
from bwv_review.services.amendments import AmendmentsService
from bwv_review.services.audit import AuditService
from bwv_review.services.audit_export import AuditExportService
from bwv_review.services.auth import AuthService
from bwv_review.services.backup import BackupService
from bwv_review.services.consensus import ConsensusService
from bwv_review.services.force_context import ForceContextService
from bwv_review.services.learning_export import LearningExportService
from bwv_review.services.library import LibraryService
from bwv_review.services.library_view import LibraryViewService
from bwv_review.services.population import PopulationService
from bwv_review.services.records import RecordsService
from bwv_review.services.report_builder import ReportBuilder
from bwv_review.services.report_choices import ReportChoicesService
from bwv_review.services.report_issuing import ReportIssuingService
from bwv_review.services.report_narrative import ReportNarrativeService
from bwv_review.services.retention import RetentionService
from bwv_review.services.review_import import ReviewImportService
from bwv_review.services.review_reopening import ReviewReopeningService
from bwv_review.services.review_sessions import ReviewSessionsService
from bwv_review.services.reviews import ReviewsService
from bwv_review.services.sampling import SamplingService
from bwv_review.services.session_footage import SessionFootageService
from bwv_review.services.stats import StatsService
from bwv_review.services.tracker import TrackerService
from bwv_review.services.training_descriptions import TrainingDescriptionsService
from bwv_review.services.users import UsersService
from bwv_review.services.workspace_settings import WorkspaceSettingsService
from bwv_review.store.db import Database, NoWorkspace, explain_db_error, is_unavailable_error
from bwv_review.store.migrate import current_revision, upgrade_to_head

__all__ = ["NoWorkspace", "Workspace", "remember_workspace"]

log = logging.getLogger(__name__)


class Workspace:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.auth = AuthService(db)
        self.audit = AuditService(db)
        self.audit_export = AuditExportService(db)
        self.backup = BackupService(db)
        self.retention = RetentionService(db)
        self.library = LibraryService(db)
        self.sampling = SamplingService(db)
        self.library_view = LibraryViewService(db)
        self.users = UsersService(db, self.auth)
        self.records = RecordsService(db)
        self.population = PopulationService(db)
        self.force_context = ForceContextService(db)
        self.stats = StatsService(db)
        self.review_sessions = ReviewSessionsService(db)
        self.session_footage = SessionFootageService(db)
        self.reviews = ReviewsService(db)
        self.reopening = ReviewReopeningService(db)
        self.consensus = ConsensusService(db)
        self.amendments = AmendmentsService(db)
        self.tracker = TrackerService(db)
        self.training_descriptions = TrainingDescriptionsService(db)
        self.learning_export = LearningExportService(db)
        self.review_import = ReviewImportService(db)
        self.panel = WorkspaceSettingsService(db)
        self.reports = ReportBuilder(db)
        self.report_issuing = ReportIssuingService(db, self.reports, self.audit)
        self.report_narrative = ReportNarrativeService(db)
        self.report_choices = ReportChoicesService(db)

    @classmethod
    def create(cls, url: str) -> Workspace:
        """Create the workspace at `url`, or upgrade the one already there.

        The one way a workspace comes into being: `init`, the app's first run and anything
        like them (a demo) call this; everything else calls `open`, so a workspace that was
        deleted or moved is reported, never silently replaced by an empty one."""
        return cls._opened(Database(url, create=True), must_exist=False)

    @classmethod
    def open(cls, url: str) -> Workspace:
        """Open the workspace at `url`, upgrading its schema if this version is newer.

        Raises NoWorkspace when there is none: no SQLite file at the path, or a database
        (a PostgreSQL one, or an empty file) that no `init` has set up."""
        return cls._opened(Database(url), must_exist=True)

    @classmethod
    def _opened(cls, db: Database, *, must_exist: bool) -> Workspace:
        try:
            if must_exist and current_revision(db.engine) is None:
                raise NoWorkspace(db.location)
            upgrade_to_head(db.engine)
        except DBAPIError as exc:
            db.dispose()
            if is_unavailable_error(exc):
                raise explain_db_error(db.engine, exc) from exc
            raise
        except NoWorkspace:
            db.dispose()
            raise
        return cls(db)

    @property
    def location(self) -> str:
        return self.db.url_for_display

    def close(self) -> None:
        self.db.dispose()


def remember_workspace(paths: Paths, workspace: Workspace) -> None:
    """Note in this machine's settings that a workspace is at this location, so the app can
    tell a first run from a workspace that has gone. Not being able to note it must not
    stop the command: the workspace itself is fine."""
    try:
        Settings(paths.settings_file).remember_workspace(workspace.db.location)
    except (SettingsError, OSError) as exc:
        log.warning("could not note the workspace in the settings: %s", exc)
