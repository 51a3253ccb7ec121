"""The tag picker follows the point's kind: on a session still on rubric 2026.1, which marked
no tag as good practice, switching kind keeps every tag offered and every tick."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.domain.rubric_catalogue import bundled_rubrics, find_rubric
from bwv_review.domain.vocab import LearningKind
from bwv_review.ui.learning_points import LearningPointDialog
from tests.ui.test_review_points import offered_tags


def test_on_2026_1_switching_kind_keeps_every_tag_and_tick(qtbot: QtBot) -> None:
    old = find_rubric(bundled_rubrics(), "default", "2026.1")
    assert old is not None
    dialog = LearningPointDialog(old, "Officer 1 00:00:03.000", tags=["grounds_weak"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.learning)
    picker = dialog.tag_picker
    every_tag = [tag.label for tag in old.tags]

    qtbot.keyClick(dialog.learning, Qt.Key.Key_Right)  # Learning -> Good practice

    assert dialog.kind() is LearningKind.GOOD_PRACTICE
    assert sorted(offered_tags(dialog)) == sorted(every_tag)
    assert dialog.chosen_tags() == ("grounds_weak",)
    assert picker.put_aside() == ()
    assert not picker.misfit.isVisible()
