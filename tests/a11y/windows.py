"""Every window and dialog of the app as a person meets it, filled from the demo workspace:
each builder opens one (through the screen's own route where it has one), shown in a
1280x800 window, and returns it with the part Tab must stay in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.demo import DEMO_ACCOUNTS
from bwv_review.demo.build import FIRST_SESSION, NEXT_SESSION
from bwv_review.media.playback_state import PlaybackState
from bwv_review.ui.accounts_screen import AccountsDialog, PersonDialog
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.confidentiality import ConfidentialityDialog
from bwv_review.ui.display_settings import DisplaySettingsDialog
from bwv_review.ui.import_dialog import ImportDialog
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.sampling_dialog import SamplingDialog
from bwv_review.ui.sign_in import ChangePinDialog, FirstAdminDialog, SignInDialog
from bwv_review.ui.welcome import WelcomeWindow
from tests.a11y.conftest import PURPOSE, DemoPanel
from tests.support.screen_fit import show_on

SCREEN = QSize(1280, 800)
LOAD_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Shown:
    window: QWidget  # the top-level window measured
    root: QWidget  # what Tab must go round and stay in


Builder = Callable[[QtBot, DemoPanel], Shown]


def _show_dialog(qtbot: QtBot, dialog: QWidget, *, frees_itself: bool = False) -> Shown:
    """A dialog at its own size, as it opens on a 1280x800 screen. One that frees itself
    when closed is left to do so, not to qtbot."""
    if not (frees_itself or dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)):
        qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.wait(100)
    return Shown(dialog, dialog)


def _main(qtbot: QtBot, demo: DemoPanel, username: str) -> MainWindow:
    window = MainWindow(demo.workspace, demo.people[username])
    show_on(qtbot, window, SCREEN)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _tab(qtbot: QtBot, window: MainWindow, page: QWidget) -> Shown:
    window.tabs.setCurrentWidget(page)
    qtbot.wait(200)
    return Shown(window, window)


def _assignment(demo: DemoPanel, username: str, session: str, position: int = 0) -> int:
    items = [
        item
        for item in demo.workspace.reviews.queue(demo.people[username])
        if item.session_name == session
    ]
    return items[position].assignment_id


def _case(qtbot: QtBot, window: MainWindow, assignment_id: int) -> CaseView:
    window.tabs.setCurrentWidget(window.reviews)
    window.reviews.open_case(assignment_id)
    case = window.reviews.case_view
    assert case is not None
    qtbot.wait(300)
    return case


# --- before the main window ----------------------------------------------------------------


def sign_in(qtbot: QtBot, demo: DemoPanel) -> Shown:
    ws = demo.workspace
    return _show_dialog(qtbot, SignInDialog(ws.auth, ws.location, demo_accounts=DEMO_ACCOUNTS))


def sign_in_refused(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """The refusal in words under the form, after a name no account has (so no account's
    wrong-PIN count grows)."""
    shown = sign_in(qtbot, demo)
    dialog = shown.window
    assert isinstance(dialog, SignInDialog)
    qtbot.keyClicks(dialog.username, "nobody")
    qtbot.keyClicks(dialog.secret, "000000")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)
    return shown


def welcome(qtbot: QtBot, demo: DemoPanel) -> Shown:
    paths = Paths.for_this_machine()
    window = WelcomeWindow(paths, Settings(paths.settings_file), str(paths.default_db_file))
    return _show_dialog(qtbot, window)


def change_pin(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer2")
    return _show_dialog(qtbot, ChangePinDialog(demo.workspace.auth, window.actor, window))


def idle_lock(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer2")
    _case(qtbot, window, _assignment(demo, "reviewer2", NEXT_SESSION))
    window.idle_lock.lock()
    overlay = window.idle_lock.overlay
    assert overlay is not None
    qtbot.wait(200)
    return Shown(window, overlay)


# --- the main window, per role -------------------------------------------------------------


def reviewer_queue(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer2")
    return _tab(qtbot, window, window.reviews)


def _case_with_clip(qtbot: QtBot, demo: DemoPanel) -> tuple[MainWindow, CaseView]:
    """Reviewer 2's half-done case, its footage shown and paused, as it is watched."""
    window = _main(qtbot, demo, "reviewer2")
    case = _case(qtbot, window, _assignment(demo, "reviewer2", NEXT_SESSION, position=4))
    if case.player is None:
        case.show_footage()
    player = case.player
    assert player is not None and player.player is not None, "no player for the demo's clip"
    engine = player.player
    qtbot.waitUntil(
        lambda: engine.state is PlaybackState.PAUSED and not engine.busy, timeout=15_000
    )
    qtbot.wait(300)
    return window, case


def review_case_with_clip(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window, _ = _case_with_clip(qtbot, demo)
    return Shown(window, window)


def submitted_case(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """Reviewer 2's first case, submitted: read only, before the footage is shown."""
    window = _main(qtbot, demo, "reviewer2")
    _case(qtbot, window, _assignment(demo, "reviewer2", NEXT_SESSION))
    return Shown(window, window)


def others_reviews(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """Reviewer 1's finalised case beside the other members' answers."""
    window = _main(qtbot, demo, "reviewer1")
    case = _case(qtbot, window, _assignment(demo, "reviewer1", FIRST_SESSION))
    case.compare()
    assert case.others is not None, case.error.text()
    return _show_dialog(qtbot, case.others)


def player_shortcuts(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """The player's "?" list."""
    _, case = _case_with_clip(qtbot, demo)
    assert case.player is not None
    case.player.show_shortcuts()
    return _show_dialog(qtbot, _open_dialog(case.player))


def learning_point(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """M on the paused footage: what the point is, for the frame on screen."""
    _, case = _case_with_clip(qtbot, demo)
    case.add_learning_point()
    qtbot.waitUntil(lambda: case.point_dialog is not None and case.point_dialog.isVisible())
    assert case.point_dialog is not None
    return _show_dialog(qtbot, case.point_dialog, frees_itself=True)


def confidentiality(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer3")
    return _show_dialog(qtbot, ConfidentialityDialog(demo.workspace.users, window.actor, window))


def _open_dialog(parent: QWidget) -> QDialog:
    dialogs = [d for d in parent.findChildren(QDialog) if d.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def chair_sessions(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    sessions = window.sessions
    sessions.select_session(demo.workspace.review_sessions.session_id(window.actor, NEXT_SESSION))
    return _tab(qtbot, window, sessions)


def consensus(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    sessions = window.sessions
    session_id = demo.workspace.review_sessions.session_id(window.actor, FIRST_SESSION)
    sessions.select_session(session_id)
    detail = demo.workspace.review_sessions.detail(window.actor, session_id)
    sessions.compare(detail.cases[0].case_id)
    return _tab(qtbot, window, sessions)


def tracker(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    sessions = window.sessions
    sessions.select_session(demo.workspace.review_sessions.session_id(window.actor, FIRST_SESSION))
    shown = _tab(qtbot, window, sessions)
    sessions.tabs.setCurrentWidget(sessions.tracker)
    qtbot.wait(200)
    return shown


def library(qtbot: QtBot, demo: DemoPanel, username: str = "admin") -> Shown:
    window = _main(qtbot, demo, username)
    shown = _tab(qtbot, window, window.library)
    qtbot.waitUntil(
        lambda: window.library.count.text().startswith("Showing"), timeout=LOAD_TIMEOUT_MS
    )
    return shown


def chair_library(qtbot: QtBot, demo: DemoPanel) -> Shown:
    return library(qtbot, demo, "chair")


def reports(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    shown = _tab(qtbot, window, window.reports)
    window.reports.picker.tick(FIRST_SESSION)
    qtbot.wait(200)
    return shown


def chair_learning(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    return _tab(qtbot, window, window.learning)


def training_learning(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "training")
    return _tab(qtbot, window, window.learning)


# --- dialogs -------------------------------------------------------------------------------


def accounts(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "admin")
    return _show_dialog(qtbot, AccountsDialog(demo.workspace, window.actor, window))


def add_person(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """The add form (name, user name, roles, temporary PIN); nothing is submitted."""
    window = _main(qtbot, demo, "admin")
    accounts = AccountsDialog(demo.workspace, window.actor, window)
    qtbot.addWidget(accounts)
    return _show_dialog(qtbot, PersonDialog(lambda _form: None, accounts))


def first_admin(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """The first run's set-up form: panel, force and first administrator."""
    ws = demo.workspace
    return _show_dialog(qtbot, FirstAdminDialog(ws.auth, ws.panel))


def import_dialog(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "admin")
    return _show_dialog(qtbot, ImportDialog(demo.workspace, window.actor, demo.settings, window))


def sampling(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    return _show_dialog(qtbot, SamplingDialog(demo.workspace.sampling, window.actor, window))


def session_setup(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "chair")
    window.tabs.setCurrentWidget(window.sessions)
    return _show_dialog(qtbot, window.sessions.setup.new_session_dialog())


def shortcuts(qtbot: QtBot, demo: DemoPanel) -> Shown:
    """F1's list of every key, for a chair (who also reviews)."""
    window = _main(qtbot, demo, "chair")
    window.show_shortcuts()
    return _show_dialog(qtbot, _message_box(window))


def about(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer1")
    window.show_about()
    return _show_dialog(qtbot, _message_box(window))


def display_settings(qtbot: QtBot, demo: DemoPanel) -> Shown:
    window = _main(qtbot, demo, "reviewer3")
    return _show_dialog(qtbot, DisplaySettingsDialog(window))


def _message_box(window: QWidget) -> QMessageBox:
    box = window.findChild(QMessageBox)
    assert box is not None
    return box


WINDOWS: dict[str, Builder] = {
    "sign-in": sign_in,
    "sign-in refused": sign_in_refused,
    "welcome": welcome,
    "first run set-up": first_admin,
    "change PIN": change_pin,
    "idle lock": idle_lock,
    "reviewer: My reviews": reviewer_queue,
    "reviewer: case with clip": review_case_with_clip,
    "reviewer: submitted case": submitted_case,
    "reviewer: others' answers": others_reviews,
    "reviewer: player shortcuts": player_shortcuts,
    "reviewer: learning point": learning_point,
    "reviewer: confidentiality": confidentiality,
    "chair: Sessions": chair_sessions,
    "chair: consensus": consensus,
    "chair: tracker": tracker,
    "chair: Library": chair_library,
    "chair: Reports": reports,
    "chair: Learning": chair_learning,
    "training lead: Learning": training_learning,
    "admin: Library": library,
    "admin: Accounts": accounts,
    "admin: add person": add_person,
    "admin: import": import_dialog,
    "chair: sampling": sampling,
    "chair: new session": session_setup,
    "shortcuts (F1)": shortcuts,
    "about": about,
    "display settings": display_settings,
}

__all__ = ["PURPOSE", "WINDOWS", "Shown"]
