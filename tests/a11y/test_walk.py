"""The accessibility walk (issue 15): every window and dialog, filled from the demo
workspace, in the default and the high-contrast theme. Each is opened at 100% text in a
1280x800 window and fails on an interactive control without an accessible name, a tab
stop that Tab never reaches, a Tab trap and text under 4.5:1 against what is behind it;
then opened again at 200% text and fails on any control cut off. The counts of every
window are printed as a table at the end of the run (conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bwv_review.ui.display import DisplayPreferences, apply_display
from tests.a11y.checks import measure
from tests.a11y.conftest import FOUND, DemoPanel
from tests.a11y.windows import SCREEN, WINDOWS
from tests.support.display import display_restored
from tests.support.screen_fit import misfits

THEMES = {"default": False, "high contrast": True}


def _close() -> None:
    """Every window closed before the next is built, so the next measures alone (qtbot
    frees them when the test ends)."""
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            top.close()
    QApplication.processEvents()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", WINDOWS)
def test_window_is_accessible(
    qtbot: QtBot, qapp: QApplication, demo_panel: DemoPanel, name: str, theme: str
) -> None:
    build = WINDOWS[name]
    with display_restored(qapp):
        apply_display(qapp, DisplayPreferences(100, high_contrast=THEMES[theme]))
        shown = build(qtbot, demo_panel)
        findings = measure(qtbot, name, shown.window, shown.root)
        _close()

        apply_display(qapp, DisplayPreferences(200, high_contrast=THEMES[theme]))
        shown = build(qtbot, demo_panel)
        findings.clipped = misfits(shown.window, SCREEN)
        _close()
    FOUND.append((theme, findings))
    problems = findings.problems()
    assert not problems, f"{name} ({theme} theme):\n  " + "\n  ".join(problems)
