"""The database errors every layer names, kept apart from `db` so that naming them (the
services' error list, the sign-in window) does not load SQLAlchemy."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached, is locked, or is not a database at all.

    The message says which database and what to do; it never includes a password.
    """


class NoWorkspace(DatabaseUnavailable):
    """Nothing at the address yet (or any more); `location` is the address as shown."""

    def __init__(self, location: str) -> None:
        super().__init__(f"no workspace at {location}; restore it from backup or run init")
        self.location = location
