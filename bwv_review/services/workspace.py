"""A workspace is one database with its schema at head and the services built on it.

The GUI and every CLI command open the workspace the same way, so both see the same
migrations, the same services and the same errors.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from bwv_review.services.amendments import AmendmentsService
from bwv_review.services.audit import AuditService
from bwv_review.services.auth import AuthService
from bwv_review.services.consensus import ConsensusService
from bwv_review.services.library import LibraryService
from bwv_review.services.library_view import LibraryViewService
from bwv_review.services.records import RecordsService
from bwv_review.services.review_import import ReviewImportService
from bwv_review.services.review_reopening import ReviewReopeningService
from bwv_review.services.review_sessions import ReviewSessionsService
from bwv_review.services.reviews import ReviewsService
from bwv_review.services.sampling import SamplingService
from bwv_review.services.stats import StatsService
from bwv_review.services.tracker import TrackerService
from bwv_review.services.users import UsersService
from bwv_review.store.db import Database, explain_db_error, is_unavailable_error
from bwv_review.store.migrate import upgrade_to_head


class Workspace:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.auth = AuthService(db)
        self.audit = AuditService(db)
        self.library = LibraryService(db)
        self.sampling = SamplingService(db)
        self.library_view = LibraryViewService(db)
        self.users = UsersService(db, self.auth)
        self.records = RecordsService(db)
        self.stats = StatsService(db)
        self.review_sessions = ReviewSessionsService(db)
        self.reviews = ReviewsService(db)
        self.reopening = ReviewReopeningService(db)
        self.consensus = ConsensusService(db)
        self.amendments = AmendmentsService(db)
        self.tracker = TrackerService(db)
        self.review_import = ReviewImportService(db)

    @classmethod
    def open(cls, url: str) -> Workspace:
        """Open the database at `url`, creating or upgrading its schema as needed."""
        db = Database(url)
        try:
            upgrade_to_head(db.engine)
        except DBAPIError as exc:
            db.dispose()
            if is_unavailable_error(exc):
                raise explain_db_error(db.engine, exc) from exc
            raise
        return cls(db)

    @property
    def location(self) -> str:
        return self.db.url_for_display

    def close(self) -> None:
        self.db.dispose()
