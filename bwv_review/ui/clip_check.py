"""Hashing each clip the first time it is shown in a run of the app, off the GUI thread.

Opening a clip compares only its size and modification time, and a file rewritten to the
same size with its time set back passes that. So the case screen has each clip it shows
hashed in full here, on the thread pool, while playback goes on (the file has the registered
size and time); on a mismatch the player stops and says why. The library service hashes,
writes the audit event and remembers the result for the run; this schedules the work, says
how far a long check has got, and cancels it when the case closes or the app quits: the
hash stops at its next chunk (4 MB), so nobody waits for a 2 GB file nobody needs.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QObject, Signal

from bwv_review.config import Settings
from bwv_review.services.actor import Actor
from bwv_review.services.library import ContentCheck, Contents, LibraryService
from bwv_review.ui.background import BackgroundTask

log = logging.getLogger(__name__)

NOTE_AFTER_S = 0.5
"""A check still running after this long is shown as "Checking the file…": short clips on
local disk finish well before (0.8 GB/s), so their players do not flicker a note."""


class ClipContentChecker(QObject):
    """Checks clips by id, each at most once; the signals arrive on the GUI thread."""

    checking = Signal(int, str)  # clip id, how far the check has got, in words
    passed = Signal(int)  # clip id: the file is the registered footage
    refused = Signal(int, str)  # clip id, what happened and what to do

    def __init__(
        self,
        library: LibraryService,
        actor: Actor,
        settings: Settings,
        *,
        purpose: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._actor = actor
        self._settings = settings
        self._purpose = purpose
        self._checks: dict[int, _Check] = {}
        self._asked: set[int] = set()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel_all)

    @property
    def busy(self) -> bool:
        """Some hash is still running (cancelled ones stop at their next chunk)."""
        return any(check.task.running for check in self._checks.values())

    def check(self, clip_id: int) -> None:
        """Start hashing the clip unless it was asked for already."""
        if clip_id in self._asked:
            return
        self._asked.add(clip_id)
        self._checks[clip_id] = _Check(self, clip_id)

    def cancel_all(self) -> None:
        for check in self._checks.values():
            check.task.cancel()

    def _work(self, clip_id: int, task: BackgroundTask) -> ContentCheck:
        """On the worker thread: the service hashes; progress goes out as whole percents."""
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            if percent != shown[0]:
                shown[0] = percent
                task.progressed.emit(percent)

        return self._library.check_contents(
            self._actor,
            clip_id,
            self._settings,
            purpose=self._purpose,
            progress=progress,
            cancel=lambda: task.cancel_requested,
        )

    def _finished(self, check: _Check) -> None:
        self._checks.pop(check.clip_id, None)
        check.deleteLater()


class _Check(QObject):
    """One clip's check. Its slots are bound methods of an object on the GUI thread, so Qt
    queues the worker's signals to that thread; it belongs to the checker, so once the case
    screen is gone nothing is delivered. The task itself has no parent: the worker holds it
    until its last chunk returns."""

    def __init__(self, checker: ClipContentChecker, clip_id: int) -> None:
        super().__init__(checker)
        self.checker = checker
        self.clip_id = clip_id
        self._started = time.monotonic()
        self.task = BackgroundTask(lambda _report: checker._work(clip_id, self.task))
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_result)
        self.task.failed.connect(self._on_failed)
        self.task.cancelled.connect(self._on_cancelled)
        self.task.start()

    def _on_progress(self, percent: int) -> None:
        if time.monotonic() - self._started >= NOTE_AFTER_S and not self.task.cancel_requested:
            self.checker.checking.emit(
                self.clip_id, f"Checking the file is the registered footage… {percent}%"
            )

    def _on_result(self, result: ContentCheck) -> None:
        self.checker._finished(self)
        if result.contents is Contents.MATCH:
            self.checker.passed.emit(self.clip_id)
        else:
            self.checker.refused.emit(self.clip_id, result.message)

    def _on_failed(self, exc: BaseException) -> None:
        """Not known to be the registered footage (the file changed again, or the audit
        log could not be written): stop rather than play on."""
        self.checker._finished(self)
        log.info("clip %s could not be checked: %s", self.clip_id, exc)
        self.checker.refused.emit(self.clip_id, f"Playback stopped: {exc}")

    def _on_cancelled(self) -> None:
        self.checker._finished(self)
