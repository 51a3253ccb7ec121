"""The player a reviewer watches footage in: transport, frame steps, speed, volume, time
with frame number, a timeline with markers, an A-B loop, full screen and a clip switcher.

Every view is logged (UK DPA 2018 Part 3, s.62): the widget cannot be built without a
ViewLog, logs before a clip is shown or played, and refuses to show it if logging fails.
Without libvlc the widget still builds and says exactly how to install it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.ingest.probe import VideoProbe
from bwv_review.media.frame_cache import DEFAULT_FRAME_CACHE_MB
from bwv_review.media.frame_position import FramePosition
from bwv_review.media.playback_state import PlaybackState
from bwv_review.media.player import RATES, VlcPlayer
from bwv_review.media.surfaces import VideoSurface, choose_surface, make_surface
from bwv_review.media.vlc_loader import VlcStatus, load_vlc
from bwv_review.ui.fitting import FlowLayout
from bwv_review.ui.player_shortcuts import PlayerShortcut, ShortcutHelpDialog, shortcut_table
from bwv_review.ui.player_timeline import Marker, TimelineWidget, TimeReadout

log = logging.getLogger(__name__)
# The readout leaves room for frame numbers this long (over four days at 25 fps).
_LONGEST_FRAME = 9_999_999
_LONGEST_UNCERTAINTY = 99
# Where the column is short (a large font on a laptop) it scrolls; the picture stays this tall.
_MIN_VIDEO_HEIGHT_PX = 180


class ViewLog(Protocol):
    """Where the player records each view; the services layer writes it to the audit log.
    Either call may raise: the player then does not show or play the clip."""

    def clip_opened(self, clip_key: str) -> None: ...

    def playback_started(self, clip_key: str, position_ms: int) -> None: ...


@dataclass(frozen=True)
class ClipRef:
    """A clip of the case being reviewed: its key for the audit log, a label, its file,
    and the frame table made when it was registered (saves reading the file again)."""

    key: str
    label: str
    path: Path
    probe: VideoProbe | None = None


def describe_frame(position: FramePosition | None, playing_frame: int | None) -> str:
    """Frame text for the time display; says in words whether it is exact."""
    if position is None:
        return "" if playing_frame is None else f"frame ~{playing_frame}"
    if position.exact:
        return f"frame {position.frame_index} (exact)"
    return f"frame {position.frame_index} ±{position.uncertainty_frames}"


def watermark_text(viewer_pseudonym: str, *, demo: bool = False) -> str:
    """Who is watching, drawn over the picture; on a demo workspace it also says DEMO, so
    a screenshot of the fictional footage cannot pass for a real panel's."""
    return f"{viewer_pseudonym} \u00b7 DEMO" if demo else viewer_pseudonym


class PlayerWidget(QWidget):
    """See the module docstring. Settings come in as plain arguments from config.Settings;
    `demo` marks the watermark on a workspace of demonstration data."""

    fullScreenToggled = Signal(bool)  # the main window hides its chrome while True
    viewRefused = Signal(str)  # the audit write failed; the message says why
    clipShown = Signal(str)  # clip key, each time a clip is opened (its view logged)

    def __init__(
        self,
        view_log: ViewLog,
        *,
        viewer_pseudonym: str,
        surface_setting: str = "auto",
        hardware_decoding: bool = False,
        jump_ms: int = 5000,
        frame_cache_mb: int = DEFAULT_FRAME_CACHE_MB,
        vlc_args: tuple[str, ...] = (),
        vlc_status: VlcStatus | None = None,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Video player")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._view_log = view_log
        self._jump_ms = jump_ms
        self._clips: dict[str, ClipRef] = {}
        self._remembered_ms: dict[str, int] = {}
        self._current_key: str | None = None
        self._blocked: dict[str, str] = {}  # clip key -> why it may not be shown
        self._check_notes: dict[str, str] = {}  # clip key -> how its file check is going
        self._loop_a_ms: int | None = None
        self._full_screen = False
        self._shortcuts = shortcut_table(jump_ms)
        self._host_shortcuts: tuple[PlayerShortcut, ...] = ()
        self.vlc_status = vlc_status or load_vlc()

        self.surface: VideoSurface = make_surface(choose_surface(surface_setting), self)
        self.surface.setAccessibleName("Video")
        self.surface.setMinimumHeight(_MIN_VIDEO_HEIGHT_PX)
        self.player: VlcPlayer | None = None
        if self.vlc_status.available:
            self.player = VlcPlayer(
                self.surface,
                hardware_decoding=hardware_decoding,
                vlc_args=vlc_args,
                frame_cache_mb=frame_cache_mb,
                jump_ms=jump_ms,
                parent=self,
            )
            self.player.set_watermark(watermark_text(viewer_pseudonym, demo=demo))
        else:
            self.surface.set_message(self.vlc_status.describe())

        self._build_controls()
        self._bind_shortcuts()
        if self.player is not None:
            self._connect_player(self.player)
        self._set_controls_enabled(False)

    # --- public API ------------------------------------------------------------------------

    def set_clips(self, clips: Sequence[ClipRef]) -> None:
        """The case's clips; opens the first. Positions are remembered per clip key."""
        self._clips = {clip.key: clip for clip in clips}
        self.clip_box.blockSignals(True)
        self.clip_box.clear()
        for clip in clips:
            self.clip_box.addItem(clip.label, clip.key)
        self.clip_box.blockSignals(False)
        self.clip_box.setEnabled(len(clips) > 1)
        if clips:
            self.open_clip(clips[0].key)

    def open_clip(self, key: str) -> None:
        if self.player is None:
            return
        clip = self._clips[key]
        if self._current_key is not None:
            self._remembered_ms[self._current_key] = self.player.position_ms
        if key in self._blocked:
            self.clip_box.setCurrentIndex(self.clip_box.findData(key))
            self._show_blocked(key)
            return
        if not self._log_view(lambda: self._view_log.clip_opened(key)):
            return
        self._current_key = key
        self.clip_box.setCurrentIndex(self.clip_box.findData(key))
        self._clear_loop()
        self.blocked_label.hide()
        self.surface.show()
        self._show_check_note()
        self.player.load(clip.path, self._remembered_ms.get(key, 0), clip.probe)
        self.clipShown.emit(key)

    def block_clip(self, key: str, message: str) -> None:
        """The clip's file is not the registered footage: stop it at once if it is on
        screen, hide the picture, say why in its place, and never open it again."""
        self._blocked[key] = message
        self._check_notes.pop(key, None)
        if key == self._current_key:
            self._show_blocked(key)

    def set_check_note(self, key: str, text: str) -> None:
        """How the check of a clip's file is going ("" once done), shown with that clip."""
        if text:
            self._check_notes[key] = text
        else:
            self._check_notes.pop(key, None)
        if key == self._current_key:
            self._show_check_note()

    def set_markers(self, markers: Sequence[Marker]) -> None:
        """Markers of the clip on screen, as data (ms, label, kind)."""
        self.timeline.set_markers(markers)
        self.marker_box.blockSignals(True)
        self.marker_box.clear()
        self.marker_box.addItem("Jump to marker…", None)
        for marker in self.timeline.markers():
            self.marker_box.addItem(marker.describe(), marker.position_ms)
        self.marker_box.blockSignals(False)
        self.marker_box.setEnabled(bool(markers))

    @property
    def current_clip_key(self) -> str | None:
        return self._current_key

    def shortcuts(self) -> tuple[PlayerShortcut, ...]:
        return self._shortcuts

    def close_player(self) -> None:
        """Free libvlc; call when the review screen closes."""
        if self.player is not None:
            self.player.close()
            self.player = None

    # --- actions (named as in player_shortcuts) ------------------------------------------

    def toggle_play(self) -> None:
        player = self.player
        if player is None or self._current_key is None:
            return
        if player.state is PlaybackState.PLAYING:
            player.pause()
            return
        key, position_ms = self._current_key, player.position_ms
        if self._log_view(lambda: self._view_log.playback_started(key, position_ms)):
            player.play()

    def jump_back(self) -> None:
        if self.player is not None:
            self.player.jump_ms(-self._jump_ms)

    def jump_forward(self) -> None:
        if self.player is not None:
            self.player.jump_ms(self._jump_ms)

    def step_back(self) -> None:
        if self.player is not None:
            self.player.step_backward()

    def step_forward(self) -> None:
        if self.player is not None:
            self.player.step_forward()

    def slower(self) -> None:
        self._shift_rate(-1)

    def faster(self) -> None:
        self._shift_rate(1)

    def toggle_mute(self) -> None:
        self.mute_button.toggle()

    def cycle_loop(self) -> None:
        """First press sets A, the second sets B and starts looping, the third clears."""
        player = self.player
        if player is None:
            return
        if player.ab_loop_ms is not None:
            self._clear_loop()
        elif self._loop_a_ms is None:
            self._loop_a_ms = player.position_ms
            self.timeline.set_loop_ms((self._loop_a_ms, None))
            self.loop_button.setText("Loop: set B")
        elif player.position_ms > self._loop_a_ms:
            player.set_ab_loop((self._loop_a_ms, player.position_ms))
            self.timeline.set_loop_ms(player.ab_loop_ms)
            self.loop_button.setText("Loop: clear")
        self.loop_button.setAccessibleName(self.loop_button.text())

    def toggle_full_screen(self) -> None:
        window = self.window()
        self._full_screen = not self._full_screen
        if self._full_screen:
            window.showFullScreen()
        else:
            window.showNormal()
        self.full_screen_button.setChecked(self._full_screen)
        self.fullScreenToggled.emit(self._full_screen)

    def list_host_shortcut(self, shortcut: PlayerShortcut) -> None:
        """A key the screen around the player binds (the learning-point key) joins the
        player's help table, so "?" lists every key a reviewer can press at the footage."""
        self._host_shortcuts = (*self._host_shortcuts, shortcut)

    def show_shortcuts(self) -> None:
        dialog = ShortcutHelpDialog((*self._host_shortcuts, *self._shortcuts), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _show_blocked(self, key: str) -> None:
        focused = QApplication.focusWidget()
        had_focus = focused is not None and (focused is self or self.isAncestorOf(focused))
        if self.player is not None:
            self.player.stop()
        self._current_key = None  # nothing to play, step or stamp a learning point on
        self._clear_loop()
        self.surface.hide()
        self.blocked_label.setText("\u26a0 " + self._blocked[key])
        self.blocked_label.show()
        self.status_label.setText("Playback stopped.")
        self._show_check_note()
        if had_focus:
            self.blocked_label.setFocus()  # read out at once to a screen reader

    def _show_check_note(self) -> None:
        text = self._check_notes.get(self._current_key or "", "")
        self.check_label.setText(text)
        self.check_label.setVisible(bool(text))

    # --- building -------------------------------------------------------------------------

    def _button(self, text: str, name: str, action: Callable[[], None], tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(action)
        return button

    def _tip(self, action: str) -> str:
        shortcut = next(s for s in self._shortcuts if s.action == action)
        keys = ", ".join(shortcut.player_keys + shortcut.window_keys)
        return f"{shortcut.description} ({keys})"

    def _build_controls(self) -> None:
        self.clip_box = QComboBox(self)
        self.clip_box.setAccessibleName("Clip")
        self.clip_box.setToolTip("Switch clip; each clip remembers where you were")
        self.clip_box.currentIndexChanged.connect(self._on_clip_chosen)
        self.marker_box = QComboBox(self)
        self.marker_box.setAccessibleName("Jump to marker")
        self.marker_box.activated.connect(self._on_marker_chosen)
        self.marker_box.setEnabled(False)

        self.timeline = TimelineWidget(self)
        self.timeline.seekRequested.connect(self._seek_ms)

        self.play_button = self._button("Play", "Play", self.toggle_play, self._tip("toggle_play"))
        seconds = f"{self._jump_ms / 1000:g} s"
        self.back_button = self._button(
            f"−{seconds}", f"−{seconds} back", self.jump_back, self._tip("jump_back")
        )
        self.forward_button = self._button(
            f"+{seconds}", f"+{seconds} forward", self.jump_forward, self._tip("jump_forward")
        )
        self.step_back_button = self._button(
            "◀| Frame", "Frame back", self.step_back, self._tip("step_back")
        )
        self.step_forward_button = self._button(
            "Frame |▶", "Frame forward", self.step_forward, self._tip("step_forward")
        )
        self.speed_box = QComboBox(self)
        self.speed_box.setAccessibleName("Playback speed")
        self.speed_box.setToolTip(self._tip("slower") + "; " + self._tip("faster"))
        for rate in RATES:
            self.speed_box.addItem(f"{rate:g}x", rate)
        self.speed_box.setCurrentIndex(RATES.index(1.0))
        self.speed_box.currentIndexChanged.connect(self._on_speed_chosen)
        self.mute_button = self._button("Mute", "Mute", lambda: None, self._tip("toggle_mute"))
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self._on_mute_toggled)
        # A bare short slider beside a toggle read as an unlabelled check box: the control
        # says what it is and how loud, in words a screen reader reads too.
        self.volume_label = QLabel("&Volume:", self)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.volume_slider.setTickInterval(25)
        self.volume_slider.setMinimumWidth(100)
        self.volume_slider.setMaximumWidth(140)
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setToolTip("Volume (Up and Down arrows when focused)")
        self.volume_label.setBuddy(self.volume_slider)
        self.volume_value = QLabel(self)
        self.volume_value.setAccessibleName("Volume level")
        self.volume_value.setMinimumWidth(self.volume_value.fontMetrics().horizontalAdvance("100%"))
        self.volume_slider.valueChanged.connect(self._on_volume)
        self._show_volume(self.volume_slider.value())
        self.loop_button = self._button(
            "Loop: set A", "Loop: set A", self.cycle_loop, self._tip("cycle_loop")
        )
        self.full_screen_button = self._button(
            "Full screen", "Full screen", self.toggle_full_screen, self._tip("toggle_full_screen")
        )
        self.full_screen_button.setCheckable(True)
        self.help_button = self._button(
            "Shortcuts", "Shortcuts", self.show_shortcuts, self._tip("show_shortcuts")
        )
        self.time_label = TimeReadout(self)
        self.time_label.reserve_frames(
            [
                describe_frame(FramePosition(_LONGEST_FRAME, 0, 0), None),
                describe_frame(FramePosition(_LONGEST_FRAME, 0, _LONGEST_UNCERTAINTY), None),
                describe_frame(None, _LONGEST_FRAME),
            ]
        )
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Player status")
        self.status_label.setWordWrap(True)
        self.check_label = QLabel(self)
        self.check_label.setAccessibleName("File check")
        self.check_label.hide()
        # Where the picture was, once a clip is found not to be the registered footage.
        self.blocked_label = QLabel(self)
        self.blocked_label.setAccessibleName("Footage blocked")
        self.blocked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.blocked_label.setMinimumHeight(_MIN_VIDEO_HEIGHT_PX)
        self.blocked_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.blocked_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.blocked_label.hide()
        if not self.vlc_status.available:
            self.status_label.setText(self.vlc_status.describe())

        top = QHBoxLayout()
        top.addWidget(QLabel("Clip:", self))
        top.addWidget(self.clip_box, 1)
        top.addWidget(self.marker_box, 1)
        # Wraps where the column is narrow (a laptop, a large font) instead of widening the
        # window; controls that belong together stay together.
        transport = FlowLayout()
        for group in (
            (self.play_button, self.back_button, self.forward_button),
            (self.step_back_button, self.step_forward_button, self.speed_box),
            (self.mute_button, self.volume_label, self.volume_slider, self.volume_value),
            (self.loop_button, self.full_screen_button, self.help_button),
            (self.time_label,),
        ):
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            for widget in group:
                row.addWidget(widget)
            transport.add_layout(row)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.surface, 1)
        layout.addWidget(self.blocked_label, 1)
        layout.addWidget(self.timeline)
        layout.addLayout(transport)
        layout.addWidget(self.status_label)
        layout.addWidget(self.check_label)
        self._update_time(0)

    def _bind_shortcuts(self) -> None:
        for shortcut in self._shortcuts:
            action = getattr(self, shortcut.action)
            for keys, context in (
                (shortcut.player_keys, Qt.ShortcutContext.WidgetWithChildrenShortcut),
                (shortcut.window_keys, Qt.ShortcutContext.WindowShortcut),
            ):
                for key in keys:
                    bound = QShortcut(QKeySequence(key), self, context=context)
                    bound.activated.connect(action)

    def _connect_player(self, player: VlcPlayer) -> None:
        player.stateChanged.connect(self._on_state)
        player.positionChanged.connect(self._update_time)
        player.positionChanged.connect(self.timeline.set_position_ms)
        player.durationChanged.connect(self.timeline.set_duration_ms)
        player.frameSettled.connect(lambda _position: self._update_time(player.position_ms))
        player.rateChanged.connect(self._on_rate)
        player.errorOccurred.connect(self.status_label.setText)

    # --- slots ----------------------------------------------------------------------------

    def _log_view(self, write: Callable[[], None]) -> bool:
        """Run the audit write; on failure refuse the view and say so."""
        try:
            write()
        except Exception as exc:  # any failure to log must block the view
            message = f"This view could not be logged, so the clip is not shown: {exc}"
            log.error("view not logged: %s", exc)
            self.status_label.setText(message)
            self.viewRefused.emit(message)
            return False
        return True

    def _on_clip_chosen(self, index: int) -> None:
        key = self.clip_box.itemData(index)
        if key is not None and key != self._current_key:
            self.open_clip(key)

    def _on_marker_chosen(self, index: int) -> None:
        position_ms = self.marker_box.itemData(index)
        if position_ms is not None:
            self._seek_ms(position_ms)

    def _seek_ms(self, position_ms: int) -> None:
        if self.player is not None:
            self.player.seek_ms(position_ms)

    def _on_state(self, state: PlaybackState) -> None:
        playing = state is PlaybackState.PLAYING
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setAccessibleName(self.play_button.text())
        usable = state in (PlaybackState.PLAYING, PlaybackState.PAUSED, PlaybackState.ENDED)
        self._set_controls_enabled(usable)
        if state is not PlaybackState.ERROR:
            self.status_label.setText("" if usable else state.value.capitalize() + "…")
        if self.player is not None:
            self._update_time(self.player.position_ms)

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (
            self.play_button,
            self.back_button,
            self.forward_button,
            self.step_back_button,
            self.step_forward_button,
            self.speed_box,
            self.loop_button,
            self.timeline,
        ):
            widget.setEnabled(enabled and self.player is not None)

    def _update_time(self, position_ms: int) -> None:
        player = self.player
        frame_text = ""
        if player is not None and player.probe is not None:
            playing = player.state is PlaybackState.PLAYING
            estimate = player.probe.frame_at_ms(position_ms) if playing else None
            frame_text = describe_frame(player.frame, estimate)
        self.time_label.show_time(position_ms, player.duration_ms if player else 0, frame_text)

    def _shift_rate(self, direction: int) -> None:
        index = min(max(self.speed_box.currentIndex() + direction, 0), len(RATES) - 1)
        self.speed_box.setCurrentIndex(index)

    def _on_speed_chosen(self, index: int) -> None:
        if self.player is not None:
            self.player.set_rate(RATES[index])

    def _on_rate(self, rate: float) -> None:
        self.speed_box.blockSignals(True)
        self.speed_box.setCurrentIndex(RATES.index(rate) if rate in RATES else RATES.index(1.0))
        self.speed_box.blockSignals(False)

    def _on_mute_toggled(self, muted: bool) -> None:
        self.mute_button.setText("Unmute" if muted else "Mute")
        self.mute_button.setAccessibleName(self.mute_button.text())
        if self.player is not None:
            self.player.set_muted(muted)

    def _show_volume(self, percent: int) -> None:
        self.volume_value.setText(f"{percent}%")
        self.volume_slider.setAccessibleDescription(f"{percent}%")

    def _on_volume(self, percent: int) -> None:
        self._show_volume(percent)
        if self.player is not None:
            self.player.set_volume(percent)

    def _clear_loop(self) -> None:
        self._loop_a_ms = None
        if self.player is not None:
            self.player.set_ab_loop(None)
        self.timeline.set_loop_ms(None)
        self.loop_button.setText("Loop: set A")
        self.loop_button.setAccessibleName(self.loop_button.text())
