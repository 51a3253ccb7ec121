"""The library tab on the real public files: rows, filters by value and date, sorting,
keyboard use, and a load that can be cancelled."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.library_view import LibraryView

PIN = "102938"
FILES = ("2018-01-avon-and-somerset-stop-and-search.csv", "2019-12-essex-stop-and-search.csv")


@pytest.fixture
def stocked(sqlite_url: str, police_data_dir: Path) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.open(sqlite_url)
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
