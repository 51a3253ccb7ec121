"""The player's timeline: where the reviewer is, the clip's markers and the A-B loop.

Markers are data handed in by the caller (learning points, flagged moments), never drawn
from anything the timeline knows itself. Each kind has its own shape as well as colour, so
colour is never the only signal, and the same markers are listed as text in the player's
"Jump to marker" box for keyboard and screen-reader users.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QWidget

from bwv_review.domain.time_codes import format_ms
from bwv_review.ui.display import reduced_motion

_MARGIN_PX = 10
_HIT_PX = 6  # a click this close to a marker jumps to the marker itself
# With reduced motion the playhead moves at most this often, in jumps, rather than gliding.
REDUCED_MOTION_STEP_MS = 1000
# kind -> (colour, shape); unknown kinds get the last entry's look.
_MARKER_LOOKS: dict[str, tuple[str, str]] = {
    "learning": ("#f0b429", "triangle"),
    "concern": ("#e12d39", "diamond"),
    "good": ("#3ebd93", "circle"),
    "note": ("#9fb3c8", "square"),
}


def time_text(position_ms: int, duration_ms: int, frame_text: str = "") -> str:
    """What the time readout says: position / clip length, then the frame if known."""
    text = f"{format_ms(position_ms)} / {format_ms(duration_ms)}"
    return f"{text}  ·  {frame_text}" if frame_text else text


_LONGEST_MS = 100 * 3_600_000 - 1  # 99:59:59.999, the longest format_ms gives
_DIGIT = re.compile(r"\d")


class TimeReadout(QLabel):
    """The time readout: as wide as the longest text it can show in its font, whatever
    it shows now. Sized by its current text, it changed width every few frames as the
    time ran and took the window with it (to 1,434 px on a 1280 px screen); squeezed back,
    it cut the text ("00:00:00.000 / 00:00:5"). Where that one line does not fit (200%
    text beside the review form), the frame goes on a second line: the longest line of
    the two is the narrowest it gets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame_texts: tuple[str, ...] = ("",)
        self._shown: tuple[int, int, str] = (0, 0, "")
        self.setAccessibleName("Position")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def reserve_frames(self, frame_texts: Sequence[str]) -> None:
        """The longest frame descriptions the player may show, to leave room for."""
        self._frame_texts = ("", *frame_texts)
        self.updateGeometry()

    def show_time(self, position_ms: int, duration_ms: int, frame_text: str = "") -> None:
        self._shown = (position_ms, duration_ms, frame_text)
        self._render(self.width())

    def longest_width(self) -> int:
        """Pixels the longest text takes on one line in the current font."""
        return self._widest(time_text(_LONGEST_MS, _LONGEST_MS, f) for f in self._frame_texts)

    def two_line_width(self) -> int:
        """Pixels the longer of its two lines takes, the time above the frame."""
        return self._widest([time_text(_LONGEST_MS, _LONGEST_MS), *self._frame_texts])

    def one_line_at(self, width: int) -> bool:
        return width >= self.longest_width()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        lines = 1 if self.one_line_at(width) or not any(self._frame_texts) else 2
        return self._height(lines)

    def sizeHint(self) -> QSize:
        return QSize(self.longest_width(), self._height(1))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.two_line_width(), self._height(1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render(event.size().width())

    def _render(self, width: int) -> None:
        position_ms, duration_ms, frame_text = self._shown
        if self.one_line_at(width) or not frame_text:
            text = time_text(position_ms, duration_ms, frame_text)
        else:
            text = f"{time_text(position_ms, duration_ms)}\n{frame_text}"
        if text != self.text():
            self.setText(text)

    def _widest(self, texts: Iterable[str]) -> int:
        """Each digit counted as the font's widest, so the width never changes as it runs."""
        metrics = self.fontMetrics()
        digit = max("0123456789", key=metrics.horizontalAdvance)
        widest = max(metrics.horizontalAdvance(_DIGIT.sub(digit, text)) for text in texts)
        margins = self.contentsMargins()
        return widest + margins.left() + margins.right() + 2 * self.margin()

    def _height(self, lines: int) -> int:
        margins = self.contentsMargins()
        text = self.fontMetrics().lineSpacing() * lines
        return text + margins.top() + margins.bottom() + 2 * self.margin()


@dataclass(frozen=True)
class Marker:
    """A moment in a clip: where (ms), what it says, and what kind of moment it is."""

    position_ms: int
    label: str
    kind: str = "note"

    def describe(self) -> str:
        return f"{format_ms(self.position_ms)} — {self.label} ({self.kind})"


class TimelineWidget(QWidget):
    """A horizontal track: click anywhere (or on a marker) to go there."""

    seekRequested = Signal(int)  # ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration_ms = 0
        self._position_ms = 0
        self.drawn_position_ms = 0  # where the playhead is drawn (see set_position_ms)
        self._step_timer = QTimer(self, singleShot=True, interval=REDUCED_MOTION_STEP_MS)
        self._step_timer.timeout.connect(self._step_to_position)
        self._markers: tuple[Marker, ...] = ()
        self._loop_ms: tuple[int, int | None] | None = None
        self.setMinimumHeight(36)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Timeline")
        self._update_description()

    def set_duration_ms(self, duration_ms: int) -> None:
        self._duration_ms = max(duration_ms, 0)
        self._update_description()
        self.update()

    def set_position_ms(self, position_ms: int) -> None:
        """While playing the position comes 25 times a second and the playhead glides.
        With reduced motion it jumps instead, at most once a second; the latest position
        is drawn when the second is up, so a pause or a frame step still lands exactly."""
        self._position_ms = position_ms
        if not reduced_motion():
            self._step_timer.stop()
            self._draw_at(position_ms)
        elif not self._step_timer.isActive():
            self._draw_at(position_ms)
            self._step_timer.start()

    def _step_to_position(self) -> None:
        if self.drawn_position_ms != self._position_ms:
            self._draw_at(self._position_ms)
            self._step_timer.start()

    def _draw_at(self, position_ms: int) -> None:
        self.drawn_position_ms = position_ms
        self.update()

    def set_markers(self, markers: Sequence[Marker]) -> None:
        self._markers = tuple(sorted(markers, key=lambda m: m.position_ms))
        self._update_description()
        self.update()

    def markers(self) -> tuple[Marker, ...]:
        return self._markers

    def set_loop_ms(self, loop_ms: tuple[int, int | None] | None) -> None:
        """The A-B range to shade; B None while only A is set."""
        self._loop_ms = loop_ms
        self.update()

    def ms_at_x(self, x: float) -> int:
        track = self._track()
        share = (x - track.left()) / max(track.width(), 1.0)
        return round(min(max(share, 0.0), 1.0) * self._duration_ms)

    def x_of_ms(self, position_ms: int) -> float:
        track = self._track()
        share = position_ms / self._duration_ms if self._duration_ms else 0.0
        return track.left() + share * track.width()

    def _track(self) -> QRectF:
        return QRectF(_MARGIN_PX, 0, max(self.width() - 2 * _MARGIN_PX, 1), self.height())

    def _update_description(self) -> None:
        self.setAccessibleDescription(
            f"Clip length {format_ms(self._duration_ms)}; {len(self._markers)} markers. "
            "Click to jump; Home and End go to the start and end."
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._duration_ms:
            return
        x = event.position().x()
        near = [m for m in self._markers if abs(self.x_of_ms(m.position_ms) - x) <= _HIT_PX]
        if near:
            closest = min(near, key=lambda m: abs(self.x_of_ms(m.position_ms) - x))
            self.seekRequested.emit(closest.position_ms)
        else:
            self.seekRequested.emit(self.ms_at_x(x))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Home:
            self.seekRequested.emit(0)
        elif event.key() == Qt.Key.Key_End:
            self.seekRequested.emit(self._duration_ms)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        middle = track.center().y()
        groove = QRectF(track.left(), middle - 3, track.width(), 6)
        palette = self.palette()  # the theme's colours: fixed ones vanished in some themes
        painter.fillRect(groove, palette.mid().color())
        if self._loop_ms is not None:
            start = self.x_of_ms(self._loop_ms[0])
            end = self.x_of_ms(self._loop_ms[1]) if self._loop_ms[1] is not None else start + 2
            shade = QColor(palette.highlight().color())
            shade.setAlpha(90)
            painter.fillRect(QRectF(start, middle - 8, end - start, 16), shade)
        played = self.x_of_ms(self.drawn_position_ms)
        played_part = QRectF(track.left(), middle - 3, played - track.left(), 6)
        painter.fillRect(played_part, palette.highlight().color())
        for marker in self._markers:
            self._draw_marker(painter, self.x_of_ms(marker.position_ms), middle - 11, marker)
        painter.setPen(palette.windowText().color())
        painter.setBrush(palette.windowText().color())
        painter.drawRect(QRectF(played - 1.5, middle - 10, 3, 20))
        if self.hasFocus():
            painter.setPen(palette.windowText().color())
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    @staticmethod
    def _draw_marker(painter: QPainter, x: float, y: float, marker: Marker) -> None:
        colour, shape = _MARKER_LOOKS.get(marker.kind, _MARKER_LOOKS["note"])
        painter.setPen(QColor("black"))
        painter.setBrush(QColor(colour))
        size = 6.0
        if shape == "triangle":
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(x - size, y - size), QPointF(x + size, y - size), QPointF(x, y + size)]
                )
            )
        elif shape == "diamond":
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, y - size),
                        QPointF(x + size, y),
                        QPointF(x, y + size),
                        QPointF(x - size, y),
                    ]
                )
            )
        elif shape == "circle":
            painter.drawEllipse(QPointF(x, y), size, size)
        else:
            painter.drawRect(QRectF(x - size, y - size, 2 * size, 2 * size))
