"""Builds the QApplication, the workspace and the main window; installs the crash handler.

This is the one place outside ui/ and media/ that imports Qt.

The first window a person sees (sign-in, or the welcome window) is shown before the
database layer and the services load: a SQLite workspace is looked at with the standard
library (store.quick_look) to choose the window, the sign-in window opens the workspace
behind itself while the person types, and the main window's modules are imported then too.
Anything unusual about the file takes the full path first, which explains it as before.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog

from bwv_review.config import HOME_ENV_VAR, Paths, Settings, SettingsError, StartChoice, StartRoute
from bwv_review.demo.accounts import DEMO_ACCOUNTS
from bwv_review.logging_setup import configure_logging, safe_exception_text
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.store.errors import NoWorkspace
from bwv_review.store.quick_look import WorkspaceLook, look_at, plain_sqlite_path
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.display import start_display
from bwv_review.ui.sign_in import ChangePinDialog, FirstAdminDialog, SignInDialog

if TYPE_CHECKING:
    from bwv_review.services.auth import AuthService
    from bwv_review.services.workspace import Workspace
    from bwv_review.ui.main_window import MainWindow

log = logging.getLogger("bwv_review.app")

NO_DISPLAY_MESSAGE = (
    "bwv-review: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window "
    "cannot open; run it on the desktop, or use the headless commands: bwv-review --help "
    "(`bwv-review demo` builds a demonstration workspace to try them on)"
)
EXIT_OK = 0
EXIT_NO_DISPLAY = 2
EXIT_DB_UNAVAILABLE = 3


def has_display() -> bool:
    """Qt aborts with a long message when no display can be reached; say it in one line."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def install_crash_handler(paths: Paths) -> None:
    def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        # Read when a report is written, since finding libvlc loads it (RSS and start-up
        # time) and a run that never crashes has no use for its version, nor for the
        # report writer (it loads the platform module).
        from bwv_review.crash import write_crash_report
        from bwv_review.ui.about import version_report

        report = write_crash_report(paths.crash_dir, exc, version_report())
        sys.stderr.write(f"bwv-review: unexpected error; report written to {report}\n")
        if QApplication.instance() is not None:
            show_crash_dialog(report, exc)

    sys.excepthook = handle


def show_crash_dialog(report: Path, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox  # see _refused

    box = QMessageBox(QMessageBox.Icon.Critical, "bwv-review: unexpected error", "")
    box.setText(
        "Something went wrong inside bwv-review. Everything you had entered before this "
        "message was already saved."
    )
    box.setInformativeText(
        f"A report for the support contact was written to:\n{report}\n\n"
        "It contains no names and no footage."
    )
    box.setDetailedText(safe_exception_text(exc))
    box.setAccessibleName("Unexpected error")
    box.exec()


def _opened_here_before(paths: Paths, location: str) -> bool:
    """Whether this machine's settings say a workspace was at `location`; unreadable
    settings count as yes, because a lost workspace must never pass for a first run."""
    try:
        return Settings(paths.settings_file).has_opened_workspace(location)
    except SettingsError as exc:
        log.warning("settings unreadable, so not treated as a first run: %s", exc)
        return True


def _remembered_route(paths: Paths) -> StartRoute | None:
    """The welcome window's choice on this machine. Unreadable settings remember none;
    then a missing workspace counts as one this machine had (_opened_here_before)."""
    try:
        return Settings(paths.settings_file).start_route()
    except SettingsError as exc:
        log.warning("settings unreadable, so no remembered start: %s", exc)
        return None


@dataclass(frozen=True)
class Start:
    """Where this run opens: a database, and the folders whose settings go with it (the
    demo's own, for the demo workspace)."""

    db_url: str
    paths: Paths
    demo_home: Path | None = None


def _start_for(route: StartRoute | None, named: Start) -> Start:
    if route is None or route.choice is StartChoice.NEW:
        return named
    if route.choice is StartChoice.DEMO:
        assert route.demo_home is not None  # StartRoute keeps them together
        demo = Paths.under(route.demo_home)
        return Start(f"sqlite:///{demo.default_db_file}", demo, route.demo_home)
    assert route.shared_database is not None
    return Start(route.shared_database, named.paths)


def _location(db_url: str) -> str:
    """The address as the welcome window shows it: a file's path, or the server without
    a password."""
    path = plain_sqlite_path(db_url)
    if path is not None:
        return str(path)
    from bwv_review.store.db import describe_url, sqlite_file  # an address only it can read

    return str(sqlite_file(db_url) or describe_url(db_url))


class SignInBehind:
    """A workspace a quick look found set up, with accounts and at this version's schema:
    the sign-in window shows at once and this opens the workspace behind it (SQLAlchemy
    and the services, a second or so), standing in for AuthService in the window. It is
    opened when the window has shown, or at the first sign-in, whichever comes first."""

    def __init__(self, start: Start, look: WorkspaceLook) -> None:
        self.start = start
        self.demo = look.demo
        self.problem: DatabaseUnavailable | None = None
        self._workspace: Workspace | None = None

    @property
    def location(self) -> str:
        # What Database.url_for_display renders for a plain sqlite:/// address.
        return self.start.db_url

    @property
    def opened(self) -> bool:
        return self._workspace is not None

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from bwv_review.services.workspace import Workspace  # behind the window

            self._workspace = Workspace.open(self.start.db_url)
            # Noted as soon as it opens, as the full path does, signed in or not.
            _remembered_here(self.start.paths, self._workspace)
        return self._workspace

    def sign_in(self, username: str, secret: str, *, purpose: str) -> Actor:
        return self.workspace().auth.sign_in(username, secret, purpose=purpose)

    def close(self) -> None:
        """Close the workspace if it was opened (the person cancelled sign-in)."""
        if self._workspace is not None:
            self._workspace.close()

    def open_behind(self, dialog: QDialog) -> None:
        """Load the modules on a worker thread, then open the workspace on this one (its
        connections belong to the GUI thread); a database that cannot be opened after all
        closes the window, and the app says why as it would have before showing it."""
        task = BackgroundTask(lambda _progress: _import_the_rest(), dialog)

        def opened(_result: Any) -> None:
            try:
                self.workspace()
            except DatabaseUnavailable as exc:
                self.problem = exc
                dialog.reject()

        task.succeeded.connect(opened)
        task.failed.connect(lambda _exc: opened(None))  # opening again raises it here
        task.start_once_painted(dialog)


def _import_the_rest() -> None:
    """What the app needs once someone has signed in, imported while they type."""
    import bwv_review.services.workspace
    import bwv_review.ui.main_window  # noqa: F401


def _opened(db_url: str) -> Workspace:
    """Workspace.open, but a plain SQLite address whose file is missing is told so without
    loading the database layer (the welcome window is shown next), in Workspace.open's words."""
    path = plain_sqlite_path(db_url)
    if path is not None and not path.exists():
        raise NoWorkspace(str(path))
    from bwv_review.services.workspace import Workspace  # see the module's docstring

    return Workspace.open(db_url)


def _looked_at(start: Start) -> SignInBehind | None:
    path = plain_sqlite_path(start.db_url)
    look = look_at(path) if path is not None else None
    return SignInBehind(start, look) if look is not None and look.has_users else None


def _refused(exc: DatabaseUnavailable) -> int:
    """The app's words for a workspace it cannot open, and its exit status."""
    # Imported here, as the welcome window is: a Qt class's first import builds its type
    # and enums, and the first window must not wait for ones it does not use.
    from PySide6.QtWidgets import QMessageBox

    if isinstance(exc, NoWorkspace):
        message = str(exc)
        QMessageBox.critical(
            None,
            "bwv-review: no workspace",
            f"{message[:1].upper()}{message[1:]}.\n\nThis computer had a workspace there "
            "before: it was moved or deleted. Nothing was created in its place.",
        )
    else:
        QMessageBox.critical(
            None,
            "bwv-review: cannot open the database",
            f"The database could not be opened.\n\n{exc}\n\nNothing was changed.",
        )
    return EXIT_DB_UNAVAILABLE


def _open_workspace(
    db_url: str, paths: Paths, *, db_named: bool = False, behind: bool = False
) -> Workspace | SignInBehind | int:
    """The workspace this run works in, or the exit status when there is none (told why).
    With `behind`, a SQLite workspace found set up with accounts is handed back unopened,
    as a SignInBehind, for the sign-in window to open behind itself.

    With no workspace where the app looks, a machine that had one there is told it has
    gone and nothing is created. Otherwise the welcome window asks how to begin, unless
    this machine chose before; a choice is remembered, and a database named with --db or
    BWV_REVIEW_DB wins over it. The demo's choice runs the app in the demo's folder."""
    machine = Start(db_url, paths)
    remembered = _remembered_route(paths)
    start = _start_for(None if db_named else remembered, machine)
    # Nothing chosen yet, or the demo's folder was removed: the welcome window asks.
    may_ask = remembered is None or start.demo_home is not None
    opened: Workspace | SignInBehind
    try:
        while True:
            try:
                opened = (_looked_at(start) if behind else None) or _opened(start.db_url)
                break
            except NoWorkspace as missing:
                if _opened_here_before(start.paths, missing.location):
                    raise
                if not may_ask:
                    opened = _created(start)
                    break
            route = _welcome(paths, _location(db_url))
            if route is None:
                return EXIT_OK  # the person chose to quit
            _remember(paths, route)
            start = _start_for(route, machine)
            may_ask = False
    except DatabaseUnavailable as exc:
        return _refused(exc)
    if start.demo_home is not None:
        # As if started with BWV_REVIEW_HOME set to the demo's folder: every screen reads
        # the demo's settings (its footage root) through Paths.for_this_machine().
        os.environ[HOME_ENV_VAR] = str(start.demo_home)
    if not isinstance(opened, SignInBehind):
        _remembered_here(start.paths, opened)
    return opened


def _remembered_here(paths: Paths, workspace: Workspace) -> None:
    from bwv_review.services.workspace import remember_workspace  # loaded with the workspace

    remember_workspace(paths, workspace)


def _welcome(paths: Paths, new_location: str) -> StartRoute | None:
    from bwv_review.ui.welcome import WelcomeWindow  # see _refused; not before sign-in

    window = WelcomeWindow(paths, Settings(paths.settings_file), new_location)
    if window.exec() != QDialog.DialogCode.Accepted:
        return None
    return window.route


def _remember(paths: Paths, route: StartRoute) -> None:
    """Not being able to note the choice must not stop the app: it is asked again."""
    try:
        Settings(paths.settings_file).remember_start_route(route)
    except (SettingsError, OSError) as exc:
        log.warning("could not note the choice in the settings: %s", exc)


def _created(start: Start) -> Workspace:
    """A new workspace where this machine never had one, with the audit checkpoint key
    `init` makes too; its first administrator is asked for next. The demo's is made by
    its builder alone, so a demo that did not build is never stood in for by an empty one."""
    if start.demo_home is not None:
        raise DatabaseUnavailable(f"the demonstration workspace is not in {start.demo_home}")
    log.info("first run at this location: creating the workspace")
    # The welcome window has shown; now the services are needed.
    from bwv_review.services.audit import ensure_checkpoint_key
    from bwv_review.services.workspace import Workspace

    workspace = Workspace.create(start.db_url)
    # As `init` does: this machine signs the audit log's checkpoints.
    ensure_checkpoint_key(Settings(start.paths.settings_file), start.paths.default_audit_key_file)
    return workspace


def sign_in_flow(workspace: Workspace) -> MainWindow | None:
    """First run asks for the panel and its first administrator; otherwise the sign-in
    dialog, which on a demo workspace lists the demo accounts and their PINs. Returns the
    main window for the signed-in person, or None if they cancelled."""
    if not workspace.auth.has_users():
        first = FirstAdminDialog(workspace.auth, workspace.panel)
        if first.exec() != QDialog.DialogCode.Accepted or first.actor is None:
            return None
        actor = first.actor
    else:
        demo = workspace.panel.current().demo
        signed_in = _signed_in(workspace.auth, workspace.location, demo=demo)
        if signed_in is None:
            return None
        actor = signed_in
    return _main_window(workspace, actor)


def _main_window(workspace: Workspace, actor: Actor) -> MainWindow:
    from bwv_review.ui.main_window import MainWindow  # imported behind the sign-in window

    return MainWindow(workspace, actor)


def _signed_in(
    auth: SignInBehind | AuthService, location: str, *, demo: bool, behind: bool = False
) -> Actor | None:
    """The sign-in dialog until someone signs in (or cancels). Someone whose PIN is
    temporary chooses their own before going on; cancelling that returns to sign-in.
    `behind`: `auth` is a SignInBehind to open while the first dialog shows."""
    demo_accounts = DEMO_ACCOUNTS if demo else ()
    while True:
        dialog = SignInDialog(auth, location, demo_accounts=demo_accounts)
        if behind:
            assert isinstance(auth, SignInBehind)
            auth.open_behind(dialog)
            behind = False
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return None
        accounts = auth.workspace().auth if isinstance(auth, SignInBehind) else auth
        if not accounts.pin_is_temporary(dialog.actor):
            return dialog.actor
        change = ChangePinDialog(accounts, dialog.actor, current=dialog.secret.text())
        if change.exec() == QDialog.DialogCode.Accepted:
            return dialog.actor


def _first_sign_in(behind: SignInBehind) -> MainWindow | int | None:
    """sign_in_flow for a workspace opened behind its sign-in window: the main window, an
    exit status when the workspace could not be opened after all, or None (cancelled)."""
    actor = _signed_in(behind, behind.location, demo=behind.demo, behind=True)
    if behind.problem is not None:
        return _refused(behind.problem)
    if actor is None:
        return None
    return _main_window(behind.workspace(), actor)


def run_gui(db_url: str, paths: Paths, argv: Sequence[str], *, db_named: bool = False) -> int:
    """`db_named`: the database was named with --db or BWV_REVIEW_DB, so it wins over the
    welcome window's remembered choice."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return EXIT_NO_DISPLAY
    configure_logging(paths.log_dir)
    QCoreApplication.setApplicationName("bwv-review")
    QCoreApplication.setOrganizationName("bwv-review")
    app = QApplication(list(argv))
    app.setApplicationDisplayName("bwv-review")
    install_crash_handler(paths)
    start_display(app, paths.settings_file)  # large text is needed before signing in too
    opened = _open_workspace(db_url, paths, db_named=db_named, behind=True)
    if isinstance(opened, int):
        return opened
    window: MainWindow | int | None
    if isinstance(opened, SignInBehind):
        window = _first_sign_in(opened)
        if isinstance(window, int):
            return window
        if window is None:
            opened.close()
            return EXIT_OK
        workspace = opened.workspace()
    else:
        workspace = opened
        window = None
    try:
        # Signing out returns to the sign-in dialog; closing the window ends the app.
        while window is not None or (window := sign_in_flow(workspace)) is not None:
            window.show()
            status = app.exec()
            if not window.signed_out:
                return status
            window = None
        return EXIT_OK
    finally:
        workspace.close()
