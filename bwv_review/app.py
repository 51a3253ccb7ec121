"""Builds the QApplication, the workspace and the main window; installs the crash handler.

This is the one place outside ui/ and media/ that imports Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from bwv_review.config import Paths, Settings, SettingsError
from bwv_review.crash import write_crash_report
from bwv_review.logging_setup import configure_logging, safe_exception_text
from bwv_review.services.audit import ensure_checkpoint_key
from bwv_review.services.errors import DatabaseUnavailable
from bwv_review.services.workspace import NoWorkspace, Workspace, remember_workspace
from bwv_review.ui.about import version_report
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sign_in import FirstAdminDialog, SignInDialog

log = logging.getLogger("bwv_review.app")

NO_DISPLAY_MESSAGE = (
    "bwv-review: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window "
    "cannot open; run it on the desktop, or use the headless commands: bwv-review --help"
)
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


def _open_workspace(db_url: str, paths: Paths) -> Workspace | None:
    """The workspace at `db_url`. Where none is, a machine that has never had one there
    gets a new one (the first-run window follows and creates its first administrator);
    one that has had a workspace there is told it has gone, and nothing is created."""
    try:
        try:
            workspace = Workspace.open(db_url)
        except NoWorkspace as missing:
            if _opened_here_before(paths, missing.location):
                raise
            log.info("first run at this location: creating the workspace")
            workspace = Workspace.create(db_url)
            # As `init` does: this machine signs the audit log's checkpoints.
            ensure_checkpoint_key(Settings(paths.settings_file), paths.default_audit_key_file)
    except NoWorkspace as exc:
        message = str(exc)
        QMessageBox.critical(
            None,
            "bwv-review: no workspace",
            f"{message[:1].upper()}{message[1:]}.\n\nThis computer had a workspace there "
            "before: it was moved or deleted. Nothing was created in its place.",
        )
        return None
    except DatabaseUnavailable as exc:
        QMessageBox.critical(
            None,
            "bwv-review: cannot open the database",
            f"The database could not be opened.\n\n{exc}\n\nNothing was changed.",
        )
        return None
    remember_workspace(paths, workspace)
    return workspace


def sign_in_flow(workspace: Workspace) -> MainWindow | None:
    """First run asks for the first administrator; otherwise the sign-in dialog.
    Returns the main window for the signed-in person, or None if they cancelled."""
    if not workspace.auth.has_users():
        first = FirstAdminDialog(workspace.auth)
        if first.exec() != QDialog.DialogCode.Accepted or first.actor is None:
            return None
        actor = first.actor
    else:
        dialog = SignInDialog(workspace.auth, workspace.location)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return None
        actor = dialog.actor
    return MainWindow(workspace, actor)


def run_gui(db_url: str, paths: Paths, argv: Sequence[str]) -> int:
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return EXIT_NO_DISPLAY
    configure_logging(paths.log_dir)
    QCoreApplication.setApplicationName("bwv-review")
    QCoreApplication.setOrganizationName("bwv-review")
    app = QApplication(list(argv))
    app.setApplicationDisplayName("bwv-review")
    install_crash_handler(paths)
    workspace = _open_workspace(db_url, paths)
    if workspace is None:
        return EXIT_DB_UNAVAILABLE
    try:
        # Signing out returns to the sign-in dialog; closing the window ends the app.
        while (window := sign_in_flow(workspace)) is not None:
            window.show()
            status = app.exec()
            if not window.signed_out:
                return status
        return 0
    finally:
        workspace.close()
