"""The administrator who chairs the panel: sets the workspace up, imports, draws the sample,
runs the session and records the panel's outcomes. She uses the keyboard's shortcuts and
mnemonics, and the mouse where a chair would point at a row or a file."""

from __future__ import annotations

import logging
from pathlib import Path

from tests.e2e.a11y import Control
from tests.e2e.person import Person

log = logging.getLogger(__name__)

IMPORT_WINDOW = "Import"
RECORDS = "Public stop-and-search records (data.police.uk CSV or JSON)"
MANIFEST = "The force's case manifest (CSV or JSON)"
FOOTAGE = "A footage folder (clips named in a manifest)"


class Chair(Person):
    # --- first run ----------------------------------------------------------------------

    def create_first_administrator(self, panel: str, force: str) -> None:
        """A first run: the welcome window (where the app shows one) offers a new
        workspace; the set-up dialog is filled in field by field, each found by the name
        the screen reader announces on Tab, then Alt+C creates the administrator."""
        first = self.x.first_window(("Welcome to bwv-review", "Set up bwv-review"))
        if "Welcome" in first:
            self.x.focus_window("Welcome to bwv-review")
            self.desktop.shot("welcome")
            self.press("alt+n")
        self.x.focus_window("Set up bwv-review")
        values = {
            "Panel name": panel,
            "Force": force,
            "User name": self.username,
            "Full name": self.display_name,
            "Choose a PIN or password": self.pin,
            "Type the PIN again": self.pin,
        }
        focus = self.screen.wait_focus("the first field", lambda c: c.name in values)
        typed: list[str] = []
        while focus is not None and (field := _field_name(focus)) in values:
            if field in typed:
                break
            self.type(values[field])  # in a list, typing picks the entry that starts so
            typed.append(field)
            before = self.screen.focus_changes()
            self.press("Tab")
            focus = self.screen.focus_after(before, focus)
        assert {"User name", "Full name", "Choose a PIN or password"} <= set(typed), typed
        self.desktop.shot("first-run-dialog")
        self.press("alt+c")
        self.x.window(f"{self.display_name} \u2014 bwv-review")

    def accept_confidentiality(self) -> None:
        """The statement opens by itself on the first sign-in; Alt+A accepts."""
        self.x.focus_window("Confidentiality statement")
        self.screen.find("I accept the statement", "push button")
        self.press("alt+a")
        self.x.wait_gone("Confidentiality statement")
        self.main_window()

    # --- imports ------------------------------------------------------------------------

    def open_import(self) -> None:
        self.main_window()
        self.press("ctrl+i")
        self.x.focus_window(IMPORT_WINDOW)
        self.screen.find("Import records, cases or footage", "dialog")

    def choose_kind(self, label: str) -> None:
        self.click_named(label, "radio button")
        self.screen.wait(f"{label!r} chosen", lambda seen: _checked(seen, label))

    def pick_files(self, folder: Path, names: list[str]) -> None:
        """Add files: in the file dialog, type the folder, Enter, then the names quoted."""
        self.press("alt+f")
        self.x.focus_window("Choose files")
        self.screen.wait_focus("the file name field", lambda c: c.role == "text")
        self.type(f"{folder}/")
        self.press("Return")
        self.type(" ".join(f'"{name}"' for name in names))
        self.press("Return")
        self.x.wait_gone("Choose files")
        self.x.focus_window(IMPORT_WINDOW)

    def pick_folder(self, folder: Path) -> None:
        self.press("alt+o")
        self.x.focus_window("Choose a folder")
        self.screen.wait_focus("the folder name field", lambda c: c.role == "text")
        self.type(f"{folder}/")
        self.press("Return")
        self.x.wait_gone("Choose a folder")
        self.x.focus_window(IMPORT_WINDOW)

    def run_import(self, shot: str) -> str:
        """Import, then wait for the summary of this run; its text. (The status line
        cannot be read: its accessible name, "Import status", replaces its words.)"""
        before = self.screen.find("Import summary", "text").text
        self.press("alt+i")
        summary = self.screen.wait(
            "the import's summary",
            lambda seen: next(
                (c for c in seen if c.name == "Import summary" and c.text
                 and c.text != before), None,
            ),
            timeout_s=120,
        )  # fmt: skip
        self.screen.wait("Import enabled again", lambda seen: _enabled(seen, "Import"))
        self.desktop.shot(shot)
        log.info("import: %s", summary.text)
        return summary.text or ""

    def remove_chosen(self) -> None:
        """Empty the list of chosen files before the next kind of import."""
        while True:
            items = [c for c in self.screen.controls() if c.role == "list item"
                     and "Chosen files and folders" in c.ancestors]  # fmt: skip
            if not items:
                return
            self.click(items[0])
            self.press("alt+r")

    def close_import(self) -> None:
        self.press("alt+l")
        self.x.wait_gone(IMPORT_WINDOW)
        self.main_window()

    # --- the draw -----------------------------------------------------------------------

    def draw_sample(self, name: str, seed: str, size: int) -> None:
        """File > Draw a sample: name, seed and size typed, Preview, then Draw and save."""
        self.main_window()
        self.press("ctrl+shift+d")
        self.x.focus_window("Draw a sample")
        self.press("alt+n")
        self.type(name)
        self.press("alt+s", "ctrl+a")
        self.type(seed)
        self.press("alt+z", "ctrl+a")
        self.type(str(size))
        self.press("alt+p")
        self.screen.wait("Draw and save enabled", lambda s: _enabled(s, "Draw and save the sample"))
        self.desktop.shot("sampling-preview")
        self.press("alt+d")
        self.screen.wait("Draw and save done", lambda s: _disabled(s, "Draw and save the sample"))
        self.press("Escape")
        self.x.wait_gone("Draw a sample")
        self.main_window()

    # --- the session --------------------------------------------------------------------

    def open_sessions_tab(self) -> None:
        self.main_window()
        tab = self.screen.find("Review sessions", "page tab")
        if "selected" not in tab.states:
            self.click(tab)
        self.screen.find("New session", "push button")

    def create_session(self, name: str, members: list[str]) -> None:
        """New session: the name typed, the quarter and date as offered, members ticked
        with Space in the list."""
        self.press("alt+n")
        self.x.focus_window("New review session")
        # The dialog opens with focus on OK, so the name is reached by its mnemonic.
        self.press("alt+n")
        self.screen.wait_focus("the session name", lambda c: c.name == "Name")
        self.type(name)
        self.press("alt+e")
        for username in members:
            self._tick_list_item("Members", f"({username})")
        self.desktop.shot("new-session-dialog")
        self.click_named("OK", "push button")
        self.x.wait_gone("New review session")
        self.main_window()

    def _tick_list_item(self, list_name: str, fragment: str) -> None:
        """Arrow through the list to the row, Space to tick it."""
        for _ in range(20):
            focus = self.screen.focused()
            if focus is not None and focus.role == "list item" and fragment in focus.name:
                if not focus.checked:
                    self.press("space")
                self.screen.wait(
                    f"{fragment} ticked",
                    lambda seen: next((c for c in seen if c.role == "list item"
                                       and fragment in c.name and c.checked), None),
                )  # fmt: skip
                return
            self.press("Down")
        raise AssertionError(f"no row {fragment!r} in {list_name}")

    def adopt_draw(self, draw_name: str) -> None:
        self.press("alt+d")
        self.x.focus_window("Adopt a sample draw")
        self.press("alt+n")
        self.screen.wait_focus("the draw name", lambda c: "Draw name" in (c.name, *c.ancestors))
        self.type(draw_name)
        self.press("Return")
        self.x.wait_gone("Adopt a sample draw")
        self.main_window()

    def add_case_by_hand(self, reference: str, reason: str) -> None:
        self.press("alt+c")
        self.x.focus_window("Add a case by hand")
        self.press("alt+r")
        self.screen.wait_focus("the reference field", lambda c: c.name == "Force reference")
        self.type(reference)
        self.press("Tab")
        self.type(reason)
        self.press("Return")
        self.x.wait_gone("Add a case by hand")
        self.main_window()

    def case_row(self, reference: str) -> Control:
        return self.screen.find(reference, "table cell", within="Cases in the session")

    def choose_reviewers(self, reference: str, keep: list[str]) -> None:
        """Who reviews this case: untick everyone whose name is not in `keep` (all are
        ticked when a case is added; rows read "Kim Keys (Member A)")."""
        self.click(self.case_row(reference))
        self.press("alt+w")
        self.x.focus_window(f"Who reviews {reference}")
        rows = [c for c in self.screen.controls() if c.role == "list item"
                and "Reviewers" in c.ancestors]  # fmt: skip
        for row in rows:
            wanted = any(row.name.startswith(f"{name} (") for name in keep)
            if wanted != row.checked:
                self._tick_by_click(row)
        self.desktop.shot("who-reviews")
        self.click_named("OK", "push button")
        self.x.wait_gone(f"Who reviews {reference}")
        self.main_window()

    def _tick_by_click(self, row: Control) -> None:
        """The tick box sits at the row's left edge."""
        self.x.click(row.x + 10, row.y + row.h // 2)
        self.screen.wait(
            f"{row.name} toggled",
            lambda seen: next((c for c in seen if c.path == row.path
                               and c.checked != row.checked), None),
        )  # fmt: skip

    def open_session(self) -> None:
        self.press("alt+o")
        self.screen.wait("the session open", lambda seen: _disabled(seen, "Open session"))

    # --- the meeting ----------------------------------------------------------------------

    def open_consensus(self, session: str, reference: str) -> None:
        """Click the session in the list, then Alt+U: the consensus tab, which shows the
        session's first case."""
        self.open_sessions_tab()
        self.click(self.screen.find(session, "table cell", within="Review sessions"))
        self.screen.wait("the session chosen", lambda seen: _enabled(seen, "Finalise session"))
        self.press("alt+u")
        self.screen.wait("the outcome editor", lambda seen: _enabled(seen, "Save outcome"))
        self.screen.wait(
            f"{reference} chosen to compare",
            lambda seen: next((c for c in seen if c.role == "combo box"
                               and c.name.startswith(reference)), None),
        )  # fmt: skip

    def record_outcome(self, grade_steps: int, vignette: str, questions: str) -> None:
        """Panel grade by Alt+G and Down (the list stays shut), the vignette and the
        questions typed, Save outcome by Alt+O."""
        self.press("alt+g")
        self.screen.wait_focus("the panel grade", lambda c: c.role == "combo box")
        self.press(*["Down"] * grade_steps)
        self.press("alt+v")
        self.screen.wait_focus("the vignette", lambda c: "Vignette" in (c.name, *c.ancestors))
        self.type(vignette)
        self.press("alt+q")
        self.screen.wait_focus(
            "the questions", lambda c: "Questions to the force" in (c.name, *c.ancestors)
        )
        self.type(questions)
        self.pause()
        self.desktop.shot("consensus-outcome-typed")
        self.press("alt+o")

    def finalise(self) -> str:
        """Finalise (Alt+E), read the warning, answer Yes; the warning's words."""
        self.press("alt+s")
        self.screen.find("Finalise session", "push button")
        self.press("alt+e")
        self.x.focus_window("Finalise the session")
        box = self.screen.wait(
            "the finalise question",
            lambda seen: next((c for c in seen if c.role == "alert"
                               and c.name.startswith("Finalise the session")), None),
        )  # fmt: skip
        said = " ".join(c.text or c.name for c in self.screen.controls() if c.inside(box))
        self.desktop.shot("finalise-confirmation")
        self.press("alt+y")
        self.x.wait_gone("Finalise the session")
        self.main_window()
        return said

    def quit(self) -> None:
        self.main_window()
        self.press("ctrl+q")

    def sign_out(self) -> None:
        self.main_window()
        self.press("ctrl+shift+l")
        self.x.window("Sign in to bwv-review")


def _field_name(control: Control) -> str:
    """Qt announces a drop-down list by its current entry, not by its accessible name;
    the set-up dialog has one, the force."""
    return "Force" if control.role == "combo box" else control.name


def _checked(seen: list[Control], name: str) -> Control | None:
    return next((c for c in seen if c.name == name and c.checked), None)


def _enabled(seen: list[Control], name: str) -> Control | None:
    return next((c for c in seen if c.name == name and c.enabled), None)


def _disabled(seen: list[Control], name: str) -> Control | None:
    return next((c for c in seen if c.name == name and not c.enabled), None)
