"""The main window shows each person the work their roles allow, with empty states that
say what to do first; signing out is audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import AuditEvent
from bwv_review.ui.main_window import MainWindow

PIN = "112358"


@pytest.fixture
def people(sqlite_url: str) -> Iterator[tuple[Workspace, Actor, Actor]]:
    ws = Workspace.open(sqlite_url)
    admin = ws.auth.create_first_admin("alice", "Alice", PIN, purpose="test")
    trainer = ws.auth.create_user(
        admin, "tlead", "Terry Lead", PIN, [Role.TRAINING_LEAD], purpose="test"
    )
    yield ws, admin, trainer
    ws.close()


def _tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_tabs_follow_roles(qtbot: QtBot, people: tuple[Workspace, Actor, Actor]) -> None:
    ws, admin, trainer = people
    admin_window = MainWindow(ws, admin)
    trainer_window = MainWindow(ws, trainer)
    qtbot.addWidget(admin_window)
    qtbot.addWidget(trainer_window)
    assert _tab_titles(admin_window) == [
        "My reviews",
        "Review sessions",
        "Library",
        "Reports",
        "Learning",
    ]
    assert _tab_titles(trainer_window) == ["Learning"]
    admin_window.show()
    admin_window.tabs.setCurrentIndex(2)
    library = admin_window.library
    # With nothing imported the library says what to import first.
    qtbot.waitUntil(lambda: library.pages.currentWidget() is library.empty_pages["cases"])
    assert "import-manifest" in library.empty_pages["cases"].accessibleName() + " ".join(
        label.text() for label in library.empty_pages["cases"].findChildren(QLabel)
    )
    assert "Terry Lead (M002)" in trainer_window.statusBar().findChildren(object)[-1].text()


def test_sign_out_is_recorded(qtbot: QtBot, people: tuple[Workspace, Actor, Actor]) -> None:
    ws, admin, _ = people
    window = MainWindow(ws, admin)
    qtbot.addWidget(window)
    window.show()
    window.sign_out_action.trigger()
    assert window.signed_out and not window.isVisible()
    with ws.db.transaction() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None and (last.actor, last.action) == ("alice", "auth.signed_out")
