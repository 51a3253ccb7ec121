"""The tags a learning point is offered, under the rubric's group headings, ticked with Space.

A point of one kind is offered only the tags for that kind (learning tags for a learning
point, good-practice tags for good practice). Switching kind keeps every tick: tags that fit
both stay offered and ticked, and ticked tags of the other kind are put aside, named in
words under the list, and come back ticked if the reviewer switches back.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bwv_review.domain.rubric import Rubric
from bwv_review.domain.vocab import LearningKind
from bwv_review.ui.sign_in import SpokenLabel

_TICKABLE = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
)
_POINT_WORDS = {
    LearningKind.LEARNING: "a learning point",
    LearningKind.GOOD_PRACTICE: "good practice",
}
_TAG_WORDS = {LearningKind.LEARNING: "learning", LearningKind.GOOD_PRACTICE: "good-practice"}
_CHOICE_WORDS = {
    LearningKind.LEARNING: "Learning for the officer",
    LearningKind.GOOD_PRACTICE: "Good practice",
}


class TagPicker(QWidget):
    """Every tag of the rubric in a tree, the groups that do not fit the point's kind hidden,
    and under it the words naming ticked tags that were put aside."""

    def __init__(
        self,
        rubric: Rubric,
        kind: LearningKind,
        chosen: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rubric = rubric
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Tags")
        self.tree.setAccessibleDescription("Arrow keys move; Space ticks or unticks a tag.")
        self.tree.setHeaderHidden(True)
        ticked = set(chosen)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._items: list[QTreeWidgetItem] = []
        for group in rubric.tag_groups:
            group_item = QTreeWidgetItem(self.tree, [group.label])
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._groups[group.id] = group_item
            for tag in rubric.tags:
                if tag.group_id != group.id:
                    continue
                item = QTreeWidgetItem(group_item, [tag.label])
                item.setData(0, Qt.ItemDataRole.UserRole, tag.id)
                item.setToolTip(0, tag.help)
                item.setFlags(_TICKABLE)
                state = Qt.CheckState.Checked if tag.id in ticked else Qt.CheckState.Unchecked
                item.setCheckState(0, state)
                self._items.append(item)
        self.tree.expandAll()
        self.misfit = SpokenLabel("Tags that do not fit", "", self)
        self.misfit.setWordWrap(True)
        self.misfit.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Tags (Space ticks):", self))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.misfit)
        self.tree.itemChanged.connect(lambda _item, _column: self._say_misfits())
        self.set_kind(kind)

    def set_kind(self, kind: LearningKind) -> None:
        """Offer the tags for ``kind``; the current item moves to the first one offered when
        the one it was on is put aside."""
        self._kind = kind
        offered = {group.id for group in self._rubric.tag_groups_for(kind)}
        for group_id, group_item in self._groups.items():
            group_item.setHidden(group_id not in offered)
        current = self.tree.currentItem()
        if current is None or not self._offered(current):
            first = next((item for item in self._items if self._offered(item)), None)
            if first is not None:
                self.tree.setCurrentItem(first)
        self._say_misfits()

    def chosen_tags(self) -> tuple[str, ...]:
        """The ticked tags offered for the point's kind: what Save stores."""
        return tuple(self._tag_id(item) for item in self._ticked() if self._offered(item))

    def put_aside(self) -> tuple[str, ...]:
        """Ticked tags of the other kind, which Save leaves out."""
        return tuple(self._tag_id(item) for item in self._ticked() if not self._offered(item))

    def _say_misfits(self) -> None:
        aside = [self._rubric.tag(tag_id).label for tag_id in self.put_aside()]
        self.misfit.setVisible(bool(aside))
        if not aside:
            self.misfit.setText("")
            return
        (other,) = set(LearningKind) - {self._kind}
        names = ", ".join(aside)
        these = (
            f"{names} is a {_TAG_WORDS[other]} tag and does not fit"
            if len(aside) == 1
            else f"{names} are {_TAG_WORDS[other]} tags and do not fit"
        )
        self.misfit.setText(
            f"{these} {_POINT_WORDS[self._kind]}: not saved unless you choose"
            f" {_CHOICE_WORDS[other]} again."
        )

    def _ticked(self) -> list[QTreeWidgetItem]:
        return [item for item in self._items if item.checkState(0) == Qt.CheckState.Checked]

    def _offered(self, item: QTreeWidgetItem) -> bool:
        parent = item.parent()
        return parent is not None and not parent.isHidden()

    @staticmethod
    def _tag_id(item: QTreeWidgetItem) -> str:
        return str(item.data(0, Qt.ItemDataRole.UserRole))
