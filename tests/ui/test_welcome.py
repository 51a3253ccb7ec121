"""The welcome window's three ways in, driven by keyboard against real databases (a SQLite
file, the test PostgreSQL server, the real demo builder), and the app's rule for when it
shows: only while this machine has no workspace and has chosen nothing yet."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from bwv_review import app
from bwv_review.config import (
    HOME_ENV_VAR,
    BadDatabaseAddress,
    Paths,
    Settings,
    StartChoice,
    StartRoute,
    shared_database_url,
)
from bwv_review.demo import DEMO_ACCOUNTS
from bwv_review.services.workspace import Workspace
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sign_in import SignInDialog
from bwv_review.ui.welcome import WelcomeWindow
from tests.conftest import BuiltDemo
from tests.media.fixtures import clip_paths
from tests.services.review_fixtures import PURPOSE, Panel
from tests.ui.test_review_screen import _registered_panel, open_case_with_footage, show_window

__all__ = ["clip_paths"]
UNREACHABLE = "postgresql://panel@127.0.0.1:1/bwv"


def welcome(qtbot: QtBot, paths: Paths, new_location: str = "/tmp/new.sqlite3") -> WelcomeWindow:
    window = WelcomeWindow(paths, Settings(paths.settings_file), new_location)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.demo_button)
    return window


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """An underlined letter; the button's click comes after its 100 ms press animation."""
    qtbot.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(200)


def type_address(qtbot: QtBot, window: WelcomeWindow, address: str) -> None:
    alt(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: focused() is window.address)
    qtbot.keyClicks(window.address, address)
    qtbot.keyClick(window.address, Qt.Key.Key_Return)


@pytest.fixture
def message_boxes(qtbot: QtBot) -> Iterator[list[str]]:
    """Any message box the app opens is read and closed, so a test that meets one fails
    with its words instead of waiting on it for ever."""
    seen: list[str] = []

    def close_boxes() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(f"{widget.windowTitle()}: {widget.text()}")
                widget.done(0)

    timer = QTimer(interval=100)
    timer.timeout.connect(close_boxes)
    timer.start()
    yield seen
    timer.stop()


WhenShown = Callable[[type[QDialog], Callable[[QDialog], None]], list[QDialog]]


@pytest.fixture
def when_shown() -> Iterator[WhenShown]:
    """when_shown(kind, act): once a window of `kind` is open and has the keyboard, act on
    it (the app opens it with exec(), whose own event loop runs the polling timer). The
    list it returns says whether it was shown. If acting fails the window is rejected, so
    the test fails instead of waiting; polling ends with the test."""
    stopped = False

    def start(kind: type[QDialog], act: Callable[[QDialog], None]) -> list[QDialog]:
        shown: list[QDialog] = []

        def poll() -> None:
            if stopped:
                return
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, kind) and widget.isVisible() and widget not in shown:
                    if not widget.isActiveWindow() or QApplication.focusWidget() is None:
                        widget.activateWindow()
                        break
                    shown.append(widget)
                    try:
                        act(widget)
                    except BaseException:
                        widget.reject()
                        raise
                    return
            QTimer.singleShot(50, poll)

        QTimer.singleShot(0, poll)
        return shown

    yield start
    stopped = True


# --- the address of a shared database ---------------------------------------------------


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("postgresql://panel:s3cret@db.example.org/bwv", "~/.pgpass"),
        ("postgresql://panel@db.example.org/bwv?password=s3cret", "~/.pgpass"),
        ("sqlite:///panel.sqlite3", "not a PostgreSQL address"),
        ("postgresql://panel@db.example.org", "names no database"),
        ("", "Type the database's address"),
    ],
)
def test_an_address_that_cannot_be_kept_is_refused_saying_why(address: str, why: str) -> None:
    with pytest.raises(BadDatabaseAddress, match=why.replace("?", r"\?")):
        shared_database_url(address)
    with pytest.raises(ValueError, match=why):
        StartRoute(StartChoice.SHARED, shared_database=address)


def test_a_typed_address_gets_the_driver_and_keeps_the_rest() -> None:
    assert shared_database_url(" postgres://panel@db:5433/bwv ") == (
        "postgresql+psycopg://panel@db:5433/bwv"
    )
    assert shared_database_url("postgresql:///bwv?host=/run/postgresql") == (
        "postgresql+psycopg:///bwv?host=/run/postgresql"
    )


def test_an_address_with_a_password_is_refused_and_nothing_is_kept(
    qtbot: QtBot, app_home: Paths
) -> None:
    window = welcome(qtbot, app_home)
    type_address(qtbot, window, "postgresql://panel:s3cret@127.0.0.1/bwv")
    assert window.shared_error.isVisible()
    assert "contains a password" in window.shared_error.text()
    assert "~/.pgpass" in window.shared_error.text()
    assert window.route is None and window.isVisible()
    assert focused() is window.address
    assert not app_home.settings_file.exists()


def test_an_unreachable_server_is_refused_with_a_clear_message(
    qtbot: QtBot, app_home: Paths
) -> None:
    window = welcome(qtbot, app_home)
    type_address(qtbot, window, UNREACHABLE)
    qtbot.waitUntil(window.shared_error.isVisible, timeout=30_000)
    text = window.shared_error.text()
    assert text.startswith("\u26a0 Could not connect, so nothing was kept")
    assert "cannot be reached" in text and "127.0.0.1:1" in text
    assert window.route is None and window.isVisible()
    assert window.connect_button.isEnabled()


def test_the_test_servers_empty_database_is_accepted_once_asked_to_set_one_up(
    qtbot: QtBot, app_home: Paths, postgres_url: str
) -> None:
    window = welcome(qtbot, app_home)
    type_address(qtbot, window, postgres_url)
    qtbot.waitUntil(lambda: "no bwv-review workspace yet" in window.shared_status.text())
    assert window.route is None, "an empty database is set up only when the person says so"
    assert window.connect_button.accessibleName() == "Set up a workspace there"
    with qtbot.waitSignal(window.accepted):
        alt(qtbot, Qt.Key.Key_S)
    assert window.route == StartRoute(StartChoice.SHARED, shared_database=postgres_url)


def test_an_edited_address_is_tested_again(
    qtbot: QtBot, app_home: Paths, postgres_url: str
) -> None:
    window = welcome(qtbot, app_home)
    type_address(qtbot, window, postgres_url)
    qtbot.waitUntil(lambda: "no bwv-review workspace yet" in window.shared_status.text())
    window.address.setFocus()
    qtbot.keyClick(window.address, Qt.Key.Key_End)
    qtbot.keyClicks(window.address, "_typo")
    assert window.connect_button.accessibleName() == "Test and connect"
    qtbot.keyClick(window.address, Qt.Key.Key_Return)
    qtbot.waitUntil(window.shared_error.isVisible, timeout=30_000)
    assert "_typo" in window.shared_error.text() and window.route is None


def test_a_database_holding_a_workspace_is_accepted_at_once(
    qtbot: QtBot, app_home: Paths, postgres_url: str
) -> None:
    Workspace.create(postgres_url).close()
    window = welcome(qtbot, app_home)
    with qtbot.waitSignal(window.accepted, timeout=30_000):
        type_address(qtbot, window, postgres_url)
    assert window.route == StartRoute(StartChoice.SHARED, shared_database=postgres_url)


def test_a_shared_workspace_this_computer_had_is_reported_not_set_up_again(
    qtbot: QtBot, app_home: Paths, postgres_url: str
) -> None:
    Settings(app_home.settings_file).remember_workspace(postgres_url)
    window = welcome(qtbot, app_home)
    type_address(qtbot, window, postgres_url)
    qtbot.waitUntil(window.shared_error.isVisible, timeout=30_000)
    assert "This computer had a workspace there before" in window.shared_error.text()
    assert window.connect_button.accessibleName() == "Test and connect"
    assert window.route is None


# --- a new workspace, and when the window shows --------------------------------------------


def test_every_control_is_named_and_has_an_underlined_letter(qtbot: QtBot, app_home: Paths) -> None:
    window = welcome(qtbot, app_home)
    buttons = (window.demo_button, window.new_button, window.shared_button, window.quit_button)
    for button in buttons:
        assert button.accessibleName() and "&" in button.text()
    assert window.address.accessibleName() == "Database address"
    assert window.demo_progress.accessibleName() == "Demo build progress"


def test_the_first_run_asks_and_a_new_workspace_is_made_where_the_app_looks(
    qtbot: QtBot,
    app_home: Paths,
    sqlite_url: str,
    message_boxes: list[str],
    when_shown: WhenShown,
) -> None:
    shown = when_shown(WelcomeWindow, lambda w: alt(qtbot, Qt.Key.Key_N))
    workspace = app._open_workspace(sqlite_url, app_home)
    assert message_boxes == []
    assert isinstance(workspace, Workspace) and len(shown) == 1
    assert workspace.db.location == sqlite_url.removeprefix("sqlite:///")
    assert not workspace.auth.has_users()  # the first administrator is asked for next
    workspace.close()
    settings = Settings(app_home.settings_file)
    assert settings.start_route() == StartRoute(StartChoice.NEW)
    assert settings.audit_key_file() is not None  # as `init` makes it

    # Remembered: the next start opens it without asking.
    again = when_shown(WelcomeWindow, lambda w: w.reject())
    workspace = app._open_workspace(sqlite_url, app_home)
    assert isinstance(workspace, Workspace) and again == []
    workspace.close()


def test_quitting_the_welcome_window_remembers_nothing_and_creates_nothing(
    qtbot: QtBot,
    app_home: Paths,
    sqlite_url: str,
    message_boxes: list[str],
    when_shown: WhenShown,
) -> None:
    shown = when_shown(WelcomeWindow, lambda w: alt(qtbot, Qt.Key.Key_Q))
    assert app._open_workspace(sqlite_url, app_home) == app.EXIT_OK
    assert len(shown) == 1 and message_boxes == []
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()
    assert Settings(app_home.settings_file).start_route() is None


def test_a_remembered_shared_database_is_opened_and_a_named_one_wins_over_it(
    qtbot: QtBot,
    app_home: Paths,
    sqlite_url: str,
    postgres_url: str,
    message_boxes: list[str],
    when_shown: WhenShown,
) -> None:
    Workspace.create(postgres_url).close()
    settings = Settings(app_home.settings_file)
    settings.remember_start_route(StartRoute(StartChoice.SHARED, shared_database=postgres_url))
    shown = when_shown(WelcomeWindow, lambda w: w.reject())
    workspace = app._open_workspace(f"sqlite:///{app_home.default_db_file}", app_home)
    assert isinstance(workspace, Workspace) and not workspace.db.is_sqlite
    workspace.close()
    assert not app_home.default_db_file.exists()

    named = app._open_workspace(sqlite_url, app_home, db_named=True)
    assert isinstance(named, Workspace) and named.db.is_sqlite
    named.close()
    assert shown == [] and message_boxes == []


def test_a_workspace_this_machine_had_is_reported_gone_not_asked_about(
    qtbot: QtBot,
    app_home: Paths,
    sqlite_url: str,
    message_boxes: list[str],
    when_shown: WhenShown,
) -> None:
    Settings(app_home.settings_file).remember_workspace(sqlite_url.removeprefix("sqlite:///"))
    shown = when_shown(WelcomeWindow, lambda w: w.reject())
    assert app._open_workspace(sqlite_url, app_home) == app.EXIT_DB_UNAVAILABLE
    assert shown == []
    assert len(message_boxes) == 1 and "moved or deleted" in message_boxes[0]
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_is_built_with_progress_then_opened_and_remembered(
    qtbot: QtBot,
    app_home: Paths,
    message_boxes: list[str],
    when_shown: WhenShown,
) -> None:
    """The real builder (up to 90 s): this is the one test that builds through the window."""
    steps: list[tuple[int, str]] = []

    def choose_demo(window: QDialog) -> None:
        assert isinstance(window, WelcomeWindow)
        window.demoStep.connect(lambda percent, step: steps.append((percent, step)))
        alt(qtbot, Qt.Key.Key_D)

    shown = when_shown(WelcomeWindow, choose_demo)
    workspace = app._open_workspace(f"sqlite:///{app_home.default_db_file}", app_home)
    assert message_boxes == [] and len(shown) == 1
    assert isinstance(workspace, Workspace)
    demo_home = app_home.default_demo_home
    try:
        assert workspace.db.location == str(Paths.under(demo_home).default_db_file)
        assert workspace.panel.current().demo
        assert workspace.auth.has_users()
    finally:
        workspace.close()
    # The app now runs as if started with BWV_REVIEW_HOME set to the demo's folder.
    assert os.environ[HOME_ENV_VAR] == str(demo_home)
    assert len(steps) > 3 and steps[-1][0] >= 90
    assert all(step for _percent, step in steps)
    assert not app_home.default_db_file.exists()  # the real workspace's place is untouched
    remembered = Settings(app_home.settings_file).start_route()
    assert remembered == StartRoute(StartChoice.DEMO, demo_home=demo_home)

    # The next start opens the demo without asking or building again.
    again = when_shown(WelcomeWindow, lambda w: w.reject())
    workspace = app._open_workspace(f"sqlite:///{app_home.default_db_file}", app_home)
    assert isinstance(workspace, Workspace) and again == [] and message_boxes == []
    workspace.close()


def test_cancelling_the_demo_build_goes_back_to_the_choices(qtbot: QtBot, app_home: Paths) -> None:
    window = welcome(qtbot, app_home)
    alt(qtbot, Qt.Key.Key_D)
    assert window.pages.currentIndex() == 1 and focused() is window.demo_cancel
    qtbot.waitUntil(lambda: window.demo_progress.value() > 0, timeout=30_000)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    assert "cancelled" in window.notice.text() and window.route is None
    assert not Paths.under(app_home.default_demo_home).default_db_file.exists()
    assert focused() is window.demo_button

    # Closing the window part-way cancels the build too, and it closes once that stopped.
    alt(qtbot, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: window.demo_progress.value() > 0, timeout=30_000)
    window.close()
    assert window.isVisible(), "the window waits for the build to stop and clean up"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert window.result() == QDialog.DialogCode.Rejected and window.route is None
    demo_home = app_home.default_demo_home
    assert not demo_home.exists() or not any(demo_home.iterdir())


def test_escape_steps_back_and_closing_the_window_closes_it(qtbot: QtBot, app_home: Paths) -> None:
    window = welcome(qtbot, app_home)
    alt(qtbot, Qt.Key.Key_S)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert window.pages.currentIndex() == 0 and window.isVisible()
    assert focused() is window.demo_button
    alt(qtbot, Qt.Key.Key_S)
    window.close()  # the title bar's close, or the desktop quitting the app
    assert not window.isVisible() and window.result() == QDialog.DialogCode.Rejected


# --- what marks demonstration data -----------------------------------------------------------


@pytest.fixture(params=[True, False], ids=["demo", "not-demo"])
def marked_panel(
    request: pytest.FixtureRequest,
    sqlite_url: str,
    app_home: Paths,
    tmp_path: Path,
    clip_paths: dict[str, Path],
) -> Iterator[tuple[Workspace, Panel, bool]]:
    """A panel with a case and its footage, its workspace flagged as demonstration data
    (as the demo builder flags its own) or not."""
    ws, team = _registered_panel(sqlite_url, app_home, tmp_path, clip_paths)
    if request.param:
        ws.panel.mark_as_demo(team.admin, purpose=PURPOSE)
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    yield ws, team, request.param
    ws.close()


def test_demo_data_is_marked_in_the_title_and_the_watermark_and_nowhere_else(
    qtbot: QtBot, marked_panel: tuple[Workspace, Panel, bool]
) -> None:
    ws, team, demo = marked_panel
    window = show_window(qtbot, MainWindow(ws, team.alice))
    assert ("Demonstration data" in window.windowTitle()) is demo
    assert window.windowTitle().startswith(team.alice.display_name)
    assert "bwv-review" not in window.windowTitle(), "Qt appends the app's name itself"
    case = open_case_with_footage(qtbot, window, team)
    assert case.player is not None and case.player.player is not None
    mark = case.player.surface.watermark()
    assert mark == (f"{team.alice.pseudonym} \u00b7 DEMO" if demo else team.alice.pseudonym)
    window.reviews.back_to_queue()


def test_the_demo_sign_in_lists_its_accounts_and_a_listed_pin_signs_in(
    qtbot: QtBot, demo_home: BuiltDemo
) -> None:
    assert demo_home.exit_code == 0, demo_home.output
    ws = Workspace.open(demo_home.db_url)
    try:
        assert ws.panel.current().demo
        dialog = SignInDialog(ws.auth, ws.location, demo_accounts=DEMO_ACCOUNTS)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert "Demonstration data" in dialog.windowTitle()
        table = dialog.demo_accounts
        assert table is not None and table.accessibleName() == "Demo accounts and their PINs"
        listed = [
            tuple(table.item(row, column).text() for column in range(4))
            for row in range(table.rowCount())
        ]
        assert listed == [(a.username, a.display_name, a.role_labels, a.pin) for a in DEMO_ACCOUNTS]
        # Alt+D goes to the list, on its first account; Down moves on; Enter signs in.
        dialog.activateWindow()
        qtbot.waitUntil(lambda: focused() is dialog.username)
        alt(qtbot, Qt.Key.Key_D)
        assert focused() is table
        assert dialog.username.text() == DEMO_ACCOUNTS[0].username
        qtbot.keyClick(table, Qt.Key.Key_Down)
        second = DEMO_ACCOUNTS[1]
        assert (dialog.username.text(), dialog.secret.text()) == (second.username, second.pin)
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            qtbot.keyClick(table, Qt.Key.Key_Return)
        assert dialog.actor is not None and dialog.actor.username == second.username
    finally:
        ws.close()


def test_a_workspace_without_the_demo_flag_lists_no_accounts(qtbot: QtBot, sqlite_url: str) -> None:
    ws = Workspace.create(sqlite_url)
    try:
        dialog = SignInDialog(ws.auth, ws.location)
        qtbot.addWidget(dialog)
        assert dialog.demo_accounts is None
        assert "Demonstration" not in dialog.windowTitle()
        assert DEMO_ACCOUNTS[0].pin not in " ".join(
            label.text() for label in dialog.findChildren(QLabel)
        )
    finally:
        ws.close()
