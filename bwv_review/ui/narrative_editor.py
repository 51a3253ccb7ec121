"""The chair's own words in the report (introduction, recommendations, next quarter's
sampling focus: whatever sections services/report_narrative.py defines), one field each,
saved as typed like the review form (TypingSaver: on a pause, on leaving the field) and
before the scope changes or the chair signs out.

Each save names the version it was read at; a chair on another laptop who saved first is
named in words, the text typed here is kept, and "Load their changes" shows theirs.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from bwv_review.services.actor import Actor
from bwv_review.services.consensus import ConcurrentEdit
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.report_narrative import (
    NarrativeSection,
    NarrativeView,
    ReportNarrativeService,
)
from bwv_review.services.report_scope import ReportScope
from bwv_review.ui.rubric_form import TypingSaver
from bwv_review.ui.session_dialogs import named
from bwv_review.ui.sign_in import ErrorLabel

# The field captions' Alt letters; a section the service adds later gets none until named.
CAPTIONS = {
    NarrativeSection.INTRODUCTION: "&Introduction from the chair",
    NarrativeSection.RECOMMENDATIONS: "The panel's &recommendations",
    NarrativeSection.SAMPLING_FOCUS: "Next quarter's samp&ling focus",
}
NO_SCOPE = "Choose what the report covers to write these."


def saved_words(view: NarrativeView) -> str:
    if view.version is None:
        return "not written yet"
    at = f" at {view.updated_at:%d %b %Y %H:%M} UTC" if view.updated_at else ""
    return f"saved, version {view.version}, by {view.updated_by}{at}"


class NarrativeEditor(QWidget):
    edited = Signal()  # a section was saved: a preview made before it is out of date

    def __init__(
        self,
        service: ReportNarrativeService,
        actor: Actor,
        purpose: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._purpose = purpose
        self._scope: ReportScope | None = None
        self._versions: dict[NarrativeSection, int | None] = {}
        self.fields: dict[NarrativeSection, QPlainTextEdit] = {}
        self.states: dict[NarrativeSection, QLabel] = {}
        self.savers: dict[NarrativeSection, TypingSaver] = {}
        self.hint = QLabel(NO_SCOPE)  # status lines are read by their words
        self.hint.setWordWrap(True)
        self.error = ErrorLabel()
        self.reload_button = named(
            QPushButton("Load their &changes"), "Load their changes, replacing the text here"
        )
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.hint, 0, 0, 1, 2)
        row = 1
        for section in NarrativeSection:
            field = named(QPlainTextEdit(), section.heading)
            field.setTabChangesFocus(True)  # Tab moves on; the text takes no tab characters
            lines_px = field.fontMetrics().lineSpacing()
            field.setMinimumHeight(3 * lines_px + 12)
            field.setMaximumHeight(6 * lines_px + 12)  # more scrolls in the field
            caption = QLabel(CAPTIONS.get(section, section.heading) + ":")
            caption.setBuddy(field)
            state = QLabel("")
            state.setWordWrap(True)  # who saved and when may take two lines beside the caption
            state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            saver = TypingSaver(field, partial(self._save, section))
            saver.pending.connect(partial(state.setText, "not saved yet\u2026"))
            grid.addWidget(caption, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(field, row + 1, 0, 1, 2)
            row += 2
            self.fields[section], self.states[section] = field, state
            self.savers[section] = saver
        grid.addWidget(self.error, row, 0, 1, 2)
        grid.addWidget(self.reload_button, row + 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.show_scope(None)

    def flush(self) -> None:
        """Save whatever was typed and not yet saved, under the scope it was typed for."""
        for saver in self.savers.values():
            saver.flush()

    def show_scope(self, scope: ReportScope | None) -> None:
        """Show the sections of `scope` (None: no complete scope chosen), after saving what
        was typed for the one before."""
        self.flush()
        self._scope = scope
        self.reload()

    def reload(self) -> None:
        self.error.clear_error()
        self.reload_button.hide()
        views: tuple[NarrativeView, ...] = ()
        if self._scope is not None:
            try:
                views = self._service.sections(self._actor, self._scope)
            except (ServiceError, DatabaseUnavailable) as exc:
                self.error.show_error(str(exc))
        found = {view.section: view for view in views}
        for section, field in self.fields.items():
            view = found.get(section)
            field.blockSignals(True)
            field.setPlainText(view.text if view else "")
            field.blockSignals(False)
            field.setEnabled(view is not None)
            self._versions[section] = view.version if view else None
            self.states[section].setText(saved_words(view) if view else "")
        self.hint.setText(
            "Saved as you type, for the sessions chosen above; printed in the report."
            if views
            else NO_SCOPE
        )

    def _save(self, section: NarrativeSection) -> None:
        if self._scope is None:
            return
        self.error.clear_error()
        try:
            view = self._service.save(
                self._actor,
                self._scope,
                section,
                self.fields[section].toPlainText(),
                expected_version=self._versions[section],
                purpose=self._purpose,
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.savers[section].keep_unsaved()
            self.states[section].setText("\u26a0 not saved")
            self.error.show_error(f"{section.heading}: not saved: {exc}")
            if isinstance(exc, ConcurrentEdit):
                self.reload_button.show()
            return
        changed = view.version != self._versions[section]
        self._versions[section] = view.version
        self.states[section].setText(saved_words(view))
        if changed:
            self.edited.emit()
