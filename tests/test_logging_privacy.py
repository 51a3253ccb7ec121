"""Logs and crash reports hold no text people typed: a database that refuses a statement
carrying a person's name leaves the name in neither the log file nor the crash report
(nor the crash dialog), on SQLite and on PostgreSQL; every such file is 0600, rotated
logs included."""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bwv_review.app import install_crash_handler
from bwv_review.cli import run
from bwv_review.config import Paths
from bwv_review.domain.vocab import Role
from bwv_review.logging_setup import LOG_FILE_NAME, configure_logging
from bwv_review.services.workspace import Workspace

PIN = "246813"
PHRASE = "Zebra-Quokka-7731"


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most desktops run with: files are world-readable unless the app says not."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def refusing_workspace(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A workspace whose database refuses a second account with the same full name, which
    the app does not check itself: a real constraint violation whose statement carries it."""
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    monkeypatch.setenv("BWV_REVIEW_NEW_PIN", PIN)
    assert run(["--db", db_url, "init", "--admin", "alice", "--name", "Alice"]) == 0
    assert run(["--db", db_url, "--as", "alice", "users", "add", "bob", "--name", PHRASE,
                "--role", "reviewer"]) == 0  # fmt: skip
    workspace = Workspace.open(db_url)
    try:
        with workspace.db.transaction() as session:
            session.execute(text("CREATE UNIQUE INDEX one_per_name ON users (display_name)"))
    finally:
        workspace.close()
    return db_url


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.expected_log_warnings
def test_a_refused_statement_leaves_no_typed_text_in_logs_or_crash_reports(
    refusing_workspace: str,
    app_home: Paths,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    usual_umask: None,
) -> None:
    # The CLI's error path: an internal error, logged with its traceback.
    code = run(["--db", refusing_workspace, "--as", "alice", "users", "add", "carol",
                "--name", PHRASE, "--role", "reviewer"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "internal error: IntegrityError" in err and PHRASE not in err

    # The app's crash handler, given the same refusal raised by the service in-process.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler(app_home)
    details: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        details.append(box.detailedText())
        box.accept()

    workspace = Workspace.open(refusing_workspace)
    try:
        alice = workspace.auth.sign_in("alice", PIN, purpose="test")
        QTimer.singleShot(0, close_dialog)
        with pytest.raises(IntegrityError) as refused:
            workspace.auth.create_user(alice, "dave", PHRASE, PIN, [Role.REVIEWER], purpose="t")
        sys.excepthook(refused.type, refused.value, refused.tb)
    finally:
        workspace.close()
    assert details and "IntegrityError" in details[0] and PHRASE not in details[0]

    files = _files_under(app_home.log_dir)
    names = {p.name for p in files}
    assert LOG_FILE_NAME in names and any(n.startswith("crash-") for n in names), names
    log_text = (app_home.log_dir / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "IntegrityError" in log_text and "INSERT INTO users" in log_text  # still useful
    for path in files:
        assert PHRASE.encode() not in path.read_bytes(), f"{path} holds the typed name"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path} is readable by others"


def test_log_files_stay_private_across_a_rotation(app_home: Paths, usual_umask: None) -> None:
    log_path = configure_logging(app_home.log_dir)
    logger = logging.getLogger("bwv_review.test_rotation")
    logger.info("before the rotation")
    (handler,) = [
        h
        for h in logging.getLogger("bwv_review").handlers
        if getattr(h, "baseFilename", None) == str(log_path)
    ]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    logger.info("after the rotation")
    handler.flush()
    files = _files_under(app_home.log_dir)
    assert {p.name for p in files} == {LOG_FILE_NAME, f"{LOG_FILE_NAME}.1"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert "after the rotation" in log_path.read_text(encoding="utf-8")
