"""The chair's Reports tab: choose what the quarterly report covers, write the chair's
sections, look at the pages, and issue it.

Reading order is the work's order: the scope and the chair's words on the left, the pages
and issuing on the right. Compiling, drawing the pages and issuing run off the GUI thread
(ui/background.py); a preview can be cancelled. Issue is offered only when every session in
scope is finalised, and says in words why not otherwise. The services check the chair's
permission again; the tab is only built for chairs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QImage, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Settings
from bwv_review.services.actor import Actor
from bwv_review.services.audit import held_checkpoint_key
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.report_issuing import IssuedReportView, IssueResult, ReportFormat
from bwv_review.services.report_scope import ReportScope, ResolvedScope
from bwv_review.services.workspace import Workspace
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.fitting import FlowLayout, ReflowSplitter
from bwv_review.ui.narrative_editor import NarrativeEditor
from bwv_review.ui.report_preview import PageView, render_pages
from bwv_review.ui.report_scope_picker import ReportScopePicker
from bwv_review.ui.session_dialogs import named
from bwv_review.ui.sign_in import ErrorLabel

log = logging.getLogger(__name__)

PURPOSE = "reports tab"
FORMAT_WORDS = {ReportFormat.PDF: "PDF", ReportFormat.HTML: "HTML (accessible web page)"}
ISSUED_COLUMNS = ("Issued (UTC)", "Variant", "Format", "Sessions", "SHA-256", "Checkpoint")
NO_KEY = (
    "This machine holds no audit key: ask the administrator to write a checkpoint "
    "(`bwv-review audit checkpoint`)."
)
PathChooser = Callable[[QWidget, str, str], str]


def ask_where_to_save(parent: QWidget, suggested: str, file_filter: str) -> str:
    """The person's file dialog; "" when they cancel."""
    path, _chosen = QFileDialog.getSaveFileName(
        parent, "Issue the report as", suggested, file_filter
    )
    return path


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def file_name(resolved: ResolvedScope, variant: str, file_format: ReportFormat) -> str:
    period = re.sub(r"[^A-Za-z0-9-]+", "-", resolved.period).strip("-")
    return f"panel-report-{period}-{variant}.{file_format.value}"


class ReportsTab(QWidget):
    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._actor = actor
        self._settings = settings
        self.resolved: ResolvedScope | None = None
        self.scope: ReportScope | None = None
        self.task: BackgroundTask | None = None
        self.choose_path: PathChooser = ask_where_to_save  # tests answer the dialog here
        self.setAccessibleName("Reports")

        choices = workspace.report_choices.sessions(actor)
        self.picker = ReportScopePicker(choices.sessions)
        self.scope_words = QLabel("")  # read by its words, as each status line here
        self.scope_words.setWordWrap(True)
        self.narrative = NarrativeEditor(workspace.report_narrative, actor, PURPOSE)
        self.narrative.edited.connect(self._preview_out_of_date)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(heading("1. What the report covers"))
        left_layout.addWidget(self.picker)
        left_layout.addWidget(self.scope_words)
        left_layout.addWidget(heading("2. The chair's words"))
        left_layout.addWidget(self.narrative)
        left_layout.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(left)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take the focus, not it
        # As wide as its content, so it scrolls only up and down at a large font; the
        # pages beside it are drawn to the width left to them.
        scroller.setMinimumWidth(
            left.minimumSizeHint().width() + scroller.verticalScrollBar().sizeHint().width() + 4
        )

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(heading("3. The pages"))
        right_layout.addLayout(self._build_preview())
        right_layout.addLayout(self._page_row)
        right_layout.addWidget(self.draft_words)
        right_layout.addWidget(self.pages, 1)
        right_layout.addWidget(heading("4. Issuing"))
        right_layout.addLayout(self._build_issue())
        right_layout.addWidget(self.issue_why)
        right_layout.addWidget(self.issue_state)
        right_layout.addLayout(self._build_issued())
        right_layout.addWidget(self.issued_table)

        splitter = ReflowSplitter()  # pages under the choices at 200% text on a laptop
        splitter.addWidget(scroller)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.picker.changed.connect(self.scope_changed)
        self.scope_changed()
        self.show_issued()

    # -- building -------------------------------------------------------------------------

    def _build_preview(self) -> QHBoxLayout:
        self.preview_button = named(
            QPushButton("&Preview pages"), "Preview pages of the report as it stands"
        )
        self.preview_button.clicked.connect(self.preview)
        self.cancel_button = named(QPushButton("C&ancel preview"), "Cancel preview")
        self.cancel_button.clicked.connect(self.cancel_preview)
        self.cancel_button.hide()
        self.progress = named(QProgressBar(), "Progress")
        self.progress.setRange(0, 0)  # busy: how long compiling takes is not known ahead
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        self.preview_state = QLabel("")
        self.preview_state.setWordWrap(True)
        self.page_number = QLabel("")
        self.draft_words = QLabel("")
        self.draft_words.setWordWrap(True)
        self.draft_words.hide()
        self.pages = PageView(self.page_number.setText)
        caption = QLabel("Report pa&ges:")
        caption.setBuddy(self.pages)
        row = QHBoxLayout()
        row.addWidget(self.preview_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress)
        row.addWidget(self.preview_state, 1)
        self._page_row = QHBoxLayout()  # its own line: Cancel and progress need the room
        self._page_row.addWidget(caption)
        self._page_row.addWidget(self.page_number, 1)
        return row

    def _build_issue(self) -> FlowLayout:
        self.file_format = named(QComboBox(), "File format to issue")
        for file_format in ReportFormat:
            self.file_format.addItem(FORMAT_WORDS[file_format], file_format.value)
        caption = QLabel("Fil&e format:")
        caption.setBuddy(self.file_format)
        self.issue_button = named(
            QPushButton("Iss&ue\u2026"), "Issue: choose where to save the report and record it"
        )
        self.issue_button.clicked.connect(self.choose_and_issue)
        self.issue_why = QLabel("")
        self.issue_why.setWordWrap(True)
        self.issue_state = QLabel("")
        self.issue_state.setWordWrap(True)
        self.issue_state.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.issue_state.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the hash can be read out
        self.issue_error = ErrorLabel()
        row = FlowLayout()  # a refusal goes under the button where it does not fit beside
        for widget in (caption, self.file_format, self.issue_button, self.issue_error):
            row.addWidget(widget)
        return row

    def _build_issued(self) -> QHBoxLayout:
        self.issued_table = named(
            QTableWidget(0, len(ISSUED_COLUMNS)), "Issued reports, newest first"
        )
        self.issued_table.setHorizontalHeaderLabels(list(ISSUED_COLUMNS))
        self.issued_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issued_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued_table.setTabKeyNavigation(False)
        self.issued_table.verticalHeader().hide()
        self.issued_table.setWordWrap(False)
        rows_px = 3 * self.issued_table.verticalHeader().defaultSectionSize()
        header_px = self.issued_table.horizontalHeader().sizeHint().height()
        self.issued_table.setMaximumHeight(rows_px + header_px + 4)  # three; more scroll
        header = self.issued_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        caption = QLabel("Issued reports (ne&west first):")
        caption.setBuddy(self.issued_table)
        self.issued_count = QLabel("")
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.issued_count, 1)
        return row

    # -- the scope ------------------------------------------------------------------------

    def scope_changed(self) -> None:
        """A new scope or variant: the chair's words for it, a fresh preview to make, and
        whether it can be issued. What was typed for the old scope is saved first."""
        self.cancel_preview()
        self.scope, self.resolved = None, None
        try:
            scope = self.picker.scope()
            self.resolved = self._workspace.report_choices.resolve(self._actor, scope)
            self.scope = scope
        except (ServiceError, DatabaseUnavailable) as exc:
            self.scope_words.setText(f"\u26a0 {exc}")
        self.narrative.show_scope(self.scope)
        self.pages.clear()
        self.draft_words.hide()
        self.issue_state.setText("")
        self.issue_error.clear_error()
        if self.resolved is not None:
            self.scope_words.setText(self._scope_in_words(self.resolved))
        elif not self.picker.sessions:
            self.scope_words.setText(
                "No review sessions yet: create one under Review sessions. Once it is "
                "finalised, its report for the Police and Crime Commissioner is issued here."
            )
        self.preview_state.setText(
            "Press Preview to see the pages." if self.scope else "Choose what it covers first."
        )
        self._enable()

    @staticmethod
    def _scope_in_words(resolved: ResolvedScope) -> str:
        count = len(resolved.sessions)
        names = ", ".join(s.name for s in resolved.sessions)
        return f"{resolved.period}: {count} session{'s' if count != 1 else ''} ({names})."

    def _not_finalised(self) -> list[str]:
        if self.resolved is None:
            return []
        return [f"{s.name} ({s.status.value})" for s in self.resolved.sessions if not s.finalised]

    def _enable(self) -> None:
        busy = self.task is not None and self.task.running
        waiting = self._not_finalised()
        ready = self.resolved is not None and not waiting
        self.preview_button.setEnabled(self.scope is not None and not busy)
        self.issue_button.setEnabled(ready and not busy)
        if self.resolved is None:
            self.issue_why.setText("Issue: choose what the report covers first.")
        elif waiting:
            self.issue_why.setText(
                "Issue is closed: only finalised sessions can be issued, and "
                f"{', '.join(waiting)} {'is' if len(waiting) == 1 else 'are'} not finalised. "
                "Finalise under Review sessions; a preview meanwhile is marked DRAFT."
            )
        else:
            self.issue_why.setText("Every session in scope is finalised: ready to issue.")

    def flush(self) -> None:
        """Save the chair's words being typed (before a sign-out or the window closing)."""
        self.narrative.flush()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the tab: a session made or finalised meanwhile under Review
        sessions is listed as it is now, so Issue opens once the last one is finalised."""
        super().showEvent(event)
        try:
            sessions = self._workspace.report_choices.sessions(self._actor).sessions
        except (ServiceError, DatabaseUnavailable) as exc:
            self.scope_words.setText(f"\u26a0 {exc}")
            return
        if sessions != self.picker.sessions:
            self.picker.show_sessions(sessions)
            self.scope_changed()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()  # another tab, the idle lock or closing the window
        super().hideEvent(event)

    # -- the preview ----------------------------------------------------------------------

    def preview(self) -> None:
        """Compile the report and draw its pages, off the GUI thread."""
        self.narrative.flush()  # the pages carry what was just typed
        if self.scope is None:
            return
        issuing, actor, scope = self._workspace.report_issuing, self._actor, self.scope
        variant = self.picker.chosen_variant()
        scale = self.pages.fitting_scale()

        def work(progress: Callable[[int], bool]) -> tuple[bool, list[QImage]]:
            document, data = issuing.preview(
                actor, scope, variant, ReportFormat.PDF, purpose=PURPOSE
            )
            return document.draft, render_pages(data, lambda done: progress(done + 1), scale)

        self.pages.clear()
        self.draft_words.hide()
        self.preview_state.setText("Compiling the report\u2026")
        self.task = BackgroundTask(work, self)
        self.task.progressed.connect(self._preview_progressed)
        self.task.succeeded.connect(self._previewed)
        self.task.failed.connect(self._preview_failed)
        self.task.cancelled.connect(lambda: self._preview_ended("Preview cancelled."))
        self.progress.show()
        self.cancel_button.show()
        self.task.start()
        self._enable()
        self.cancel_button.setFocus()

    def cancel_preview(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.preview_state.setText("Cancelling\u2026")

    def _preview_progressed(self, done: int) -> None:
        if done >= 1 and not (self.task and self.task.cancel_requested):
            self.preview_state.setText(f"Drawing page {done}\u2026")

    def _previewed(self, result: tuple[bool, list[QImage]]) -> None:
        draft, images = result
        self.pages.show_pages(images)
        if draft:
            waiting = ", ".join(self._not_finalised()) or "a session in scope"
            self.draft_words.setText(
                f"DRAFT: {waiting} is not finalised, so every page is marked DRAFT. "
                "It can be previewed, not issued."
            )
            self.draft_words.show()
        count = len(images)
        self._preview_ended(f"{count} page{'s' if count != 1 else ''}.")
        self.pages.setFocus()

    def _preview_failed(self, exc: BaseException) -> None:
        self._preview_ended(f"\u26a0 No preview: {exc}")

    def _preview_ended(self, words: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.preview_state.setText(words)
        self._enable()
        if not self.pages.pages:
            self.preview_button.setFocus()

    def _preview_out_of_date(self) -> None:
        if self.pages.pages:
            self.preview_state.setText("Changed since this preview: press Preview again.")

    # -- issuing --------------------------------------------------------------------------

    def choose_and_issue(self) -> None:
        if self.resolved is None:
            return
        file_format = ReportFormat(self.file_format.currentData())
        variant = self.picker.chosen_variant()
        suggested = str(Path.home() / file_name(self.resolved, variant.value, file_format))
        path = self.choose_path(
            self, suggested, f"{file_format.value.upper()} files (*.{file_format.value})"
        )
        if path:
            self.issue_to(Path(path), file_format)

    def issue_to(self, out: Path, file_format: ReportFormat) -> None:
        """Issue the chosen scope to `out`, off the GUI thread; a checkpoint is signed
        beside it where this machine holds the audit key."""
        self.narrative.flush()
        self.issue_error.clear_error()
        if self.scope is None:
            return
        try:
            key = held_checkpoint_key(self._settings)
        except ServiceError as exc:
            self.issue_error.show_error(f"Not issued: {exc}")
            return
        issuing, actor, scope = self._workspace.report_issuing, self._actor, self.scope
        variant = self.picker.chosen_variant()

        def work(_progress: Callable[[int], bool]) -> IssueResult:
            return issuing.issue(
                actor, scope, variant, file_format, out, purpose=PURPOSE, checkpoint_key=key
            )

        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(self._issued)
        self.task.failed.connect(self._issue_failed)
        self.issue_state.setText(f"Issuing to {out}\u2026")
        self.progress.show()
        self.task.start()
        self._enable()

    def _issued(self, result: IssueResult) -> None:
        report = result.report
        if result.newly_issued:
            first = f"\u2714 Issued ({report.variant} {report.file_format.upper()})."
        else:
            first = (
                f"\u2714 Already issued on {report.issued_at:%d %b %Y %H:%M} UTC: the same "
                "bytes as then, so nothing new is recorded."
            )
        lines = [first, f"File: {result.path}", f"SHA-256: {report.sha256}"]
        if result.checkpoint_path is not None:
            lines.append(f"Signed audit checkpoint written beside it: {result.checkpoint_path}")
        elif report.checkpoint_written:
            lines.append("A signed audit checkpoint was written when it was first issued.")
        else:
            lines.append(NO_KEY)
        self._issue_ended()
        self.issue_state.setText("\n".join(lines))
        self.show_issued()
        self.issue_state.setFocus()

    def _issue_failed(self, exc: BaseException) -> None:
        self._issue_ended()
        self.issue_state.setText("")
        self.issue_error.show_error(f"Not issued: {exc}")

    def _issue_ended(self) -> None:
        self.progress.hide()
        self._enable()

    def show_issued(self) -> None:
        try:
            issued = self._workspace.report_issuing.issued(self._actor)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.issue_error.show_error(str(exc))
            return
        self.issued_table.setRowCount(len(issued))
        for row, report in enumerate(issued):
            for column, text in enumerate(self._issued_cells(report)):
                item = QTableWidgetItem(text)
                item.setToolTip(report.sha256 if column == 4 else text)
                self.issued_table.setItem(row, column, item)
        count = len(issued)
        self.issued_count.setText(f"{count} report{'s' if count != 1 else ''} issued")

    @staticmethod
    def _issued_cells(report: IssuedReportView) -> tuple[str, ...]:
        return (
            f"{report.issued_at:%Y-%m-%d %H:%M}",
            report.variant,
            report.file_format.upper(),
            ", ".join(report.sessions),
            report.sha256[:12] + "\u2026",
            "\u2714 written" if report.checkpoint_written else "\u2014 none yet",
        )
