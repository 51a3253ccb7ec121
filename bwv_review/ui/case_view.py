"""One case under review: its record, its footage behind an optional content warning, the
review form and the learning points.

Every change goes to the reviews service the moment it is made and the screen says "Saved"
only after the commit returned; a refusal is shown in words beside the form and nothing is
pretended. The service decides what is complete and what grade is suggested; the screen
shows what it answers.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Settings
from bwv_review.domain.review_rules import FormState
from bwv_review.domain.text_fields import normalise_line_endings
from bwv_review.domain.vocab import LearningKind
from bwv_review.media.frame_position import PLAIN_SEEK_UNCERTAINTY_FRAMES, FramePosition
from bwv_review.media.playback_state import PlaybackState
from bwv_review.services.actor import Actor
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.review_views import LearningPointView, MemberReview, ReviewView
from bwv_review.services.reviews import LearningPointInput, ReviewText, SubmissionRefused
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_record import content_warning, record_html, record_rows
from bwv_review.ui.clip_check import ClipContentChecker
from bwv_review.ui.fitting import ColumnScrollArea, ReflowSplitter
from bwv_review.ui.learning_points import (
    LearningPointDialog,
    LearningPointList,
    PointRow,
    describe_frame,
    marker_for,
)
from bwv_review.ui.others_reviews import OthersReviewsDialog
from bwv_review.ui.player_shortcuts import LEARNING_POINT
from bwv_review.ui.player_timeline import format_ms
from bwv_review.ui.player_widget import ClipRef, PlayerWidget
from bwv_review.ui.rubric_form import RubricForm
from bwv_review.ui.sign_in import ErrorLabel
from bwv_review.ui.tab_order import move_after
from bwv_review.ui.view_log import AuditViewLog, clip_key

REVIEW_PURPOSE = "panel review of a case"
CONTENT_WARNING_SETTING = "review.content_warning"
# How long to wait for the paused frame to be verified before stamping what is known (and
# how unsure it is).
_STAMP_WAIT_MS = 3000
# After the database did not answer, what is on screen is sent again this much later.
_RETRY_SAVE_MS = 5000


class CaseView(QWidget):
    """One case under review. Build with the view `open_case` returned."""

    backRequested = Signal()

    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        settings: Settings,
        view: ReviewView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._actor = actor
        self._settings = settings
        self.view = view
        self.rubric = view.rubric
        self.assignment_id = view.assignment_id
        self.locked = view.locked
        self.points: list[LearningPointView] = list(view.learning_points)
        self.player: PlayerWidget | None = None
        self.clip_checker: ClipContentChecker | None = None
        self._clip_labels = {clip.clip_id: clip.label for clip in view.clips}
        self._stamp_pending = False
        self._status_before_stamp = ""
        self._hidden_for_lock = False
        self.point_dialog: LearningPointDialog | None = None  # the one open now, if any
        self.setAccessibleName(f"Review of case {view.case.force_reference}")

        # Built in reading order, so Tab follows the page: top bar, left column, form.
        self.back_button = QPushButton("← Back to my &cases", self)
        self.back_button.setAccessibleName("Back to my cases")
        self.back_button.clicked.connect(self._go_back)
        title = QLabel(
            f"<b>Case {html.escape(view.case.force_reference)}</b> · "
            f"{html.escape(view.session_name)}"
            + (" · <b>submitted, read only</b>" if view.locked else ""),
            self,
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        # It wraps: on one line a submitted case's title beside the status needed 1,500 px
        # of width at 200% text, past a 1280 px screen. The status stays on one line (it
        # wrapped onto three beside a title taking the room).
        title.setWordWrap(True)
        self.save_status = QLabel("Each change is saved as you make it", self)
        self.save_status.setAccessibleName("Save status")
        self.error = ErrorLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(title, 1)
        top.addWidget(self.save_status)

        # Side by side, or one above the other at 200% text on a laptop. Both columns
        # scroll, so at a large font nothing is squeezed or cut off; focus
        # moving through the left column scrolls it, so it needs no Tab stop of its own.
        splitter = ReflowSplitter(self)
        self.left_scroll = ColumnScrollArea(splitter)
        self.left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.left_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.left_scroll.setAccessibleName("Case record and footage")
        left = QWidget(self.left_scroll)
        self.record = QLabel(left)
        self.record.setAccessibleName("Case record")
        self.record.setWordWrap(True)
        self.record.setTextFormat(Qt.TextFormat.RichText)
        self.record.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.record.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.record.setText(record_html(view.case))
        self.record.setAccessibleDescription(
            "; ".join(f"{label}: {value}" for label, value in record_rows(view.case))
        )
        self.footage = QStackedWidget(left)
        self.footage.setAccessibleName("Footage")
        warning_page = QWidget(self.footage)
        self.warning = QLabel(content_warning(view.case), warning_page)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Content warning")
        self.show_button = QPushButton("&Show footage", warning_page)
        self.show_button.setAccessibleName("Show footage")
        self.show_button.clicked.connect(self.show_footage)
        warning_layout = QVBoxLayout(warning_page)
        warning_layout.addStretch(1)
        warning_layout.addWidget(self.warning)
        warning_layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        warning_layout.addStretch(1)
        self.footage.addWidget(warning_page)
        self.footage_message = QLabel(left)
        self.footage_message.setAccessibleName("Footage problems")
        self.footage_message.setWordWrap(True)
        self.footage_message.setTextFormat(Qt.TextFormat.PlainText)  # clip labels, paths
        self.footage_message.hide()
        self.points_list = LearningPointList(left)
        self.points_list.editRequested.connect(self._edit_point)
        self.points_list.deleteRequested.connect(self._delete_point)
        self.points_list.setEnabled(not view.locked)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(self.record)
        left_layout.addWidget(self.footage_message)
        left_layout.addWidget(self.footage, 1)
        left_layout.addWidget(self.points_list)
        self.left_scroll.setWidget(left)

        right = QWidget(splitter)
        self.form_scroll = ColumnScrollArea(right)
        self.form_scroll.setAccessibleName("Review form")
        self.form = RubricForm(self.rubric, self.form_scroll)
        self.form_scroll.setWidget(self.form)
        self.form.load(view)
        self.form.answerChanged.connect(self._save_answer)
        self.form.gradeChanged.connect(self._save_grade)
        self.form.textChanged.connect(self._save_text)
        self.form.typingPending.connect(self._show_unsaved)
        self.state = view.form
        self.progress = QLabel(right)
        self.progress.setAccessibleName("Progress")
        self.progress.setWordWrap(True)
        self.submit_button = QPushButton("Su&bmit review", right)
        self.submit_button.setAccessibleName("Submit review")
        self.submit_button.clicked.connect(self.submit)
        self.submit_button.setEnabled(not view.locked)
        self.compare_button = QPushButton("Com&pare with other members", right)
        self.compare_button.setAccessibleName("Compare with other members")
        self.compare_button.clicked.connect(self.compare)
        self.compare_button.setEnabled(view.locked)
        self.others: OthersReviewsDialog | None = None
        self.confirm_dialog: QMessageBox | None = None  # the submit question, while open
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.compare_button)
        footer.addWidget(self.submit_button)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.form_scroll, 1)
        right_layout.addLayout(footer)
        splitter.addWidget(self.left_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 520])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)

        self.stamp_shortcut = QShortcut(QKeySequence(LEARNING_POINT.window_keys[0]), self)
        self.stamp_shortcut.activated.connect(self.add_learning_point)
        self._retry_timer = QTimer(self, singleShot=True, interval=_RETRY_SAVE_MS)
        self._retry_timer.timeout.connect(self.form.flush)
        self._stamp_timer = QTimer(self, singleShot=True, interval=_STAMP_WAIT_MS)
        self._stamp_timer.timeout.connect(self._stamp_now)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._keep_focus_visible)
        self._show_progress(view.form.answered, view.form.total, view.form.problems)
        self._refresh_points()
        if not settings.get(CONTENT_WARNING_SETTING):
            self.show_footage()

    # --- footage ------------------------------------------------------------------------

    def show_footage(self) -> None:
        """Check each clip is the registered footage, then build the player with those
        that are. A blocked clip is explained where the player would be."""
        playable: list[ClipRef] = []
        problems: list[str] = []
        for clip in self.view.clips:
            try:
                found = self._ws.library.clip_for_review(self._actor, clip.clip_id, self._settings)
            except (ServiceError, DatabaseUnavailable) as exc:
                problems.append(f"{clip.label}: {exc}")
                continue
            playable.append(ClipRef(clip_key(clip.clip_id), clip.label, found.path))
        if not self.view.clips:
            problems.append("This case has no footage; grade what the record shows.")
        if problems:
            self.footage_message.setText("\u26a0 " + "\n\u26a0 ".join(problems))
            self.footage_message.show()
        if not playable:
            blocked = QLabel("No footage can be shown for this case.", self.footage)
            blocked.setAccessibleName("No footage")
            blocked.setWordWrap(True)
            self.footage.addWidget(blocked)
            self.footage.setCurrentWidget(blocked)
            return
        player = PlayerWidget(
            AuditViewLog(
                self._ws.audit,
                self._actor,
                assignment_id=self.assignment_id,
                session_name=self.view.session_name,
            ),
            viewer_pseudonym=self._actor.pseudonym,
            surface_setting=str(self._settings.get("player.surface")),
            hardware_decoding=bool(self._settings.get("player.hardware_decoding")),
            jump_ms=int(self._settings.get("player.jump_ms")),
            frame_cache_mb=max(int(self._settings.get("player.frame_cache_mb")), 0),
            vlc_args=tuple(self._settings.get("player.vlc_args") or ()),
            demo=self._ws.panel.current().demo,
            parent=self.footage,
        )
        self._take_keys(player)
        self.player = player
        self.footage.addWidget(player)
        move_after(self.record, player)  # built last, it came after Submit
        self.footage.setCurrentWidget(player)
        player.clip_box.currentIndexChanged.connect(lambda _i: self._refresh_points())
        if player.player is not None:
            player.player.frameVerified.connect(self._on_frame_verified)
        self._check_contents(player)
        player.set_clips(playable)
        self._refresh_points()
        player.setFocus()

    def _check_contents(self, player: PlayerWidget) -> None:
        """Each clip's file is hashed the first time it is shown in this run; one that is
        not the registered footage is stopped and explained where the picture was."""
        checker = ClipContentChecker(
            self._ws.library, self._actor, self._settings, purpose=REVIEW_PURPOSE, parent=self
        )
        player.clipShown.connect(lambda key: checker.check(int(key)))
        checker.checking.connect(
            lambda clip_id, text: player.set_check_note(clip_key(clip_id), text)
        )
        checker.passed.connect(lambda clip_id: player.set_check_note(clip_key(clip_id), ""))
        checker.refused.connect(lambda clip_id, why: player.block_clip(clip_key(clip_id), why))
        self.clip_checker = checker

    def _take_keys(self, player: PlayerWidget) -> None:
        """Two shortcuts on one key make Qt run neither, so the player gives up F1 here: it
        stays the main window's help (the player's table is on ? and its Shortcuts button).
        M and Ctrl+M, the learning-point keys, are not the player's (mute is on U).
        """
        taken = (QKeySequence("F1"),)
        for shortcut in player.findChildren(QShortcut):
            if shortcut.key() in taken:
                shortcut.setEnabled(False)
        stamp = QShortcut(
            QKeySequence(LEARNING_POINT.player_keys[0]),
            player,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        stamp.activated.connect(self.add_learning_point)
        player.list_host_shortcut(LEARNING_POINT)

    def is_playing(self) -> bool:
        engine = self.player.player if self.player is not None else None
        return engine is not None and engine.state is PlaybackState.PLAYING

    def hide_for_lock(self) -> None:
        """Save what is being typed, then pause and hide the footage (a native video window
        would show through a cover)."""
        self.form.flush()
        if self.player is not None and self.player.player is not None:
            self.player.player.pause()
        self._hidden_for_lock = self.footage.isVisible()
        self.footage.hide()

    def restore_after_lock(self) -> None:
        if self._hidden_for_lock:
            self.footage.show()

    def close_case(self) -> None:
        """Save what is being typed and free libvlc."""
        self.form.flush()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._keep_focus_visible)
        if self.clip_checker is not None:
            self.clip_checker.cancel_all()  # no hashing for a case nobody is looking at
        if self.player is not None:
            self.player.close_player()

    # --- learning points ----------------------------------------------------------------

    def add_learning_point(self) -> None:
        """Pause, wait for the frame on screen to be known, then ask what the point is."""
        if self.locked:
            self.error.show_error("This review is submitted; learning points cannot change.")
            return
        engine = self.player.player if self.player is not None else None
        if engine is None or self.player is None or self.player.current_clip_key is None:
            self.error.show_error("Show the footage first: a learning point marks a moment.")
            return
        # The first frame named after a pause is provisional (libvlc can still put up the
        # next picture): stamp only the frame the player has verified.
        if engine.state is PlaybackState.PLAYING or engine.busy or engine.verifying:
            self._stamp_pending = True
            self._status_before_stamp = self.save_status.text()
            self.save_status.setText("Placing the learning point on the frame\u2026")
            self._stamp_timer.start()
            engine.pause()
        else:
            self._stamp_now()

    def _on_frame_verified(self, _position: FramePosition) -> None:
        if self._stamp_pending:
            self._stamp_now()

    def _stamp_now(self) -> None:
        if self._stamp_pending:
            self.save_status.setText(self._status_before_stamp)
        self._stamp_pending = False
        self._stamp_timer.stop()
        if self.player is None or self.player.player is None:
            return
        engine, key = self.player.player, self.player.current_clip_key
        if key is None:
            return
        frame = engine.frame
        index: int | None
        if frame is not None:
            # Out of time before the frame was verified: say how unsure the stamp is.
            unverified = engine.busy or engine.verifying
            position_ms, index, uncertainty = (
                frame.position_ms,
                frame.frame_index,
                max(frame.uncertainty_frames, PLAIN_SEEK_UNCERTAINTY_FRAMES * unverified),
            )
        else:
            position_ms = engine.position_ms
            index = engine.probe.frame_at_ms(position_ms) if engine.probe else None
            uncertainty = PLAIN_SEEK_UNCERTAINTY_FRAMES
        clip_id = int(key)
        stamp = LearningPointInput(
            clip_id, position_ms, index, uncertainty, LearningKind.LEARNING, (), ""
        )
        where = (
            f"{self._clip_labels[clip_id]}, {format_ms(position_ms)}, "
            f"{describe_frame(index, uncertainty)}"
        )
        dialog = LearningPointDialog(
            self.rubric, where, save=lambda: self._add_point(stamp, dialog), parent=self
        )
        dialog.finished.connect(self._after_point_dialog)
        dialog.finished.connect(dialog.deleteLater)
        self.point_dialog = dialog
        dialog.open()

    def _after_point_dialog(self, _result: int) -> None:
        """Back to the player, where the reviewer was watching."""
        self.window().activateWindow()
        if self.player is not None:
            self.player.setFocus()

    def _after_edit_dialog(self, _result: int) -> None:
        self.window().activateWindow()
        self.points_list.list.setFocus()

    def _add_point(self, stamp: LearningPointInput, dialog: LearningPointDialog) -> None:
        point = replace(
            stamp, kind=dialog.kind(), tags=dialog.chosen_tags(), note=dialog.note_text()
        )
        self._write(
            lambda: self._remember_point(
                point,
                self._ws.reviews.add_learning_point(
                    self._actor, self.assignment_id, point, purpose=REVIEW_PURPOSE
                ),
            )
        )

    def _remember_point(self, point: LearningPointInput, point_id: int) -> None:
        """Keep the list as stored (line endings as LF, repeated tags dropped)."""
        self.points.append(
            LearningPointView(
                point_id,
                point.clip_id,
                point.position_ms,
                point.frame_index,
                point.frame_uncertainty,
                point.kind.value,
                tuple(dict.fromkeys(point.tags)),
                normalise_line_endings(point.note),
            )
        )
        self._refresh_points()

    def _edit_point(self, point_id: int) -> None:
        point = next(p for p in self.points if p.id == point_id)
        where = f"{self._clip_labels.get(point.clip_id, 'clip')}, {format_ms(point.position_ms)}"
        dialog = LearningPointDialog(
            self.rubric,
            where,
            kind=LearningKind(point.kind),
            tags=point.tags,
            note=point.note,
            save=lambda: self._update_point(point, dialog),
            parent=self,
        )
        dialog.finished.connect(self._after_edit_dialog)
        dialog.finished.connect(dialog.deleteLater)
        self.point_dialog = dialog
        dialog.open()

    def _update_point(self, point: LearningPointView, dialog: LearningPointDialog) -> None:
        kind, tags, note = dialog.kind(), dialog.chosen_tags(), dialog.note_text()
        self._write(
            lambda: self._ws.reviews.update_learning_point(
                self._actor, point.id, kind=kind, tags=tags, note=note, purpose=REVIEW_PURPOSE
            )
        )
        changed = replace(point, kind=kind.value, tags=tags, note=normalise_line_endings(note))
        self.points = [changed if p.id == point.id else p for p in self.points]
        self._refresh_points()

    def _delete_point(self, point_id: int) -> None:
        if self._save(
            lambda: self._ws.reviews.delete_learning_point(
                self._actor, point_id, purpose=REVIEW_PURPOSE
            )
        ):
            self.points = [p for p in self.points if p.id != point_id]
            self._refresh_points()

    def _refresh_points(self) -> None:
        ordered = sorted(self.points, key=lambda p: (p.clip_id, p.position_ms, p.id))
        self.points_list.set_points(
            [PointRow.of(self.rubric, p, self._clip_labels.get(p.clip_id, "clip")) for p in ordered]
        )
        if self.player is not None and self.player.current_clip_key is not None:
            shown = int(self.player.current_clip_key)
            self.player.set_markers(
                [marker_for(self.rubric, p) for p in ordered if p.clip_id == shown]
            )

    # --- saving -------------------------------------------------------------------------

    def _save(self, write: Callable[[], object]) -> bool:
        """Run one service write (and what shows its result); say Saved only after it
        committed, or say why it did not. What was typed stays where it was typed."""
        try:
            self._write(write)
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"Not saved: {exc}")
            self.form.keep_unsaved()  # sent again at the next save point
            if isinstance(exc, DatabaseUnavailable):  # it may answer again soon
                self._retry_timer.start()
            return False
        return True

    def _write(self, write: Callable[[], object]) -> None:
        """As `_save`, but a refusal is raised for a dialog to show beside what was typed
        in it, and the dialog stays open (a learning point's note)."""
        try:
            write()
        except (ServiceError, DatabaseUnavailable):
            self.save_status.setText("\u26a0 Not saved")
            raise
        self.error.clear_error()
        if self.form.unsaved:
            self._show_unsaved()
        else:
            self.save_status.setText(f"\u2713 Saved {time.strftime('%H:%M:%S')}")

    def _show_unsaved(self) -> None:
        """Typed text waits for a pause (or for focus to leave) before it is saved: never
        claim Saved while it is only on screen."""
        self.save_status.setText("\u270e Typing: saved when you pause")

    def _show_state(self, state: FormState) -> None:
        self.state = state
        self.form.show_state(state)
        self._show_progress(state.answered, state.total, state.problems)

    def _save_answer(self, check_id: str, answer_id: str, reason: str | None) -> None:
        self._save(
            lambda: self._show_state(
                self._ws.reviews.save_answer(
                    self._actor,
                    self.assignment_id,
                    check_id,
                    answer_id,
                    reason,
                    purpose=REVIEW_PURPOSE,
                )
            )
        )

    def _save_grade(self, key: str, grade_id: str | None, reason: str | None) -> None:
        reviews, actor, aid = self._ws.reviews, self._actor, self.assignment_id
        if key:
            self._save(
                lambda: self._show_state(
                    reviews.set_dimension_grade(
                        actor, aid, key, grade_id, reason, purpose=REVIEW_PURPOSE
                    )
                )
            )
        else:
            self._save(
                lambda: self._show_state(
                    reviews.set_case_grade(actor, aid, grade_id, reason, purpose=REVIEW_PURPOSE)
                )
            )

    def _save_text(self, field: ReviewText, text: str) -> None:
        self._save(
            lambda: self._ws.reviews.set_text(
                self._actor, self.assignment_id, field, text, purpose=REVIEW_PURPOSE
            )
        )

    def _show_progress(self, answered: int, total: int, problems: tuple[str, ...]) -> None:
        if self.locked:
            self.progress.setText(f"Submitted: {answered} of {total} checks answered.")
            return
        left = len(problems)
        todo = "ready to submit" if not left else f"{left} thing{'s' if left != 1 else ''} to do"
        self.progress.setText(f"{answered} of {total} checks answered · {todo}")

    def submit(self) -> None:
        """Ask first: a submitted review is locked. With gaps left, the service's refusal
        names each one instead."""
        self.form.flush()
        if self.state.problems:
            self.submit_now()
            return
        dialog = QMessageBox(
            QMessageBox.Icon.Question,
            "Submit this review?",
            f"Submit your review of case {self.view.case.force_reference}?",
            parent=self,
        )
        dialog.setInformativeText(self.submission_summary())
        submit = dialog.addButton("&Submit review", QMessageBox.ButtonRole.AcceptRole)
        keep = dialog.addButton("&Keep reviewing", QMessageBox.ButtonRole.RejectRole)
        dialog.setDefaultButton(keep)
        dialog.setEscapeButton(keep)
        dialog.setAccessibleName("Confirm submitting the review")
        dialog.finished.connect(
            lambda _result: self._after_confirm(dialog.clickedButton() is submit)
        )
        dialog.finished.connect(dialog.deleteLater)
        self.confirm_dialog = dialog
        dialog.open()

    def _after_confirm(self, submit: bool) -> None:
        self.confirm_dialog = None
        self.window().activateWindow()
        if submit:
            self.submit_now()
        else:
            self.submit_button.setFocus()

    def submission_summary(self) -> str:
        """What the reviewer is about to lock in, and what is still empty (it may be
        meant, but it should not be a surprise)."""
        counts: dict[str, int] = {}
        for row in self.form.rows.values():
            if row.answer_id is not None:
                label = self.rubric.answer(row.answer_id).label
                counts[label] = counts.get(label, 0) + 1
        answers = ", ".join(f"{count} {label}" for label, count in counts.items())
        empty = [
            name
            for name, widget in (
                ("the general note", self.form.general_note),
                ("the question to the force", self.form.question),
            )
            if not widget.toPlainText().strip()
        ]
        if not self.points:
            empty.append("learning points (none marked)")
        lines = [f"Your answers: {answers}."]
        if empty:
            lines.append("Left empty: " + "; ".join(empty) + ".")
        lines.append(
            "Once submitted you cannot change this review. If something must change, ask "
            "the panel chair to reopen it."
        )
        return "\n\n".join(lines)

    def submit_now(self) -> None:
        try:
            state = self._ws.reviews.submit(self._actor, self.assignment_id, purpose=REVIEW_PURPOSE)
        except SubmissionRefused as exc:
            gaps = "\n".join(f"• {problem.message}" for problem in exc.problems)
            self.error.show_error(f"Not submitted: {exc}.\n{gaps}")
            self.error.setFocus()
            return
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(f"Not submitted: {exc}")
            return
        self.error.clear_error()
        self.locked = True
        self.form.setEnabled(False)
        self.submit_button.setEnabled(False)
        self.points_list.setEnabled(False)
        self.save_status.setText("\u2713 Submitted")
        self.compare_button.setEnabled(True)
        self._show_progress(state.answered, state.total, state.problems)
        self.back_button.setFocus()

    def compare(self) -> None:
        """Your answers beside the other members', if the chair's independence rule allows
        it yet (the service decides, and records the look)."""
        try:
            others = self._ws.reviews.others_reviews(
                self._actor, self.assignment_id, purpose=REVIEW_PURPOSE
            )
            mine = self._ws.reviews.open_case(
                self._actor, self.assignment_id, purpose=REVIEW_PURPOSE
            )
        except (ServiceError, DatabaseUnavailable) as exc:
            self.error.show_error(str(exc))
            return
        yours = MemberReview(
            "You",
            mine.answers,
            {},
            mine.form.case_grade,
            None,
            mine.general_note,
            mine.question_to_force,
        )
        self.others = OthersReviewsDialog(self.rubric, [yours, *others], self)
        self.others.open()

    def _go_back(self) -> None:
        self.form.flush()
        self.backRequested.emit()

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll the form so the control that has keyboard focus is on screen."""
        if new is not None and self.form.isAncestorOf(new):
            self.form_scroll.ensureWidgetVisible(new, 20, 40)
