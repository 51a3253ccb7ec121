"""The chair's Reports tab on a real SQLite workspace holding a finalised panel: the chair's
words typed with the keyboard are in the database after the pause, on a scope switch and
before the sign-out event; a preview draws real pages off the GUI thread and Cancel stops
one; issuing writes a file whose SHA-256 is the one recorded, with or without this
machine's audit key; an open session cannot be issued, and says so."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.config import Paths, Settings
from bwv_review.domain.vocab import Role
from bwv_review.services.audit import create_checkpoint_key
from bwv_review.services.errors import PermissionDenied
from bwv_review.services.report_issuing import ReportFormat
from bwv_review.services.report_narrative import NarrativeSection
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent, IssuedReport, ReportNarrative
from bwv_review.ui.main_window import MainWindow
from bwv_review.ui.reports_tab import NO_KEY, ReportsTab
from bwv_review.ui.rubric_form import TYPING_SAVE_MS
from tests.services.report_fixtures import SESSION, ReportPanel, build_report_panel
from tests.services.review_fixtures import make_person
from tests.ui.test_review_screen import focused, show_window
from tests.ui.test_sessions_screen import unnamed_controls

PAUSE_MS = TYPING_SAVE_MS + 800
RECOMMENDATIONS = NarrativeSection.RECOMMENDATIONS


@pytest.fixture
def finalised(sqlite_url: str) -> Iterator[tuple[Workspace, ReportPanel]]:
    ws = Workspace.create(sqlite_url)
    yield ws, build_report_panel(ws)
    ws.close()


@pytest.fixture
def still_open(sqlite_url: str) -> Iterator[tuple[Workspace, ReportPanel]]:
    ws = Workspace.create(sqlite_url)
    yield ws, build_report_panel(ws, finalise=False)
    ws.close()


def _open(qtbot: QtBot, ws: Workspace, panel: ReportPanel) -> ReportsTab:
    """The tab as the chair meets it in the main window (past the statement, which the
    chair's My reviews tab would otherwise put first)."""
    ws.users.accept_confidentiality(panel.chair, purpose="test")
    window = show_window(qtbot, MainWindow(ws, panel.chair))
    window.tabs.setCurrentWidget(window.reports)
    return window.reports


def _stored(ws: Workspace, section: NarrativeSection) -> list[str]:
    with ws.db.transaction() as session:
        return list(
            session.scalars(
                select(ReportNarrative.text).where(ReportNarrative.section == section.value)
            )
        )


def _type_into(qtbot: QtBot, tab: ReportsTab, section: NarrativeSection, text: str) -> None:
    tab.narrative.fields[section].setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), text)


def _start_by_alt(qtbot: QtBot, tab: ReportsTab, key: Qt.Key) -> None:
    """Alt and a button's letter where the focus is, as a keyboard user presses it; the
    button clicks after its short press animation, so wait for the work it starts."""
    before = tab.task
    qtbot.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.task is not before, timeout=2000)


def _wait_idle(qtbot: QtBot, tab: ReportsTab, timeout: int = 60_000) -> None:
    task = tab.task
    assert task is not None
    qtbot.waitUntil(lambda: not task.running and tab.progress.isHidden(), timeout=timeout)


def test_the_chairs_words_are_saved_as_typed(
    qtbot: QtBot, finalised: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = finalised
    tab = _open(qtbot, ws, panel)
    assert unnamed_controls(tab) == []
    field = tab.narrative.fields[RECOMMENDATIONS]
    assert not field.isEnabled()  # nothing chosen: nowhere to save to
    tab.picker.table.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Space)  # the first row is current: tick it
    assert tab.picker.ticked() == (SESSION,)
    assert field.isEnabled()

    _type_into(qtbot, tab, RECOMMENDATIONS, "Start cameras before arrival.")
    assert tab.narrative.states[RECOMMENDATIONS].text() == "not saved yet\u2026"
    assert _stored(ws, RECOMMENDATIONS) == []  # not on each key
    qtbot.wait(PAUSE_MS)
    assert _stored(ws, RECOMMENDATIONS) == ["Start cameras before arrival."]
    assert tab.narrative.states[RECOMMENDATIONS].text().startswith("saved, version 1, by ")

    # Typed and the scope switched at once: saved under the scope it was typed for.
    qtbot.keyClicks(focused(), " Always.")
    tab.picker.tick()
    assert _stored(ws, RECOMMENDATIONS) == ["Start cameras before arrival. Always."]
    assert not field.isEnabled() and field.toPlainText() == ""
    tab.picker.tick(SESSION)
    assert field.toPlainText() == "Start cameras before arrival. Always."

    # Another laptop saves first: the refusal names them, the text typed here is kept.
    scope = ReportScope.of_sessions(SESSION)
    ws.report_narrative.save(
        panel.chair, scope, RECOMMENDATIONS, "Theirs.", expected_version=2, purpose="test"
    )
    _type_into(qtbot, tab, RECOMMENDATIONS, " Mine.")
    qtbot.wait(PAUSE_MS)
    assert "changed this section" in tab.narrative.error.text()
    assert tab.narrative.states[RECOMMENDATIONS].text() == "\u26a0 not saved"
    assert field.toPlainText() == "Start cameras before arrival. Always. Mine."
    assert _stored(ws, RECOMMENDATIONS) == ["Theirs."]
    assert tab.narrative.reload_button.isVisible()
    tab.narrative.reload_button.click()
    assert field.toPlainText() == "Theirs." and tab.narrative.error.isHidden()

    # Typed and signed out before the pause: saved before the sign-out event.
    _type_into(qtbot, tab, NarrativeSection.SAMPLING_FOCUS, "Taser")
    tab.window().sign_out()
    assert _stored(ws, NarrativeSection.SAMPLING_FOCUS) == ["Taser"]
    with ws.db.transaction() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["report.narrative_saved", "auth.signed_out"]


def _ink(image_pixels: QLabel) -> int:
    """How many of a page's sampled pixels are not white."""
    image = image_pixels.pixmap().toImage()
    white = QColor(Qt.GlobalColor.white).rgb()
    return sum(
        image.pixel(x, y) != white
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )


def test_the_preview_draws_the_pages_and_cancel_stops_one(
    qtbot: QtBot, finalised: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = finalised
    tab = _open(qtbot, ws, panel)
    tab.picker.tick(SESSION)
    assert tab.preview_button.isEnabled()

    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    assert tab.cancel_button.isVisible() and tab.cancel_button.hasFocus()
    tab.cancel_button.click()
    _wait_idle(qtbot, tab)
    assert tab.preview_state.text() == "Preview cancelled."
    assert tab.pages.pages == [] and tab.page_number.text() == "none yet"
    assert tab.preview_button.isEnabled() and tab.cancel_button.isHidden()

    _start_by_alt(qtbot, tab, Qt.Key.Key_P)
    _wait_idle(qtbot, tab)
    count = len(tab.pages.pages)
    assert count > 3 and tab.preview_state.text() == f"{count} pages."
    assert tab.page_number.text() == f"Page 1 of {count}"
    assert tab.draft_words.isHidden()  # finalised: no DRAFT
    first = tab.pages.pages[0]
    assert first.pixmap().width() > 500 and first.pixmap().height() > 700
    assert _ink(first) > 1000  # text and rules drawn, not a blank page
    assert first.accessibleName() == f"Page 1 of {count}"

    # The keyboard scrolls the pages; the line above follows.
    assert tab.pages.hasFocus()
    bar = tab.pages.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.keyClick(tab.pages, Qt.Key.Key_End)
    assert tab.page_number.text() == f"Page {count} of {count}"
    qtbot.keyClick(tab.pages, Qt.Key.Key_Home)
    for _ in range(4):
        qtbot.keyClick(tab.pages, Qt.Key.Key_PageDown)
    assert bar.value() > 0 and tab.page_number.text() == f"Page 2 of {count}"

    # Saved words move the report: the pages say they are out of date.
    _type_into(qtbot, tab, RECOMMENDATIONS, "More receipts.")
    qtbot.wait(PAUSE_MS)
    assert tab.preview_state.text() == "Changed since this preview: press Preview again."


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_issuing_records_the_files_hash_with_or_without_an_audit_key(
    qtbot: QtBot,
    finalised: tuple[Workspace, ReportPanel],
    tmp_path: Path,
    app_home: Paths,
) -> None:
    ws, panel = finalised
    tab = _open(qtbot, ws, panel)
    tab.picker.tick(SESSION)
    assert tab.issue_why.text() == "Every session in scope is finalised: ready to issue."
    asked: list[str] = []
    out = tmp_path / "issued" / "report.pdf"
    out.parent.mkdir()

    def answer(_parent: QWidget, suggested: str, _filter: str) -> str:
        asked.append(suggested)
        return str(out)

    tab.choose_path = answer
    _start_by_alt(qtbot, tab, Qt.Key.Key_U)
    _wait_idle(qtbot, tab)
    assert asked == [str(Path.home() / "panel-report-2026-Q3-internal.pdf")]
    digest = _sha256(out)
    with ws.db.transaction() as session:
        assert list(session.scalars(select(IssuedReport.sha256))) == [digest]
    words = tab.issue_state.text()
    assert f"SHA-256: {digest}" in words and f"File: {out}" in words
    assert NO_KEY in words and not out.with_name("report.pdf.checkpoint.json").exists()
    assert tab.issued_table.rowCount() == 1
    cells = [tab.issued_table.item(0, c).text() for c in range(6)]
    assert cells[1:] == ["internal", "PDF", SESSION, digest[:12] + "\u2026", "\u2014 none yet"]

    # Issued again: the same bytes, recognised as the same report.
    tab.issue_to(out, ReportFormat.PDF)
    _wait_idle(qtbot, tab)
    assert "Already issued on" in tab.issue_state.text()
    assert tab.issued_table.rowCount() == 1

    # A machine holding the audit key signs a checkpoint beside the file.
    key_file = tmp_path / "audit.key"
    create_checkpoint_key(key_file)
    Settings(app_home.settings_file).set("audit.checkpoint_key_file", str(key_file))
    tab._settings = Settings(app_home.settings_file)  # as a window opened now reads them
    tab.picker.variant.setCurrentIndex(1)
    html_out = tmp_path / "issued" / "published.html"
    tab.file_format.setCurrentIndex(1)
    tab.choose_path = lambda _parent, _suggested, _filter: str(html_out)
    tab.issue_button.click()
    _wait_idle(qtbot, tab)
    checkpoint = html_out.with_name("published.html.checkpoint.json")
    assert f"Signed audit checkpoint written beside it: {checkpoint}" in tab.issue_state.text()
    assert checkpoint.is_file()
    with ws.db.transaction() as session:
        row = session.scalar(select(IssuedReport).where(IssuedReport.sha256 == _sha256(html_out)))
        assert row is not None and row.variant == "published" and row.checkpoint_written
    assert tab.issued_table.rowCount() == 2
    assert tab.issued_table.item(0, 5).text() == "\u2714 written"


def test_an_open_session_is_previewed_as_draft_and_not_issued(
    qtbot: QtBot, still_open: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = still_open
    tab = _open(qtbot, ws, panel)
    status = tab.picker.table.item(0, 3).text()
    assert status == "\u25cb Open, not finalised"  # a mark and words, not colour
    tab.picker.tick(SESSION)
    assert not tab.issue_button.isEnabled()
    assert tab.issue_why.text().startswith(
        f"Issue is closed: only finalised sessions can be issued, and {SESSION} (open) is "
        "not finalised."
    )
    tab.preview()
    _wait_idle(qtbot, tab)
    assert tab.pages.pages and tab.draft_words.isVisible()
    assert tab.draft_words.text().startswith(f"DRAFT: {SESSION} (open) is not finalised")
    assert not tab.issue_button.isEnabled()

    # Meeting dates choose the same session; dates that hold none are named.
    tab.picker.by_dates.setChecked(True)
    tab.picker.from_date.setText("2026-10-02")
    tab.picker.to_date.setText("2026-12-31")
    tab.picker.to_date.editingFinished.emit()
    assert "no review session met from 02 October 2026" in tab.scope_words.text()
    assert not tab.preview_button.isEnabled()
    tab.picker.from_date.setText("2026-10-01")
    tab.picker.from_date.editingFinished.emit()
    assert tab.scope_words.text() == f"2026-Q3: 1 session ({SESSION})."


def test_only_chairs_have_the_tab_and_the_services_check(
    qtbot: QtBot, finalised: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = finalised
    lead = make_person(ws, "lead", Role.TRAINING_LEAD)
    for person in (*panel.members, lead):
        window = show_window(qtbot, MainWindow(ws, person), active=False)
        assert not hasattr(window, "reports")
        assert "Reports" not in [window.tabs.tabText(i) for i in range(window.tabs.count())]
        with pytest.raises(PermissionDenied):
            ws.report_choices.sessions(person)
        with pytest.raises(PermissionDenied):
            ws.report_choices.resolve(person, ReportScope.of_sessions(SESSION))


def test_each_alt_letter_reaches_one_control_and_tab_follows_reading_order(
    qtbot: QtBot, finalised: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = finalised
    tab = _open(qtbot, ws, panel)
    tab.picker.tick(SESSION)
    window = tab.window()
    texts = [b.text() for b in tab.findChildren(QAbstractButton)]
    texts += [label.text() for label in tab.findChildren(QLabel)]
    texts += [action.text() for action in window.menuBar().actions()]
    keys = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(set(keys)), texts
    assert len(keys) >= 16
    # Every visible label names its control within the control's accessible name.
    for label in tab.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            words = label.text().replace("&", "").rstrip(":").split(" (")[0]
            assert words.lower() in buddy.accessibleName().lower(), (words, buddy)
    for button in tab.findChildren(QAbstractButton):
        words = button.text().replace("&", "").rstrip("\u2026")
        assert words.lower() in button.accessibleName().lower(), words

    tab.picker.by_name.setFocus()
    order = [focused()]
    for _ in range(20):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        if focused() in order:
            break
        order.append(focused())
    expected = [
        tab.picker.by_name,
        tab.picker.table,
        tab.picker.variant,
        *tab.narrative.fields.values(),
        tab.preview_button,
        tab.pages,
        tab.file_format,
        tab.issue_button,
    ]
    positions = [order.index(widget) for widget in expected]
    assert positions == sorted(positions), [type(w).__name__ for w in order]


def test_words_typed_just_before_the_window_closes_are_saved(
    qtbot: QtBot, finalised: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = finalised
    tab = _open(qtbot, ws, panel)
    tab.picker.tick(SESSION)
    _type_into(qtbot, tab, NarrativeSection.INTRODUCTION, "A quarter of long searches.")
    tab.window().close()
    assert _stored(ws, NarrativeSection.INTRODUCTION) == ["A quarter of long searches."]


def test_a_session_finalised_meanwhile_opens_issue_when_the_tab_is_shown_again(
    qtbot: QtBot, still_open: tuple[Workspace, ReportPanel]
) -> None:
    ws, panel = still_open
    tab = _open(qtbot, ws, panel)
    tab.picker.tick(SESSION)
    assert not tab.issue_button.isEnabled()
    window = tab.window()
    window.tabs.setCurrentWidget(window.sessions)
    ws.review_sessions.finalise(panel.chair, panel.session_id, purpose="test")
    window.tabs.setCurrentWidget(tab)
    assert tab.picker.table.item(0, 3).text() == "\u2714 Finalised"
    assert tab.picker.ticked() == (SESSION,)
    assert tab.issue_button.isEnabled()
