"""The administrator's import dialog: public records, a force's case manifest, or a footage
folder. Work runs off the GUI thread with a progress bar and Cancel; each file is imported
whole or not at all, and the summary says per file what was imported, skipped or flagged,
with the line of every problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bwv_review.config import Settings
from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput, DatabaseUnavailable, PermissionDenied
from bwv_review.services.workspace import Workspace
from bwv_review.ui.background import BackgroundTask
from bwv_review.ui.sign_in import ErrorLabel

logger = logging.getLogger(__name__)

IMPORT_PURPOSE = "import dialog"
RECORD_SUFFIXES = (".csv", ".json")
PROGRESS_STEPS = 1000  # the bar counts thousandths, whatever the unit of work


@dataclass(frozen=True)
class FileResult:
    """One input's outcome. `status` is imported | skipped | flagged | refused."""

    path: str
    status: str
    message: str
    details: tuple[str, ...] = ()


SYMBOLS = {"imported": "\u2714", "skipped": "\u21b7", "flagged": "\u2691", "refused": "\u2716"}


@dataclass
class ImportRun:
    """What the background work hands back, even when cancelled part-way."""

    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        counts = {status: 0 for status in SYMBOLS}
        for result in self.results:
            counts[result.status] += 1
        text = ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "nothing"
        return text + (" (cancelled before the rest)" if self.cancelled else "")

    def report(self) -> str:
        lines: list[str] = []
        for result in self.results:
            lines.append(f"{SYMBOLS[result.status]} {result.status.upper()}: {result.path}")
            lines.append(f"    {result.message}")
            lines.extend(f"    {detail}" for detail in result.details)
        return "\n".join(lines)


def expand_record_paths(paths: list[Path]) -> list[Path]:
    """Folders stand for the CSV and JSON files directly inside them, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in RECORD_SUFFIXES))
        else:
            files.append(path)
    return files


def _refusal(path: Path, exc: Exception) -> FileResult:
    details = tuple(str(p) for p in exc.problems) if isinstance(exc, BadInput) else ()
    return FileResult(str(path), "refused", str(exc), details[:50])


class Importer:
    """Runs one kind of import for a list of inputs; each method is safe off the GUI
    thread because the services open their own transactions."""

    def __init__(self, workspace: Workspace, actor: Actor, settings: Settings) -> None:
        self.workspace = workspace
        self.actor = actor
        self.settings = settings

    def records(
        self, paths: list[Path], replace: bool, progress: Callable[[int], bool]
    ) -> ImportRun:
        run = ImportRun()
        files = expand_record_paths(paths)
        for done, path in enumerate(files):
            if not progress(done * PROGRESS_STEPS // max(1, len(files))):
                run.cancelled = True
                break
            try:
                report = self.workspace.records.import_file(
                    self.actor, path, replace=replace, purpose=IMPORT_PURPOSE
                )
            except (BadInput, PermissionDenied, DatabaseUnavailable) as exc:
                run.results.append(_refusal(path, exc))
                continue
            if report.already_imported:
                message = "already imported: nothing added"
                run.results.append(FileResult(str(path), "skipped", message))
                continue
            message = f"{report.rows_added:,} rows imported"
            if report.replaced_import_id is not None:
                message += " (replaces the earlier download for this force and month)"
            flagged = tuple(
                f"{n} value(s) not recognised in {field_name}: kept as published"
                for field_name, n in sorted(report.unrecognised.items())
            )
            run.results.append(
                FileResult(str(path), "flagged" if flagged else "imported", message, flagged)
            )
        return run

    def manifests(self, paths: list[Path], progress: Callable[[int], bool]) -> ImportRun:
        run = ImportRun()
        for done, path in enumerate(paths):
            if not progress(done * PROGRESS_STEPS // max(1, len(paths))):
                run.cancelled = True
                break
            try:
                result = self.workspace.library.import_manifest(
                    self.actor, path, self.settings, purpose=IMPORT_PURPOSE
                )
            except (BadInput, PermissionDenied, DatabaseUnavailable) as exc:
                run.results.append(_refusal(path, exc))
                continue
            message = f"{result.cases_added} case(s) and {result.clips_added} clip(s) added"
            roots = tuple(
                f"new footage root {name!r}: register its folder next"
                for name in result.footage_roots_added
            )
            run.results.append(FileResult(str(path), "imported", message, roots))
        return run

    def roots_waiting(self) -> tuple[str, ...]:
        return self.workspace.library.roots_waiting(self.actor, self.settings)

    def footage(self, folder: Path, root_name: str, progress: Callable[[int], bool]) -> ImportRun:
        run = ImportRun()
        cancelled = False

        def on_bytes(done_bytes: int, total_bytes: int) -> None:
            nonlocal cancelled
            cancelled = not progress(done_bytes * PROGRESS_STEPS // max(1, total_bytes))

        if not folder.is_dir():
            run.results.append(FileResult(str(folder), "refused", "not a folder"))
            return run
        try:  # the mapping is tried in memory and kept only if the folder proves right
            result = self.workspace.library.register_clips(
                self.actor,
                root_name,
                self.settings.with_footage_root(root_name, folder),
                purpose=IMPORT_PURPOSE,
                progress=on_bytes,
                cancel=lambda: cancelled,
            )
        except (BadInput, PermissionDenied, DatabaseUnavailable) as exc:
            run.results.append(_refusal(folder, exc))
            return run
        run.cancelled = result.cancelled
        if result.folder_confirmed:
            self.settings.map_footage_root(root_name, folder)
        message = (
            f"{result.registered} clip(s) registered, "
            f"{result.already_registered} already registered; footage stays where it is"
        )
        notes = tuple(
            f"{n.force_reference} {n.relative_path}: {n.message}" for n in result.problems
        )
        run.results.append(
            FileResult(str(folder), "flagged" if notes else "imported", message, notes)
        )
        return run


KINDS = (
    ("records", "Public stop-and-search records (data.police.uk CSV or JSON)"),
    ("manifest", "The force's case manifest (CSV or JSON)"),
    ("footage", "A footage folder (clips named in a manifest)"),
)


class ImportDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        actor: Actor,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._importer = Importer(workspace, actor, settings)
        self._task: BackgroundTask | None = None
        self.last_run: ImportRun | None = None
        self.setWindowTitle("Import")
        self.setAccessibleName("Import records, cases or footage")
        self.resize(760, 560)

        self.kinds = QButtonGroup(self)
        kind_box = QVBoxLayout()
        kind_box.addWidget(QLabel("<b>What are you importing?</b>"))
        for index, (key, label) in enumerate(KINDS):
            radio = QRadioButton(label)
            radio.setAccessibleName(label)
            radio.setProperty("kind", key)
            self.kinds.addButton(radio, index)
            kind_box.addWidget(radio)
        self.kinds.button(0).setChecked(True)
        self.kinds.idToggled.connect(self._kind_changed)

        self.paths = QListWidget()
        self.paths.setAccessibleName("Chosen files and folders")
        self.add_files = QPushButton("Add &files\u2026")
        self.add_files.setAccessibleName("Add files")
        self.add_files.clicked.connect(self._choose_files)
        self.add_folder = QPushButton("Add f&older\u2026")
        self.add_folder.setAccessibleName("Add folder")
        self.add_folder.clicked.connect(self._choose_folder)
        self.remove = QPushButton("&Remove")
        self.remove.setAccessibleName("Remove the chosen entry")
        self.remove.clicked.connect(lambda: self.paths.takeItem(self.paths.currentRow()))
        path_buttons = QHBoxLayout()
        for button in (self.add_files, self.add_folder, self.remove):
            path_buttons.addWidget(button)
        path_buttons.addStretch(1)

        self.replace = QCheckBox("Re&place an earlier download for the same force and month")
        self.replace.setAccessibleName("Replace an earlier download for the same force and month")
        self.root_name = QLineEdit()
        self.root_name.setAccessibleName("Footage root name")
        self.root_name.setPlaceholderText("the root name used in the manifest, e.g. force-nas")
        options = QFormLayout()
        options.addRow(self.replace)
        options.addRow("Footage root &name:", self.root_name)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.status = QLabel("Choose what to import, then press Import.")
        self.status.setAccessibleName("Import status")
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName("Import summary")

        self.import_button = QPushButton("&Import")
        self.import_button.setAccessibleName("Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.setAccessibleName("Cancel import")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("C&lose")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.accept)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.import_button, self.cancel_button, self.close_button):
            actions.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(kind_box)
        layout.addWidget(self.paths)
        layout.addLayout(path_buttons)
        layout.addLayout(options)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.summary, 1)
        layout.addLayout(actions)
        self._shown_kind = self.kind
        self._kind_changed()

    @property
    def kind(self) -> str:
        checked = self.kinds.checkedButton()
        assert checked is not None  # the group is exclusive and starts with a kind checked
        return str(checked.property("kind"))

    def _kind_changed(self, *_: object) -> None:
        kind = self.kind
        if kind != self._shown_kind:
            # Files chosen for one kind are never offered as another (police CSVs were
            # imported as a manifest): a change of kind starts the list afresh.
            self.paths.clear()
            self._shown_kind = kind
        self.replace.setVisible(kind == "records")
        self.root_name.setEnabled(kind == "footage")
        self.add_files.setEnabled(kind != "footage")
        if kind == "footage" and not self.root_name.text().strip():
            self._offer_waiting_root()

    def _offer_waiting_root(self) -> None:
        """One root waiting for its folder is the one being registered: fill its name in."""
        try:
            waiting = self._importer.roots_waiting()
        except (PermissionDenied, DatabaseUnavailable) as exc:
            logger.warning("could not list footage roots waiting for a folder: %s", exc)
            return
        if len(waiting) == 1:
            self.root_name.setText(waiting[0])

    def add_path(self, path: Path) -> None:
        self.paths.addItem(str(path))

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Choose files", "", "CSV or JSON (*.csv *.json);;All files (*)"
        )
        for name in names:
            self.add_path(Path(name))

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Choose a folder")
        if name:
            self.add_path(Path(name))

    def chosen_paths(self) -> list[Path]:
        return [Path(self.paths.item(i).text()) for i in range(self.paths.count())]

    def start(self) -> None:
        self.error.clear_error()
        paths = self.chosen_paths()
        if not paths:
            self.error.show_error("Add at least one file or folder first.")
            return
        work: Callable[[Callable[[int], bool]], ImportRun]
        kind = self.kind
        if kind == "records":
            replace = self.replace.isChecked()

            def work(progress: Callable[[int], bool]) -> ImportRun:
                return self._importer.records(paths, replace, progress)
        elif kind == "manifest":

            def work(progress: Callable[[int], bool]) -> ImportRun:
                return self._importer.manifests(paths, progress)
        else:
            root = self.root_name.text().strip()
            if not root or len(paths) != 1:
                self.error.show_error("Give the footage root name and exactly one folder.")
                return

            def work(progress: Callable[[int], bool]) -> ImportRun:
                return self._importer.footage(paths[0], root, progress)

        task = BackgroundTask(work, self)
        task.progressed.connect(self.progress.setValue)
        task.succeeded.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._finished(ImportRun(cancelled=True)))
        self._task = task
        self._set_running(True)
        self.status.setText("Importing\u2026 (you can cancel; finished files are kept)")
        task.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText("Cancelling after the current file\u2026")

    def _set_running(self, running: bool) -> None:
        self.import_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)

    def _finished(self, run: ImportRun) -> None:
        self.last_run = run
        self._set_running(False)
        self.progress.setValue(PROGRESS_STEPS if not run.cancelled else self.progress.value())
        self.status.setText(f"Done: {run.summary()}.")
        self.summary.setPlainText(run.report())

    def _failed(self, exc: BaseException) -> None:
        self._set_running(False)
        self.error.show_error(f"The import stopped: {exc}. Files finished before it are kept.")
