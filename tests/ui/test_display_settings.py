"""The Display settings page driven from the keyboard, from each window that offers it:
the main window (Ctrl+,), the sign-in window and the welcome window (Alt+Y), with real
key presses. Changes show at once in the windows already open; OK keeps them in this
machine's settings file, Cancel and Escape put the look back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import Role
from bwv_review.services.workspace import Workspace
from bwv_review.ui.display import DisplayPreferences, load_display_preferences, reduced_motion
from bwv_review.ui.display_settings import DisplaySettingsDialog
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sign_in import SignInDialog
from bwv_review.ui.welcome import WelcomeWindow
from tests.support.contrast import AAA_TEXT, low_contrast_pairs
from tests.support.display import display_restored
from tests.support.screen_fit import cut_off
from tests.ui.test_review_screen import show_window

PIN = "246813"
BLACK = QColor("#000000")


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    with display_restored(qapp) as restored:
        yield restored


@pytest.fixture
def sqlite_workspace(sqlite_url: str) -> Iterator[Workspace]:
    ws = Workspace.create(sqlite_url)
    alice = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    # An administrator only: no review tab, so no confidentiality statement over the window.
    ws.auth.create_user(alice, "ada", "Ada Admin", PIN, [Role.ADMIN], purpose="test")
    yield ws
    ws.close()


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the window system delivers it, to the active window, so shortcuts and
    Alt letters work as they do for a person."""
    window = QApplication.activeWindow()
    handle = window.windowHandle() if window is not None else None
    assert handle is not None, "no window is active"
    QTest.keyClick(handle, key, modifiers)


@dataclass
class Acting:
    """What happened to the steps run inside the settings page."""

    done: bool = False
    failure: BaseException | None = None

    def wait(self, qtbot: QtBot) -> None:
        qtbot.waitUntil(lambda: self.done)
        if self.failure is not None:
            raise self.failure


def in_the_dialog(act: Callable[[DisplaySettingsDialog], None]) -> Acting:
    """Run `act` once the settings page is open (it blocks in exec()). A failure inside
    closes the page, else exec() would never return, and Acting.wait raises it."""
    acting = Acting()

    def step() -> None:
        shown = QApplication.activeModalWidget()
        if not (isinstance(shown, DisplaySettingsDialog) and shown.isActiveWindow()):
            QTimer.singleShot(50, step)
            return
        try:
            act(shown)
        except BaseException as exc:  # raised again by Acting.wait
            acting.failure = exc
            shown.reject()
        acting.done = True

    QTimer.singleShot(50, step)
    return acting


def points(widget: QWidget) -> float:
    return widget.font().pointSizeF()


def test_ctrl_comma_in_the_main_window_grows_it_live_and_ok_keeps_the_choice(
    app: QApplication, qtbot: QtBot, sqlite_workspace: Workspace, app_home: Paths
) -> None:
    admin = sqlite_workspace.auth.sign_in("ada", PIN, purpose="test")
    window = show_window(qtbot, MainWindow(sqlite_workspace, admin))
    tabs = window.tabs.tabBar()
    usual_pt, usual_height = points(tabs), tabs.sizeHint().height()
    seen: dict[str, object] = {}

    def choose(dialog: DisplaySettingsDialog) -> None:
        assert dialog.size_buttons.checkedId() == 100
        assert QApplication.focusWidget() is dialog.size_buttons.button(100)
        press(Qt.Key.Key_Right)  # 150%
        press(Qt.Key.Key_Right)  # 200%
        qtbot.waitUntil(lambda: points(tabs) == pytest.approx(usual_pt * 2))
        qtbot.waitUntil(lambda: cut_off(dialog) == [])  # the page fits its bigger words
        assert tabs.sizeHint().height() > usual_height * 1.5
        press(Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # high contrast, by its letter
        qtbot.waitUntil(dialog.high_contrast.isChecked)  # an Alt letter clicks after 100 ms
        seen["window colour"] = app.palette().color(QPalette.ColorRole.Window)
        press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # reduced motion
        qtbot.waitUntil(dialog.reduced_motion.isChecked)
        seen["reduced motion"] = reduced_motion()
        press(Qt.Key.Key_Return)  # OK is the default button

    done = in_the_dialog(choose)
    window_handle = window.windowHandle()
    assert window_handle is not None
    QTest.keyClick(window_handle, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    done.wait(qtbot)
    assert seen["window colour"] == BLACK
    assert seen["reduced motion"] is True
    assert window.display_action.text() == "Displa&y settings\u2026"
    # Kept: a new read of the file, as the next start makes, finds the choice.
    kept = load_display_preferences(Settings(app_home.settings_file))
    assert kept == DisplayPreferences(text_percent=200, high_contrast=True, reduced_motion=True)
    assert points(tabs) == pytest.approx(usual_pt * 2)
    assert low_contrast_pairs(window.palette(), AAA_TEXT) == {}


def test_escape_puts_the_look_back_and_keeps_nothing(
    app: QApplication, qtbot: QtBot, sqlite_workspace: Workspace, app_home: Paths
) -> None:
    """Opened from the sign-in window, before anyone has signed in."""
    sign_in = SignInDialog(sqlite_workspace.auth, "test.sqlite3")
    qtbot.addWidget(sign_in)
    sign_in.show()
    qtbot.waitUntil(sign_in.isActiveWindow)
    field = sign_in.username
    usual_pt = points(field)
    usual_window = app.palette().color(QPalette.ColorRole.Window)
    usual_height = field.sizeHint().height()

    def try_and_cancel(dialog: DisplaySettingsDialog) -> None:
        press(Qt.Key.Key_Right)  # 150%
        qtbot.waitUntil(lambda: points(field) == pytest.approx(usual_pt * 1.5))
        assert field.sizeHint().height() > usual_height * 1.3
        press(Qt.Key.Key_Tab)  # from the sizes to the theme
        assert QApplication.focusWidget() is dialog.high_contrast
        press(Qt.Key.Key_Space)
        assert app.palette().color(QPalette.ColorRole.Window) == BLACK
        press(Qt.Key.Key_Escape)

    done = in_the_dialog(try_and_cancel)
    press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # Display settings...
    done.wait(qtbot)
    qtbot.waitUntil(lambda: points(field) == pytest.approx(usual_pt))
    assert app.palette().color(QPalette.ColorRole.Window) == usual_window
    assert not app_home.settings_file.exists()
    assert sign_in.isVisible()  # Escape closed the settings page, not the sign-in window


def test_the_welcome_window_offers_it_too(app: QApplication, qtbot: QtBot, app_home: Paths) -> None:
    welcome = WelcomeWindow(app_home, Settings(app_home.settings_file), "/tmp/new.sqlite3")
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitUntil(welcome.isActiveWindow)

    def choose(dialog: DisplaySettingsDialog) -> None:
        press(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # &200%
        qtbot.waitUntil(lambda: dialog.chosen().text_percent == 200)
        press(Qt.Key.Key_Return)

    done = in_the_dialog(choose)
    welcome_handle = welcome.windowHandle()
    assert welcome_handle is not None
    QTest.keyClick(welcome_handle, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    done.wait(qtbot)
    assert load_display_preferences(Settings(app_home.settings_file)).text_percent == 200
    qtbot.waitUntil(
        lambda: points(welcome.demo_button) == pytest.approx(points(welcome.quit_button))
    )
    assert welcome.display_button.accessibleName() == "Display settings"
