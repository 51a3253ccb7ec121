"""A learning point stamped with M while playing names the frame that stays on screen.

After a pause the player's first `frameSettled` is provisional: libvlc can still put up
the frame after it (acting on its last decoded picture) and the player corrects itself
some 50 ms later. The stamp must use the verified frame, so the test reads the frame on
screen from the clip's own pattern well after the dialog opened and compares it with what
was stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.surfaces import CallbackSurface
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.main_window import MainWindow
from tests.media.clipgen import read_frame_index
from tests.services.review_fixtures import PURPOSE, Panel
from tests.ui.test_review_screen import (
    clip_paths,
    focused,
    open_case_with_footage,
    panel,
    press,
    show_window,
    tab_until,
)

__all__ = ["clip_paths", "panel"]
_ROUNDS = 6


def test_m_while_playing_stamps_the_frame_that_stays_on_screen(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    case = open_case_with_footage(qtbot, window, team)
    assert case.player is not None and case.player.player is not None
    engine = case.player.player
    qtbot.waitUntil(
        lambda: engine.state is PlaybackState.PAUSED and not engine.busy, timeout=15_000
    )
    aid = team.assignment(ws, team.alice, team.case_ids[0])
    shown = [_stamp_while_playing(qtbot, case, 400 + 70 * n) for n in range(_ROUNDS)]
    stored = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).learning_points
    claims = sorted((p.frame_index, p.frame_uncertainty) for p in stored)
    assert len(claims) == _ROUNDS
    wrong = [
        (claim, frame)
        for claim, frame in zip(claims, sorted(shown), strict=True)
        if claim[0] is None or abs(claim[0] - frame) > claim[1]
    ]
    assert wrong == [], f"stamped (frame, uncertainty) vs frame on screen: {wrong}"
    assert [uncertainty for _frame, uncertainty in claims] == [0] * _ROUNDS


def _stamp_while_playing(qtbot: QtBot, case: CaseView, playing_ms: int) -> int:
    """Play for playing_ms, press M, save the point; the frame on screen meanwhile."""
    assert case.player is not None and case.player.player is not None
    engine, surface = case.player.player, case.player.player.surface
    assert isinstance(surface, CallbackSurface)
    qtbot.waitUntil(lambda: focused() is case.player)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.wait(playing_ms)
    press(qtbot, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: case.point_dialog is not None, timeout=8000)
    dialog = case.point_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isAncestorOf(focused()))
    qtbot.wait(500)  # longer than any late picture or correction
    image = surface.latest_image()
    assert image is not None
    with qtbot.waitSignal(dialog.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        press(qtbot, Qt.Key.Key_Space)
    case.point_dialog = None
    return read_frame_index(image)
