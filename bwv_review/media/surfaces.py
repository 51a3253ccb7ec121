"""Where libvlc draws: a native child window, or RV32 buffers painted by Qt.

The native surface copies nothing (libvlc draws straight into a window) but needs a real
windowing system (X11, Windows, macOS) and gives us no picture to inspect. The callback
surface receives every picture as an RV32 buffer, which works offscreen (tests, CI) and on
Wayland, and is what lets the player recognise the exact frame on screen.

Both are plain QWidgets that the player attaches to its libvlc media player; they never
call libvlc on their own, so every libvlc call stays with the player on the GUI thread.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from datetime import datetime
from enum import StrEnum
from types import ModuleType
from typing import Any

import numpy as np
from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

# Larger pictures are scaled down by libvlc before they reach us: copying 4K RV32 buffers
# at 30 fps would cost more CPU than the reviewer gains in detail on a laptop screen.
MAX_CALLBACK_WIDTH = 1920
_POOL_SIZE = 3  # libvlc may hold a picture while it prepares the next one


class SurfaceKind(StrEnum):
    NATIVE = "native"
    CALLBACK = "callback"


def choose_surface(setting: str) -> SurfaceKind:
    """`player.surface` wins when it names a surface; `auto` is the callback surface on
    every platform, since only there is the paused frame seen and named exactly (measured
    in docs/media.md: under X11 it also played 1080p25 with fewer lost pictures and less
    CPU than the native window)."""
    if setting in (SurfaceKind.NATIVE, SurfaceKind.CALLBACK):
        return SurfaceKind(setting)
    return SurfaceKind.CALLBACK


def callback_size(width: int, height: int) -> tuple[int, int]:
    """The buffer size for a video: its own size, at most MAX_CALLBACK_WIDTH wide, even."""
    if width > MAX_CALLBACK_WIDTH:
        height = round(height * MAX_CALLBACK_WIDTH / width)
        width = MAX_CALLBACK_WIDTH
    return width - width % 2, height - height % 2


class VideoSurface(QWidget):
    """Common base: a black area with the viewer watermark (pseudonym and the current time,
    so a photographed screen shows who watched and when) and an optional message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watermark = ""
        self._message = ""
        self.setMinimumSize(160, 90)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the player widget owns keyboard focus

    @property
    def kind(self) -> SurfaceKind:
        raise NotImplementedError

    def attach(self, vlc: ModuleType, media_player: Any, width: int, height: int) -> None:
        """Route libvlc's output for a video of width x height here (before play())."""
        raise NotImplementedError

    def set_watermark(self, text: str) -> None:
        self._watermark = text
        self.update()

    def watermark(self) -> str:
        return self._watermark

    def set_message(self, text: str) -> None:
        """Text shown instead of video (no clip, VLC missing, an error)."""
        self._message = text
        self.update()

    def _paint_overlays(self, painter: QPainter) -> None:
        if self._message:
            painter.setPen(QColor("white"))
            painter.drawText(
                self.rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._message,
            )
        if self._watermark:
            stamp = f"{self._watermark}  {datetime.now():%Y-%m-%d %H:%M:%S}"
            font = QFont(painter.font())
            font.setPointSizeF(max(9.0, self.height() / 32))
            painter.setFont(font)
            painter.setPen(QColor(255, 255, 255, 150))
            area = self.rect().adjusted(12, 12, -12, -12)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, stamp
            )


class CallbackSurface(VideoSurface):
    """libvlc renders RV32 into our buffers; we keep a copy of the last picture and paint it.

    lock/unlock/display run on libvlc's video thread: they only touch the buffers under a
    lock and emit a queued signal, never call libvlc or Qt widgets.
    """

    frameDisplayed = Signal()
    _pictureArrived = Signal(int)  # the clip's number (attach counts them)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._lock = threading.Lock()
        self._pool: list[np.ndarray] = []
        # Pictures are copied into buffers made once per clip: a fresh 8 MB array per 1080p
        # picture costs more in page faults than libvlc spends decoding it.
        self._front_buffer = np.zeros((0, 0, 4), np.uint8)
        self._paint_buffer = np.zeros((0, 0, 4), np.uint8)
        self._front: np.ndarray | None = None
        self._next_buffer = 0
        self._displayed = 0
        # A picture libvlc redisplays while stop() joins its threads is still queued when
        # the next clip is attached: its number tells it from the new clip's pictures (the
        # player took it for the new clip's first picture and paused libvlc before that
        # one was out, which left it ignoring paused seeks for up to 2 s).
        self._clip_number = 0
        self._still = False  # a PyAV-decoded picture is shown; libvlc's are held back
        self._callbacks: tuple[Any, ...] = ()  # ctypes callbacks must outlive the player
        self._pictureArrived.connect(self._on_picture, Qt.ConnectionType.QueuedConnection)
        # The watermark carries the time, so it must tick even while the video is paused.
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self.update)
        self._clock.start()

    @property
    def kind(self) -> SurfaceKind:
        return SurfaceKind.CALLBACK

    def attach(self, vlc: ModuleType, media_player: Any, width: int, height: int) -> None:
        width, height = callback_size(width, height)
        with self._lock:
            self._pool = [np.zeros((height, width, 4), np.uint8) for _ in range(_POOL_SIZE)]
            self._front_buffer = np.zeros((height, width, 4), np.uint8)
            self._paint_buffer = np.zeros((height, width, 4), np.uint8)
            self._front = None
            self._clip_number += 1
        decorators = vlc.CallbackDecorators
        lock = decorators.VideoLockCb(self._lock_picture)
        unlock = decorators.VideoUnlockCb(lambda _opaque, _picture, _planes: None)
        display = decorators.VideoDisplayCb(self._display_picture)
        self._callbacks = (lock, unlock, display)
        media_player.video_set_callbacks(lock, unlock, display, None)
        media_player.video_set_format("RV32", width, height, width * 4)
        self.update()

    @property
    def pictures_displayed(self) -> int:
        """How many pictures libvlc has handed over (redisplays of a paused one included)."""
        return self._displayed

    def latest_picture(self) -> np.ndarray | None:
        """A copy of the picture on screen (height x width x 4, B G R X), if any."""
        with self._lock:
            return None if self._front is None else self._front.copy()

    def latest_image(self) -> QImage | None:
        picture = self.latest_picture()
        if picture is None:
            return None
        height, width, _ = picture.shape
        return QImage(picture.data, width, height, width * 4, QImage.Format.Format_RGB32).copy()

    def clear(self) -> None:
        with self._lock:
            self._front = None
            self._still = False
        self.update()

    @property
    def buffer_size(self) -> tuple[int, int]:
        """(width, height) of the pictures libvlc delivers."""
        with self._lock:
            if not self._pool:
                return 0, 0
            height, width, _ = self._pool[0].shape
            return width, height

    def show_still(self, picture: np.ndarray) -> None:
        """Show a picture decoded elsewhere until release_still(); libvlc's redisplays of
        its own (different) picture are ignored meanwhile."""
        with self._lock:
            self._front = picture
            self._still = True
        self.update()

    def release_still(self) -> None:
        with self._lock:
            self._still = False

    def _lock_picture(self, _opaque: int, planes: Any) -> int:
        with self._lock:
            index = self._next_buffer
            self._next_buffer = (index + 1) % len(self._pool)
            planes[0] = self._pool[index].ctypes.data_as(ctypes.c_void_p)
        return index + 1  # the picture id libvlc hands back to display(); 0 would mean none

    def _display_picture(self, _opaque: int, picture: int | None) -> None:
        with self._lock:
            if not self._pool or not picture or self._still:
                return
            np.copyto(self._front_buffer, self._pool[(picture - 1) % len(self._pool)])
            self._front = self._front_buffer
            self._displayed += 1
            clip_number = self._clip_number
        self._pictureArrived.emit(clip_number)

    def _on_picture(self, clip_number: int) -> None:
        with self._lock:
            if clip_number != self._clip_number:
                return  # the clip before's, queued before it was stopped
        self.update()
        self.frameDisplayed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        image = None
        with self._lock:
            if self._front is not None and self._front.shape == self._paint_buffer.shape:
                np.copyto(self._paint_buffer, self._front)
                height, width, _ = self._paint_buffer.shape
                image = QImage(
                    self._paint_buffer.data, width, height, width * 4, QImage.Format.Format_RGB32
                )
        if image is not None:
            scaled = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(self.rect().center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        self._paint_overlays(painter)
        painter.end()


class NativeSurface(VideoSurface):
    """libvlc draws into this widget's own native window. Qt cannot paint over a foreign
    window, so the watermark is libvlc's marquee (`marquee_text`, set by the player)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("black"))
        self.setPalette(palette)

    @property
    def kind(self) -> SurfaceKind:
        return SurfaceKind.NATIVE

    def attach(self, vlc: ModuleType, media_player: Any, width: int, height: int) -> None:
        handle = int(self.winId())
        if sys.platform.startswith("win"):
            media_player.set_hwnd(handle)
        elif sys.platform == "darwin":
            media_player.set_nsobject(handle)
        else:
            media_player.set_xwindow(handle)

    def marquee_text(self) -> str:
        """The watermark for libvlc's marquee, which expands strftime codes itself."""
        return self._watermark.replace("%", "%%") + "  %Y-%m-%d %H:%M:%S"

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._message:  # only when no video is drawn into the window
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor("black"))
            self._paint_overlays(painter)
            painter.end()


def make_surface(kind: SurfaceKind, parent: QWidget | None = None) -> VideoSurface:
    return CallbackSurface(parent) if kind is SurfaceKind.CALLBACK else NativeSurface(parent)
