"""The first window a new user sees: what the app is for, and three ways in.

Shown only while this machine has no workspace and has made no choice yet. The demo is built
off the GUI thread with a progress bar and Cancel; a shared database's address is tested with
a real connection before it is handed back, and one that carries a password is refused, since
settings must never hold one. The window decides where the app opens; the app remembers the
choice, creates a new workspace and signs the person in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import (
    PGPASS_ADVICE,
    BadDatabaseAddress,
    Paths,
    Settings,
    StartChoice,
    StartRoute,
    shared_database_url,
)
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.display_settings import display_settings_button
from bwv_review.ui.fitting import keep_tall_enough
from bwv_review.ui.sign_in import ErrorLabel

log = logging.getLogger(__name__)

WELCOME_TITLE = "Welcome to bwv-review"
PURPOSE = (
    "bwv-review helps a community scrutiny panel watch sampled body-worn video of police "
    "stop and search and use of force, judge each encounter against a rubric and report "
    "what it found to the Police and Crime Commissioner. The footage is played where the "
    "force keeps it, never copied, and every view and every change is logged."
)
_SHARED_EXAMPLE = "postgresql://panel@db.example.org/bwv"


def _big_button(text: str, description: str) -> QCommandLinkButton:
    button = QCommandLinkButton(text, description)
    button.setAccessibleName(text.replace("&", ""))
    button.setAccessibleDescription(description)
    return button


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("\u2026"))
    button.setAutoDefault(False)
    return button


class WelcomeWindow(QDialog):
    """Accepted with `route` set: where the app opens, which it then remembers."""

    # From the demo builder's thread; Qt queues it to the window's.
    demoStep = Signal(int, str)

    def __init__(
        self, paths: Paths, settings: Settings, new_location: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.demo_home = paths.default_demo_home
        self.route: StartRoute | None = None
        self._task: BackgroundTask | None = None
        self._tested: StartRoute | None = None  # reached, but holds no workspace yet
        self._close_when_stopped = False  # the window was closed while the demo was built
        self.setWindowTitle(WELCOME_TITLE)
        self.setAccessibleName(WELCOME_TITLE)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choices_page(new_location))
        self.pages.addWidget(self._demo_page())
        self.pages.addWidget(self._shared_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.demoStep.connect(self._show_step)
        self.resize(640, 520)
        keep_tall_enough(self)  # its words wrap onto more lines at 200% text
        self.demo_button.setFocus()

    # --- the three ways in ------------------------------------------------------------

    def _choices_page(self, new_location: str) -> QWidget:
        page = QWidget()
        # A rich-text heading is sized from the label's font, so it grows with the text
        # size; a style sheet's 18pt stayed 18pt at 200%, no bigger than the words under it.
        heading = QLabel(f"<h2>{WELCOME_TITLE}</h2>")
        heading.setAccessibleName(WELCOME_TITLE)
        purpose = QLabel(PURPOSE)
        purpose.setWordWrap(True)
        purpose.setAccessibleName("What bwv-review is for")
        built = self.demo_database.exists()
        self.demo_button = _big_button(
            "Open the &demonstration workspace",
            "Fictional cases, footage, accounts, reviews and a finalised session, so every "
            "screen has something on it. "
            + (
                "Already built on this computer."
                if built
                else "Built on this computer the first time, in under a minute."
            )
            + " It is kept apart from any real workspace.",
        )
        self.new_button = _big_button(
            "Create a &new workspace",
            "For your panel's real work: you name the panel and its force and become its "
            f"first administrator. It is kept at {new_location}.",
        )
        self.shared_button = _big_button(
            "Connect to a &shared PostgreSQL database",
            "For a panel whose laptops share one database on a server: you need its address "
            "from whoever runs it.",
        )
        self.quit_button = _button("&Quit")
        self.demo_button.clicked.connect(self.open_demo)
        self.new_button.clicked.connect(
            lambda: self._finish(StartRoute(StartChoice.NEW)),
        )
        self.shared_button.clicked.connect(self._show_shared_page)
        self.quit_button.clicked.connect(self.reject)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice")
        self.notice.hide()

        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(purpose)
        layout.addSpacing(12)
        for button in (self.demo_button, self.new_button, self.shared_button):
            layout.addWidget(button)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.display_button = display_settings_button(self)
        layout.addLayout(_right_aligned(self.display_button, self.quit_button))
        return page

    def _finish(self, route: StartRoute) -> None:
        self.route = route
        self.accept()

    # --- the demo ---------------------------------------------------------------------

    @property
    def demo_database(self) -> Path:
        return Paths.under(self.demo_home).default_db_file

    def _demo_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Building the demonstration workspace\u2026")
        title.setStyleSheet("QLabel { font-weight: bold; }")
        where = QLabel(f"In {self.demo_home}")
        where.setWordWrap(True)
        where.setAccessibleName("Demo folder")
        self.demo_step = QLabel("Starting\u2026")
        self.demo_step.setWordWrap(True)
        self.demo_step.setAccessibleName("Demo build step")
        self.demo_progress = QProgressBar()
        self.demo_progress.setRange(0, 100)
        self.demo_progress.setAccessibleName("Demo build progress")
        self.demo_error = ErrorLabel()
        self.demo_cancel = _button("&Cancel")
        self.demo_cancel.clicked.connect(self.cancel_demo)
        self.demo_back = _button("&Back")
        self.demo_back.clicked.connect(self._show_choices)
        layout = QVBoxLayout(page)
        for widget in (title, where, self.demo_progress, self.demo_step, self.demo_error):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(_right_aligned(self.demo_back, self.demo_cancel))
        return page

    def open_demo(self) -> None:
        """Open the demo workspace, building it first if this computer has none yet."""
        route = StartRoute(StartChoice.DEMO, demo_home=self.demo_home)
        if self.demo_database.exists():
            self._finish(route)
            return
        home = self.demo_home

        def work(progress: Callable[[int], bool]) -> object:
            # Here, not at the top: the builder brings PyAV, which the app needs only now.
            from bwv_review.demo import build_demo

            def report(percent: int, step: str) -> bool:
                self.demoStep.emit(percent, step)
                return progress(percent)

            return build_demo(home, progress=report)

        task = BackgroundTask(work, self)
        task.succeeded.connect(lambda _demo: self._finish(route))
        task.failed.connect(self._demo_failed)
        task.cancelled.connect(self._demo_cancelled)
        self._task = task
        self.demo_progress.setValue(0)
        self.demo_step.setText("Starting\u2026")
        self.demo_error.clear_error()
        self.demo_cancel.setEnabled(True)
        self.demo_back.hide()
        self.pages.setCurrentIndex(1)
        self.demo_cancel.setFocus()
        log.info("building the demo workspace in %s", home)
        task.start()

    def _show_step(self, percent: int, step: str) -> None:
        self.demo_progress.setValue(percent)
        self.demo_step.setText(step)

    def cancel_demo(self) -> None:
        if self._task is not None and self._task.running:
            self._task.cancel()
            self.demo_cancel.setEnabled(False)
            self.demo_step.setText("Cancelling\u2026")

    def _demo_cancelled(self) -> None:
        self._task = None
        if self._close_when_stopped:
            super().reject()
            return
        self._show_choices()
        self.notice.setText("The demonstration build was cancelled; nothing of it was kept.")
        self.notice.show()

    def _demo_failed(self, exc: BaseException) -> None:
        self._task = None
        self.demo_error.show_error(f"The demonstration workspace could not be built: {exc}")
        self.demo_cancel.setEnabled(False)
        self.demo_back.show()
        self.demo_back.setFocus()

    # --- a shared PostgreSQL database -----------------------------------------------------

    def _shared_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Connect to a shared PostgreSQL database")
        title.setStyleSheet("QLabel { font-weight: bold; }")
        intro = QLabel(
            "Type the database's address as whoever runs the server gave it to you. It is "
            "tested with a real connection before it is kept. A password never goes in the "
            "address: keep it in ~/.pgpass."
        )
        intro.setWordWrap(True)
        self.address = QLineEdit()
        self.address.setAccessibleName("Database address")
        self.address.setPlaceholderText(_SHARED_EXAMPLE)
        self.address.textEdited.connect(self._address_changed)
        self.shared_status = QLabel()
        self.shared_status.setWordWrap(True)
        self.shared_status.setTextFormat(Qt.TextFormat.PlainText)
        self.shared_status.setAccessibleName("Connection test")
        self.shared_error = ErrorLabel()
        self.connect_button = _button("&Test and connect")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.test_and_connect)
        self.shared_back = _button("&Back")
        self.shared_back.clicked.connect(self._show_choices)
        form = QFormLayout()
        form.addRow("&Address:", self.address)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.shared_status)
        layout.addWidget(self.shared_error)
        layout.addStretch(1)
        layout.addLayout(_right_aligned(self.shared_back, self.connect_button))
        return page

    def _show_shared_page(self) -> None:
        self.pages.setCurrentIndex(2)
        self.address.setFocus()
        # The big button that led here took the default while it had the focus; Enter in
        # the address field is to test the address.
        self.connect_button.setDefault(True)

    def _address_changed(self) -> None:
        """A changed address is a new one: it is tested again before anything is kept."""
        self._tested = None
        self.connect_button.setText("&Test and connect")
        self.connect_button.setAccessibleName("Test and connect")
        self.shared_status.clear()

    def test_and_connect(self) -> None:
        self.shared_error.clear_error()
        if self._tested is not None:  # reached and empty; the person asked for one there
            self._finish(self._tested)
            return
        try:
            url = shared_database_url(self.address.text())
        except BadDatabaseAddress as exc:
            self.shared_error.show_error(str(exc))
            self.address.setFocus()
            return
        self.shared_status.setText("Testing the connection\u2026")
        self.connect_button.setEnabled(False)
        task = BackgroundTask(lambda _progress: _try_database(url), self)
        task.succeeded.connect(lambda found: self._tested_address(url, found))
        task.failed.connect(self._address_failed)
        self._task = task
        task.start()

    def _tested_address(self, url: str, found: tuple[bool, str]) -> None:
        self._task = None
        self.connect_button.setEnabled(True)
        if url != _address_or_none(self.address.text()):
            return  # edited while it was tested: that result is not for this address
        has_workspace, location = found
        route = StartRoute(StartChoice.SHARED, shared_database=url)
        if has_workspace:
            self._finish(route)
            return
        if self._settings.has_opened_workspace(location):
            self.shared_status.clear()
            self.shared_error.show_error(
                f"{location} is reachable but its workspace has gone. This computer had a "
                "workspace there before: it was moved or deleted. Nothing is created in its "
                "place; ask the database's administrator to restore it from backup."
            )
            return
        self._tested = route
        self.shared_status.setText(
            f"Reached {location}. It holds no bwv-review workspace yet: press Set up to make "
            "one there, and you become its first administrator."
        )
        self.connect_button.setText("&Set up a workspace there")
        self.connect_button.setAccessibleName("Set up a workspace there")
        self.connect_button.setFocus()

    def _address_failed(self, exc: BaseException) -> None:
        self._task = None
        self.connect_button.setEnabled(True)
        self.shared_status.clear()
        message = f"Could not connect, so nothing was kept: {exc}"
        if "password" in str(exc).lower():
            message += f". {PGPASS_ADVICE}"
        self.shared_error.show_error(message)
        self.address.setFocus()

    # --- moving about -------------------------------------------------------------------

    def _show_choices(self) -> None:
        self.pages.setCurrentIndex(0)
        self.demo_button.setFocus()

    def _building(self) -> bool:
        return self._task is not None and self._task.running and self.pages.currentIndex() == 1

    def reject(self) -> None:
        """Closing the window, or Escape on the choices: a demo build part-way is cancelled
        first, and the window closes once the build has stopped and removed itself."""
        if self._building():
            self._close_when_stopped = True
            self.cancel_demo()
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape steps back: it cancels a demo build or leaves the address page, and
        closes the window only from the choices."""
        if event.key() == Qt.Key.Key_Escape and self.pages.currentIndex() != 0:
            if self._building():
                self.cancel_demo()
            else:
                self._show_choices()
            event.accept()
            return
        super().keyPressEvent(event)


def _right_aligned(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def _address_or_none(text: str) -> str | None:
    try:
        return shared_database_url(text)
    except BadDatabaseAddress:
        return None


def _try_database(url: str) -> tuple[bool, str]:
    """Whether a workspace is at `url`, and the address as shown, from a real connection;
    DatabaseUnavailable when the server cannot be reached or refuses."""
    # Loaded only when an address is tested: the welcome window shows without the
    # database layer (see app.py).
    from bwv_review.services.workspace import NoWorkspace, Workspace

    try:
        workspace = Workspace.open(url)
    except NoWorkspace as missing:
        return False, missing.location
    location = workspace.db.location
    workspace.close()
    return True, location
