"""Every key of the review screen's player in one table, so the key bindings and the help
cannot disagree: the player binds its own (`shortcut_table`), the review screen binds the
learning-point key (`LEARNING_POINT`), and the help lists both (`review_shortcuts`).

Bare keys act only while the player (or one of its controls) has focus: a screen-reader
user typing in a form elsewhere, or moving between radio buttons with the arrow keys, must
never start or move the video. The Ctrl/Alt variants work anywhere in the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class PlayerShortcut:
    action: str  # the PlayerWidget action name (the CaseView's, for LEARNING_POINT)
    description: str
    player_keys: tuple[str, ...]  # while the player has focus
    window_keys: tuple[str, ...]  # anywhere in the window


def shortcut_table(jump_ms: int) -> tuple[PlayerShortcut, ...]:
    seconds = f"{jump_ms / 1000:g} s"
    return (
        PlayerShortcut("toggle_play", "Play or pause", ("Space", "K"), ("Ctrl+Space",)),
        PlayerShortcut("jump_back", f"Back {seconds}", ("Left", "J"), ("Ctrl+Left",)),
        PlayerShortcut("jump_forward", f"Forward {seconds}", ("Right", "L"), ("Ctrl+Right",)),
        PlayerShortcut("step_back", "Previous frame (pauses)", ("Shift+Left", ","), ("Alt+Left",)),
        PlayerShortcut("step_forward", "Next frame (pauses)", ("Shift+Right", "."), ("Alt+Right",)),
        PlayerShortcut("slower", "Slower", ("[",), ("Ctrl+[",)),
        PlayerShortcut("faster", "Faster", ("]",), ("Ctrl+]",)),
        # M is the reviewer's learning-point key, so mute is on U.
        PlayerShortcut("toggle_mute", "Mute or unmute", ("U",), ("Ctrl+U",)),
        PlayerShortcut("cycle_loop", "A-B loop: set A, set B, clear", ("A",), ("Ctrl+L",)),
        PlayerShortcut("toggle_full_screen", "Full screen on or off", ("F",), ("F11",)),
        PlayerShortcut("show_shortcuts", "Show these shortcuts", ("?",), ("F1",)),
    )


# Bound by the review screen around the player (the player has no learning points); M is
# why mute is on U.
LEARNING_POINT = PlayerShortcut(
    "add_learning_point",
    "Mark a learning point (pauses, then asks what it is)",
    ("M",),
    ("Ctrl+M",),
)


def review_shortcuts(jump_ms: int) -> tuple[PlayerShortcut, ...]:
    """Everything a reviewer can press about the footage, for the help."""
    return (LEARNING_POINT, *shortcut_table(jump_ms))


class ShortcutHelpDialog(QDialog):
    """A plain table of every shortcut, readable by a screen reader row by row."""

    def __init__(self, shortcuts: tuple[PlayerShortcut, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Player shortcuts")
        self.setAccessibleName("Player shortcuts")
        table = QTableWidget(len(shortcuts), 3, self)
        table.setAccessibleName("Shortcut list")
        table.setTabKeyNavigation(False)  # Tab reaches Close; arrows move in the table
        table.setHorizontalHeaderLabels(
            ["Action", "While the player has focus", "Anywhere in the window"]
        )
        for row, shortcut in enumerate(shortcuts):
            cells = (
                shortcut.description,
                ", ".join(shortcut.player_keys),
                ", ".join(shortcut.window_keys),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, column, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(620, 420)
