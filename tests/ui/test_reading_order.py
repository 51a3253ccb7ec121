"""Tab goes through each screen in the order it is read, and dialogs open on their first
input (issue 15 fault 4; WCAG 1.3.2, 2.4.3), with real Tab key presses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths
from bwv_review.services.workspace import Workspace
from bwv_review.ui.main_window import MainWindow
from tests.media.fixtures import clip_paths
from tests.services.review_fixtures import PURPOSE, Panel
from tests.support.reading_order import assert_tab_follows_reading_order
from tests.ui.test_review_screen import _registered_panel, open_case_with_footage, show_window

__all__ = ["clip_paths"]


@pytest.fixture
def panel(
    sqlite_url: str, app_home: Paths, tmp_path: Path, clip_paths: dict[str, Path]
) -> Iterator[tuple[Workspace, Panel]]:
    ws, team = _registered_panel(sqlite_url, app_home, tmp_path, clip_paths)
    yield ws, team
    ws.close()


def test_the_player_is_reached_before_the_form_and_submit(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    qtbot.waitUntil(lambda: case.player is not None and case.player.isVisible())
    assert_tab_follows_reading_order(qtbot, case)
    window.reviews.back_to_queue()
