"""The main window: one tab per kind of work the signed-in person may do.

Until the workspace holds anything, each tab is an empty state that says what to do first
and who does it, so a volunteer who signs in before the administrator has imported anything
is told why the screen is empty instead of seeing a blank table.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.permissions import Permission, allowed
from bwv_review.services.workspace import Workspace
from bwv_review.ui.about import version_report
from bwv_review.ui.accounts_screen import AccountsDialog
from bwv_review.ui.display_settings import display_settings_action
from bwv_review.ui.empty_state import EmptyState, EmptyStateText
from bwv_review.ui.fitting import ElidedLabel, ScrollingTabWidget, scroll_message
from bwv_review.ui.idle_lock import IdleLock, minutes_to_ms
from bwv_review.ui.import_dialog import ImportDialog
from bwv_review.ui.learning_tab import LearningTab
from bwv_review.ui.library_view import LIBRARY_TAB, LibraryView
from bwv_review.ui.player_shortcuts import review_shortcuts
from bwv_review.ui.reports_tab import ReportsTab
from bwv_review.ui.review_screen import ReviewScreen
from bwv_review.ui.sampling_dialog import SamplingDialog
from bwv_review.ui.sessions_screen import SessionsScreen
from bwv_review.ui.sign_in import DEMO_LABEL, ChangePinDialog

REVIEWS = EmptyStateText(
    "My reviews",
    "You have no cases to review yet.",
    (
        "When the panel chair opens a review session and assigns cases to you, they appear "
        "here as a list you can work through in any order.",
        "Everything you enter is saved as you go; there is no Save button.",
    ),
)
SESSIONS = EmptyStateText(
    "Review sessions",
    "No review sessions yet.",
    (
        "First, the administrator imports the force's cases and footage (Library tab).",
        "Then draw a sample of cases, create a session for the quarter, add the members and "
        "open it for reviewing.",
    ),
)
REPORTS = EmptyStateText(
    "Reports",
    "No report to compile yet.",
    (
        "Once a session is finalised, compile the quarterly report for the Police and Crime "
        "Commissioner here. Reports carry no names.",
    ),
)
LEARNING = EmptyStateText(
    "Learning",
    "No learning points yet.",
    (
        "Learning points and good practice that reviewers tag in the footage appear here, "
        "ready to export for officer training. Exports carry no names.",
    ),
)

TABS_BY_ROLE: tuple[tuple[EmptyStateText, frozenset[Role]], ...] = (
    (REVIEWS, frozenset({Role.REVIEWER, Role.CHAIR})),
    (SESSIONS, frozenset({Role.CHAIR})),
    (LIBRARY_TAB, frozenset({Role.ADMIN, Role.CHAIR})),
    (REPORTS, frozenset({Role.CHAIR})),
    (LEARNING, frozenset({Role.TRAINING_LEAD, Role.CHAIR})),
)


def _cells(*texts: str, head: bool = False) -> str:
    tag = "th" if head else "td"
    return "<tr>" + "".join(f"<{tag} align=left>{html.escape(t)}</{tag}>" for t in texts) + "</tr>"


def window_title(actor: Actor, *, demo: bool) -> str:
    """Who is signed in; a demo workspace says so in every window's title bar. The app's
    name is left out: Qt adds the application display name itself ("Alice — bwv-review"),
    so naming it here too showed it twice."""
    title = actor.display_name
    return f"{title} \u2014 {DEMO_LABEL}" if demo else title


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.actor = actor
        self.signed_out = False
        self.setWindowTitle(window_title(actor, demo=workspace.panel.current().demo))
        self.setAccessibleName("bwv-review main window")
        self.resize(1100, 720)

        self.tabs = ScrollingTabWidget()  # a page taller than the window scrolls
        self.tabs.setAccessibleName("Work areas")
        self.tabs.setDocumentMode(True)
        for text, tab_roles in TABS_BY_ROLE:
            if not actor.roles & tab_roles:
                continue
            if text is LIBRARY_TAB:
                self.library = LibraryView(workspace.library_view, actor)
                self.tabs.addTab(self.library, text.title)
            elif text is REVIEWS:
                self.reviews = ReviewScreen(workspace, actor, REVIEWS)
                self.reviews.signOutRequested.connect(self.sign_out)
                self.tabs.addTab(self.reviews, text.title)
            elif text is SESSIONS:
                self.sessions = SessionsScreen(workspace, actor)
                self.tabs.addTab(self.sessions, text.title)
            elif text is LEARNING:
                self.learning = LearningTab(workspace, actor)
                self.tabs.addTab(self.learning, text.title)
            elif text is REPORTS:
                settings = Settings(Paths.for_this_machine().settings_file)
                self.reports = ReportsTab(workspace, actor, settings)
                self.tabs.addTab(self.reports, text.title)
            else:
                self.tabs.addTab(EmptyState(text), text.title)
        self.setCentralWidget(self.tabs)
        if hasattr(self, "sessions") and hasattr(self, "reviews"):
            self.sessions.ownReviewRequested.connect(self.show_own_review)
        self._build_menus()
        self._bind_tab_keys()
        reviews: ReviewScreen | None = getattr(self, "reviews", None)
        self.idle_lock = IdleLock(
            self,
            workspace,
            actor,
            minutes_to_ms(
                float(Settings(Paths.for_this_machine().settings_file).get("idle_lock_minutes"))
            ),
            is_busy=reviews.is_playing if reviews else lambda: False,
            on_lock=reviews.hide_for_lock if reviews else lambda: None,
            on_unlock=reviews.restore_after_lock if reviews else lambda: None,
            on_sign_out=self.sign_out,
        )

        roles = ", ".join(sorted(role.label for role in actor.roles))
        # Who is signed in stays whole; a long database path gives way (it widened the
        # window past the screen at a large font).
        database = ElidedLabel(f"Database: {workspace.location}")
        database.setAccessibleName("Database location")
        self.statusBar().addPermanentWidget(database, 1)
        status = QLabel(f"Signed in as {actor.display_name} ({actor.pseudonym}) \u00b7 {roles}")
        status.setAccessibleName("Status")
        self.statusBar().addPermanentWidget(status)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        if allowed(self.actor, Permission.IMPORT_DATA):
            self.import_action = QAction("&Import records, cases or footage\u2026", self)
            self.import_action.setShortcut(QKeySequence("Ctrl+I"))
            self.import_action.triggered.connect(self.show_import)
            file_menu.addAction(self.import_action)
        if allowed(self.actor, Permission.DRAW_SAMPLE):
            self.sample_action = QAction("&Draw a sample of cases\u2026", self)
            self.sample_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
            self.sample_action.triggered.connect(
                lambda: SamplingDialog(self.workspace.sampling, self.actor, self).exec()
            )
            file_menu.addAction(self.sample_action)
        if allowed(self.actor, Permission.MANAGE_USERS):
            self.accounts_action = QAction("&Accounts\u2026", self)
            self.accounts_action.triggered.connect(
                lambda: AccountsDialog(self.workspace, self.actor, self).exec()
            )
            file_menu.addAction(self.accounts_action)
        self.change_pin_action = QAction("&Change my PIN\u2026", self)
        self.change_pin_action.triggered.connect(
            lambda: ChangePinDialog(self.workspace.auth, self.actor, self).exec()
        )
        file_menu.addAction(self.change_pin_action)
        # In File rather than a View menu of its own: Alt+V, Alt+W... are taken by the
        # screens' own controls (Verify the clips, Volume, Variant), and a menu title
        # would take the key from them on every page.
        self.display_action = display_settings_action(self)
        file_menu.addAction(self.display_action)
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = QAction("&Keyboard shortcuts", self)
        shortcuts.setShortcut(QKeySequence(Qt.Key.Key_F1))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        about = QAction("&About bwv-review", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _bind_tab_keys(self) -> None:
        """Ctrl+Tab and Ctrl+Shift+Tab switch the window's tabs from anywhere in it. Left to
        QTabWidget they worked only while the focus was inside it and no list kept the keys,
        so right after sign-in, with nothing focused, they did nothing. The Review sessions
        tab's own tabs have underlined Alt letters."""
        for name, key, step in (
            ("Next tab", "Ctrl+Tab", 1),
            ("Previous tab", "Ctrl+Shift+Tab", -1),
        ):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(key))  # Qt matches Shift+Tab's Backtab to it
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, step=step: self.step_tab(step))
            self.addAction(action)

    def step_tab(self, step: int) -> None:
        """Move to the next (+1) or previous (-1) enabled tab, wrapping as QTabWidget does.
        With nothing focused the tab bar takes the focus, so a screen reader names the tab
        and the arrow keys carry on from there."""
        count = self.tabs.count()
        index = self.tabs.currentIndex()
        for _ in range(count):
            index = (index + step) % count
            if self.tabs.isTabEnabled(index) and self.tabs.isTabVisible(index):
                break
        self.tabs.setCurrentIndex(index)
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            self.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)

    def show_import(self) -> None:
        settings = Settings(Paths.for_this_machine().settings_file)
        ImportDialog(self.workspace, self.actor, settings, self).exec()
        library = getattr(self, "library", None)
        if library is not None:
            library.data_changed()

    def show_own_review(self, assignment_id: int) -> None:
        """A chair who also reviews the case goes from its consensus to their own review."""
        self.tabs.setCurrentWidget(self.reviews)
        self.reviews.refresh()
        if self.reviews.currentWidget() is self.reviews.queue:  # past the statement
            self.reviews.open_case(assignment_id)

    def sign_out(self) -> None:
        reviews: ReviewScreen | None = getattr(self, "reviews", None)
        if reviews is not None:
            reviews.close_case()  # what is being typed is saved before the sign-out event
        reports: ReportsTab | None = getattr(self, "reports", None)
        if reports is not None:
            reports.flush()
        self.workspace.audit.record(self.actor, "auth.signed_out", purpose="app sign-out")
        self.signed_out = True
        self.close()

    def shortcuts_html(self) -> str:
        """The keys this person has, read from what binds them: the window's actions (so a
        reviewer is not shown the administrator's Import) and, with the My reviews tab, the
        review screen's table (player_shortcuts), where F1 is this list."""
        menus = [
            menu for item in self.menuBar().actions() if isinstance(menu := item.menu(), QMenu)
        ]
        window = [
            (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), action)
            for action in [*(a for menu in menus for a in menu.actions()), *self.actions()]
        ]
        rows = [
            _cells(keys, action.text().replace("&", "").rstrip("\u2026"))
            for keys, action in window
            if keys
        ]
        text = f"<table cellspacing=4>{''.join(rows)}</table>"
        if getattr(self, "reviews", None) is None:
            return text
        settings = Settings(Paths.for_this_machine().settings_file)
        review = [
            _cells(s.description, ", ".join(s.player_keys), ", ".join(s.window_keys))
            for s in review_shortcuts(int(settings.get("player.jump_ms")))
            if s.action != "show_shortcuts"  # the player's F1 gives way to this list
        ]
        head = _cells("Reviewing a case", "While the player has focus", "Anywhere", head=True)
        return f"{text}<p></p><table cellspacing=4>{head}{''.join(review)}</table>"

    def show_shortcuts(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts",
            self.shortcuts_html(),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        scroll_message(box)  # a long list at 200% text
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        """Opened, not run (QMessageBox.about blocks), as the shortcut list is: the window
        stays responsive and the accessibility walk can read the box while it is open."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About bwv-review",
            "bwv-review: body-worn-video review for community scrutiny panels.\n\n"
            + version_report(),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
