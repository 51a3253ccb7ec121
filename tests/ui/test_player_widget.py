"""The player widget with the real libvlc on generated clips: views are logged, keys
act only where they should, every control is named, and it survives a missing libvlc."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.surfaces import CallbackSurface
from bwv_review.media.vlc_loader import VlcStatus
from bwv_review.ui.player_shortcuts import ShortcutHelpDialog
from bwv_review.ui.player_timeline import Marker, format_ms
from bwv_review.ui.player_widget import ClipRef, PlayerWidget, describe_frame
from tests.media.clipgen import read_frame_index
from tests.media.fixtures import TEST_VLC_ARGS, clip_paths

__all__ = ["clip_paths"]  # the session fixture, imported so pytest finds it here


class RecordingViewLog:
    def __init__(self, refuse: bool = False) -> None:
        self.events: list[tuple[str, str, int | None]] = []
        self.refuse = refuse

    def clip_opened(self, clip_key: str) -> None:
        if self.refuse:
            raise RuntimeError("audit log is read-only")
        self.events.append(("opened", clip_key, None))

    def playback_started(self, clip_key: str, position_ms: int) -> None:
        self.events.append(("played", clip_key, position_ms))


@pytest.fixture
def view_log() -> RecordingViewLog:
    return RecordingViewLog()


@pytest.fixture
def window(qtbot: QtBot, view_log: RecordingViewLog) -> Iterator[tuple[QWidget, PlayerWidget]]:
    """A window with a form field beside the player, as on the review screen."""
    host = QWidget()
    field = QLineEdit(host)
    field.setAccessibleName("Reason")
    widget = PlayerWidget(
        view_log, viewer_pseudonym="Member B", surface_setting="callback", vlc_args=TEST_VLC_ARGS
    )
    layout = QVBoxLayout(host)
    layout.addWidget(field)
    layout.addWidget(widget)
    host.resize(900, 640)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    yield host, widget
    widget.close_player()


def clips(paths: dict[str, Path]) -> list[ClipRef]:
    return [
        ClipRef("case-7/officer-1", "Officer 1 (25 fps)", paths["cfr25"]),
        ClipRef("case-7/officer-2", "Officer 2 (29.97 fps)", paths["cfr2997"]),
    ]


def shown(widget: PlayerWidget) -> int:
    assert isinstance(widget.surface, CallbackSurface)
    image = widget.surface.latest_image()
    assert image is not None
    return read_frame_index(image)


def wait_settled(qtbot: QtBot, widget: PlayerWidget, action) -> None:  # type: ignore[no-untyped-def]
    assert widget.player is not None
    with qtbot.waitSignal(widget.player.frameSettled, timeout=10_000):
        action()


def test_opening_and_playing_are_logged_before_they_happen(
    qtbot: QtBot, window, view_log: RecordingViewLog, clip_paths: dict[str, Path]
) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    assert view_log.events == [("opened", "case-7/officer-1", None)]
    assert "00:00:00.000" in widget.time_label.text()
    assert "frame 0 (exact)" in widget.time_label.text()
    widget.toggle_play()
    qtbot.waitUntil(lambda: widget.player.state is PlaybackState.PLAYING, timeout=5000)
    assert view_log.events[-1] == ("played", "case-7/officer-1", 0)
    assert widget.play_button.accessibleName() == "Pause"
    wait_settled(qtbot, widget, widget.toggle_play)
    assert "(exact)" in widget.time_label.text()


@pytest.mark.expected_log_warnings
def test_a_view_that_cannot_be_logged_is_not_shown(
    qtbot: QtBot, clip_paths: dict[str, Path]
) -> None:
    widget = PlayerWidget(
        RecordingViewLog(refuse=True),
        viewer_pseudonym="Member B",
        surface_setting="callback",
        vlc_args=TEST_VLC_ARGS,
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.viewRefused) as refused:
        widget.set_clips(clips(clip_paths))
    assert "read-only" in refused.args[0]
    assert widget.player is not None and widget.player.state is PlaybackState.NO_MEDIA
    assert widget.current_clip_key is None
    widget.close_player()


def test_bare_keys_need_player_focus_but_ctrl_keys_work_anywhere(
    qtbot: QtBot, window, clip_paths: dict[str, Path]
) -> None:
    host, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    field = host.findChild(QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Space)
    qtbot.keyClick(field, Qt.Key.Key_Right)
    assert field.text() == " "
    assert widget.player.state is PlaybackState.PAUSED and widget.player.frame.frame_index == 0
    wait_settled(
        qtbot,
        widget,
        lambda: qtbot.keyClick(field, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier),
    )
    assert shown(widget) == 1 and field.text() == " "
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    wait_settled(qtbot, widget, lambda: qtbot.keyClick(widget, Qt.Key.Key_Right))
    assert shown(widget) == 126  # frame 1 + 5 s at 25 fps
    wait_settled(
        qtbot,
        widget,
        lambda: qtbot.keyClick(widget, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier),
    )
    assert shown(widget) == 125
    qtbot.keyClick(widget, Qt.Key.Key_BracketRight)
    assert widget.speed_box.currentText() == "1.25x" and widget.player.rate == 1.25


def test_clip_switcher_remembers_each_clips_position(
    qtbot: QtBot, window, view_log: RecordingViewLog, clip_paths: dict[str, Path]
) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    wait_settled(qtbot, widget, lambda: widget.player.seek_frame(240))
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(1))
    assert widget.current_clip_key == "case-7/officer-2" and shown(widget) == 0
    wait_settled(qtbot, widget, lambda: widget.player.seek_frame(77))
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(0))
    assert shown(widget) == 240
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(1))
    assert shown(widget) == 77
    assert [e[1] for e in view_log.events] == ["case-7/officer-1", "case-7/officer-2"] * 2


def test_markers_are_data_and_clicking_one_jumps_there(
    qtbot: QtBot, window, clip_paths: dict[str, Path]
) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    markers = [Marker(6_000, "Grounds explained", "good"), Marker(14_440, "Handcuffs", "concern")]
    widget.set_markers(markers)
    assert widget.timeline.markers() == tuple(markers)
    assert widget.marker_box.itemText(2) == "00:00:14.440 — Handcuffs (concern)"
    x = round(widget.timeline.x_of_ms(14_440)) + 2  # near, not on: snaps to the marker
    wait_settled(
        qtbot,
        widget,
        lambda: qtbot.mouseClick(widget.timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 18)),
    )
    assert shown(widget) == 361  # 14.44 s at 25 fps
    wait_settled(qtbot, widget, lambda: widget.marker_box.activated.emit(1))
    assert shown(widget) == 150


def test_ab_loop_cycles_through_set_a_set_b_clear(
    qtbot: QtBot, window, clip_paths: dict[str, Path]
) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    wait_settled(qtbot, widget, lambda: widget.player.seek_ms(2000))
    widget.cycle_loop()
    assert widget.loop_button.accessibleName() == "Loop: set B"
    wait_settled(qtbot, widget, lambda: widget.player.seek_ms(3000))
    widget.cycle_loop()
    assert widget.player.ab_loop_ms == (2000, 3000)
    widget.cycle_loop()
    assert widget.player.ab_loop_ms is None
    assert widget.loop_button.accessibleName() == "Loop: set A"


def test_every_control_is_named_and_reachable_by_keyboard(
    qtbot: QtBot, window, clip_paths: dict[str, Path]
) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    widget.set_markers([Marker(1000, "Start", "note")])
    controls = widget.findChildren(QAbstractButton) + widget.findChildren(QComboBox)
    controls += [widget.volume_slider, widget.timeline, widget.time_label]
    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control.accessibleName()


def test_f1_lists_every_shortcut(qtbot: QtBot, window, clip_paths: dict[str, Path]) -> None:
    host, widget = window
    field = host.findChild(QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_F1)  # window-wide, even from the form field
    dialog = widget.findChild(ShortcutHelpDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    table = dialog.findChild(QTableWidget)
    assert table.rowCount() == len(widget.shortcuts())
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Play or pause"] == "Space, K"
    assert rows["Next frame (pauses)"] == "Shift+Right, ."
    dialog.reject()


def test_without_libvlc_the_widget_explains_the_fix(qtbot: QtBot, view_log) -> None:
    missing = VlcStatus(False, None, "libvlc was not found", "Debian/Ubuntu: sudo apt install vlc")
    widget = PlayerWidget(view_log, viewer_pseudonym="Member B", vlc_status=missing)
    qtbot.addWidget(widget)
    assert widget.player is None
    assert "sudo apt install vlc" in widget.status_label.text()
    assert not widget.play_button.isEnabled()
    widget.toggle_play()  # does nothing, raises nothing
    assert view_log.events == []


def test_watermark_names_the_viewer(window) -> None:
    _, widget = window
    assert widget.surface.watermark() == "Member B"


def test_time_and_frame_text() -> None:
    from bwv_review.media.frame_position import FramePosition

    assert format_ms(3_723_004) == "01:02:03.004"
    assert describe_frame(FramePosition(12, 480, 0), None) == "frame 12 (exact)"
    assert describe_frame(FramePosition(12, 480, 3), None) == "frame 12 ±3"
    assert describe_frame(None, 40) == "frame ~40"


def test_full_screen_toggles_and_tells_the_window(qtbot: QtBot, window) -> None:
    _, widget = window
    with qtbot.waitSignal(widget.fullScreenToggled) as entered:
        widget.toggle_full_screen()
    assert entered.args == [True] and widget.full_screen_button.isChecked()
    with qtbot.waitSignal(widget.fullScreenToggled) as left:
        widget.toggle_full_screen()
    assert left.args == [False] and not widget.full_screen_button.isChecked()


def test_a_blocked_clip_stops_at_once_and_says_why_in_place_of_the_picture(
    qtbot: QtBot, window, view_log: RecordingViewLog, clip_paths: dict[str, Path]
) -> None:
    """What the case screen does when a clip's file turns out not to be the registered
    footage (issue 9, defect 9): the other clip still plays."""
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    engine = widget.player
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    why = "The file for Officer 1 is not the footage registered for this case."
    widget.block_clip("case-7/officer-1", why)
    assert engine.state is PlaybackState.NO_MEDIA and engine.probe is None  # at once
    assert not widget.surface.isVisible() and widget.blocked_label.isVisible()
    assert widget.blocked_label.text() == "\u26a0 " + why
    assert widget.blocked_label.hasFocus()  # read out to a screen reader
    assert widget.current_clip_key is None and not widget.play_button.isEnabled()
    qtbot.keyClick(widget.blocked_label, Qt.Key.Key_Space)
    qtbot.wait(300)
    assert engine.state is PlaybackState.NO_MEDIA
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(1))
    assert widget.surface.isVisible() and not widget.blocked_label.isVisible()
    assert widget.current_clip_key == "case-7/officer-2" and shown(widget) == 0
    widget.clip_box.setCurrentIndex(0)  # back to the blocked one: refused, not logged
    assert engine.state is PlaybackState.NO_MEDIA and widget.blocked_label.isVisible()
    assert [e[1] for e in view_log.events if e[0] == "opened"] == [
        "case-7/officer-1",
        "case-7/officer-2",
    ]


def test_a_long_file_check_is_shown_with_its_clip(qtbot: QtBot, window, clip_paths) -> None:
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    widget.set_check_note("case-7/officer-1", "Checking the file is the registered footage… 40%")
    assert widget.check_label.isVisible() and "40%" in widget.check_label.text()
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(1))
    assert not widget.check_label.isVisible()
    wait_settled(qtbot, widget, lambda: widget.clip_box.setCurrentIndex(0))
    assert widget.check_label.isVisible()
    widget.set_check_note("case-7/officer-1", "")
    assert not widget.check_label.isVisible()


def test_the_volume_is_labelled_in_words_and_shows_its_level(
    qtbot: QtBot, window, clip_paths: dict[str, Path]
) -> None:
    """The bare short slider beside Mute looked like an unlabelled check box."""
    _, widget = window
    wait_settled(qtbot, widget, lambda: widget.set_clips(clips(clip_paths)))
    slider, label = widget.volume_slider, widget.volume_label
    assert label.isVisible() and label.text().replace("&", "").startswith("Volume")
    assert label.buddy() is slider and slider.accessibleName() == "Volume"
    assert label.geometry().right() < slider.geometry().left()  # the words come first
    assert slider.width() >= 100
    assert widget.volume_value.isVisible() and widget.volume_value.text() == "100%"
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    assert widget.volume_value.text() == "90%"
    assert slider.accessibleDescription() == "90%"
