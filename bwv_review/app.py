"""Builds the QApplication, the workspace and the main window; installs the crash handler.

This is the one place outside ui/ and media/ that imports Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from bwv_review.config import HOME_ENV_VAR, Paths, Settings, SettingsError, StartChoice, StartRoute
from bwv_review.crash import write_crash_report
from bwv_review.demo import DEMO_ACCOUNTS
from bwv_review.logging_setup import configure_logging, safe_exception_text
from bwv_review.services.actor import Actor
from bwv_review.services.audit import ensure_checkpoint_key
from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.services.workspace import NoWorkspace, Workspace, remember_workspace
from bwv_review.store.db import describe_url, sqlite_file
from bwv_review.ui.about import version_report
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sign_in import ChangePinDialog, FirstAdminDialog, SignInDialog
from bwv_review.ui.welcome import WelcomeWindow

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
    versions = version_report()

    def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        report = write_crash_report(paths.crash_dir, exc, versions)
        sys.stderr.write(f"bwv-review: unexpected error; report written to {report}\n")
        if QApplication.instance() is not None:
            show_crash_dialog(report, exc)

    sys.excepthook = handle


def show_crash_dialog(report: Path, exc: BaseException) -> None:
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
    return str(sqlite_file(db_url) or describe_url(db_url))


def _open_workspace(db_url: str, paths: Paths, *, db_named: bool = False) -> Workspace | int:
    """The workspace this run works in, or the exit status when there is none (told why).

    With no workspace where the app looks, a machine that had one there is told it has
    gone and nothing is created. Otherwise the welcome window asks how to begin, unless
    this machine chose before; a choice is remembered, and a database named with --db or
    BWV_REVIEW_DB wins over it. The demo's choice runs the app in the demo's folder."""
    machine = Start(db_url, paths)
    remembered = _remembered_route(paths)
    start = _start_for(None if db_named else remembered, machine)
    # Nothing chosen yet, or the demo's folder was removed: the welcome window asks.
    may_ask = remembered is None or start.demo_home is not None
    try:
        while True:
            try:
                workspace = Workspace.open(start.db_url)
                break
            except NoWorkspace as missing:
                if _opened_here_before(start.paths, missing.location):
                    raise
                if not may_ask:
                    workspace = _created(start)
                    break
            route = _welcome(paths, _location(db_url))
            if route is None:
                return EXIT_OK  # the person chose to quit
            _remember(paths, route)
            start = _start_for(route, machine)
            may_ask = False
    except NoWorkspace as exc:
        message = str(exc)
        QMessageBox.critical(
            None,
            "bwv-review: no workspace",
            f"{message[:1].upper()}{message[1:]}.\n\nThis computer had a workspace there "
            "before: it was moved or deleted. Nothing was created in its place.",
        )
        return EXIT_DB_UNAVAILABLE
    except DatabaseUnavailable as exc:
        QMessageBox.critical(
            None,
            "bwv-review: cannot open the database",
            f"The database could not be opened.\n\n{exc}\n\nNothing was changed.",
        )
        return EXIT_DB_UNAVAILABLE
    if start.demo_home is not None:
        # As if started with BWV_REVIEW_HOME set to the demo's folder: every screen reads
        # the demo's settings (its footage root) through Paths.for_this_machine().
        os.environ[HOME_ENV_VAR] = str(start.demo_home)
    remember_workspace(start.paths, workspace)
    return workspace


def _welcome(paths: Paths, new_location: str) -> StartRoute | None:
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
        signed_in = _signed_in(workspace)
        if signed_in is None:
            return None
        actor = signed_in
    return MainWindow(workspace, actor)


def _signed_in(workspace: Workspace) -> Actor | None:
    """The sign-in dialog until someone signs in (or cancels). Someone whose PIN is
    temporary chooses their own before going on; cancelling that returns to sign-in."""
    demo_accounts = DEMO_ACCOUNTS if workspace.panel.current().demo else ()
    while True:
        dialog = SignInDialog(workspace.auth, workspace.location, demo_accounts=demo_accounts)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return None
        if not workspace.auth.pin_is_temporary(dialog.actor):
            return dialog.actor
        change = ChangePinDialog(workspace.auth, dialog.actor, current=dialog.secret.text())
        if change.exec() == QDialog.DialogCode.Accepted:
            return dialog.actor


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
    workspace = _open_workspace(db_url, paths, db_named=db_named)
    if isinstance(workspace, int):
        return workspace
    try:
        # Signing out returns to the sign-in dialog; closing the window ends the app.
        while (window := sign_in_flow(workspace)) is not None:
            window.show()
            status = app.exec()
            if not window.signed_out:
                return status
        return EXIT_OK
    finally:
        workspace.close()
