"""Learning points edited and deleted from the list by keyboard, and a clip that fails its
check explained where the player would be."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTableWidget
from pytestqt.qtbot import QtBot

from bwv_review.domain.vocab import LearningKind
from bwv_review.services.reviews import LearningPointInput
from bwv_review.services.workspace import Workspace
from bwv_review.ui.case_view import CaseView
from bwv_review.ui.learning_points import LearningPointDialog
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.player_shortcuts import ShortcutHelpDialog
from tests.services.review_fixtures import PURPOSE, Panel
from tests.ui.test_review_screen import clip_paths, focused, panel, show_window, tab_until

__all__ = ["clip_paths", "panel"]


def _open(qtbot: QtBot, ws: Workspace, team: Panel) -> tuple[MainWindow, CaseView]:
    ws.users.accept_confidentiality(team.alice, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.alice))
    window.reviews.open_case(team.assignment(ws, team.alice, team.case_ids[0]))
    case = window.reviews.case_view
    assert case is not None
    return window, case


def test_edit_and_delete_a_point_by_keyboard(qtbot: QtBot, panel: tuple[Workspace, Panel]) -> None:
    ws, team = panel
    aid = team.assignment(ws, team.alice, team.case_ids[0])
    clip_id = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(clip_id, 2000, 50, 0, LearningKind.LEARNING, (), "first")
    ws.reviews.add_learning_point(team.alice, aid, stamp, purpose=PURPOSE)
    _, case = _open(qtbot, ws, team)
    assert "00:00:02.000 · frame 50 (exact)" in case.points_list.list.item(0).text()

    case.points_list.list.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    dialog = case.point_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(focused(), Qt.Key.Key_Right)  # Learning -> Good practice
    tab_until(qtbot, lambda w: w is dialog.note)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "Clear, calm explanation")
    with qtbot.waitSignal(dialog.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
    stored = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).learning_points
    assert [(p.kind, p.note, p.position_ms) for p in stored] == [
        ("good_practice", "Clear, calm explanation", 2000)
    ]
    assert "Good practice" in case.points_list.list.item(0).text()

    qtbot.waitUntil(lambda: QApplication.focusWidget() is case.points_list.list)
    tab_until(qtbot, lambda w: w is case.points_list.delete_button)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).learning_points == ()
    assert case.points == [] and "None yet" in case.points_list.list.item(0).text()


def test_a_changed_clip_is_explained_instead_of_played(
    qtbot: QtBot, panel: tuple[Workspace, Panel], tmp_path: Path
) -> None:
    ws, team = panel
    with (tmp_path / "force-store" / "CASE-001" / "officer1.mp4").open("ab") as footage:
        footage.write(b"not the force's footage")
    _, case = _open(qtbot, ws, team)
    case.show_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert case.player is None
    assert case.footage.currentWidget().accessibleName() == "No footage"
    assert "blocked from review" in case.footage_message.text()
    assert case.footage_message.isVisible()


def test_an_empty_queue_says_what_happens_next(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    ws.users.accept_confidentiality(team.outsider, purpose=PURPOSE)
    window = show_window(qtbot, MainWindow(ws, team.outsider))
    screen = window.reviews
    assert screen.currentWidget() is screen.empty
    assert "You have no cases to review yet." in screen.empty.accessibleName()


def test_the_players_key_list_names_the_learning_point_key(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    """Issue 8 defect 8: "?" in the player listed its own keys but not M, the one a
    reviewer presses most."""
    ws, team = panel
    _, case = _open(qtbot, ws, team)
    case.show_footage()
    player = case.player
    assert player is not None
    player.setFocus()
    qtbot.waitUntil(player.hasFocus)
    qtbot.keyClicks(player, "?")
    qtbot.waitUntil(lambda: player.findChild(ShortcutHelpDialog) is not None)
    dialog = player.findChild(ShortcutHelpDialog)
    table = dialog.findChild(QTableWidget)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    mark = next(text for text in rows if text.startswith("Mark a learning point"))
    assert rows[mark] == "M"
    assert table.item(list(rows).index(mark), 2).text() == "Ctrl+M"
    dialog.reject()


def test_points_wrap_over_lines_with_their_tags_as_chips_and_no_sideways_scroll(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    """The list was one line per point with a horizontal scroll bar."""
    ws, team = panel
    aid = team.assignment(ws, team.alice, team.case_ids[0])
    clip_id = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).clips[0].clip_id
    note = "The officer explained the grounds only after the search had started, " * 3
    tags = ("bwv_late_start", "grounds_not_explained")
    stamp = LearningPointInput(clip_id, 2000, 50, 0, LearningKind.LEARNING, tags, note.strip())
    ws.reviews.add_learning_point(team.alice, aid, stamp, purpose=PURPOSE)
    window, case = _open(qtbot, ws, team)
    window.resize(1280, 800)
    points = case.points_list
    qtbot.waitUntil(lambda: points.card(0) is not None and points.card(0).isVisible())
    qtbot.wait(50)
    card = points.card(0)
    assert card is not None
    assert points.list.horizontalScrollBar().maximum() == 0
    assert not points.list.horizontalScrollBar().isVisible()
    line = card.text.fontMetrics().lineSpacing()
    assert card.text.height() >= 2 * line  # wrapped over lines, not cut
    assert card.geometry().right() <= points.list.viewport().width()
    shown = [chip.text() for chip in card.chips]
    assert shown[0] == "BWV started late" and len(shown) == 2
    assert all(chip.isVisible() for chip in card.chips)
    assert all(text in points.list.item(0).text() for text in shown)  # read as text too
    assert "border-radius" in card.chips[0].styleSheet()
    qtbot.mouseClick(
        points.list.viewport(), Qt.MouseButton.LeftButton, pos=card.geometry().center()
    )
    assert points.list.currentRow() == 0
    # The row paints only its selection; the card's words take the selection's colour.
    option = QStyleOptionViewItem()
    points.list.itemDelegate().initStyleOption(option, points.list.model().index(0, 0))
    assert option.text == ""
    assert card.text.foregroundRole() == QPalette.ColorRole.HighlightedText


def _edit_first_point(qtbot: QtBot, case: CaseView) -> LearningPointDialog:
    case.points_list.list.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    dialog = case.point_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def offered_tags(dialog: LearningPointDialog) -> list[str]:
    """The tag labels under the group headings the dialog shows."""
    tree = dialog.tags
    groups = [tree.topLevelItem(index) for index in range(tree.topLevelItemCount())]
    return [
        group.child(index).text(0)
        for group in groups
        if not group.isHidden()
        for index in range(group.childCount())
    ]


def test_a_good_practice_point_is_tagged_with_good_practice_by_keyboard(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    """Issue 11: good practice was offered only failings to tag it with."""
    ws, team = panel
    aid = team.assignment(ws, team.alice, team.case_ids[0])
    clip_id = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).clips[0].clip_id
    stamp = LearningPointInput(clip_id, 3000, 75, 0, LearningKind.LEARNING, (), "receipt")
    ws.reviews.add_learning_point(team.alice, aid, stamp, purpose=PURPOSE)
    _, case = _open(qtbot, ws, team)
    dialog = _edit_first_point(qtbot, case)
    assert "BWV started late" in offered_tags(dialog)
    assert "Receipt offered" not in offered_tags(dialog)

    qtbot.keyClick(focused(), Qt.Key.Key_Right)  # Learning -> Good practice
    assert dialog.kind() is LearningKind.GOOD_PRACTICE
    assert "Receipt offered" in offered_tags(dialog)
    assert "BWV started late" not in offered_tags(dialog)
    tab_until(qtbot, lambda w: w is dialog.tags)
    assert dialog.tags.currentItem().text(0) == "BWV started early and kept running"
    for _ in range(3):  # GOWISELY in full, grounds explained, receipt offered
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert dialog.tags.currentItem().text(0) == "Receipt offered"
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert dialog.chosen_tags() == ("receipt_offered",)
    assert not dialog.tag_picker.misfit.isVisible()
    with qtbot.waitSignal(dialog.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        qtbot.keyClick(focused(), Qt.Key.Key_Space)

    (stored,) = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).learning_points
    assert (stored.kind, stored.tags) == ("good_practice", ("receipt_offered",))
    qtbot.waitUntil(lambda: case.points_list.card(0) is not None)
    assert [chip.text() for chip in case.points_list.card(0).chips] == ["Receipt offered"]


def test_switching_kind_says_which_chosen_tag_does_not_fit_and_keeps_it_for_switching_back(
    qtbot: QtBot, panel: tuple[Workspace, Panel]
) -> None:
    ws, team = panel
    aid = team.assignment(ws, team.alice, team.case_ids[0])
    clip_id = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).clips[0].clip_id
    tags = ("receipt_offered", "gowisely_in_full")
    stamp = LearningPointInput(clip_id, 3000, 75, 0, LearningKind.GOOD_PRACTICE, tags, "")
    ws.reviews.add_learning_point(team.alice, aid, stamp, purpose=PURPOSE)
    _, case = _open(qtbot, ws, team)
    dialog = _edit_first_point(qtbot, case)
    misfit = dialog.tag_picker.misfit
    assert dialog.chosen_tags() == ("gowisely_in_full", "receipt_offered")  # the rubric's order

    qtbot.keyClick(focused(), Qt.Key.Key_Left)  # Good practice -> Learning
    assert dialog.kind() is LearningKind.LEARNING
    assert dialog.chosen_tags() == ()
    assert misfit.isVisible()
    assert misfit.text() == (
        "GOWISELY given in full, Receipt offered are good-practice tags and do not fit a"
        " learning point: not saved unless you choose Good practice again."
    )
    assert misfit.accessibleDescription() == misfit.text()
    tab_until(qtbot, lambda w: w is dialog.tags)
    assert dialog.tags.currentItem().text(0) == "BWV started late"
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert dialog.chosen_tags() == ("bwv_late_start",)

    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is dialog.learning
    qtbot.keyClick(focused(), Qt.Key.Key_Right)  # back to Good practice
    assert dialog.kind() is LearningKind.GOOD_PRACTICE
    assert dialog.chosen_tags() == ("gowisely_in_full", "receipt_offered")
    assert misfit.text() == (
        "BWV started late is a learning tag and does not fit good practice:"
        " not saved unless you choose Learning for the officer again."
    )
    with qtbot.waitSignal(dialog.finished):
        tab_until(qtbot, lambda w: w.accessibleName() == "Save learning point")
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
    (stored,) = ws.reviews.open_case(team.alice, aid, purpose=PURPOSE).learning_points
    assert (stored.kind, stored.tags) == ("good_practice", ("gowisely_in_full", "receipt_offered"))
