"""The Display settings page: text size, the high-contrast theme and reduced motion.

Reached from the main window (File > Display settings, Ctrl+,) and from the sign-in and
welcome windows, because someone who needs large text needs it before they can read the
sign-in form. Every change shows at once in every open window, so a person sees whether
200% suits them before keeping it; Cancel (or Escape) puts back what was there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Settings, SettingsError
from bwv_review.ui.display import (
    TEXT_PERCENTS,
    DisplayPreferences,
    apply_display,
    display_settings_file,
    load_display_preferences,
    save_display_preferences,
)

TITLE = "Display settings"
SHORTCUT = "Ctrl+,"  # the usual key for an app's settings
_SIZE_TEXTS = {100: "&100% (the usual size)", 150: "1&50%", 200: "&200%"}


class DisplaySettingsDialog(QDialog):
    """OK keeps the choice in this machine's settings file; Cancel restores the look the
    dialog opened with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self._settings_file = display_settings_file()
        self.opened_with = self._current()

        intro = QLabel(
            "Changes show at once, in every window. They are kept on this computer for "
            "everyone who uses it, before and after signing in."
        )
        intro.setWordWrap(True)

        sizes = QGroupBox("Text size")
        sizes.setAccessibleName("Text size")
        self.size_buttons = QButtonGroup(self)
        size_row = QHBoxLayout(sizes)
        for percent in TEXT_PERCENTS:
            button = QRadioButton(_SIZE_TEXTS[percent])
            button.setAccessibleName(_SIZE_TEXTS[percent].replace("&", ""))
            self.size_buttons.addButton(button, percent)
            size_row.addWidget(button)
        size_row.addStretch(1)
        opened_size = self.size_buttons.button(self.opened_with.text_percent)
        opened_size.setChecked(True)

        self.high_contrast = QCheckBox("&High-contrast theme: white text on black")
        self.high_contrast.setAccessibleName("High-contrast theme: white text on black")
        self.high_contrast.setChecked(self.opened_with.high_contrast)
        self.reduced_motion = QCheckBox(
            "&Reduced motion: the timeline's playhead moves in steps, not smoothly"
        )
        self.reduced_motion.setAccessibleName(self.reduced_motion.text().replace("&", ""))
        self.reduced_motion.setChecked(self.opened_with.reduced_motion)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("OK")
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(sizes)
        layout.addWidget(self.high_contrast)
        layout.addWidget(self.reduced_motion)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.size_buttons.idToggled.connect(self._size_toggled)
        self.high_contrast.toggled.connect(self._show_choice)
        self.reduced_motion.toggled.connect(self._show_choice)
        opened_size.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Once every child has its new font. A window keeps its size when its words
            # grow, and the wrapped introduction's height is not part of the minimum Qt
            # keeps to, so at 200% the text sizes were cut in half: fit the words again.
            QTimer.singleShot(0, self.adjustSize)

    def _size_toggled(self, _percent: int, checked: bool) -> None:
        if checked:  # the button left is unchecked first; show the one chosen
            self._show_choice()

    def _current(self) -> DisplayPreferences:
        try:
            return load_display_preferences(Settings(self._settings_file))
        except SettingsError:
            return DisplayPreferences()  # the error is shown when saving is tried

    def chosen(self) -> DisplayPreferences:
        return DisplayPreferences(
            text_percent=self.size_buttons.checkedId(),
            high_contrast=self.high_contrast.isChecked(),
            reduced_motion=self.reduced_motion.isChecked(),
        )

    def _show_choice(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_display(app, self.chosen())

    def accept(self) -> None:
        try:
            save_display_preferences(Settings(self._settings_file), self.chosen())
        except (SettingsError, OSError) as exc:
            # Said in a message box, which a screen reader reads out as it opens.
            QMessageBox.warning(
                self,
                "Display settings not kept",
                f"The choice shows now but could not be kept for next time: {exc}",
            )
            return
        super().accept()

    def reject(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_display(app, self.opened_with)
        super().reject()


def open_display_settings(parent: QWidget) -> None:
    DisplaySettingsDialog(parent).exec()


def display_settings_action(window: QWidget) -> QAction:
    """The main window's menu entry, with its shortcut."""
    action = QAction("Displa&y settings\u2026", window)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.triggered.connect(lambda: open_display_settings(window))
    return action


def display_settings_button(window: QWidget) -> QPushButton:
    """A button for the windows before sign-in; the shortcut works anywhere in `window`."""
    button = QPushButton("Displa&y settings\u2026")
    button.setAccessibleName("Display settings")
    button.setAutoDefault(False)
    button.clicked.connect(lambda: open_display_settings(window))
    shortcut = QAction(TITLE, window)
    shortcut.setShortcut(QKeySequence(SHORTCUT))
    shortcut.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.triggered.connect(button.click)
    window.addAction(shortcut)
    return button
