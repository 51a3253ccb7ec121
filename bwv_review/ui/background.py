"""Running long work (imports, hashing, loading a million rows) off the GUI thread.

The work function gets a `progress(count) -> bool` callback: it reports how far it got and
learns whether the person pressed Cancel. Results and errors come back as Qt signals, which
Qt delivers on the GUI thread, so widgets are only ever touched there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from bwv_review.services.errors import DatabaseUnavailable, ServiceError

log = logging.getLogger("bwv_review.ui.background")

Work = Callable[[Callable[[int], bool]], Any]


class BackgroundTask(QObject):
    progressed = Signal(int)
    succeeded = Signal(object)
    failed = Signal(BaseException)
    cancelled = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def start_once_painted(self, window: QWidget) -> None:
        """Start when `window` first paints, which on X11 follows its map: work started
        before it competes with showing the window for the GIL and, on a busy machine, for
        the one core the process gets (the sign-in window's loading behind it mapped 1.3x
        later, bench/startup.py)."""
        window.installEventFilter(_FirstPaint(window, self.start))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, count: int) -> bool:
        self.progressed.emit(count)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Exception as exc:
            self.running = False
            if self._cancel.is_set():
                self.cancelled.emit()
                return
            if not isinstance(exc, ServiceError | DatabaseUnavailable):
                log.exception("background task failed")  # a bug, not bad input
            self.failed.emit(exc)
            return
        # Work that finished despite a cancel request hands back what it did (an import
        # reports the files it completed); work that stopped early raises instead.
        self.running = False
        self.succeeded.emit(result)


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


class _FirstPaint(QObject):
    """Calls `then` once, after the watched window's first paint has been handled."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # After this paint reaches the screen; not at all if the window has gone.
            QTimer.singleShot(0, self, self._then)
        return False
