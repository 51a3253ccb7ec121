"""Test set-up shared by every test: Qt offscreen, the app's folders in a temporary home,
log warnings that fail tests, and real databases (a SQLite file and a PostgreSQL server
started for this run)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("BWV_REVIEW_PIN", None)
os.environ.pop("BWV_REVIEW_DB", None)

import psycopg
import pytest

from bwv_review.cli import run
from bwv_review.config import HOME_ENV_VAR, Paths
from bwv_review.services.workspace import Workspace
from tests.support.postgres import PostgresCluster

BACKENDS = ("sqlite", "postgresql")
REPO = Path(__file__).resolve().parents[1]
# The real public files (OGL v3.0, unmodified), shipped as package data.
POLICE_DATA_DIR = REPO / "resources" / "data"


@pytest.fixture(scope="session")
def police_data_dir() -> Path:
    """The real data.police.uk files. Missing means a broken checkout, not a skip."""
    if not POLICE_DATA_DIR.is_dir():
        pytest.fail(f"{POLICE_DATA_DIR} is missing from the checkout")
    return POLICE_DATA_DIR


@dataclass(frozen=True)
class BuiltDemo:
    """The demo workspace as `bwv-review demo --out DIR` left it, and what it printed."""

    home: Path
    exit_code: int
    output: str  # what the command wrote to stdout

    @property
    def db_url(self) -> str:
        return f"sqlite:///{Paths.under(self.home).default_db_file}"


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> BuiltDemo:
    """The demo, built once per test run by its command (some 20 s), for every test that
    needs a workspace with content (the demo tests, the e2e walk, the screenshots). Read it;
    a test that changes it changes it for the tests after it."""
    root = tmp_path_factory.mktemp("demo")
    home = root / "home"
    own = Paths.under(root / "cli")  # the command's own logs and settings, not the user's
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(["demo", "--out", str(home)], paths=own)
    return BuiltDemo(home, code, out.getvalue())


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """Each test gets its own data, config and log folders: nothing touches the real ones."""
    monkeypatch.setenv(HOME_ENV_VAR, str(tmp_path / "home"))
    return Paths.for_this_machine()


@pytest.fixture(autouse=True)
def fail_on_log_warnings(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """An unexpected warning in our logs is a failure, as a Qt warning is
    (qt_log_level_fail). Tests that provoke one on purpose say so with a marker."""
    yield
    if request.node.get_closest_marker("expected_log_warnings"):
        return
    noisy = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    if noisy:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in noisy)
        pytest.fail(f"unexpected log warnings:\n{lines}")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty database on the test server for one test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    dsn = f"host=127.0.0.1 port={postgres_cluster.port} user=postgres dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_cluster.url_for(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    ws = Workspace.create(db_url)
    try:
        yield ws
    finally:
        ws.close()
