"""Storage: SQLAlchemy models, engine set-up, migrations and the audit log. The only SQL."""
