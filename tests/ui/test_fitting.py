"""The layout pieces that keep screens on a laptop at 200% text (issue 15): columns that
stack when they do not fit side by side, tab pages that scroll, a window kept tall enough
for its wrapped words, and a time readout that goes onto two lines."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QTextEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.ui.fitting import ReflowSplitter, ScrollingTabWidget, keep_tall_enough
from bwv_review.ui.player_timeline import TimeReadout


def _in_window(qtbot: QtBot, splitter: ReflowSplitter) -> QWidget:
    """A window holding it (a splitter that is a window itself sets its own minimum)."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    return window


def _column(width_px: int, height_px: int) -> QWidget:
    column = QWidget()
    column.setMinimumSize(QSize(width_px, height_px))
    return column


def test_columns_stack_where_they_do_not_fit_side_by_side_and_come_back(qtbot: QtBot) -> None:
    splitter = ReflowSplitter()
    window = _in_window(qtbot, splitter)
    for width_px in (400, 300):
        splitter.addWidget(_column(width_px, 100))
    # Never wider than the widest column, so it cannot widen the window.
    assert splitter.minimumSizeHint().width() == 400
    assert splitter.side_by_side_width() == 700 + splitter.handleWidth()
    window.resize(1000, 600)
    window.show()
    qtbot.waitExposed(window)
    assert splitter.orientation() is Qt.Orientation.Horizontal
    window.resize(600, 600)
    qtbot.waitUntil(lambda: splitter.orientation() is Qt.Orientation.Vertical)
    assert window.width() == 600
    assert [splitter.widget(i).width() for i in range(2)] == [600, 600]
    assert all(splitter.widget(i).height() >= 100 for i in range(2))
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: splitter.orientation() is Qt.Orientation.Horizontal)


def test_a_column_that_grows_restacks_the_columns_at_the_same_width(qtbot: QtBot) -> None:
    """As when the text size changes with the window open: the width stays, the need grows."""
    splitter = ReflowSplitter()
    window = _in_window(qtbot, splitter)
    first = _column(400, 100)
    splitter.addWidget(first)
    splitter.addWidget(_column(300, 100))
    window.resize(900, 400)
    window.show()
    qtbot.waitExposed(window)
    assert splitter.orientation() is Qt.Orientation.Horizontal
    first.setMinimumWidth(700)
    qtbot.waitUntil(lambda: splitter.orientation() is Qt.Orientation.Vertical)
    assert window.width() == 900
    first.setMinimumWidth(400)
    qtbot.waitUntil(lambda: splitter.orientation() is Qt.Orientation.Horizontal)


def test_tab_pages_scroll_and_are_still_known_by_themselves(qtbot: QtBot) -> None:
    tabs = ScrollingTabWidget()
    qtbot.addWidget(tabs)
    tall, short = _column(200, 900), _column(200, 50)
    tall.setAccessibleName("Tall page")
    tabs.addTab(tall, "&Tall")
    tabs.addTab(short, "&Short")
    assert tabs.widget(0) is tall and tabs.indexOf(short) == 1
    tabs.setCurrentWidget(short)
    assert tabs.currentWidget() is short and tabs.currentIndex() == 1
    tabs.setCurrentWidget(tall)
    tabs.resize(400, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    assert tabs.minimumSizeHint().height() < 300  # the page scrolls instead
    area = next(a for a in tabs.findChildren(QScrollArea) if a.isAncestorOf(tall))
    assert area.accessibleName() == "Tall page"
    assert area.verticalScrollBar().maximum() >= 900 - area.viewport().height()
    assert area.focusPolicy() is Qt.FocusPolicy.NoFocus  # no Tab stop of its own


def test_a_window_is_kept_tall_enough_for_its_wrapped_words(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    words = QLabel("A hint long enough to wrap onto several lines in a narrow window. " * 4)
    words.setWordWrap(True)
    layout = QVBoxLayout(window)
    layout.addWidget(words)
    layout.addWidget(QPushButton("OK"))
    keep_tall_enough(window)
    window.resize(220, 60)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.height() >= layout.totalHeightForWidth(window.width()))
    assert words.height() >= words.heightForWidth(words.width())


def test_the_readout_puts_the_frame_on_a_second_line_only_where_one_line_is_cut(
    qtbot: QtBot,
) -> None:
    readout = TimeReadout()
    qtbot.addWidget(readout)
    readout.reserve_frames(["frame 9999999 (exact)"])
    readout.show_time(1500, 25_000, "frame 37 (exact)")
    one_line = readout.longest_width()
    assert readout.minimumSizeHint().width() == readout.two_line_width() < one_line
    readout.resize(one_line, readout.heightForWidth(one_line))
    readout.show()
    qtbot.waitExposed(readout)
    assert readout.text() == "00:00:01.500 / 00:00:25.000  ·  frame 37 (exact)"
    narrow = readout.two_line_width()
    readout.resize(narrow, readout.heightForWidth(narrow))
    qtbot.waitUntil(lambda: "\n" in readout.text())
    assert readout.text() == "00:00:01.500 / 00:00:25.000\nframe 37 (exact)"
    assert readout.heightForWidth(narrow) > readout.heightForWidth(one_line)


def test_a_page_with_wrapped_words_scrolls_only_when_it_must(qtbot: QtBot) -> None:
    """A scroll area makes content whose height follows its width as tall as it would
    like to be: the review screen, with its title wrapped, scrolled at 200% text although
    it fitted. Squeezed, the page scrolls and keeps each control's own height."""
    tabs = ScrollingTabWidget()
    qtbot.addWidget(tabs)
    page = QWidget()
    words = QLabel("A title long enough to wrap onto a second line. " * 3)
    words.setWordWrap(True)
    notes = QTextEdit()  # would like 190 px or so; needs far less
    layout = QVBoxLayout(page)
    layout.addWidget(words)
    layout.addWidget(notes)
    tabs.addTab(page, "&Page")
    tabs.resize(400, 260)
    tabs.show()
    qtbot.waitExposed(tabs)
    area = next(a for a in tabs.findChildren(QScrollArea) if a.isAncestorOf(page))
    assert area.verticalScrollBar().maximum() == 0
    assert words.height() >= words.heightForWidth(words.width())
    tabs.resize(180, 140)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    assert words.height() >= words.heightForWidth(words.width())
    assert notes.height() >= notes.minimumSizeHint().height()
