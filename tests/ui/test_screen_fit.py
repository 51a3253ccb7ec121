"""Every screen fits a laptop screen (1280x800 and 1366x768) at the default font, and at 1.5x
and 2x the default font (200% text, issue 15) it reflows or scrolls with nothing cut off.

Issue 8: showing footage and pressing Play grew the main window to 1,434 px on a 1280 px
screen, so the rubric and Submit fell off it, and the time readout was cut. Each test builds
the real main window for the person who sees the screen, on a real workspace (a real clip
played by libvlc for the reviewer), sizes it to the screen, does what that person does,
waits as they would, and then measures: the window, every control against its own minimum
size, whether each is reachable (on the window, or by scrolling the area it is in) and the
time readout's text against its width.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.media.playback_state import PlaybackState
from bwv_review.services.report_narrative import NarrativeSection
from bwv_review.services.workspace import Workspace
from bwv_review.ui.accounts_screen import AccountsDialog, PersonDialog
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.confidentiality import ConfidentialityDialog
from bwv_review.ui.display import DisplayPreferences, apply_display
from bwv_review.ui.fitting import ReflowSplitter
from bwv_review.ui.import_dialog import ImportDialog
from bwv_review.ui.learning_points import LearningPointDialog
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.others_reviews import OthersReviewsDialog
from bwv_review.ui.player_shortcuts import ShortcutHelpDialog, shortcut_table
from bwv_review.ui.sampling_dialog import SamplingDialog
from bwv_review.ui.sign_in import ChangePinDialog, SignInDialog
from bwv_review.ui.welcome import WelcomeWindow
from tests.media.fixtures import clip_paths
from tests.services.learning_fixtures import build_learning_panel
from tests.services.report_fixtures import SESSION as REPORT_SESSION
from tests.services.report_fixtures import build_report_panel
from tests.services.review_fixtures import PURPOSE, Panel, answer_all, build_panel
from tests.support.display import display_restored
from tests.support.screen_fit import describe, misfits, rect_in, show_on

__all__ = ["clip_paths"]  # the session fixture, imported so pytest finds it here

SCREENS = (QSize(1280, 800), QSize(1366, 768))
RECORD_FILES = (
    "2018-01-avon-and-somerset-stop-and-search.csv",
    "2019-12-essex-stop-and-search.csv",
)
# Longer than anything on these screens waits for: the player's position updates, the
# typing-save delay (1.2 s) and a load of the library.
PLAY_FOR_MS = 3000
SAMPLE_EVERY_MS = 100


@pytest.fixture(params=[100, 150, 200], ids=["default-font", "font-1.5x", "font-2x"])
def font_scale(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[float]:
    """The whole application's text at this share of the platform's, as the display
    settings set it (issue 15 offers 100%, 150% and 200%); every widget uses it."""
    with display_restored(qapp):
        apply_display(qapp, DisplayPreferences(text_percent=request.param))
        yield request.param / 100


@pytest.fixture
def panel(
    sqlite_url: str, app_home: Paths, tmp_path: Path, clip_paths: dict[str, Path]
) -> Iterator[tuple[Workspace, Panel, Settings]]:
    """One open session whose case has a real clip registered on this machine; everyone
    has accepted the confidentiality statement."""
    ws = Workspace.create(sqlite_url)
    team = build_panel(ws, cases=1)
    store = tmp_path / "force-store"
    (store / "CASE-001").mkdir(parents=True)
    shutil.copy(clip_paths["cfr25"], store / "CASE-001" / "officer1.mp4")
    settings = Settings(app_home.settings_file)
    settings.map_footage_root("force-store", store)
    settings.set("player.surface", "callback")
    settings.set("player.vlc_args", ["--aout=dummy"])
    ws.library.register_clips(team.admin, "force-store", settings, purpose=PURPOSE)
    for person in (team.admin, team.chair, team.alice, team.bob):
        ws.users.accept_confidentiality(person, purpose=PURPOSE)
    yield ws, team, settings
    ws.close()


# --- measuring -----------------------------------------------------------------------------


def readout_cut(label: QLabel) -> str | None:
    """Its longest line against its width, and its lines against its height (at 200% text
    beside the form, the frame goes on a second line)."""
    metrics = QFontMetrics(label.font())
    lines = label.text().split("\n")
    need = QSize(
        max(metrics.horizontalAdvance(line) for line in lines), metrics.height() * len(lines)
    )
    room = label.contentsRect().size()
    cut = need.width() > room.width() or need.height() > room.height()
    return f"readout {label.text()!r} needs {need}, has {room}" if cut else None


def assert_fits(qtbot: QtBot, window: QWidget, *, then: Callable[[], None] | None = None) -> None:
    for screen in SCREENS:
        show_on(qtbot, window, screen)
        if then is not None:
            then()
        assert misfits(window, screen) == [], f"on {screen.width()}x{screen.height()}"


# --- the screens ----------------------------------------------------------------------------


def _open_case(qtbot: QtBot, window: MainWindow, team: Panel, ws: Workspace) -> CaseView:
    window.reviews.open_case(team.assignment(ws, team.alice, team.case_ids[0]))
    case = window.reviews.case_view
    assert case is not None
    qtbot.wait(300)
    return case


def test_review_screen_fits_with_footage_playing(
    qtbot: QtBot, panel: tuple[Workspace, Panel, Settings], font_scale: float
) -> None:
    ws, team, _ = panel
    window = MainWindow(ws, team.alice)
    show_on(qtbot, window, SCREENS[0])
    case = _open_case(qtbot, window, team, ws)
    assert misfits(window, SCREENS[0]) == []

    qtbot.mouseClick(case.show_button, Qt.MouseButton.LeftButton)
    player = case.player
    assert player is not None and player.player is not None
    engine = player.player

    def settled() -> bool:
        return engine.state is PlaybackState.PAUSED and not engine.busy

    qtbot.waitUntil(settled, timeout=15_000)
    qtbot.wait(500)
    assert misfits(window, SCREENS[0]) == [], "after Show footage"
    assert readout_cut(player.time_label) is None

    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    for screen in SCREENS:
        show_on(qtbot, window, screen)
        widest, cut = 0, []
        for _ in range(PLAY_FOR_MS // SAMPLE_EVERY_MS):
            qtbot.wait(SAMPLE_EVERY_MS)
            widest = max(widest, window.width())
            cut += [problem for problem in [readout_cut(player.time_label)] if problem]
        assert engine.state is PlaybackState.PLAYING and engine.position_ms > 0
        assert widest <= screen.width(), f"playing grew the window to {widest} px"
        assert cut == []
        assert misfits(window, screen) == [], f"playing on {screen.width()}x{screen.height()}"
    # The form and Submit are on screen, not pushed off it.
    for control in (case.form_scroll, case.submit_button):
        assert window.rect().contains(rect_in(control, window)), describe(control)
    engine.pause()
    qtbot.waitUntil(settled, timeout=5000)
    assert misfits(window, SCREENS[-1]) == [], "paused"
    assert readout_cut(player.time_label) is None
    window.idle_lock.lock()
    qtbot.wait(200)
    for screen in SCREENS:
        show_on(qtbot, window, screen)
        assert misfits(window, screen) == [], "locked"
    window.reviews.close_case()


def test_an_open_review_screen_reflows_when_the_text_size_changes(
    qtbot: QtBot, qapp: QApplication, panel: tuple[Workspace, Panel, Settings]
) -> None:
    """Text made 200% while a clip plays (as the display settings do, without a restart):
    the columns narrow to what they need and the transport row wraps (the readout's frame
    onto a line of its own), rather than the window growing past the screen; back at 100%
    it is laid out as before."""
    ws, team, _ = panel
    window = MainWindow(ws, team.alice)
    show_on(qtbot, window, SCREENS[0])
    case = _open_case(qtbot, window, team, ws)
    qtbot.mouseClick(case.show_button, Qt.MouseButton.LeftButton)
    player = case.player
    assert player is not None and player.player is not None
    engine = player.player
    qtbot.waitUntil(
        lambda: engine.state is PlaybackState.PAUSED and not engine.busy, timeout=15_000
    )
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.state is PlaybackState.PLAYING, timeout=5000)
    columns = case.findChild(ReflowSplitter)
    assert columns is not None
    one_row = player.play_button.y() == player.time_label.y()
    with display_restored(qapp):
        for percent in (200, 100, 200):
            apply_display(qapp, DisplayPreferences(text_percent=percent))
            qtbot.wait(500)
            assert misfits(window, SCREENS[0]) == [], f"text at {percent}%, live"
            assert readout_cut(player.time_label) is None
            if percent == 100:
                assert columns.orientation() is Qt.Orientation.Horizontal
                assert (player.play_button.y() == player.time_label.y()) is one_row
            else:
                assert player.time_label.y() > player.play_button.y()  # on a row below
        assert engine.state is PlaybackState.PLAYING
    window.reviews.close_case()


def _both_submitted(ws: Workspace, team: Panel) -> None:
    for reviewer, answer in ((team.alice, "met"), (team.bob, "not_met")):
        assignment = team.assignment(ws, reviewer, team.case_ids[0])
        answer_all(ws, reviewer, assignment, answer)
        ws.reviews.submit(reviewer, assignment, purpose=PURPOSE)


def test_chair_screens_fit(
    qtbot: QtBot, panel: tuple[Workspace, Panel, Settings], font_scale: float
) -> None:
    ws, team, _ = panel
    _both_submitted(ws, team)
    window = MainWindow(ws, team.chair)
    sessions = window.sessions
    window.tabs.setCurrentWidget(sessions)
    assert_fits(qtbot, window)
    sessions.select_session(team.session_id)
    assert_fits(qtbot, window)
    sessions.compare(team.case_ids[0])
    assert sessions.tabs.currentWidget() is sessions.consensus
    assert_fits(qtbot, window)
    sessions.tabs.setCurrentWidget(sessions.tracker)
    assert_fits(qtbot, window)


def test_library_fits(
    qtbot: QtBot,
    panel: tuple[Workspace, Panel, Settings],
    police_data_dir: Path,
    font_scale: float,
) -> None:
    ws, team, _ = panel
    for name in RECORD_FILES:
        ws.records.import_file(team.admin, police_data_dir / name, purpose=PURPOSE)
    window = MainWindow(ws, team.admin)
    library = window.library
    window.tabs.setCurrentWidget(library)
    for index in range(library.source.count()):

        def load(index: int = index) -> None:
            library.source.setCurrentIndex(index)
            qtbot.waitUntil(lambda: library.count.text().startswith("Showing"), timeout=30_000)

        assert_fits(qtbot, window, then=load)


def test_learning_tab_fits(qtbot: QtBot, sqlite_url: str, font_scale: float) -> None:
    """The training lead's tab with learning points to describe and export."""
    ws = Workspace.create(sqlite_url)
    try:
        lead = build_learning_panel(ws).lead
        window = MainWindow(ws, lead)
        assert window.tabs.currentWidget() is window.learning
        assert_fits(qtbot, window)
    finally:
        ws.close()


def test_dialogs_fit(
    qtbot: QtBot, panel: tuple[Workspace, Panel, Settings], app_home: Paths, font_scale: float
) -> None:
    ws, team, settings = panel
    _both_submitted(ws, team)
    window = MainWindow(ws, team.chair)
    show_on(qtbot, window, SCREENS[0])
    accounts = AccountsDialog(ws, team.admin, window)
    bob = next(p for p in ws.users.list_users(team.admin) if p.username == team.bob.username)
    accounts.refresh(select=bob.username)
    accounts.reset_pin()  # the result line, two lines long at 1.5x, is on show
    alice = team.assignment(ws, team.alice, team.case_ids[0])
    others = ws.reviews.others_reviews(team.alice, alice, purpose=PURPOSE)
    rubric = ws.reviews.open_case(team.alice, alice, purpose=PURPOSE).rubric
    window.sessions.select_session(team.session_id)
    setup = window.sessions.setup
    dialogs: list[QDialog] = [
        WelcomeWindow(app_home, Settings(app_home.settings_file), "/tmp/new.sqlite3"),
        SignInDialog(ws.auth, ws.location),
        ConfidentialityDialog(ws.users, team.alice),
        ImportDialog(ws, team.admin, settings, window),
        SamplingDialog(ws.sampling, team.chair, window),
        setup.new_session_dialog(),
        setup.add_case_dialog(),
        setup.adopt_dialog(),
        LearningPointDialog(rubric, "Officer 1, 00:00:03.000, frame 75 (exact)", parent=window),
        OthersReviewsDialog(rubric, others, window),
        ShortcutHelpDialog(shortcut_table(5000), window),
        accounts,
        PersonDialog(lambda _form: None, accounts),
        PersonDialog(lambda _form: None, accounts, person=bob),
        ChangePinDialog(ws.auth, team.alice, window, current="temporary"),
        ChangePinDialog(ws.auth, team.alice, window),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(100)
        for screen in SCREENS:
            assert misfits(dialog, screen) == [], type(dialog).__name__
        dialog.reject()
    window.show_shortcuts()  # F1's list of every key: 1,114 px tall at 200% text
    box = window.findChild(QMessageBox)
    assert box is not None
    qtbot.waitExposed(box)
    qtbot.wait(100)
    for screen in SCREENS:
        assert misfits(box, screen) == [], box.windowTitle()
    box.close()


def test_sampling_dialog_fits_with_its_choices_a_preview_and_advanced_open(
    qtbot: QtBot, sqlite_url: str, app_home: Paths, font_scale: float
) -> None:
    """The draw dialog at its fullest: the example manifest's values to tick, a group
    added, a preview listing cases, and the typed lines unfolded under Advanced."""
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", "314159", purpose=PURPOSE)
    manifest = Path(__file__).resolve().parents[2] / "resources/manifests/example-manifest.csv"
    ws.library.import_manifest(admin, manifest, Settings(app_home.settings_file), purpose=PURPOSE)
    try:
        dialog = SamplingDialog(ws.sampling, admin)
        qtbot.addWidget(dialog)
        dialog.groups.picker.choose_field("strip_search")
        dialog.groups.picker.values.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.groups.add_group()
        dialog.size_box.setValue(6)
        dialog.preview()
        assert dialog.cases.rowCount() >= 6
        for unfolded in (False, True):
            dialog.advanced_button.setChecked(unfolded)
            for screen in SCREENS:
                show_on(qtbot, dialog, screen)
                assert misfits(dialog, screen) == [], f"{screen}, Advanced open: {unfolded}"
        dialog.reject()
    finally:
        ws.close()


def test_reports_tab_fits_with_pages_shown_and_an_issue_refused(
    qtbot: QtBot, sqlite_url: str, font_scale: float
) -> None:
    """The Reports tab at its fullest: a session ticked, the chair's words written, the
    pages of a preview shown, and an issue refused with its message in view. The chair's
    other tabs are taken out of the window, since a tab widget is as wide as its widest
    page and each of them has its own test here."""
    ws = Workspace.create(sqlite_url)
    try:
        panel = build_report_panel(ws)
        ws.users.accept_confidentiality(panel.chair, purpose=PURPOSE)
        window = MainWindow(ws, panel.chair)
        tab = window.reports
        for index in reversed(range(window.tabs.count())):
            if window.tabs.widget(index) is not tab:
                window.tabs.removeTab(index)
        assert_fits(qtbot, window)
        tab.picker.tick(REPORT_SESSION)
        tab.narrative.fields[NarrativeSection.RECOMMENDATIONS].setPlainText("Receipts. " * 80)
        show_on(qtbot, window, SCREENS[0])
        tab.preview()
        task = tab.task
        assert task is not None
        qtbot.wait(100)
        if task.running:  # Cancel and the progress bar beside Preview, while it runs
            assert tab.cancel_button.isVisible()
            assert misfits(window, SCREENS[0]) == [], "while previewing"
        qtbot.waitUntil(lambda: not task.running and bool(tab.pages.pages), timeout=60_000)
        tab.issue_error.show_error("Not issued: " + "the folder is not there any more. " * 4)
        assert_fits(qtbot, window)
        tab.narrative.flush()
    finally:
        ws.close()
