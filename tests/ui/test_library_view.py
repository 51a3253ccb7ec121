"""The library tab on the real public files: rows, filters by value and date, sorting,
keyboard and mouse use, reloads that rebuild the filters, and a load that can be cancelled."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTableView, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.date_edit import AnyDateEdit
from bwv_review.ui.library_view import LibraryView

PIN = "102938"
# Longer than any delay between a change and its effect (the library has none today; a
# person waits this long, and a debounce added later must not break what they see).
PAUSE_MS = 1500
FILES = ("2018-01-avon-and-somerset-stop-and-search.csv", "2019-12-essex-stop-and-search.csv")


@pytest.fixture
def stocked(sqlite_url: str, police_data_dir: Path) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    for name in FILES:
        ws.records.import_file(admin, police_data_dir / name, purpose="test")
    yield ws, admin
    ws.close()


def _csv_rows(police_data_dir: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in FILES:
        with (police_data_dir / name).open(newline="", encoding="utf-8-sig") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _loaded(qtbot: QtBot, view: LibraryView, source: str) -> None:
    view.source.setCurrentIndex(view.source.findData(source))
    qtbot.waitUntil(lambda: view.count.text().startswith("Showing"), timeout=30_000)


def test_records_filter_by_value_and_date_match_the_files(
    qtbot: QtBot, stocked: tuple[Workspace, Actor], police_data_dir: Path
) -> None:
    ws, admin = stocked
    view = LibraryView(ws.library_view, admin)
    qtbot.addWidget(view)
    view.show()
    _loaded(qtbot, view, "records")
    expected = _csv_rows(police_data_dir)
    assert view.count.text() == f"Showing {len(expected):,} of {len(expected):,}"

    combo = view._filters["officer_defined_ethnicity"]
    combo.setFocus()
    qtbot.keyClicks(combo, "Black")  # type-ahead selects the value, as a keyboard user would
    black = sum(1 for r in expected if r["Officer-defined ethnicity"] == "Black")
    assert combo.currentData() == "Black"
    assert view.count.text() == f"Showing {black:,} of {len(expected):,}"

    view.date_from.setDate(QDate(2019, 12, 24))
    view.date_to.setDate(QDate(2019, 12, 26))
    in_window = sum(
        1
        for r in expected
        if r["Officer-defined ethnicity"] == "Black"
        and "2019-12-24" <= r["Date"][:10] <= "2019-12-26"
    )
    assert view.count.text() == f"Showing {in_window:,} of {len(expected):,}"

    view.clear_filters()
    blank_ethnicity = sum(1 for r in expected if not r["Officer-defined ethnicity"])
    not_recorded = view._filters["officer_defined_ethnicity"]
    assert not_recorded.findText(f"not recorded ({blank_ethnicity:,})") >= 0


def test_sorting_by_a_header_orders_the_rows(
    qtbot: QtBot, stocked: tuple[Workspace, Actor]
) -> None:
    ws, admin = stocked
    view = LibraryView(ws.library_view, admin)
    qtbot.addWidget(view)
    view.show()
    _loaded(qtbot, view, "records")
    age_column = [c.spec.key for c in view.model.table.columns].index("age_band")
    view.view.sortByColumn(age_column, Qt.SortOrder.AscendingOrder)
    ages = [view.model.index(r, age_column).data() for r in range(view.model.rowCount())]
    assert ages == sorted(ages, key=str.casefold)


def test_an_empty_case_library_says_what_to_import(
    qtbot: QtBot, stocked: tuple[Workspace, Actor]
) -> None:
    ws, admin = stocked
    view = LibraryView(ws.library_view, admin)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.empty_pages["cases"])
    assert view.model.rowCount() == 0


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _tab_to(qtbot: QtBot, target: QWidget) -> None:
    for _ in range(60):
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
        if _focused() is target:
            return
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")


def _pick_in_popup(qtbot: QtBot, combo: QComboBox, row: int) -> None:
    """Open a drop-down with the mouse and click one of its rows."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.wait(PAUSE_MS)  # a list ignores a release sooner than a double-click after opening
    cell = popup.visualRect(combo.model().index(row, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.waitUntil(lambda: not popup.isVisible())


def _pick_day_in_calendar(qtbot: QtBot, edit: AnyDateEdit, day: int) -> None:
    """Click the edit's drop-down arrow, then the day in the month the calendar opens on."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, 6))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    qtbot.wait(PAUSE_MS)
    grid = calendar.findChild(QTableView)
    assert grid is not None
    model = grid.model()
    # The last cell showing the number: the first rows may hold the previous month's days.
    cells = [
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.index(r, c).data() == day
    ]
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(cells[-1]).center()
    )
    qtbot.waitUntil(lambda: not calendar.isVisible())


def _filters_laid_out(view: LibraryView) -> list[QWidget]:
    """The widgets in the filter grid: all alive, shown, and none drawn over another."""
    grid = view.filter_grid
    widgets = [grid.itemAt(i).widget() for i in range(grid.count())]
    assert all(w is not None and shiboken6.isValid(w) and w.isVisible() for w in widgets)
    for i, first in enumerate(widgets):
        for second in widgets[i + 1 :]:
            assert not first.geometry().intersects(second.geometry()), (
                f"{first!r} overlaps {second!r}"
            )
    area = grid.geometry()
    strays = [
        child
        for child in view.findChildren(QWidget)
        if child.parentWidget() is view
        and child.isVisible()
        and child.geometry().intersects(area)
        and grid.indexOf(child) < 0
    ]
    assert not strays, f"drawn over the filters: {strays!r}"
    return widgets


# Drop-down lists and the calendar are pop-up windows; the offscreen platform the tests run
# on cannot raise them or grab the keyboard for them and says so. Nothing else may warn.
@pytest.mark.qt_log_ignore(
    "^This plugin does not support raise\\(\\)$",
    "^This plugin does not support grabbing the keyboard$",
)
def test_reloading_then_changing_every_filter_by_hand(
    qtbot: QtBot, stocked: tuple[Workspace, Actor], police_data_dir: Path
) -> None:
    """Showing the records after the cases (a second load) used to delete the date filters
    it then laid out again: the next filter change raised "QDateEdit already deleted",
    the dates vanished and the status stuck at "Loading…". Here every kind of filter is
    changed by key and mouse, with a person's pauses, after two reloads."""
    ws, admin = stocked
    expected = _csv_rows(police_data_dir)
    total = len(expected)

    def shown(keep: object) -> int:
        return sum(1 for row in expected if keep(row))  # type: ignore[operator]

    def showing(n: int) -> None:
        qtbot.wait(PAUSE_MS)
        assert view.count.text() == f"Showing {n:,} of {total:,}"
        assert view.model.rowCount() == n
        assert not view.error.isVisible()
        assert not view.cancel_button.isVisible()
        _filters_laid_out(view)

    view = LibraryView(ws.library_view, admin)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.empty_pages["cases"])
    view.source.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(view.source, Qt.Key.Key_Down)  # Force cases -> Public records
    qtbot.waitUntil(lambda: view.count.text().startswith("Showing"), timeout=30_000)
    showing(total)

    # A value by type-ahead, from the keyboard.
    ethnicity = view._filters["officer_defined_ethnicity"]
    _tab_to(qtbot, ethnicity)
    qtbot.keyClicks(ethnicity, "Black")
    black = shown(lambda r: r["Officer-defined ethnicity"] == "Black")
    showing(black)

    # A value picked from the list with the mouse.
    gender = view._filters["gender"]
    _pick_in_popup(qtbot, gender, gender.findData("Female"))
    showing(shown(lambda r: r["Officer-defined ethnicity"] == "Black" and r["Gender"] == "Female"))
    _pick_in_popup(qtbot, gender, 0)  # "All" again
    showing(black)

    # A start date typed over "any", an end date clicked in the calendar.
    _tab_to(qtbot, view.date_from)
    qtbot.keyClicks(view.date_from, "20191224")
    assert view.date_from.date() == QDate(2019, 12, 24)
    showing(
        shown(
            lambda r: r["Officer-defined ethnicity"] == "Black" and r["Date"][:10] >= "2019-12-24"
        )
    )
    _pick_day_in_calendar(qtbot, view.date_to, 26)  # opens on the newest month, Dec 2019
    assert view.date_to.date() == QDate(2019, 12, 26)
    in_window = shown(
        lambda r: (
            r["Officer-defined ethnicity"] == "Black"
            and "2019-12-24" <= r["Date"][:10] <= "2019-12-26"
        )
    )
    assert 0 < in_window < black
    showing(in_window)
    if _focused() is not view.date_to:
        _tab_to(qtbot, view.date_to)
    qtbot.keyClick(_focused(), Qt.Key.Key_Delete)  # back to "any"
    assert view.date_to.text() == "any"
    for key in (Qt.Key.Key_Backspace, Qt.Key.Key_X):  # the word "any" is not edited
        qtbot.keyClick(_focused(), key)
    assert view.date_to.text() == "any"
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)  # and Tab still moves on
    assert _focused() is view.view
    showing(
        shown(
            lambda r: r["Officer-defined ethnicity"] == "Black" and r["Date"][:10] >= "2019-12-24"
        )
    )

    # Clear by mouse, then reload the same table (as after an import): filters still work.
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    showing(total)
    qtbot.keyClicks(view._filters["officer_defined_ethnicity"], "Black")
    view.data_changed()
    qtbot.waitUntil(lambda: view.count.text().startswith("Showing"), timeout=30_000)
    assert view._filters["officer_defined_ethnicity"].currentData() == "Black"  # kept
    showing(black)
    _tab_to(qtbot, view.date_from)
    qtbot.keyClicks(view.date_from, "20191224")
    showing(
        shown(
            lambda r: r["Officer-defined ethnicity"] == "Black" and r["Date"][:10] >= "2019-12-24"
        )
    )
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)  # one Tab leaves the date, not just its year
    assert _focused() is view.date_to


def test_an_import_while_the_library_is_hidden_loads_once_on_sight(
    qtbot: QtBot, stocked: tuple[Workspace, Actor]
) -> None:
    """After an import the library reloaded out of sight, then again when opened (the
    second load broke the date filters); and nobody should be recorded as consulting the
    cases before they open the tab."""
    ws, admin = stocked
    view = LibraryView(ws.library_view, admin)
    qtbot.addWidget(view)
    view.data_changed()  # what the main window does after its import dialog
    qtbot.wait(PAUSE_MS)
    assert view.count.text() == ""
    view.show()
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.empty_pages["cases"])
    qtbot.wait(PAUSE_MS)
    assert view.count.text() == "Showing 0 of 0"
    assert view.date_from.text() == "any" and shiboken6.isValid(view.date_from)
    _filters_laid_out(view)
    with ws.db.transaction() as session:
        looks = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "library.cases_viewed")
        ).all()
    assert len(looks) == 1
