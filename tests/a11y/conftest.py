"""The accessibility walk's set-up: the demo workspace (built once per run) copied once into
a folder of the walk's own, its people signed in once, and the table of what the walk found
printed at the end of the run, one row per window."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bwv_review.config import HOME_ENV_VAR, Paths, Settings
from bwv_review.demo import DEMO_ACCOUNTS
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from tests.a11y.checks import WindowFindings
from tests.conftest import BuiltDemo

PURPOSE = "accessibility walk"
FOUND: list[tuple[str, WindowFindings]] = []  # (theme, findings), as the tests ran


@dataclass(frozen=True)
class DemoPanel:
    """The demo workspace open, with everyone in it signed in."""

    home: Path
    workspace: Workspace
    people: dict[str, Actor]  # by user name: chair, reviewer1-4, training, admin

    @property
    def settings(self) -> Settings:
        return Settings(Paths.under(self.home).settings_file)


@pytest.fixture(scope="session")
def demo_panel(
    demo_home: BuiltDemo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoPanel]:
    """A copy of the demo, so the looks and sign-ins the walk records change no other
    test's demo; the player draws into memory and plays no sound (offscreen, no device)."""
    assert demo_home.exit_code == 0, demo_home.output
    home = tmp_path_factory.mktemp("a11y") / "home"
    shutil.copytree(demo_home.home, home)
    settings = Settings(Paths.under(home).settings_file)
    settings.set("player.surface", "callback")
    settings.set("player.vlc_args", ["--aout=dummy"])
    ws = Workspace.open(f"sqlite:///{Paths.under(home).default_db_file}")
    people = {
        account.username: ws.auth.sign_in(account.username, account.pin, purpose=PURPOSE)
        for account in DEMO_ACCOUNTS
    }
    yield DemoPanel(home, ws, people)
    ws.close()


@pytest.fixture(autouse=True)
def app_home(demo_panel: DemoPanel, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """This machine's settings are the demo's (its footage folder is mapped there)."""
    monkeypatch.setenv(HOME_ENV_VAR, str(demo_panel.home))
    return Paths.for_this_machine()


COLUMNS = ("window", "theme", "controls", "unnamed", "unreachable", "traps", "low contrast")
COLUMNS += ("clipped 200%",)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The walk's table, so `make test` shows each window's counts and not only failures."""
    if not FOUND:
        return
    rows = [
        (
            findings.window,
            theme,
            str(findings.controls),
            str(len(findings.unnamed)),
            str(len(findings.unreachable)),
            str(len(findings.traps)),
            str(len(findings.low_contrast)),
            str(len(findings.clipped)),
        )
        for theme, findings in FOUND
    ]
    widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    terminalreporter.write_sep("=", "accessibility walk (tests/a11y), 1280x800")
    for row in [COLUMNS, *rows]:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        terminalreporter.write_line("  ".join(cells))
    totals = [sum(int(row[i]) for row in rows) for i in range(2, len(COLUMNS))]
    terminalreporter.write_line(
        f"{len(rows)} windows; "
        + ", ".join(f"{total} {name}" for total, name in zip(totals, COLUMNS[2:], strict=True))
    )
