"""Issue 15 fault 5: the consensus tables' heading rows and disagreements were set apart
by fixed light backgrounds, so under a dark palette their light text sat on them at
1.03-1.06:1. They now take a pair of palette colours when painted, readable in every
theme, and follow a change of theme at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.services.workspace import Workspace
from bwv_review.ui.consensus_screen import DIFFER, ConsensusScreen
from bwv_review.ui.display import DisplayPreferences, apply_display, default_palette
from tests.services.review_fixtures import Panel
from tests.support.contrast import AA_TEXT, contrast_ratio, low_contrast_cells, painted_cell
from tests.support.display import display_restored
from tests.ui.test_consensus_screen import reviewed
from tests.ui.test_display import dark_platform_palette

__all__ = ["reviewed"]


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    with display_restored(qapp) as restored:
        yield restored


def _screen(qtbot: QtBot, reviewed: tuple[Workspace, Panel]) -> ConsensusScreen:
    ws, panel = reviewed
    screen = ConsensusScreen(ws, panel.chair)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_session(panel.session_id)
    return screen


def _differing_cell_ratio(screen: ConsensusScreen) -> float:
    table = screen.table
    for row in range(table.rowCount()):
        if table.item(row, 3) is not None and table.item(row, 3).text() == DIFFER:
            return contrast_ratio(*painted_cell(table, table.model().index(row, 1)))
    raise AssertionError("no row where members differ")


@pytest.mark.parametrize(
    "theme",
    ["dark platform", "dark platform, default theme", "high contrast", "light default"],
)
def test_consensus_cells_are_readable_in_every_theme(
    app: QApplication, qtbot: QtBot, reviewed: tuple[Workspace, Panel], theme: str
) -> None:
    if theme == "dark platform":  # as KDE's or Windows' dark mode gives it, untouched
        app.setPalette(dark_platform_palette())
    elif theme == "dark platform, default theme":
        app.setPalette(default_palette(dark_platform_palette()))
    else:
        apply_display(app, DisplayPreferences(high_contrast=theme == "high contrast"))
    screen = _screen(qtbot, reviewed)
    assert low_contrast_cells(screen.table) == {}
    assert low_contrast_cells(screen.points.table) == {}
    assert _differing_cell_ratio(screen) >= AA_TEXT


def test_cells_follow_a_change_of_theme_at_once(
    app: QApplication, qtbot: QtBot, reviewed: tuple[Workspace, Panel]
) -> None:
    screen = _screen(qtbot, reviewed)
    table = screen.table
    apply_display(app, DisplayPreferences(high_contrast=True))
    qtbot.waitUntil(lambda: table.palette().color(QPalette.ColorRole.Base).name() == "#000000")
    assert low_contrast_cells(table) == {}
    fore, back = painted_cell(table, table.model().index(0, 0))
    assert (fore.name(), back.name()) == ("#ffffff", "#000000")  # the dimension's heading
