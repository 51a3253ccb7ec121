"""Learning points: the small dialog a reviewer fills in after stamping a moment of a clip,
and the list of the review's points with Edit and Delete.

A point is time-coded to the millisecond and the frame, with the player's own statement of
how sure that frame is, because a training lead will quote it back to an officer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.time_codes import describe_frame, format_ms
from bwv_review.domain.vocab import LearningKind
from bwv_review.services.errors import DatabaseUnavailable, ServiceError
from bwv_review.services.review_views import LearningPointView
from bwv_review.ui.fitting import FlowLayout
from bwv_review.ui.player_timeline import Marker
from bwv_review.ui.sign_in import ErrorLabel
from bwv_review.ui.tag_picker import TagPicker

KIND_LABELS = {kind: kind.label for kind in LearningKind}
MARKER_KINDS = {LearningKind.LEARNING: "learning", LearningKind.GOOD_PRACTICE: "good"}
# The shapes the player's timeline draws for each kind, so a list reads as the markers do.
KIND_SYMBOLS = {LearningKind.LEARNING: "\u25b2", LearningKind.GOOD_PRACTICE: "\u25cf"}  # ▲ ●


def kind_text(kind: str) -> str:
    """The kind in a symbol and words, never colour alone."""
    learning_kind = LearningKind(kind)
    return f"{KIND_SYMBOLS[learning_kind]} {KIND_LABELS[learning_kind]}"


def tag_labels(rubric: Rubric, point: LearningPointView) -> list[str]:
    return [rubric.tag(t).label for t in point.tags]


def describe_point(
    rubric: Rubric, point: LearningPointView, clip_label: str, *, with_tags: bool = True
) -> str:
    """One line a screen reader reads in full: where, what kind, which tags, the note.
    Without tags for the list's card, which shows them as chips instead."""
    kind = KIND_LABELS[LearningKind(point.kind)]
    parts = [
        f"{clip_label} {format_ms(point.position_ms)}",
        describe_frame(point.frame_index, point.frame_uncertainty),
        kind,
    ]
    if with_tags:
        parts.append(", ".join(tag_labels(rubric, point)) or "no tags")
    if point.note:
        parts.append(point.note)
    return " · ".join(parts)


class PointRow(NamedTuple):
    """A point as the list shows it: the full description (the item's text, read by a
    screen reader), the card's text without tags, and the tags for the chips."""

    point_id: int
    description: str
    card_text: str
    tags: tuple[str, ...]

    @classmethod
    def of(cls, rubric: Rubric, point: LearningPointView, clip_label: str) -> PointRow:
        return cls(
            point.id,
            describe_point(rubric, point, clip_label),
            describe_point(rubric, point, clip_label, with_tags=False),
            tuple(tag_labels(rubric, point)),
        )


CHIP_STYLE = (
    "QLabel { border: 1px solid palette(mid); border-radius: 8px; padding: 0px 6px;"
    " background: palette(alternate-base); }"
)


class _CardRowDelegate(QStyledItemDelegate):
    """Paints a row's background and selection but not its text: the card shows that, and
    the text stays on the item for screen readers."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.data(Qt.ItemDataRole.UserRole) is not None:
            option.text = ""


class _PointCard(QWidget):
    """One point over as many lines as it needs, its tags as chips: the one-line list cut
    long notes and scrolled sideways. Clicks go through to the list, which selects."""

    def __init__(self, row: PointRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text = QLabel(row.card_text, self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        chips = FlowLayout()
        self.chips: list[QLabel] = []
        for tag in row.tags:
            chip = QLabel(tag, self)
            chip.setTextFormat(Qt.TextFormat.PlainText)
            chip.setAccessibleName(f"Tag: {tag}")
            chip.setStyleSheet(CHIP_STYLE)
            chips.addWidget(chip)
            self.chips.append(chip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.setSpacing(2)
        layout.addWidget(self.text)
        if self.chips:
            layout.addLayout(chips)


def marker_for(rubric: Rubric, point: LearningPointView) -> Marker:
    kind = LearningKind(point.kind)
    what = ", ".join(tag_labels(rubric, point)) or point.note[:40] or "no tags"
    return Marker(point.position_ms, f"{KIND_LABELS[kind]}: {what}", MARKER_KINDS[kind])


class LearningPointDialog(QDialog):
    """Kind, tags (grouped as the rubric groups them, those for the chosen kind) and a note
    for one stamped moment.

    Save runs `save` and closes only once it succeeded: a refusal (a control character in
    the note, say) is shown here, with the note still in the box to fix."""

    def __init__(
        self,
        rubric: Rubric,
        where: str,
        *,
        kind: LearningKind = LearningKind.LEARNING,
        tags: Sequence[str] = (),
        note: str = "",
        save: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle("Learning point")
        self.setAccessibleName("Learning point")
        stamp = QLabel(f"At {where}", self)
        stamp.setAccessibleName(f"Learning point at {where}")
        stamp.setWordWrap(True)

        kind_box = QGroupBox("Kind", self)
        kind_box.setAccessibleName("Kind of point")
        self.learning = QRadioButton("&Learning for the officer", kind_box)
        self.learning.setAccessibleName("Learning for the officer")
        self.good = QRadioButton("&Good practice", kind_box)
        self.good.setAccessibleName("Good practice")
        (self.good if kind == LearningKind.GOOD_PRACTICE else self.learning).setChecked(True)
        kind_row = QHBoxLayout(kind_box)
        kind_row.addWidget(self.learning)
        kind_row.addWidget(self.good)

        self.tag_picker = TagPicker(rubric, kind, tags, self)
        self.tags = self.tag_picker.tree
        self.learning.toggled.connect(lambda: self.tag_picker.set_kind(self.kind()))

        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("What happened here, in a sentence")
        self.note.setTabChangesFocus(True)
        self.note.setPlainText(note)
        self.note.setFixedHeight(70)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setAccessibleName("Save learning point")
        save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(stamp)
        layout.addWidget(kind_box)
        layout.addWidget(self.tag_picker, 1)
        layout.addWidget(QLabel("Note:", self))
        layout.addWidget(self.note)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 560)
        (self.good if self.good.isChecked() else self.learning).setFocus()  # arrows switch it

    def accept(self) -> None:
        if self._save is not None:
            try:
                self._save()
            except (ServiceError, DatabaseUnavailable) as exc:
                self.error.show_error(f"Not saved: {exc}")
                self.note.setFocus()
                return
        super().accept()

    def kind(self) -> LearningKind:
        return LearningKind.GOOD_PRACTICE if self.good.isChecked() else LearningKind.LEARNING

    def chosen_tags(self) -> tuple[str, ...]:
        return self.tag_picker.chosen_tags()

    def note_text(self) -> str:
        return self.note.toPlainText()


class LearningPointList(QWidget):
    """The review's points as text, with Edit and Delete for the selected one."""

    editRequested = Signal(int)  # point id
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("<b>Learning points</b> (M in the player, Ctrl+M anywhere)", self)
        heading.setWordWrap(True)  # one line set the column's width at 200% text
        self.list = QListWidget(self)
        self.list.setAccessibleName("Learning points")
        self.list.setMaximumHeight(170)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.viewport().installEventFilter(self)
        self.list.setItemDelegate(_CardRowDelegate(self.list))
        self.list.currentRowChanged.connect(self._mark_selected)
        self.list.itemActivated.connect(lambda _item: self._request(self.editRequested))
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setAccessibleName("Edit learning point")
        self.edit_button.clicked.connect(lambda: self._request(self.editRequested))
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setAccessibleName("Delete learning point")
        self.delete_button.clicked.connect(lambda: self._request(self.deleteRequested))
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.set_points([])

    def set_points(self, rows: Sequence[PointRow]) -> None:
        """The points in the order to show."""
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(row.description, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.point_id)
            item.setToolTip(row.description)
            self.list.setItemWidget(item, _PointCard(row))
        self._fit_rows()
        if not rows:
            QListWidgetItem("None yet.", self.list).setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            self.list.setCurrentRow(0)
        self.edit_button.setEnabled(bool(rows))
        self.delete_button.setEnabled(bool(rows))

    def _mark_selected(self, current: int) -> None:
        """The chosen card's words take the selection's text colour, readable on it."""
        for index in range(self.list.count()):
            card = self.card(index)
            if card is not None:
                role = (
                    QPalette.ColorRole.HighlightedText
                    if index == current
                    else (QPalette.ColorRole.WindowText)
                )
                card.text.setForegroundRole(role)

    def card(self, row: int) -> _PointCard | None:
        widget = self.list.itemWidget(self.list.item(row))
        return widget if isinstance(widget, _PointCard) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def _fit_rows(self) -> None:
        """Each row as tall as its card needs at the list's width, so text wraps."""
        width = self.list.viewport().width()
        for index in range(self.list.count()):
            card = self.card(index)
            if card is not None:
                height = card.heightForWidth(width)
                item = self.list.item(index)
                item.setSizeHint(QSize(width, max(height, card.minimumSizeHint().height())))

    def _request(self, signal: SignalInstance) -> None:
        item = self.list.currentItem()
        point_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if point_id is not None:
            signal.emit(int(point_id))
