"""An unexpected error writes a report with the versions support needs and tells the person,
in a dialog, that what they entered was already saved."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from bwv_review.app import install_crash_handler
from bwv_review.config import Paths


@pytest.mark.expected_log_warnings
def test_unhandled_error_writes_a_report_and_shows_a_dialog(
    qtbot: QtBot, app_home: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler(app_home)
    shown: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.append(box.text() + "\n" + box.informativeText())
        box.accept()

    QTimer.singleShot(0, close_dialog)
    try:
        raise ValueError("a bug in a review form")
    except ValueError:
        sys.excepthook(*sys.exc_info())

    reports = list(app_home.crash_dir.glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text()
    for expected in ("Python ", "Qt: 6.", "libvlc:", "ValueError: a bug in a review form"):
        assert expected in text
    assert reports[0].stat().st_mode & 0o077 == 0
    assert shown and "already saved" in shown[0] and str(reports[0]) in shown[0]
