"""Issue 11: File > Accounts, driven by keyboard on a real workspace; what it did is read
back through the services."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.accounts_screen import AccountsDialog, PersonDialog
from bwv_review.ui.main_window import MainWindow

PIN = "975310"


@pytest.fixture
def admin_workspace(sqlite_url: str) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice Admin", PIN, purpose="test")
    yield ws, admin
    ws.close()


def _when_open(qtbot: QtBot, act: Callable[[PersonDialog], None]) -> list[bool]:
    """Act in the form the screen opens modally (it blocks in exec())."""
    done: list[bool] = []

    def step() -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, PersonDialog) and shown.isVisible():
            act(shown)
            done.append(True)
        else:
            QTimer.singleShot(50, step)

    QTimer.singleShot(50, step)
    return done


def _screen(qtbot: QtBot, ws: Workspace, admin: Actor) -> AccountsDialog:
    screen = AccountsDialog(ws, admin)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.table)
    return screen


def _type(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_an_administrator_adds_a_person_with_a_temporary_pin_by_keyboard(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    ws, admin = admin_workspace
    screen = _screen(qtbot, ws, admin)
    given: dict[str, str] = {}

    def fill(form: PersonDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is form.full_name)
        _type(qtbot, "Kim Keys")
        _type(qtbot, "alice")  # taken: the refusal is shown and the form kept
        qtbot.keyClick(form.roles[Role.CHAIR], Qt.Key.Key_Space)
        given["pin"] = form.pin.text()
        qtbot.keyClick(form.pin, Qt.Key.Key_Return)
        given["refused"] = form.error.text()
        assert form.full_name.text() == "Kim Keys" and form.isVisible()
        form.username.selectAll()
        qtbot.keyClicks(form.username, "kim")
        qtbot.keyClick(form.username, Qt.Key.Key_Return)

    done = _when_open(qtbot, fill)
    qtbot.keyClick(screen.add_button, Qt.Key.Key_Space)
    assert done and "already an account" in given["refused"]
    assert given["pin"].isdigit() and len(given["pin"]) >= 8
    assert given["pin"] in screen.message.text() and "only now" in screen.message.text()
    people = {u.username: u for u in ws.users.list_users(admin)}
    assert people["kim"].display_name == "Kim Keys"
    assert set(people["kim"].roles) == {"chair", "reviewer"} and people["kim"].pin_is_temporary
    kim = ws.auth.sign_in("kim", given["pin"], purpose="test")
    assert ws.auth.pin_is_temporary(kim)
    row = screen.table.currentRow()
    assert screen.table.item(row, 1).text() == "kim"
    assert "temporary PIN" in screen.table.item(row, 3).text()


def test_the_form_offers_the_auditor_role_and_adds_a_data_protection_officer(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    ws, admin = admin_workspace
    screen = _screen(qtbot, ws, admin)
    offered: list[str] = []
    widths: list[int] = []

    def fill(form: PersonDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is form.full_name)
        offered.extend(box.text() for box in form.roles.values())
        widths.append(form.sizeHint().width())
        _type(qtbot, "Dee Officer")
        _type(qtbot, "dpo")
        qtbot.keyClick(form.roles[Role.REVIEWER], Qt.Key.Key_Space)  # ticked by default
        qtbot.keyClick(form.roles[Role.AUDITOR], Qt.Key.Key_Space)
        qtbot.keyClick(form.pin, Qt.Key.Key_Return)

    done = _when_open(qtbot, fill)
    qtbot.keyClick(screen.add_button, Qt.Key.Key_Space)
    assert done and "Auditor (data protection)" in offered
    assert widths[0] <= 1280
    people = {u.username: u for u in ws.users.list_users(admin)}
    assert people["dpo"].roles == ("auditor",)


def test_roles_disable_and_reset_and_the_last_administrator_is_kept(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    ws, admin = admin_workspace
    ws.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test", temporary=False)
    screen = _screen(qtbot, ws, admin)
    assert [screen.table.item(r, 1).text() for r in range(screen.table.rowCount())] == [
        "alice",
        "bob",
    ]
    qtbot.keyClick(screen.table, Qt.Key.Key_Home)
    qtbot.keyClick(screen.active_button, Qt.Key.Key_Space)  # alice: the last administrator
    assert "last active administrator" in screen.error.text()
    assert screen.error.text().startswith("\u26a0")
    assert all(u.active for u in ws.users.list_users(admin))

    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    assert screen.selected() is not None and screen.selected().username == "bob"

    def roles(form: PersonDialog) -> None:
        qtbot.keyClick(form.roles[Role.TRAINING_LEAD], Qt.Key.Key_Space)
        qtbot.keyClick(form.ok_button, Qt.Key.Key_Space)

    done = _when_open(qtbot, roles)
    qtbot.keyClick(screen.roles_button, Qt.Key.Key_Space)
    assert done
    qtbot.keyClick(screen.active_button, Qt.Key.Key_Space)
    qtbot.keyClick(screen.reset_button, Qt.Key.Key_Space)
    bob = {u.username: u for u in ws.users.list_users(admin)}["bob"]
    assert set(bob.roles) == {"reviewer", "training_lead"}
    assert not bob.active and bob.pin_is_temporary
    assert screen.active_button.text() == "&Enable"
    found = re.search(r"temporary PIN for Bob: (\d+)\.", screen.message.text())
    assert found is not None, screen.message.text()
    qtbot.keyClick(screen.active_button, Qt.Key.Key_Space)
    assert {u.username: u for u in ws.users.list_users(admin)}["bob"].active
    bob_again = ws.auth.sign_in("bob", found.group(1), purpose="test")
    assert ws.auth.pin_is_temporary(bob_again)


def test_the_file_menu_offers_accounts_to_administrators_only(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    ws, admin = admin_workspace
    bob = ws.auth.create_user(admin, "bob", "Bob", PIN, [Role.CHAIR], purpose="test")
    for actor, expected in ((admin, True), (bob, False)):
        window = MainWindow(ws, actor)
        qtbot.addWidget(window)
        assert hasattr(window, "accounts_action") is expected
        assert window.change_pin_action.text() == "&Change my PIN\u2026"


def test_every_control_is_named_tab_leaves_the_table_and_it_fits_a_laptop(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    ws, admin = admin_workspace
    screen = _screen(qtbot, ws, admin)
    form = PersonDialog(lambda _form: None, screen)
    qtbot.addWidget(form)
    for widget in (screen, form):
        controls: list[QWidget] = [
            *(b for b in widget.findChildren(QAbstractButton) if b.isEnabled()),
            *widget.findChildren(QLineEdit),
        ]
        assert all(control.accessibleName() for control in controls)
    texts = [b.text() for b in screen.findChildren(QAbstractButton) if b.window() is screen]
    texts += [label.text() for label in screen.findChildren(QLabel) if label.window() is screen]
    keys = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(set(keys)), texts  # each Alt letter reaches one control
    qtbot.keyClick(screen.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not screen.table
    seen = set()
    for _ in range(8):
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.add(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert screen.table in seen or QApplication.focusWidget() is screen.table  # Tab comes round
    hint = screen.sizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800
    assert screen.width() <= 1280 and screen.height() <= 800


def test_a_screen_reader_hears_the_temporary_pin_it_gives(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    """Qt reads a label's name, not its words, once it has a name of its own: the result
    line, named "Result", said only that, and a blind administrator never heard the PIN."""
    ws, admin = admin_workspace
    ws.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    screen = _screen(qtbot, ws, admin)
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    qtbot.keyClick(screen.reset_button, Qt.Key.Key_Space)
    heard = QAccessible.queryAccessibleInterface(screen.message)
    assert heard is not None
    said = heard.text(QAccessible.Text.Name) + " " + heard.text(QAccessible.Text.Description)
    found = re.search(r"temporary PIN for Bob: (\d+)\.", said)
    assert found is not None, said
    ws.auth.sign_in("bob", found.group(1), purpose="test")


def test_the_table_refilled_on_screen_reaches_its_right_edge(
    qtbot: QtBot, admin_workspace: tuple[Workspace, Actor]
) -> None:
    """After a change the table is filled again, and its columns were narrowed to their
    contents with a band of empty header beside them (the walk's screenshot)."""
    ws, admin = admin_workspace
    screen = _screen(qtbot, ws, admin)
    ws.auth.create_user(admin, "bob", "Bob", PIN, [Role.REVIEWER], purpose="test")
    screen.refresh(select="bob")
    header = screen.table.horizontalHeader()
    assert header.length() >= screen.table.viewport().width()
    assert screen.table.rowCount() == 2
