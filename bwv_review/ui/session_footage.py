"""The chosen session's footage on the Sessions page: before a meeting, which clips are
missing, changed or due for deletion within 7 days, and a Verify button that checks the
files now.

Choosing a session shows what the last check recorded and the deletion dates (read from the
database only: a file on a network share is never touched on the GUI thread). Verify hashes
every clip on the thread pool with a progress bar and a Stop button, so the page stays in
use; the result lists each clip with a symbol and words (never colour alone): case, clip,
what is wrong and what to do. Relinking moved files stays with the administrator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Paths, Settings, SettingsError
from bwv_review.services.actor import Actor
from bwv_review.services.footage import DUE_SOON_DAYS
from bwv_review.services.retention import PURGE_WARNING_DAYS, DuePurge
from bwv_review.services.session_footage import (
    ClipState,
    SessionClip,
    SessionFootage,
    SessionFootageService,
)
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.fitting import ColumnScrollArea
from bwv_review.ui.session_dialogs import attempt, named
from bwv_review.ui.sign_in import ErrorLabel, SpokenLabel

log = logging.getLogger(__name__)

PURPOSE = "review sessions: chair checks the session's footage"
PROGRESS_STEPS = 1000  # the bar counts thousandths of the bytes to hash
WARN, FINE = "\u26a0", "\u2714"


def this_machines_settings() -> Settings:
    """Read when needed, not kept: the administrator may map a share while the app runs."""
    return Settings(Paths.for_this_machine().settings_file)


PURGE_DUE_WORDS = f"due for purge within {PURGE_WARNING_DAYS} days"


def clip_line(clip: SessionClip, *, checked_now: bool) -> str:
    """One clip in words: its symbol, case and clip, then what is wrong and what to do, a
    line each (an item of several lines reads as one entry, unlike run-on sentences)."""
    symbol = WARN if clip.needs_attention else FINE
    head = f"{symbol} {clip.case_reference} \u00b7 {clip.label}"
    lines = []
    for problem, action in (
        (clip.problem, clip.action),
        (clip.deletion_problem, clip.deletion_action),
    ):
        if problem:
            lines.append(f"    {problem}")
        if action:
            lines.append(f"    What to do: {action}")
    if clip.state is ClipState.NOT_CHECKED and not clip.action:
        lines.append("    What to do: press Verify to check it.")
    if not lines:
        fine = "the registered footage, unchanged." if checked_now else "fine when last checked."
        return f"{head}: {fine}"
    return "\n".join([head, *lines])


def purge_line(due: DuePurge) -> str:
    """A case the retention period takes soon: after the purge its grounds, pseudonym,
    clip links and notes are gone, so the chair knows to discuss it before then."""
    if due.days_left <= 0:
        head = f"{WARN} {due.reference}: past the panel's retention period, due for purge"
        when = "A purge removes its grounds, officer pseudonym, clip links and notes once"
        when += " no open session holds it."
    else:
        head = f"{WARN} {due.reference}: {PURGE_DUE_WORDS}"
        head += f" (on {due.due_on:%d %B %Y}, {due.days_left} day(s) left)"
        when = "Then its grounds, officer pseudonym, clip links and notes are removed."
    return (
        f"{head}\n    {when}\n"
        "    What to do: review and discuss it before then; answers and grades are kept."
    )


def summary_line(found: SessionFootage) -> str:
    """The session's footage in one sentence: how it was found, then each kind of fault."""
    total = len(found.clips)
    if not total:
        return "This session has no clips yet."
    faults = [
        f"{found.count(state)} {words}"
        for state, words in (
            (ClipState.MISSING, "missing"),
            (ClipState.CHANGED, "changed"),
            (ClipState.UNREADABLE, "could not be read"),
            (ClipState.NOT_REGISTERED, "not registered yet"),
        )
        if found.count(state)
    ]
    if found.deletions_passed:
        faults.append(f"{found.deletions_passed} past its deletion date")
    if found.deletions_soon:
        faults.append(f"{found.deletions_soon} due for deletion within {DUE_SOON_DAYS} days")
    if found.purges_due:
        faults.append(f"{len(found.purges_due)} case(s) {PURGE_DUE_WORDS}")
    if found.shares:
        unreached = sum(share.clips for share in found.shares)
        faults.append(f"{unreached} on a footage share not reachable on this laptop")
    if found.cancelled:
        unchecked = found.count(ClipState.NOT_CHECKED)
        head = f"The check was stopped: {unchecked} of {total} clip(s) not checked"
        advice = " Press Verify to check them."
    elif found.checked_now:
        head = f"Checked just now: {found.count(ClipState.OK)} of {total} clip(s) are fine"
        advice = ""
    else:
        head = f"As last checked, {total} clip(s)"
        advice = " Press Verify to check the files now."
    if not faults and not found.cancelled:
        fine = "" if found.checked_now else " are fine"
        return f"{FINE} {head}{fine}; none is due for deletion within {DUE_SOON_DAYS} days."
    joiner = ": " if not (found.checked_now or found.cancelled) else "; "
    listed = f"{joiner}{', '.join(faults)}" if faults else ""
    return f"{WARN} {head}{listed}.{advice}"


class _GrowingList(QListWidget):
    """A list that asks for a few lines and takes whatever room the pane has: the 192 px
    every list asks for by default would make the pane scroll at the default font."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), 5 * self.fontMetrics().lineSpacing()))


class SessionFootagePanel(QGroupBox):
    """`verified(result)` when a Verify finishes (stopped or not), on the GUI thread; not
    `checked`, which is QGroupBox's own property."""

    verified = Signal(object)

    def __init__(
        self,
        service: SessionFootageService,
        actor: Actor,
        *,
        settings: Callable[[], Settings] = this_machines_settings,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Footage for the meeting", parent)
        self._service = service
        self._actor = actor
        self._settings = settings
        self._today = today
        self._session_id: int | None = None
        self._run: _Run | None = None
        self.result: SessionFootage | None = None
        self.setAccessibleName("Footage for the meeting")

        self.summary = SpokenLabel("Footage summary", "Choose a session to see its footage.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.verify_button = named(QPushButton("&Verify the clips"), "Verify the clips")
        self.verify_button.setToolTip(
            "Check each clip's file now: there, the same size, and the same SHA-256 as when "
            "it was registered"
        )
        self.verify_button.clicked.connect(self.verify)
        self.stop_button = named(QPushButton("Stop the chec&k"), "Stop the check")
        self.stop_button.clicked.connect(self.stop)
        self.progress = named(QProgressBar(), "Footage check progress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.list = named(_GrowingList(), "The session's clips, warnings first")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error = ErrorLabel()

        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.progress, 1)
        # In a scroll area: at a large font on a 768 px screen the pane is shorter than the
        # summary, the buttons and a usable list, and scrolling beats cutting the list.
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.list, 1)
        scroll = ColumnScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        for plain in (scroll.viewport(), body):  # the group's own background, not a band
            plain.setAutoFillBackground(False)
        QVBoxLayout(self).addWidget(scroll)
        self._set_running(False)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._run is not None

    def show_session(self, session_id: int | None, *, on_panel: bool) -> None:
        """Show the session's footage: as this page's last Verify of it found, else as
        recorded. A check of another session still running is abandoned (its result would
        describe the wrong session); one of this session goes on and shows when done."""
        wanted = session_id if on_panel else None
        if wanted != self._session_id:
            self._abandon()
            self.result = None
        self._session_id = wanted
        if self.running:
            return
        self._set_running(False)
        self.list.clear()
        self.error.clear_error()
        if session_id is None:
            self.summary.setText("Choose a session to see its footage.")
        elif not on_panel:
            self.summary.setText(
                "Join this session as a panel member to see and check its footage."
            )
        elif self.result is not None:
            self._fill(self.result)
        else:
            self._load(session_id)

    def _load(self, session_id: int) -> None:
        settings = self._read_settings()
        if settings is None:
            return
        ok, found = attempt(
            self.error,
            lambda: self._service.footage(self._actor, session_id, settings, today=self._today()),
        )
        if ok and found is not None:
            self._fill(found)

    def _read_settings(self) -> Settings | None:
        try:
            return self._settings()
        except (SettingsError, OSError) as exc:
            self.error.show_error(f"This laptop's settings cannot be read: {exc}")
            return None

    def _fill(self, found: SessionFootage) -> None:
        self.summary.setText(summary_line(found))
        self.list.clear()
        for share in found.shares:
            self._add(f"{WARN} {share.message}")
        for due in found.purges_due:
            self._add(purge_line(due))
        warned = {clip.clip_id for clip in found.warnings}
        fine = [c for c in found.clips if c.clip_id not in warned and c.state is ClipState.OK]
        for clip in [*found.warnings, *fine]:  # what needs doing first
            self._add(clip_line(clip, checked_now=found.checked_now))

    def _add(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setToolTip(text)
        self.list.addItem(item)

    # --- Verify ----------------------------------------------------------------------------

    def verify(self) -> None:
        session_id = self._session_id
        if session_id is None or self.running:
            return
        settings = self._read_settings()
        if settings is None:
            return
        self.error.clear_error()
        self.progress.setValue(0)
        self._run = _Run(self, session_id, settings)
        self._set_running(True)
        count = f" {len(self.result.clips)}" if self.result else ""
        self.summary.setText(
            f"Checking the{count} clip(s)\u2026 You can keep working; Stop the check ends it."
        )
        self._run.task.start()

    def stop(self) -> None:
        """Stop after the current chunk; what was checked by then is shown."""
        if self._run is not None:
            self._run.task.cancel()
            self.summary.setText("Stopping the check after the current chunk\u2026")

    def _abandon(self) -> None:
        """Stop a check whose result is no longer wanted (another session was chosen)."""
        if self._run is not None:
            self._run.task.cancel()
            self._run.forget()
            self._run = None
            self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.verify_button.setEnabled(not running and self._session_id is not None)
        self.stop_button.setEnabled(running)
        self.progress.setVisible(running)

    def _finished(self, run: _Run, found: SessionFootage | None, failure: str = "") -> None:
        if run is not self._run:
            return
        self._run = None
        run.forget()
        self._set_running(False)
        if failure:
            self.error.show_error(f"The check stopped: {failure}")
        if found is None or found.session_id != self._session_id:
            if self._session_id is not None:
                self._load(self._session_id)
            return
        self.result = found
        self._fill(found)
        self.verified.emit(found)


class _Run(QObject):
    """One Verify. Its slots are bound methods of an object on the GUI thread, so Qt queues
    the worker's signals there; it belongs to the panel, so once the page is gone nothing is
    delivered. The task has no parent: the worker holds it until its last chunk returns."""

    def __init__(self, panel: SessionFootagePanel, session_id: int, settings: Settings) -> None:
        super().__init__(panel)
        self.panel = panel
        service, actor, today = panel._service, panel._actor, panel._today()

        def work(progress: Callable[[int], bool]) -> SessionFootage:
            def on_bytes(done: int, total: int) -> None:
                progress(done * PROGRESS_STEPS // max(1, total))

            return service.verify_session(
                actor,
                session_id,
                settings,
                purpose=PURPOSE,
                today=today,
                progress=on_bytes,
                cancel=lambda: self.task.cancel_requested,
            )

        self.task = BackgroundTask(work)
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_result)
        self.task.failed.connect(self._on_failed)
        self.task.cancelled.connect(self._on_cancelled)

    def forget(self) -> None:
        self.deleteLater()

    def _on_progress(self, value: int) -> None:
        if self.panel._run is self:
            self.panel.progress.setValue(value)

    def _on_result(self, found: SessionFootage) -> None:
        self.panel._finished(self, found)

    def _on_failed(self, exc: BaseException) -> None:
        log.info("the footage check stopped: %s", exc)
        self.panel._finished(self, None, str(exc))

    def _on_cancelled(self) -> None:
        self.panel._finished(self, None)
