"""The walk's stage: a desktop, a fresh workspace file, the force's delivery and the app.
When a step fails, the app's own error output is added to the failure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.a11y import Screen
from tests.e2e.app import AppUnderTest
from tests.e2e.desktop import Desktop, desktop, missing_tools
from tests.e2e.force_data import ForceDelivery, force_delivery
from tests.e2e.panel_db import PanelDatabase


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed step shows what the app wrote to its error output."""
    outcome = yield
    report = outcome.get_result()
    walk = getattr(item, "funcargs", {}).get("walk")
    if report.failed and call.when == "call" and isinstance(walk, Walk):
        report.sections.append(("app stderr", walk.app.stderr()))
