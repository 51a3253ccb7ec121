"""`bwv-review sessions list|join` and `reviews reopen` as a second chair uses them: the
sessions are listed for every chair, joining opens a session's answers, and a submitted
review is reopened with a reason."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.domain.vocab import Role
from bwv_review.services.actor import Actor
from bwv_review.services.errors import PermissionDenied
from bwv_review.services.workspace import Workspace
from tests.services.review_fixtures import (
    PURPOSE,
    Panel,
    answer_all,
    build_panel,
    give_own_pin,
    make_person,
)

PIN = "246810"


@pytest.fixture
def setting(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Workspace, Panel, Actor]]:
    """The panel of tests/services, and Dora: an administrator who is also a chair and
    did not create the session."""
    workspace = Workspace.create(sqlite_url)
    panel = build_panel(workspace)
    dora = make_person(workspace, "dora", Role.ADMIN, Role.CHAIR)
    for person in (dora, panel.alice):
        give_own_pin(workspace, panel.admin, person, PIN)
    monkeypatch.setenv("BWV_REVIEW_PIN", PIN)
    try:
        yield workspace, panel, dora
    finally:
        workspace.close()


def _run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, dict]:
    code = run([*argv, "--db", url, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_second_chair_lists_joins_and_reopens(
    setting: tuple[Workspace, Panel, Actor],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace, panel, dora = setting
    code, payload = _run(capsys, sqlite_url, "sessions", "list", "--as", "dora")
    assert code == EXIT_OK
    assert [s["name"] for s in payload["result"]] == ["2026 Q3 panel"]  # was []

    with pytest.raises(PermissionDenied, match="join it as a panel member"):
        workspace.consensus.agreement(dora, panel.session_id)
    code, payload = _run(capsys, sqlite_url, "sessions", "join", "2026 Q3 panel", "--as", "dora")
    assert code == EXIT_OK, payload
    workspace.consensus.agreement(dora, panel.session_id)  # now on the panel
    code, payload = _run(capsys, sqlite_url, "sessions", "join", "2026 Q3 panel", "--as", "dora")
    assert code == EXIT_BAD_INPUT and "already a member" in payload["errors"][0]["message"]

    alice = panel.assignment(workspace, panel.alice, panel.case_ids[0])
    answer_all(workspace, panel.alice, alice)
    workspace.reviews.submit(panel.alice, alice, purpose=PURPOSE)
    reopen = ("reviews", "reopen", "--session", "2026 Q3 panel", "--case", "CASE-001")
    code, payload = _run(
        capsys, sqlite_url, *reopen, "--reviewer", "bob", "--reason", "x", "--as", "dora"
    )
    assert code != EXIT_OK and "bob has no submitted review" in payload["errors"][0]["message"]
    code, payload = _run(
        capsys, sqlite_url, *reopen, "--reviewer", "alice", "--reason", "asked to", "--as", "alice"
    )
    assert code == EXIT_PERMISSION
    code, payload = _run(
        capsys,
        sqlite_url,
        *reopen,
        "--reviewer",
        "alice",
        "--reason",
        "Alice asked: submitted too soon",
        "--as",
        "dora",
    )
    assert code == EXIT_OK, payload
    [item] = [i for i in workspace.reviews.queue(panel.alice) if i.assignment_id == alice]
    assert (item.status, item.locked) == ("in_progress", False)
