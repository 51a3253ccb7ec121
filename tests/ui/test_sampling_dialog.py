"""The sampling dialog on the example manifest: a draw built by ticking the frame's own
values (no syntax), the preview's cases with why each is in and its comparison of frame
and sample, saving only exactly what was previewed, the typed lines under Advanced kept in
step with the ticks, and keyboard-only use (Tab in reading order, no trap)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import CaseType, Role
from bwv_review.ingest.manifest import read_manifest
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.ui.sampling_choices import VALUE_ROLE, ValuePicker
from bwv_review.ui.sampling_dialog import SamplingDialog

PIN = "314159"
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "manifests" / "example-manifest.csv"


@pytest.fixture
def chair_ws(sqlite_url: str, app_home: Paths) -> Iterator[tuple[Workspace, Actor]]:
    ws = Workspace.create(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    ws.library.import_manifest(admin, EXAMPLE, Settings(app_home.settings_file), purpose="test")
    chair = ws.auth.create_user(admin, "pat", "Pat", PIN, [Role.CHAIR], purpose="test")
    yield ws, chair
    ws.close()


def _typing(dialog: SamplingDialog) -> None:
    """Advanced, then "Type the lines myself", as a power user does."""
    dialog.advanced_button.click()
    dialog.type_lines.setChecked(True)


def _table(table: object) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[attr-defined]
        for r in range(table.rowCount())  # type: ignore[attr-defined]
    ]


def test_preview_compares_frame_and_sample_then_saves_the_same_draw(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    cases = read_manifest(EXAMPLE).cases
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.name.setText("2026-Q1 dip sample")
    dialog.seed.setText("20260401")
    _typing(dialog)
    dialog.strata.setPlainText("strip_search=true:all\nrest:3")
    assert not dialog.save_button.isEnabled()  # nothing previewed yet

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    strip = sum(1 for c in cases if c.strip_search)
    assert f"{len(cases):,} cases match" in dialog.result_label.text()
    assert f"would take {strip + 3}" in dialog.result_label.text()
    strata = _table(dialog.strata_table)
    assert strata[0][1:] == ["all", str(strip), str(strip)]

    by_type = Counter(c.case_type for c in cases)
    rows = {(r[0], r[1]): r for r in _table(dialog.composition)}
    for case_type, n in by_type.items():
        row = rows[("Case type", CaseType(case_type).label)]
        assert row[2].startswith(f"{n:,} (")
    sample_total = sum(
        int(r[3].split()[0]) for r in _table(dialog.composition) if r[0] == "Case type"
    )
    assert sample_total == strip + 3

    dialog.seed.setText("1")  # changed inputs need a new preview
    assert not dialog.save_button.isEnabled()
    dialog.seed.setText("20260401")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    stored = ws.sampling.get(chair, "2026-Q1 dip sample")
    assert len(stored.cases) == strip + 3 and stored.seed == "20260401"


def test_a_bad_stratum_is_explained_and_nothing_can_be_saved(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.name.setText("broken")
    _typing(dialog)
    dialog.strata.setPlainText("colour=blue:3")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert "colour" in dialog.error.text()
    assert not dialog.save_button.isEnabled()


def _shown(qtbot: QtBot, dialog: SamplingDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _press(qtbot: QtBot, key: Qt.Key, times: int = 1, alt: bool = False) -> None:
    modifier = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)
        qtbot.wait(20)


def _choose_field(qtbot: QtBot, combo: QComboBox, field: str) -> None:
    """Arrow keys in the field list, as a person at the keyboard chooses one."""
    steps = combo.findData(field) - combo.currentIndex()
    _press(qtbot, Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up, abs(steps))
    assert combo.currentData() == field


def _tick_rows(qtbot: QtBot, values: QListWidget, *wanted: str) -> None:
    """Tab into the values, then Down and Space on each wanted value, from the top."""
    _press(qtbot, Qt.Key.Key_Tab)
    assert focused() is values
    rows = [values.item(r).data(VALUE_ROLE) for r in range(values.count())]
    row = max(values.currentRow(), 0)
    for value in wanted:
        target = rows.index(value)
        key = Qt.Key.Key_Down if target > row else Qt.Key.Key_Up
        _press(qtbot, key, abs(target - row))
        row = target
        _press(qtbot, Qt.Key.Key_Space)
        assert values.item(row).checkState() == Qt.CheckState.Checked


def test_a_stratified_draw_built_by_ticks_alone_is_previewed_with_reasons_and_saved(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    """Stop and search only; strip searches of under-18s first, all of them; the rest at
    random up to 4 cases: built with the keyboard and the mouse, never a line typed."""
    ws, chair = chair_ws
    cases = [c for c in read_manifest(EXAMPLE).cases if c.case_type == "stop_and_search"]
    children = [c for c in cases if c.strip_search and c.age_band in ("under 10", "10-17")]
    assert 0 < len(children) < 4
    dialog = SamplingDialog(ws.sampling, chair)
    _shown(qtbot, dialog)
    qtbot.mouseClick(dialog.name, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(focused(), "2026-Q1 by ticks")
    _press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.seed
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "20260401")

    _press(qtbot, Qt.Key.Key_F, alt=True)  # Field (which cases)
    assert focused() is dialog.filter_picker.field_box
    _choose_field(qtbot, dialog.filter_picker.field_box, "case_type")
    _tick_rows(qtbot, dialog.filter_picker.values, "stop_and_search")
    assert dialog.filter_picker.field_box.currentText() == "Case type (1 ticked)"

    group = dialog.groups.picker
    _press(qtbot, Qt.Key.Key_E, alt=True)  # Field (new group)
    assert focused() is group.field_box
    _choose_field(qtbot, group.field_box, "strip_search")
    _tick_rows(qtbot, group.values, "true")
    _press(qtbot, Qt.Key.Key_Backtab)
    _choose_field(qtbot, group.field_box, "age_band")
    _tick_rows(qtbot, group.values, "under 10", "10-17")
    assert group.summary.text() == ("Ticked: strip search yes; age range under 10 or 10-17")
    qtbot.mouseClick(dialog.groups.take_some, Qt.MouseButton.LeftButton)
    assert dialog.groups.take_count.isEnabled()
    qtbot.mouseClick(dialog.groups.take_all, Qt.MouseButton.LeftButton)
    assert not dialog.groups.take_count.isEnabled()
    qtbot.mouseClick(dialog.groups.add_button, Qt.MouseButton.LeftButton)
    assert [dialog.groups.groups.item(0).text()] == [
        "1. strip search yes, age range under 10 or 10-17: take all"
    ]
    assert group.summary.text() == "Ticked: nothing yet"  # ready for another group

    _press(qtbot, Qt.Key.Key_Z, alt=True)
    assert focused() is dialog.size_box
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "4")
    qtbot.wait(500)  # as a person pauses before pressing Preview
    assert not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert f"{len(cases):,} cases match" in dialog.result_label.text()

    listed = _table(dialog.cases)
    assert len(listed) == 4
    child_refs = {c.force_reference for c in children}
    assert {row[1] for row in listed[: len(children)]} == child_refs
    for *_, reason in listed[: len(children)]:
        assert reason == "stratum: strip search yes, age range under 10 or 10-17, take all"
    rest = len(cases) - len(children)
    for *_, reason in listed[len(children) :]:
        assert reason == f"random dip from the rest: {4 - len(children)} of {rest}"
    assert _table(dialog.strata_table)[0] == [
        "strip search yes, age range under 10 or 10-17", "all",
        str(len(children)), str(len(children)),
    ]  # fmt: skip

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = ws.sampling.get(chair, "2026-Q1 by ticks")
    assert stored.spec == {
        "filters": ["case_type=stop_and_search"],
        "strata": ["strip_search=true&age_band=under 10,10-17:all"],
        "size": 4,
    }
    assert [(c.rank, c.force_reference) for c in stored.cases] == [
        (int(rank), ref) for rank, ref, _ in listed
    ]
    assert stored.seed == "20260401" and "Saved draw" in dialog.result_label.text()


def test_the_typed_lines_follow_the_ticks_and_a_power_user_may_type_instead(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    _shown(qtbot, dialog)
    dialog.filter_picker.choose_field("ethnicity")
    _tick(dialog.filter_picker, "Black", "not recorded")
    dialog.dates.start.setDate(QDate(2026, 3, 5))
    assert dialog.filters.toPlainText() == ("ethnicity=Black,not recorded\ndate=2026-03-05..")
    assert dialog.filters.isReadOnly() and not dialog.advanced.isVisible()
    qtbot.mouseClick(dialog.advanced_button, Qt.MouseButton.LeftButton)
    assert dialog.advanced.isVisible()

    _click_box(qtbot, dialog.type_lines)
    assert not dialog.filters.isReadOnly()
    assert not dialog.filter_picker.isEnabled()  # the ticks are set aside, not mixed in
    dialog.filters.setFocus()
    qtbot.keyClick(dialog.filters, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.filters, "outcome=Arrest")
    dialog.size_box.setValue(2)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert "would take 2" in dialog.result_label.text()
    assert {row[2] for row in _table(dialog.cases)} == {"random dip: 2 of 5"}

    _click_box(qtbot, dialog.type_lines)  # back to the ticks
    assert dialog.filters.toPlainText().startswith("ethnicity=Black,not recorded")
    assert not dialog.save_button.isEnabled()  # these lines were not previewed
    _click_box(qtbot, dialog.type_lines)  # what was typed returns
    assert dialog.filters.toPlainText() == "outcome=Arrest"


def test_nothing_to_draw_is_said_in_plain_words(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    _shown(qtbot, dialog)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "\u26a0 Choose a sample size, or add at least one group to take."
    assert "--" not in dialog.error.text()


def _click_box(qtbot: QtBot, box: QCheckBox) -> None:
    """A click on the box itself, where a person aims (the widget spans the form's width)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _tab_cycle(qtbot: QtBot, start: QWidget, key: Qt.Key) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(80):
        _press(qtbot, key)
        if focused() is start:
            return seen
        if focused() is not seen[-1]:  # Tab steps through a date's year, month and day first
            seen.append(focused())
    raise AssertionError(f"Tab never came back: stuck at {focused().accessibleName()!r}")


def test_tab_follows_reading_order_names_every_stop_and_never_traps(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    _shown(qtbot, dialog)
    dialog.advanced_button.click()
    dialog.type_lines.setChecked(True)
    qtbot.wait(100)
    forward = _tab_cycle(qtbot, dialog.name, Qt.Key.Key_Tab)
    groups = dialog.groups
    reading_order = [
        dialog.name, dialog.seed,
        dialog.advanced_button, dialog.type_lines, dialog.filters, dialog.strata,
        dialog.strata_table, dialog.cases, dialog.composition,
        dialog.preview_button,
    ]  # fmt: skip
    assert [w for w in forward if w in reading_order] == reading_order
    assert all(w.accessibleName() for w in forward), [type(w).__name__ for w in forward]
    backward = _tab_cycle(qtbot, dialog.name, Qt.Key.Key_Backtab)
    assert backward[1:] == forward[:0:-1]

    dialog.type_lines.setChecked(False)  # the choices take part again, in reading order
    forward = _tab_cycle(qtbot, dialog.name, Qt.Key.Key_Tab)
    reading_order = [
        dialog.name, dialog.seed,
        dialog.filter_picker.field_box, dialog.filter_picker.values,
        dialog.dates.start, dialog.dates.end,
        groups.picker.field_box, groups.picker.values, groups.take_all, groups.groups,
        dialog.size_box, dialog.advanced_button, dialog.type_lines,
        dialog.strata_table, dialog.cases, dialog.composition, dialog.preview_button,
    ]  # fmt: skip
    assert [w for w in forward if w in reading_order] == reading_order
    assert all(w.accessibleName() for w in forward), [type(w).__name__ for w in forward]


def test_tab_moves_out_of_the_typed_lines(qtbot: QtBot, chair_ws: tuple[Workspace, Actor]) -> None:
    """Tab in the Filters box used to type a tab character and keep the focus there."""
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    _shown(qtbot, dialog)
    _typing(dialog)
    _press(qtbot, Qt.Key.Key_I, alt=True)
    assert focused() is dialog.filters
    qtbot.keyClicks(focused(), "case_type=stop_and_search")
    _press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.strata
    qtbot.keyClicks(focused(), "rest:3")
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.filters
    _press(qtbot, Qt.Key.Key_Tab, 2)
    assert focused() is not dialog.strata
    assert dialog.filters.toPlainText() == "case_type=stop_and_search"
    assert dialog.strata.toPlainText() == "rest:3"

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert "would take 3" in dialog.result_label.text()


def _tick(picker: ValuePicker, *values: str) -> None:
    for row in range(picker.values.count()):
        item = picker.values.item(row)
        if item.data(VALUE_ROLE) in values:
            item.setCheckState(Qt.CheckState.Checked)


def test_a_preview_on_screen_fills_each_table_to_its_edge(
    qtbot: QtBot, chair_ws: tuple[Workspace, Actor]
) -> None:
    """The walk's screenshot showed each preview table's columns narrowed to their contents
    and then a band of empty header: Qt had not stretched the last column again. Stretched,
    the last column (why each case is in) still keeps room for its words."""
    ws, chair = chair_ws
    dialog = SamplingDialog(ws.sampling, chair)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.size_box.setValue(3)
    dialog.preview()
    qtbot.wait(200)  # laid out for the first preview's words
    dialog.seed.setText("2")
    dialog.preview()  # refilled, the layout unchanged: no resize comes to stretch the column
    for table in (dialog.strata_table, dialog.cases, dialog.composition):
        header = table.horizontalHeader()
        assert header.length() >= table.viewport().width(), table.accessibleName()
        for column in range(table.columnCount()):
            assert header.sectionSize(column) >= table.sizeHintForColumn(column)
