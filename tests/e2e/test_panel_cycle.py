"""Issue 8, section 2: one panel cycle walked end to end by its people, in the real app on a
real X server, with real key presses, clicks and pauses longer than every debounce.

Ada, the first administrator, sets up the workspace, adds two reviewers by the headless
command (the GUI has no accounts screen yet), imports the public records, the force's
manifest and its footage, draws a sample and opens a session. Kim reviews with the
keyboard only, Mo with the mouse; each answers checks, types reasons, a note and a
question, pauses, moves on, switches case, signs out or closes the window, and later comes
back to find everything as typed, and submits. Ada records the panel's outcome and
finalises. After each step the database is read to show that every typed character was
stored, and the screen is photographed (the test's `shots` folder;
`make screenshots` keeps them in docs/screenshots/walk/).
"""

from __future__ import annotations

from tests.e2e.chair import FOOTAGE, MANIFEST, RECORDS, Chair
from tests.e2e.conftest import Walk
from tests.e2e.force_data import ROOT_NAME
from tests.e2e.xinput import X

ADA = ("ada", "Ada Okafor", "864200")
KIM = ("kim", "Kim Keys", "531975")
MO = ("mo", "Mo Clicks", "246813")
RECORD_FILES = ["2018-01-avon-and-somerset-stop-and-search.csv",
                "2019-12-essex-stop-and-search.csv"]  # fmt: skip
DRAW = "2026-Q1 walk sample"
SESSION = "2026-Q1 panel"


def test_one_panel_cycle_walked_by_its_people(walk: Walk) -> None:
    ada = first_administrator(walk)
    accounts(walk, ada)
    imports(walk, ada)
    drawn = draw(walk, ada)
    session(walk, ada, drawn)


# --- the chair sets up ------------------------------------------------------------------


def first_administrator(walk: Walk) -> Chair:
    walk.app.start()
    ada = Chair(walk.desktop, *ADA)
    ada.create_first_administrator()
    ada.accept_confidentiality()
    assert walk.db.roles() == {"ada": {"admin", "chair"}}
    walk.desktop.shot("main-window-first-administrator")
    return ada


def accounts(walk: Walk, ada: Chair) -> None:
    for username, name, pin in (KIM, MO):
        walk.app.cli(
            "users", "add", username, "--name", name, "--role", "reviewer",
            as_user=ada.username, pin=ada.pin, new_pin=pin,
        )  # fmt: skip
    assert walk.db.roles() == {
        "ada": {"admin", "chair"},
        "kim": {"reviewer"},
        "mo": {"reviewer"},
    }


def imports(walk: Walk, ada: Chair) -> None:
    ada.open_import()
    ada.choose_kind(RECORDS)
    ada.pick_files(walk.records_dir, RECORD_FILES)
    summary = ada.run_import("import-records")
    stored = walk.db.record_imports()
    assert sorted(stored) == RECORD_FILES, summary
    expected = {
        name: sum(1 for _ in (walk.records_dir / name).open(encoding="utf-8-sig")) - 1
        for name in RECORD_FILES
    }
    assert stored == expected

    ada.remove_chosen()
    ada.choose_kind(MANIFEST)
    ada.pick_files(walk.delivery.manifest.parent, [walk.delivery.manifest.name])
    summary = ada.run_import("import-manifest")
    cases = walk.db.cases()
    assert sorted(cases) == sorted(walk.delivery.references), summary

    ada.remove_chosen()
    ada.choose_kind(FOOTAGE)
    ada.click_named("Footage root name", "text")
    ada.type(ROOT_NAME)
    ada.pick_folder(walk.delivery.footage)
    summary = ada.run_import("import-footage")
    clips = walk.db.cases()
    assert all(sha for refs in clips.values() for _, sha in refs), summary
    assert all(len(refs) == 1 for refs in clips.values())
    ada.close_import()


def draw(walk: Walk, ada: Chair) -> list[str]:
    ada.draw_sample(DRAW, seed="20260301", size=2)
    drawn = walk.db.draw(DRAW)
    assert len(drawn) == 2 and set(drawn) < set(walk.delivery.references)
    return drawn


def session(walk: Walk, ada: Chair, drawn: list[str]) -> None:
    ada.open_sessions_tab()
    ada.create_session(SESSION, members=[KIM[0], MO[0]])
    stored = walk.db.session(SESSION)
    assert stored is not None and stored.status == "draft"

    ada.adopt_draw(DRAW)
    by_hand = next(ref for ref in walk.delivery.references if ref not in drawn)
    ada.add_case_by_hand(by_hand, "Complaint received about this stop")
    ada.choose_reviewers(by_hand, keep=[KIM[1]])
    ada.open_session()
    stored = walk.db.session(SESSION)
    assert stored is not None
    assert stored.status == "open"
    assert stored.cases == {drawn[0]: "sample", drawn[1]: "sample", by_hand: "manual"}
    assert stored.reviewers == {
        drawn[0]: {"kim", "mo"},
        drawn[1]: {"kim", "mo"},
        by_hand: {"kim"},
    }
    walk.desktop.shot("session-open")
    assert_fits_the_screen(ada.x, ada.display_name)
    ada.sign_out()


def assert_fits_the_screen(x: X, display_name: str) -> None:
    """Issue 8 defect 4: every screen fits 1280x800."""
    area = x.geometry(f"bwv-review \u2014 {display_name}")
    assert area.x >= 0 and area.y >= 0, area
    assert area.x + area.w <= 1280 and area.y + area.h <= 800, area
