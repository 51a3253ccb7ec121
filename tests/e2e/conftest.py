"""The walk's stage: a desktop, a fresh workspace file, the force's delivery and the app;
and the demo's stage: a desktop and the app on a copy of the demo workspace, for the walks
of one screen. When a step fails, the app's own error output is added to the failure."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from tests.conftest import BuiltDemo
from tests.e2e.a11y import Screen
from tests.e2e.app import AppUnderTest
from tests.e2e.desktop import Desktop, desktop, missing_tools
from tests.e2e.force_data import ForceDelivery, force_delivery
from tests.e2e.panel_db import PanelDatabase
from tests.e2e.person import Person


@dataclass
class Walk:
    desktop: Desktop
    screen: Screen
    app: AppUnderTest
    db: PanelDatabase
    delivery: ForceDelivery
    records_dir: Path


@pytest.fixture
def walk(tmp_path: Path, police_data_dir: Path) -> Iterator[Walk]:
    missing = missing_tools()
    if missing:
        pytest.fail(
            "the end-to-end walk needs these Debian packages (`make test` installs them as "
            f"root): {' '.join(missing)}"
        )
    delivery = force_delivery(tmp_path / "force")
    db_file = tmp_path / "panel.sqlite3"
    with desktop(tmp_path / "shots") as screen:
        app = AppUnderTest(screen, db_file, tmp_path / "home")
        db = PanelDatabase(db_file)
        reader = Screen(screen)
        try:
            yield Walk(screen, reader, app, db, delivery, police_data_dir)
        finally:
            app.stop()
            reader.close()
            db.close()


@dataclass
class Stage:
    desktop: Desktop
    screen: Screen
    app: AppUnderTest
    db: PanelDatabase
    folder: Path  # empty, for what the walk saves through a file dialog

    def sign_in(self, username: str, display_name: str) -> Person:
        """Starts the app and signs a demo person in by keyboard (name, Tab, PIN, Enter);
        returns once a control in the main window holds the focus, so keys reach it."""
        self.app.start()
        person = Person(self.desktop, self.screen, username, display_name, DEMO_PIN)
        person.x.focus_window("Sign in to bwv-review")
        person.screen.wait_focus("the user name field", lambda c: c.name == "User name")
        person.type(username)
        person.press("Tab")
        person.type(DEMO_PIN)
        person.press("Return")
        person.x.focus_window(display_name)  # the demo's title says Demonstration data too
        person.screen.wait_focus(
            "a control in the main window", lambda c: "bwv-review main window" in c.ancestors
        )
        return person


@pytest.fixture
def stage(tmp_path: Path, demo_home: BuiltDemo) -> Iterator[Stage]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"the walk needs these Debian packages: {' '.join(missing)}")
    db_file = tmp_path / "panel.sqlite3"
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    target = sqlite3.connect(db_file)
    source.backup(target)  # a copy: what the walk writes stays out of the shared demo
    source.close()
    target.close()
    (tmp_path / "saved").mkdir()
    with desktop(tmp_path / "shots") as screen:
        app = AppUnderTest(screen, db_file, tmp_path / "home")
        reader = Screen(screen)
        db = PanelDatabase(db_file)
        try:
            yield Stage(screen, reader, app, db, tmp_path / "saved")
        finally:
            app.stop()
            reader.close()
            db.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed step shows what the app wrote to its error output."""
    outcome = yield
    report = outcome.get_result()
    walk = getattr(item, "funcargs", {}).get("walk")
    if report.failed and call.when == "call" and isinstance(walk, Walk):
        report.sections.append(("app stderr", walk.app.stderr()))
