"""Sign-in and first-run dialogs driven by keyboard, against a real SQLite workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.services.workspace import Workspace
from bwv_review.ui.sign_in import FirstAdminDialog, SignInDialog

PIN = "975310"


@pytest.fixture
def sqlite_workspace(sqlite_url: str) -> Iterator[Workspace]:
    ws = Workspace.create(sqlite_url)
    yield ws
    ws.close()


def _type_and_tab(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_first_admin_is_created_from_the_keyboard(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    dialog = FirstAdminDialog(sqlite_workspace.auth, sqlite_workspace.panel)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.panel_name)
    for text in ("North Panel", "Avon", "chair1", "Pat Chair", PIN, PIN):
        _type_and_tab(qtbot, text)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "chair1"
    assert sqlite_workspace.auth.has_users()
    panel = sqlite_workspace.panel.current()
    assert (panel.panel_name, panel.force, panel.demo) == (
        "North Panel",
        "avon-and-somerset",
        False,
    )


def test_mismatched_pins_are_explained_and_nothing_is_created(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    dialog = FirstAdminDialog(sqlite_workspace.auth, sqlite_workspace.panel)
    qtbot.addWidget(dialog)
    dialog.panel_name.setText("North Panel")
    dialog.force.setCurrentIndex(dialog.force.findData("dorset"))
    dialog.username.setText("chair1")
    dialog.secret.setText(PIN)
    dialog.confirm.setText(PIN + "0")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isHidden()
    assert dialog.error.text().startswith("\u26a0")  # a sign as well as colour
    assert "differ" in dialog.error.text()
    assert not sqlite_workspace.auth.has_users()


def test_wrong_pin_keeps_the_name_clears_the_pin_and_says_why(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    sqlite_workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    dialog = SignInDialog(sqlite_workspace.auth, sqlite_workspace.location)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.username.setText("alice")
    dialog.secret.setText("111111")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.actor is None
    assert "not right" in dialog.error.text()
    assert dialog.username.text() == "alice" and dialog.secret.text() == ""

    dialog.secret.setText(PIN)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "alice"


def test_every_control_has_an_accessible_name(qtbot: QtBot, sqlite_workspace: Workspace) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    for dialog in (
        SignInDialog(sqlite_workspace.auth, sqlite_workspace.location),
        FirstAdminDialog(sqlite_workspace.auth, sqlite_workspace.panel),
    ):
        qtbot.addWidget(dialog)
        controls = dialog.findChildren(QLineEdit) + dialog.findChildren(QAbstractButton)
        assert controls
        assert all(control.accessibleName() for control in controls)


def test_after_a_wrong_pin_the_fields_keep_their_size_and_the_whole_message_shows(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    """The dialog kept its height when the error appeared: the fields were squashed and the
    message's second line cut off."""
    sqlite_workspace.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    dialog = SignInDialog(sqlite_workspace.auth, sqlite_workspace.location)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)
    fields = (dialog.username, dialog.secret)
    heights = [field.height() for field in fields]
    _type_and_tab(qtbot, "alice")
    qtbot.keyClicks(dialog.secret, "111111")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible)
    qtbot.wait(50)  # the layout settles
    error = dialog.error
    assert [field.height() for field in fields] == heights
    assert all(field.height() >= field.sizeHint().height() for field in fields)
    assert error.height() >= error.heightForWidth(error.width())  # every line of it
    assert error.geometry().bottom() <= dialog.rect().bottom()
