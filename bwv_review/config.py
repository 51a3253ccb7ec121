"""Where things live on this machine, which database to open, and per-machine settings.

Everything that depends on the machine (folders, the database URL, footage-root mappings,
player preferences) is decided here so that no other module guesses a path.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import platformdirs

APP_NAME = "bwv-review"
APP_AUTHOR = "bwv-review"
DB_ENV_VAR = "BWV_REVIEW_DB"
PIN_ENV_VAR = "BWV_REVIEW_PIN"
# The PIN for an account being created or reset, so scripts need not type two PINs.
NEW_PIN_ENV_VAR = "BWV_REVIEW_NEW_PIN"
HOME_ENV_VAR = "BWV_REVIEW_HOME"


@dataclass(frozen=True)
class Paths:
    """The folders the app writes to. BWV_REVIEW_HOME puts them all under one folder,
    which tests and portable installs use; otherwise they follow the platform's rules."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @classmethod
    def for_this_machine(cls) -> Paths:
        home = os.environ.get(HOME_ENV_VAR)
        if home:
            return cls.under(Path(home))
        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
            Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
            Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        )

    @classmethod
    def under(cls, home: Path) -> Paths:
        """The folders of a BWV_REVIEW_HOME folder, such as the demo's."""
        return cls(home / "data", home / "config", home / "logs")

    @property
    def default_db_file(self) -> Path:
        return self.data_dir / "bwv-review.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def crash_dir(self) -> Path:
        return self.log_dir / "crashes"

    @property
    def default_demo_home(self) -> Path:
        """Where the welcome window builds the demo workspace, as `bwv-review demo` does
        without --out: a BWV_REVIEW_HOME folder of its own, so it never mixes with a panel's."""
        return self.data_dir / "demo"

    @property
    def default_audit_key_file(self) -> Path:
        """Beside the settings, not the database: a backup of the data never carries it."""
        return self.config_dir / "audit-checkpoint.key"


def resolve_db_url(cli_value: str | None, paths: Paths | None = None) -> str:
    """--db wins, then BWV_REVIEW_DB, then the embedded SQLite file in the user data dir.

    A bare file path is accepted as a SQLite database, because that is what a non-technical
    administrator will type.
    """
    value = cli_value or os.environ.get(DB_ENV_VAR)
    if not value:
        paths = paths or Paths.for_this_machine()
        return f"sqlite:///{paths.default_db_file}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename over the target,
    so a crash or power cut leaves either the old file or the new one, never half of each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


WORKSPACES_SETTING = "workspaces.opened"
START_CHOICE_SETTING = "start.choice"
START_DEMO_HOME_SETTING = "start.demo_home"
START_SHARED_DATABASE_SETTING = "start.shared_database"
TEXT_PERCENT_SETTING = "display.text_percent"
HIGH_CONTRAST_SETTING = "display.high_contrast"
REDUCED_MOTION_SETTING = "display.reduced_motion"
_POSTGRES_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")
PGPASS_ADVICE = (
    "bwv-review never stores a password in its settings. Take the password out of the "
    "address and put it in ~/.pgpass instead (one line host:port:database:user:password, "
    "readable only by you: chmod 600 ~/.pgpass; on Windows %APPDATA%\\postgresql\\pgpass.conf)"
)


class SettingsError(ValueError):
    """The settings file exists but cannot be read; the message names the file."""


class BadDatabaseAddress(ValueError):
    """A shared database's address that cannot be kept; the message says why and what to do."""


class StartChoice(StrEnum):
    """How this machine opens the app, chosen once in the welcome window."""

    DEMO = "demo"  # the demonstration workspace, in a folder of its own
    NEW = "new"  # a workspace of this panel's own at the usual place
    SHARED = "shared"  # a PostgreSQL database the panel's laptops share


@dataclass(frozen=True)
class StartRoute:
    """The welcome window's choice with what it needs: the demo's folder, or the shared
    database's address (checked by shared_database_url, so never with a password)."""

    choice: StartChoice
    demo_home: Path | None = None
    shared_database: str | None = None

    def __post_init__(self) -> None:
        if (self.choice is StartChoice.DEMO) != (self.demo_home is not None):
            raise ValueError("the demo folder goes with the demo choice, and only with it")
        if (self.choice is StartChoice.SHARED) != (self.shared_database is not None):
            raise ValueError("a shared database goes with the shared choice, and only with it")
        if self.shared_database is not None:
            shared_database_url(self.shared_database)


def shared_database_url(text: str) -> str:
    """The PostgreSQL address a person typed, with the driver bwv-review uses; refused
    (BadDatabaseAddress) when it is not one or carries a password, which settings must
    never hold."""
    address = text.strip()
    if not address:
        raise BadDatabaseAddress(
            "Type the database's address first, for example postgresql://panel@db.example.org/bwv"
        )
    parts = urlsplit(address)
    if "://" not in address or parts.scheme.lower() not in _POSTGRES_SCHEMES:
        raise BadDatabaseAddress(
            f"{address!r} is not a PostgreSQL address: it starts with postgresql://, "
            "for example postgresql://panel@db.example.org/bwv"
        )
    try:
        password, _port = parts.password, parts.port  # reading the port checks it
    except ValueError as exc:  # a port that is not a number
        raise BadDatabaseAddress(f"The address cannot be read: {exc}") from exc
    if password is not None or "password" in parse_qs(parts.query):
        raise BadDatabaseAddress(f"The address contains a password. {PGPASS_ADVICE}.")
    if parts.path.strip("/") == "":
        raise BadDatabaseAddress(
            "The address names no database: put its name after the last /, for example "
            "postgresql://panel@db.example.org/bwv"
        )
    return "postgresql+psycopg://" + address.split("://", 1)[1]


DEFAULT_SETTINGS: dict[str, Any] = {
    # Each laptop mounts force storage differently: footage root name -> local folder.
    "footage_roots": {},
    # Player preferences (the player issue reads these).
    "player.surface": "auto",  # auto | native | callback
    "player.hardware_decoding": False,
    "player.jump_ms": 5000,
    # MB of decoded frames kept around the paused one (media/frame_cache.py); 0: none.
    "player.frame_cache_mb": 64,
    "player.vlc_args": [],  # extra libvlc options, e.g. ["--aout=dummy"] on a box without sound
    # Non-evidential BWV is usually deleted 31 days after it was recorded.
    "footage.deletion_days": 31,
    # Reviewer session safety.
    "idle_lock_minutes": 10,
    # Say what the footage may show before it plays ("Show footage" reveals it).
    "review.content_warning": True,
    # The HMAC key that signs audit checkpoints (`init` creates it); null: none here.
    "audit.checkpoint_key_file": None,
    # The welcome window's choice (StartChoice: demo | new | shared); null: not chosen yet.
    START_CHOICE_SETTING: None,
    # The demo workspace's folder (a BWV_REVIEW_HOME) when the choice is demo.
    START_DEMO_HOME_SETTING: None,
    # The shared PostgreSQL database's address when the choice is shared; never a password.
    START_SHARED_DATABASE_SETTING: None,
    # How the app looks here (ui/display.py checks them): text size as a percentage of the
    # platform's (100 | 150 | 200), the high-contrast theme, and jumps instead of animations.
    TEXT_PERCENT_SETTING: 100,
    HIGH_CONTRAST_SETTING: False,
    REDUCED_MOTION_SETTING: False,
}


class Settings:
    """Per-machine preferences kept as JSON in the user config dir.

    Unknown keys are kept on save so that a newer version's settings survive an older one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = dict(DEFAULT_SETTINGS)
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise SettingsError(f"{path}: cannot read settings: {exc}") from exc
            if not isinstance(loaded, dict):
                raise SettingsError(f"{path}: settings must be a JSON object")
            self._values.update(loaded)

    def get(self, key: str) -> Any:
        return self._values.get(key, DEFAULT_SETTINGS.get(key))

    def set(self, key: str, value: Any) -> None:
        self.set_together({key: value})

    def set_together(self, values: dict[str, Any]) -> None:
        """Keys that only make sense together reach the file in one write."""
        self._values.update(values)
        payload = json.dumps(self._values, indent=2, sort_keys=True).encode("utf-8")
        write_atomically(self.path, payload)

    def audit_key_file(self) -> Path | None:
        value = self.get("audit.checkpoint_key_file")
        return Path(value) if value else None

    def footage_root_folder(self, root_name: str) -> Path | None:
        folder = self.get("footage_roots").get(root_name)
        return Path(folder) if folder else None

    def map_footage_root(self, root_name: str, folder: Path) -> None:
        self.set("footage_roots", self._roots_with(root_name, folder))

    def with_footage_root(self, root_name: str, folder: Path) -> Settings:
        """These settings with `root_name` mapped to `folder`, in memory only: a command
        tries a mapping with this and saves it (map_footage_root) only once it succeeded,
        so a refused or failed import leaves the file as it was."""
        draft = copy.copy(self)
        draft._values = {**self._values, "footage_roots": self._roots_with(root_name, folder)}
        return draft

    def _roots_with(self, root_name: str, folder: Path) -> dict[str, str]:
        return {**self.get("footage_roots"), root_name: str(folder)}

    def has_opened_workspace(self, location: str) -> bool:
        """Whether this machine has had a workspace at `location` (a SQLite file's path or
        a server's address): if it is gone now, it was moved or deleted, so the app says
        so rather than treating the start as a first run."""
        return location in (self.get(WORKSPACES_SETTING) or [])

    def remember_workspace(self, location: str) -> None:
        if not self.has_opened_workspace(location):
            self.set(WORKSPACES_SETTING, [*(self.get(WORKSPACES_SETTING) or []), location])

    def start_route(self) -> StartRoute | None:
        """The welcome window's remembered choice; None before one is made."""
        choice = self.get(START_CHOICE_SETTING)
        if choice is None:
            return None
        demo_home = self.get(START_DEMO_HOME_SETTING)
        try:
            return StartRoute(
                StartChoice(choice),
                demo_home=Path(demo_home) if demo_home else None,
                shared_database=self.get(START_SHARED_DATABASE_SETTING),
            )
        except ValueError as exc:
            raise SettingsError(f"{self.path}: the remembered start is not usable: {exc}") from exc

    def remember_start_route(self, route: StartRoute) -> None:
        self.set_together(
            {
                START_CHOICE_SETTING: route.choice.value,
                START_DEMO_HOME_SETTING: str(route.demo_home) if route.demo_home else None,
                START_SHARED_DATABASE_SETTING: route.shared_database,
            }
        )
