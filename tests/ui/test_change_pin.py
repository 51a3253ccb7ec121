"""Issue 11: a temporary PIN (set by an administrator) is replaced at sign-in, from the
keyboard, and anyone can change their own PIN given the current one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.app import sign_in_flow
from bwv_review.domain.vocab import Role
from bwv_review.services.errors import SignInRefused
from bwv_review.services.workspace import Workspace
from bwv_review.ui.sign_in import ChangePinDialog, SignInDialog

PIN = "975310"
TEMPORARY = "314159"
OWN = "271828"


@pytest.fixture
def sqlite_workspace(sqlite_url: str) -> Iterator[Workspace]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    ws.auth.create_user(admin, "bob", "Bob Reviewer", TEMPORARY, [Role.REVIEWER], purpose="test")
    yield ws
    ws.close()


def _type(qtbot: QtBot, text: str, then: Qt.Key = Qt.Key.Key_Tab) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, then)


def _drive(steps: list[tuple[type[QWidget], Callable[[QWidget], None]]]) -> list[str]:
    """Act in each modal dialog as it opens (they block in exec()); what was done."""
    done: list[str] = []

    def step() -> None:
        shown = QApplication.activeModalWidget()
        if shown is not None and steps and isinstance(shown, steps[0][0]) and shown.isVisible():
            kind, act = steps.pop(0)
            act(shown)
            done.append(kind.__name__)
        if steps:
            QTimer.singleShot(50, step)

    QTimer.singleShot(50, step)
    return done


def test_a_temporary_pin_is_replaced_by_the_persons_own_at_sign_in(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    seen: dict[str, str] = {}

    def sign_in(dialog: QWidget) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is getattr(dialog, "username", None))
        _type(qtbot, "bob")
        _type(qtbot, TEMPORARY, Qt.Key.Key_Return)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, ChangePinDialog)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.new_secret)
        _type(qtbot, TEMPORARY)  # keeping the temporary PIN is refused
        _type(qtbot, TEMPORARY, Qt.Key.Key_Return)
        seen["kept"] = dialog.error.text()
        assert QApplication.focusWidget() is dialog.new_secret
        _type(qtbot, OWN)
        _type(qtbot, OWN + "9", Qt.Key.Key_Return)
        seen["differ"] = dialog.error.text()
        _type(qtbot, OWN)
        _type(qtbot, OWN, Qt.Key.Key_Return)

    done = _drive([(SignInDialog, sign_in), (ChangePinDialog, choose)])
    window = sign_in_flow(sqlite_workspace)
    assert done == ["SignInDialog", "ChangePinDialog"]
    assert window is not None
    qtbot.addWidget(window)
    assert "different" in seen["kept"] and "differ" in seen["differ"]
    with pytest.raises(SignInRefused):
        sqlite_workspace.auth.sign_in("bob", TEMPORARY, purpose="test")
    bob = sqlite_workspace.auth.sign_in("bob", OWN, purpose="test")
    assert not sqlite_workspace.auth.pin_is_temporary(bob)


def test_a_pin_that_is_not_temporary_goes_straight_to_the_main_window(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    def sign_in(dialog: QWidget) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is getattr(dialog, "username", None))
        _type(qtbot, "alice")
        _type(qtbot, PIN, Qt.Key.Key_Return)

    done = _drive([(SignInDialog, sign_in)])
    window = sign_in_flow(sqlite_workspace)
    assert window is not None and done == ["SignInDialog"]
    qtbot.addWidget(window)


def test_changing_your_own_pin_asks_the_current_one(
    qtbot: QtBot, sqlite_workspace: Workspace
) -> None:
    alice = sqlite_workspace.auth.sign_in("alice", PIN, purpose="test")
    dialog = ChangePinDialog(sqlite_workspace.auth, alice)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.current)
    for text in ("000000", OWN):
        _type(qtbot, text)
    _type(qtbot, OWN, Qt.Key.Key_Return)
    assert "current PIN is not right" in dialog.error.text()
    assert dialog.error.text().startswith("\u26a0")
    assert QApplication.focusWidget() is dialog.current
    for text in (PIN, OWN):
        _type(qtbot, text)
    with qtbot.waitSignal(dialog.accepted):
        _type(qtbot, OWN, Qt.Key.Key_Return)
    assert sqlite_workspace.auth.sign_in("alice", OWN, purpose="test").username == "alice"
    assert all(
        edit.accessibleName() for edit in (dialog.current, dialog.new_secret, dialog.confirm)
    )
