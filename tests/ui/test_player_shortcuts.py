"""The shortcut help: a keyboard user who opens it can leave it by Tab and Close."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from bwv_review.ui.player_shortcuts import ShortcutHelpDialog, review_shortcuts
from tests.support.tab_walk import walk_tab


def test_tab_leaves_the_shortcut_table_for_close(qtbot: QtBot) -> None:
    """Tab used to step through the table's cells, so Close was never reached."""
    dialog = ShortcutHelpDialog(review_shortcuts(5000))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = dialog.findChild(QTableWidget)
    assert table is not None and table.rowCount() > 1
    seen = walk_tab(qtbot, dialog, table)
    assert any(isinstance(w, QPushButton) and w.text() == "Close" for w in seen)
