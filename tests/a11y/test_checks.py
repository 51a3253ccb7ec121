"""The walk's checks find what they are for: a window made with one fault of each kind is
flagged for that fault, and the same window without it is not. Without this a walk that
reports 0 everywhere could be a walk that cannot see."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
)
from pytestqt.qtbot import QtBot

from tests.a11y.checks import interactive_controls, low_contrast, measure, unnamed
from tests.support.screen_fit import misfits


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_a_button_with_no_words_and_no_name_is_unnamed(qtbot: QtBot) -> None:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    icon_only = QToolButton()  # no text, no accessible name
    layout.addWidget(icon_only)
    layout.addWidget(QPushButton("&Save"))  # named by its words
    _shown(qtbot, dialog)
    assert unnamed(interactive_controls(dialog)) == ["QToolButton ''"]
    icon_only.setAccessibleName("Play")
    assert unnamed(interactive_controls(dialog)) == []


def test_a_table_that_keeps_tab_is_a_trap_and_what_follows_is_unreachable(
    qtbot: QtBot,
) -> None:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    name = QLineEdit()
    name.setAccessibleName("Name")
    table = QTableWidget(3, 2)
    table.setAccessibleName("Rows")
    after = QPushButton("Close")
    for widget in (name, table, after):
        layout.addWidget(widget)
    _shown(qtbot, dialog)
    found = measure(qtbot, "test", dialog)
    assert found.traps == ["QTableWidget 'Rows'"]
    table.setTabKeyNavigation(False)
    found = measure(qtbot, "test", dialog)
    assert (found.traps, found.unreachable) == ([], [])


def test_text_paler_than_4_5_to_1_is_low_contrast(qtbot: QtBot) -> None:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    label = QLabel("Saved")
    label.setAccessibleName("Status")
    pale = QPalette(label.palette())
    pale.setColor(QPalette.ColorRole.WindowText, QColor("#999999"))  # 2.8:1 on white
    label.setPalette(pale)
    coloured = QLabel('Suggested: <span style="color:#7fd67f">\u2714</span>')
    cells = QTableWidget(1, 1)
    cell = QTableWidgetItem("Differ")
    cell.setBackground(QColor("#303030"))  # the default dark text on a dark cell
    cells.setItem(0, 0, cell)
    for widget in (label, coloured, cells):
        layout.addWidget(widget)
    white = QPalette(dialog.palette())
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        white.setColor(role, QColor("#ffffff"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        white.setColor(role, QColor("#000000"))
    white.setColor(QPalette.ColorRole.Highlight, QColor("#1d5e9b"))  # white on it 6.7:1
    white.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    dialog.setPalette(white)
    label.setPalette(pale)
    _shown(qtbot, dialog)
    found = " | ".join(low_contrast(dialog))
    assert "QLabel 'Status'" in found and "#999999 on #ffffff" in found
    assert "coloured text #7fd67f" in found
    assert "cell (0, 0) 'Differ'" in found and "#000000 on #303030" in found
    label.setPalette(white)
    coloured.setText("Suggested: \u2714")
    cell.setBackground(QColor("#ffffff"))
    assert low_contrast(dialog) == []


def test_a_control_squeezed_under_its_minimum_is_clipped(qtbot: QtBot) -> None:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    field = QLineEdit()
    field.setAccessibleName("Name")
    layout.addWidget(field)
    _shown(qtbot, dialog)
    screen = QSize(1280, 800)
    assert misfits(dialog, screen) == []
    field.setFixedHeight(field.minimumSizeHint().height() - 4)
    qtbot.wait(50)
    assert any("QLineEdit 'Name'" in problem for problem in misfits(dialog, screen))
