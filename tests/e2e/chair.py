"""The administrator who chairs the panel: sets the workspace up, imports, draws the sample,
runs the session and records the panel's outcomes. She uses the keyboard's shortcuts and
mnemonics, and the mouse where a chair would point at a row or a file."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.a11y import Control
from tests.e2e.person import Person

log = logging.getLogger(__name__)

IMPORT_WINDOW = "Import"
RECORDS = "Public stop-and-search records (data.police.uk CSV or JSON)"
MANIFEST = "The force's case manifest (CSV or JSON)"
FOOTAGE = "A footage folder (clips named in a manifest)"
ACCOUNTS = "Accounts"
PEOPLE = "People with accounts"
DRAWN = "Cases drawn and why each is in"
CLIPS = "The session's clips, warnings first"


@dataclass(frozen=True)
class Tick:
    """A value ticked in the draw dialog: the field as its list names it, and the start of
    the value's row ("18-24" of "18-24 (2)")."""

    field: str
    value: str


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

    # --- accounts -----------------------------------------------------------------------

    def open_accounts(self) -> None:
        """File (Alt+F), then Accounts by its letter, A."""
        self.main_window()
        self.press("alt+f")
        self.screen.find("Accounts\u2026", "menu item")
        self.press("a")
        self.x.focus_window(ACCOUNTS)
        self.screen.wait_focus("the list of people", lambda c: PEOPLE in (c.name, *c.ancestors))

    def add_person(self, username: str, name: str, pin: str, roles: tuple[str, ...]) -> str:
        """Add a person (Alt+A): full name, user name (Alt+U), the roles ticked with Space
        (Reviewer is ticked already), the suggested temporary PIN replaced (Alt+P), then
        Add person (Alt+A); what the result line says."""
        self.press("alt+a")
        self.x.focus_window("Add a person")
        self.screen.wait_focus("the full name", lambda c: c.name == "Full name")
        self.type(name)
        self.press("alt+u")
        self.type(username)
        self._set_roles("Add a person", roles)
        self.press("alt+p", "ctrl+a")
        self.type(pin)
        self.desktop.shot(f"accounts-add-{username}")
        self.press("alt+a")
        self.x.wait_gone("Add a person")
        self.x.focus_window(ACCOUNTS)
        return self.accounts_result(f"({username})")

    def _set_roles(self, form: str, roles: tuple[str, ...]) -> None:
        """Tab to each role's tick box that is not as wanted (the screen reader names each
        and says whether it is ticked), and Space."""
        boxes = [c for c in self.screen.controls() if c.role == "check box"
                 and form in c.ancestors]  # fmt: skip
        for box in boxes:
            label = box.name
            if box.checked != (label in roles):
                self.tab_to(f"the {label} box", lambda c, label=label: c.name == label)
                self.press("space")
                self.screen.wait(
                    f"{label} {'ticked' if label in roles else 'unticked'}",
                    lambda seen, label=label: next((c for c in seen if c.name == label
                        and c.role == "check box" and c.checked == (label in roles)), None),
                )  # fmt: skip

    def accounts_result(self, fragment: str) -> str:
        """The result line's words, once they mention `fragment` (a screen reader finds
        them in its description: the line is named "Result")."""
        line = self.screen.wait(
            f"a result saying {fragment!r}",
            lambda seen: next((c for c in seen if c.name == "Result"
                               and fragment in c.description), None),
        )  # fmt: skip
        log.info("accounts: %s", line.description)
        return line.description

    def choose_person(self, name: str) -> None:
        """Alt+O to the table, then Down or Up until the screen reader reads the person's
        row as selected."""
        self.press("alt+o")
        for _ in range(20):
            rows = self._people_rows()
            target = rows.index(name) if name in rows else None
            assert target is not None, f"{name} is not in the accounts table: {rows}"
            current = self._selected_person()
            if current == name:
                return
            self.press("Down" if current is None or rows.index(current) < target else "Up")
        raise AssertionError(f"the accounts table never reached {name}")

    def _people_rows(self) -> list[str]:
        """Each row's first cell (the name), top to bottom."""
        cells = [c for c in self.screen.controls() if c.role == "table cell"
                 and PEOPLE in c.ancestors]  # fmt: skip
        first_x = min(c.x for c in cells)
        return [c.name for c in sorted(cells, key=lambda c: c.y) if c.x == first_x]

    def _selected_person(self) -> str | None:
        cells = [c for c in self.screen.controls() if c.role == "table cell"
                 and PEOPLE in c.ancestors and "selected" in c.states]  # fmt: skip
        return min(cells, key=lambda c: c.x).name if cells else None

    def change_roles(self, name: str, roles: tuple[str, ...]) -> str:
        """Change roles (Alt+R), tick and untick, Save roles (Alt+S)."""
        self.choose_person(name)
        self.press("alt+r")
        self.x.focus_window(f"Roles of {name}")
        self._set_roles(f"Roles of {name}", roles)
        self.press("alt+s")
        self.x.wait_gone(f"Roles of {name}")
        self.x.focus_window(ACCOUNTS)
        return self.accounts_result(f"Roles of {name} saved")

    def disable(self, name: str) -> str:
        self.choose_person(name)
        self.screen.find(f"Disable {name}", "push button")
        self.press("alt+d")
        return self.accounts_result(f"{name}'s account is disabled")

    def reset_pin(self, name: str) -> str:
        """Reset PIN (Alt+P); the new temporary PIN, as read out to be passed on."""
        self.choose_person(name)
        self.press("alt+p")
        said = self.accounts_result(f"New temporary PIN for {name}")
        found = re.search(rf"New temporary PIN for {re.escape(name)}: (\d+)\.", said)
        assert found is not None, said
        return found.group(1)

    def close_accounts(self) -> None:
        self.press("alt+c")
        self.x.wait_gone(ACCOUNTS)
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

    def draw_sample(
        self, name: str, seed: str, keep: Tick, group: Tick, size: int
    ) -> list[tuple[str, str]]:
        """File > Draw a sample, without typing a line of the spec: name and seed typed;
        which cases to keep ticked (Alt+F, the field's name typed into its list, Tab, the
        value's row ticked with Space); a group to take first ticked the same way (Alt+E)
        and added with "take all" (Alt+U); the size (Alt+Z); Preview (Alt+P). The cases
        drawn and why, as the screen reader reads the preview's table; then Draw and save."""
        self.main_window()
        self.press("ctrl+shift+d")
        self.x.focus_window("Draw a sample")
        self.press("alt+n")
        self.type(name)
        self.press("alt+s", "ctrl+a")
        self.type(seed)
        self._tick_value("alt+f", "Which cases", keep)
        self._tick_value("alt+e", "New group", group)
        self.press("alt+u")
        self.screen.wait(
            "the group added",
            lambda seen: next((c for c in seen if c.role == "list item"
                               and "Groups taken first, in order" in c.ancestors
                               and c.name.endswith("take all")), None),
        )  # fmt: skip
        self.press("alt+z", "ctrl+a")
        self.type(str(size))
        self.press("alt+p")
        self.screen.wait("Draw and save enabled", lambda s: _enabled(s, "Draw and save the sample"))
        drawn = self._preview_rows()
        self.desktop.shot("sampling-ticks-and-preview")
        self.press("alt+d")
        self.screen.wait("Draw and save done", lambda s: _disabled(s, "Draw and save the sample"))
        self.press("Escape")
        self.x.wait_gone("Draw a sample")
        self.main_window()
        return drawn

    def _tick_value(self, key: str, picker: str, tick: Tick) -> None:
        self.press(key)
        self.screen.wait_focus(f"the {picker} field", lambda c: c.role == "combo box")
        self.type(tick.field)  # a closed list picks the entry that starts so
        self.screen.wait(
            f"{tick.field} chosen",
            lambda seen: next((c for c in seen if c.role == "combo box"
                               and c.name.startswith(tick.field)), None),
        )  # fmt: skip
        self.press("Tab")
        self._tick_list_item(f"{picker}: values", f"{tick.value} (")

    def _preview_rows(self) -> list[tuple[str, str]]:
        """(case, why it is in) for each row of the preview's table, in rank order."""
        cells = [c for c in self.screen.controls() if c.role == "table cell"
                 and DRAWN in c.ancestors]  # fmt: skip
        rows: dict[int, list[str]] = {}
        for cell in sorted(cells, key=lambda c: (c.y, c.x)):
            rows.setdefault(cell.y, []).append(cell.name)
        return [(cells_[1], cells_[2]) for cells_ in rows.values()]

    # --- the session --------------------------------------------------------------------

    def open_sessions_tab(self) -> None:
        self.main_window()
        tab = self.screen.find("Review sessions", "page tab")
        if "selected" not in tab.states:
            self.click(tab)
        self.screen.find("New session", "push button")

    def create_session(self, name: str, members: list[str]) -> list[str]:
        """New session: the name typed, the quarter and date as offered, members ticked
        with Space in the list; who the list offered."""
        self.press("alt+n")
        self.x.focus_window("New review session")
        # The dialog opens with focus on OK, so the name is reached by its mnemonic.
        self.press("alt+n")
        self.screen.wait_focus("the session name", lambda c: c.name == "Name")
        self.type(name)
        self.press("alt+e")
        for username in members:
            self._tick_list_item("Members", f"({username})")
        offered = [c.name for c in self.screen.controls() if c.role == "list item"
                   and "Members" in c.ancestors]  # fmt: skip
        self.desktop.shot("new-session-dialog")
        self.click_named("OK", "push button")
        self.x.wait_gone("New review session")
        self.main_window()
        return offered

    def _tick_list_item(self, list_name: str, fragment: str) -> None:
        """Arrow through the list to the row, Space to tick it. Tabbing into a list, the
        screen reader hears the list, not its current row (no row's focus changed): that
        row is the one Qt marks focused in the list."""
        heard: list[str] = []
        for _ in range(20):
            focus = self.screen.focused()
            if focus is not None and focus.role == "list":
                holder = focus.name
                focus = next((c for c in self.screen.controls() if c.role == "list item"
                              and c.focused and holder in c.ancestors), focus)  # fmt: skip
            heard.append(str(focus))
            if focus is not None and focus.role == "list item" and fragment in focus.name:
                if not focus.checked:
                    self.press("space")
                self.screen.wait(
                    f"{fragment} ticked",
                    lambda seen: next((c for c in seen if c.role == "list item"
                                       and fragment in c.name and c.checked), None),
                )  # fmt: skip
                return
            self.press("Down" if focus is not None and focus.role == "list item" else "Home")
        raise AssertionError(f"no row {fragment!r} in {list_name}; heard {heard}")

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

    # --- before the meeting ---------------------------------------------------------------

    def verify_footage(self, session: str) -> tuple[str, list[str]]:
        """The session clicked in the list, Verify the clips (Alt+V), and a wait while the
        files are hashed; the summary and each clip's entry as the screen reader reads them
        (the summary in its description: the line is named "Footage summary")."""
        self.open_sessions_tab()
        self.click(self.screen.find(session, "table cell", within="Review sessions"))
        self.screen.wait("Verify enabled", lambda seen: _enabled(seen, "Verify the clips"))
        self.press("alt+v")
        summary = self.screen.wait(
            "the check's result",
            lambda seen: next((c for c in seen if c.name == "Footage summary"
                               and "Checked just now" in c.description), None),
            timeout_s=60,
        )  # fmt: skip
        self.desktop.shot("sessions-verify")
        return summary.description, self._read_clips(summary.description)

    def _read_clips(self, summary: str) -> list[str]:
        """Every entry of the clips list, read as a screen-reader user reads a list that
        scrolls: a click on its first entry, then Home and Down, one entry at a time."""
        found = re.search(r"of (\d+) clip", summary)
        assert found is not None, summary
        first_entry = self.screen.wait(
            "the first clip",
            lambda seen: next((c for c in seen if c.role == "list item"
                               and CLIPS in c.ancestors), None),
        )  # fmt: skip
        self.click(first_entry)
        self.press("Home")
        heard: list[str] = []
        for _ in range(int(found.group(1))):
            if heard:
                self.press("Down")
            entry = self.screen.wait_focus(
                "the next clip",
                lambda c: c.role == "list item" and CLIPS in c.ancestors and c.name not in heard,
            )
            heard.append(entry.name)
        return heard

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
