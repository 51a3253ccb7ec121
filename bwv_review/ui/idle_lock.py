"""The idle lock: after a spell with no input and nothing playing, the window is covered
and the video hidden until the person types their PIN again.

Footage of real people must not stay on an unattended laptop (DPA 2018; the panel's
confidentiality statement), but a reviewer who steps away mid-form must lose nothing: the
lock only covers the window, so every field keeps what was typed, and unlocking puts the
reviewer back where they were. The timeout is a constructor argument so tests use 200 ms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.workspace import Workspace
from bwv_review.ui.sign_in import ErrorLabel

log = logging.getLogger(__name__)

UNLOCK_PURPOSE = "unlock after the idle lock"
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_BLOCKED_WHILE_LOCKED = _INPUT_EVENTS | {
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
}


def minutes_to_ms(minutes: float) -> int:
    return max(int(minutes * 60_000), 1)


class LockOverlay(QFrame):
    """Covers the whole window: a message, the PIN field, Unlock and Sign out."""

    unlockRequested = Signal(str)
    signOutRequested = Signal()

    def __init__(self, window: QWidget, who: str, minutes_text: str) -> None:
        super().__init__(window)
        self.setAccessibleName("Screen locked")
        # Opaque in the theme's window colour with its words in the theme's text colour,
        # so the lock follows the chosen theme as every window does.
        self.setAutoFillBackground(True)
        heading = QLabel("<h2>Locked</h2>", self)
        message = QLabel(
            f"The screen locked after {minutes_text} without activity. The video is hidden "
            f"and everything you entered is kept. {who}, type your PIN to carry on.",
            self,
        )
        message.setWordWrap(True)
        message.setAccessibleName("Lock message")
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("PIN to unlock")
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData)
        self.pin.returnPressed.connect(lambda: self.unlockRequested.emit(self.pin.text()))
        self.error = ErrorLabel(self)
        self.unlock_button = QPushButton("&Unlock", self)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.clicked.connect(lambda: self.unlockRequested.emit(self.pin.text()))
        self.sign_out_button = QPushButton("&Sign out", self)
        self.sign_out_button.setAccessibleName("Sign out")
        self.sign_out_button.clicked.connect(self.signOutRequested)
        column = QWidget(self)
        column.setMaximumWidth(480)
        column_layout = QVBoxLayout(column)
        column_layout.addWidget(heading)
        column_layout.addWidget(message)
        column_layout.addWidget(self.pin)
        column_layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        column_layout.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab wraps round the lock's own controls: the window's focus chain would carry
        focus behind the cover, where every key is swallowed (a keyboard trap)."""
        current = QApplication.focusWidget() or self.pin
        candidate: QWidget | None = current
        while True:
            assert candidate is not None  # the focus chain is a ring
            candidate = candidate.nextInFocusChain() if next else candidate.previousInFocusChain()
            if candidate is None or candidate is current:
                return False
            if (
                self.isAncestorOf(candidate)
                and candidate.isVisible()
                and candidate.isEnabled()
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                candidate.setFocus(
                    Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
                )
                return True


class IdleLock(QObject):
    """Watches the application's input; see the module docstring."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        actor: Actor,
        timeout_ms: int,
        *,
        is_busy: Callable[[], bool] = lambda: False,
        on_lock: Callable[[], None] = lambda: None,
        on_unlock: Callable[[], None] = lambda: None,
        on_sign_out: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._workspace = workspace
        self._actor = actor
        self._is_busy = is_busy
        self._on_lock = on_lock
        self._on_unlock = on_unlock
        self._on_sign_out = on_sign_out
        self.overlay: LockOverlay | None = None
        self._focus_before: QWidget | None = None
        self._hidden_dialogs: list[QDialog] = []
        self._timer = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timer.timeout.connect(self._on_timeout)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.installEventFilter(self)
        window.destroyed.connect(lambda: app.removeEventFilter(self))
        self._timer.start()

    @property
    def is_locked(self) -> bool:
        return self.overlay is not None

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timer.setInterval(timeout_ms)
        if not self.is_locked:
            self._timer.start()

    def lock(self) -> None:
        if self.is_locked:
            return
        self._timer.stop()
        self._focus_before = QApplication.focusWidget()
        # An open dialog (a learning point half written) would stay on top of the cover and,
        # being modal, keep the PIN field from getting the keyboard: hide it until unlocked.
        self._hidden_dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w.parentWidget() is not None
        ]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        self._on_lock()
        minutes = self._timer.interval() / 60_000
        text = f"{minutes:g} minutes" if minutes >= 1 else "a short while"
        self.overlay = LockOverlay(self._window, self._actor.display_name, text)
        self.overlay.unlockRequested.connect(self._try_unlock)
        self.overlay.signOutRequested.connect(self._sign_out)
        self.overlay.setGeometry(self._window.rect())
        self.overlay.show()
        self.overlay.raise_()
        self._window.activateWindow()
        self.overlay.pin.setFocus()
        try:
            self._workspace.audit.record(self._actor, "auth.idle_locked", purpose="idle lock")
        except (ServiceError, DatabaseUnavailable) as exc:
            log.info("idle lock not recorded: %s", exc)
        self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize and self.overlay is not None:
            self.overlay.setGeometry(self._window.rect())
        if self.overlay is None:
            if kind in _INPUT_EVENTS:
                self._timer.start()
            return False
        if kind in _BLOCKED_WHILE_LOCKED and self._window.isVisible():
            # Only while its window is on screen: a window closed while locked (and not yet
            # freed) must not go on swallowing the input of every other window.
            inside = isinstance(watched, QWidget) and (
                watched is self.overlay or self.overlay.isAncestorOf(watched)
            )
            return not inside
        return False

    def _on_timeout(self) -> None:
        if self._is_busy():
            self._timer.start()  # playing footage is not idleness
        else:
            self.lock()

    def _try_unlock(self, pin: str) -> None:
        overlay = self.overlay
        assert overlay is not None
        try:
            self._workspace.auth.sign_in(self._actor.username, pin, purpose=UNLOCK_PURPOSE)
        except (ServiceError, DatabaseUnavailable) as exc:
            overlay.pin.clear()
            overlay.error.show_error(str(exc))
            return
        overlay.hide()
        overlay.deleteLater()
        self.overlay = None
        self._on_unlock()
        for dialog in self._hidden_dialogs:
            if isValid(dialog):
                dialog.show()
        self._hidden_dialogs = []
        if self._focus_before is not None and isValid(self._focus_before):
            self._focus_before.setFocus()
        self._timer.start()
        self.unlocked.emit()

    def _sign_out(self) -> None:
        self._timer.stop()
        self._on_sign_out()
