"""The timeline under the display preferences: with reduced motion the playhead jumps at
most once a second instead of gliding 25 times a second, and lands on the last position;
its playhead and focus frame are drawn in the theme's text colour, which reads on the
theme's window (the fixed white playhead was 1.16:1 on the light window)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.ui.display import DisplayPreferences, apply_display
from bwv_review.ui.player_timeline import REDUCED_MOTION_STEP_MS, TimelineWidget
from tests.support.contrast import AA_NON_TEXT, contrast_ratio
from tests.support.display import display_restored

TICK_MS = 40  # how often the player reports its position while playing


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    with display_restored(qapp) as restored:
        yield restored


def timeline(qtbot: QtBot) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 40)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_duration_ms(60_000)
    return widget


def play_for(qtbot: QtBot, widget: TimelineWidget, start_ms: int, ticks: int) -> list[int]:
    """Positions as the player sends them while playing, in real time; where the
    playhead was drawn after each."""
    drawn = []
    for tick in range(ticks):
        widget.set_position_ms(start_ms + tick * TICK_MS)
        drawn.append(widget.drawn_position_ms)
        qtbot.wait(TICK_MS)
    return drawn


def test_the_playhead_follows_every_position_by_default(app: QApplication, qtbot: QtBot) -> None:
    widget = timeline(qtbot)
    drawn = play_for(qtbot, widget, 0, 20)
    assert drawn == [tick * TICK_MS for tick in range(20)]


def test_with_reduced_motion_it_jumps_once_a_second_and_lands_on_the_last_position(
    app: QApplication, qtbot: QtBot
) -> None:
    apply_display(app, DisplayPreferences(reduced_motion=True))
    widget = timeline(qtbot)
    drawn = play_for(qtbot, widget, 0, 60)  # 2.4 s of playing, or more on a busy machine
    jumps = len(set(drawn))
    assert 2 <= jumps <= 4, drawn  # not 60 small moves
    last_ms = 59 * TICK_MS
    qtbot.waitUntil(lambda: widget.drawn_position_ms == last_ms, timeout=REDUCED_MOTION_STEP_MS * 3)
    # Paused: a frame step, a while later, shows at once.
    qtbot.wait(REDUCED_MOTION_STEP_MS + 100)
    widget.set_position_ms(last_ms + 40)
    assert widget.drawn_position_ms == last_ms + 40
    # Turned off: back to following every position.
    apply_display(app, DisplayPreferences())
    widget.set_position_ms(last_ms + 80)
    assert widget.drawn_position_ms == last_ms + 80


@pytest.mark.parametrize("high_contrast", [False, True])
def test_the_playhead_reads_on_the_window(
    app: QApplication, qtbot: QtBot, high_contrast: bool
) -> None:
    apply_display(app, DisplayPreferences(high_contrast=high_contrast))
    widget = timeline(qtbot)
    widget.set_position_ms(30_000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    image = widget.grab().toImage()
    x, middle = round(widget.x_of_ms(30_000)), widget.height() // 2
    playhead = image.pixelColor(QPoint(x, middle - 7))  # above the groove, below the frame
    frame = image.pixelColor(QPoint(widget.width() // 3, 0))
    window = app.palette().color(QPalette.ColorRole.Window)
    assert contrast_ratio(playhead, window) >= AA_NON_TEXT, playhead.name()
    assert contrast_ratio(frame, window) >= AA_NON_TEXT, frame.name()
    assert playhead == QColor(app.palette().color(QPalette.ColorRole.WindowText))
