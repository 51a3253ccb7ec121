"""`import-manifest`, `import-clips` and `verify`: cases and their footage, headless.

Footage roots are per machine, so these commands read and write this machine's settings
file: `import-clips DIR --root NAME` records that NAME is DIR on this laptop.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome
from bwv_review.config import Settings, SettingsError
from bwv_review.services.errors import BadInput, Problem
from bwv_review.services.library import ClipNote, Progress


def machine_settings(ctx: CommandContext) -> Settings:
    try:
        return Settings(ctx.paths.settings_file)
    except SettingsError as exc:
        raise BadInput(str(exc)) from None


def terminal_progress() -> Progress | None:
    """A percentage on stderr while hashing, only for a person at a terminal (scripts and
    --json callers get clean output)."""
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done_bytes: int, total_bytes: int) -> None:
        percent = 100 * done_bytes // max(total_bytes, 1)
        if percent != last[0]:
            last[0] = percent
            end = "\n" if done_bytes >= total_bytes else ""
            print(
                f"\rhashing {done_bytes / 1e9:.2f} of {total_bytes / 1e9:.2f} GB ({percent}%)",
                end=end,
                file=sys.stderr,
                flush=True,
            )

    return show


def _note_problem(note: ClipNote) -> Problem:
    return Problem(f"case {note.force_reference}: {note.message}", note.relative_path)


def cmd_import_manifest(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    result = ctx.workspace.library.import_manifest(
        actor, Path(ctx.args.file), machine_settings(ctx), purpose=ctx.purpose
    )
    summary = (
        f"{result.file_name}: {result.cases_added} cases and {result.clips_added} clips imported"
    )
    if result.footage_roots_added:
        roots = ", ".join(result.footage_roots_added)
        summary += (
            f"; new footage root(s) {roots}: register the clips with "
            "`bwv-review import-clips FOLDER --root NAME`"
        )
    return Outcome(asdict(result), summary)


def cmd_import_clips(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    folder = Path(ctx.args.folder).expanduser().resolve()
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder")
    settings = machine_settings(ctx)
    root = ctx.args.root
    previous = settings.footage_root_folder(root)
    # Tried in memory first: the service checks permission before anything else, and the
    # mapping is saved only if the folder proved to be the root (see below).
    result = ctx.workspace.library.register_clips(
        actor,
        root,
        settings.with_footage_root(root, folder),
        purpose=ctx.purpose,
        progress=terminal_progress(),
    )
    problems = [_note_problem(note) for note in result.problems]
    mapping_saved = result.folder_confirmed
    lines = []
    if mapping_saved:
        machine_settings(ctx).map_footage_root(root, folder)
        if previous is not None and previous != folder:
            lines.append(f"Footage root {root!r} now maps to {folder} (was {previous})")
    lines.append(
        f"{result.registered} clip(s) registered in {root!r} ({folder}); "
        f"{result.already_registered} were already registered"
    )
    payload = {**asdict(result), "folder": str(folder), "mapping_saved": mapping_saved}
    if problems:
        if not mapping_saved:
            lines.append(
                f"Footage root {root!r} was not mapped to {folder}: none of its clips could "
                "be registered from there"
            )
        lines.append(f"{len(problems)} clip(s) could not be registered:")
        return Outcome(payload, "\n".join(lines), problems, ok=False, exit_code=EXIT_BAD_INPUT)
    return Outcome(payload, "\n".join(lines))


def cmd_verify(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    relink = Path(ctx.args.relink).expanduser().resolve() if ctx.args.relink else None
    if relink is not None and not relink.is_dir():
        raise BadInput(f"{relink} is not a folder")
    report = ctx.workspace.library.verify(
        actor,
        machine_settings(ctx),
        purpose=ctx.purpose,
        relink_folder=relink,
        progress=terminal_progress(),
    )
    lines = [
        f"{report.checked} clip(s) checked: {report.ok} unchanged, {len(report.changed)} "
        f"changed, {len(report.missing)} missing, {len(report.relinked)} moved and relinked, "
        f"{len(report.not_checked)} not checked"
    ]
    lines += [f"  relinked: case {n.force_reference}: {n.message}" for n in report.relinked]
    for due in report.deletions_due:
        when = f"in {due.days_left} day(s)" if due.days_left >= 0 else "date passed"
        lines.append(
            f"  deletion due {due.due_on} ({when}): case {due.force_reference}, "
            f"{due.footage_root}:{due.relative_path}"
        )
    problems = [
        _note_problem(note) for note in [*report.changed, *report.missing, *report.not_checked]
    ]
    result: dict[str, Any] = asdict(report)
    if problems:
        return Outcome(result, "\n".join(lines), problems, ok=False, exit_code=EXIT_BAD_INPUT)
    return Outcome(result, "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    manifest = subparsers.add_parser(
        "import-manifest",
        parents=[common],
        help="add the force's cases and clip paths from a CSV or JSON manifest (all or nothing)",
    )
    manifest.add_argument("file", metavar="FILE", help="the manifest (.csv or .json)")
    manifest.set_defaults(handler=cmd_import_manifest)

    clips = subparsers.add_parser(
        "import-clips",
        parents=[common],
        help="map a footage root to a folder on this machine and register its clips in place",
    )
    clips.add_argument("folder", metavar="DIR", help="where the footage root is on this machine")
    clips.add_argument("--root", required=True, metavar="NAME", help="the footage root's name")
    clips.set_defaults(handler=cmd_import_clips)

    verify = subparsers.add_parser(
        "verify",
        parents=[common],
        help="re-hash every clip: missing, changed or moved; deletion dates due within 7 days",
    )
    verify.add_argument(
        "--relink", metavar="DIR", help="look here (by hash) for clips that have moved"
    )
    verify.set_defaults(handler=cmd_verify)
