"""`backup --out FILE` and `restore FILE --to PATH` (administrators): a consistent copy
of a SQLite workspace, the pg_dump command for a PostgreSQL one, and a restore into a new
place whose audit chain is checked before anyone relies on it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome
from bwv_review.services.backup import BackupMade, restore_copy


def cmd_backup(ctx: CommandContext) -> Outcome:
    actor = ctx.signed_in_actor()
    made = ctx.workspace.backup.back_up(actor, Path(ctx.args.out), purpose=ctx.purpose)
    if not isinstance(made, BackupMade):
        summary = (
            f"This workspace is on PostgreSQL (database {made.database} on {made.host}); "
            "bwv-review does not copy it itself. Back it up with the server's tool, giving "
            "the password through PGPASSWORD or ~/.pgpass:\n"
            f"  {made.command}"
        )
        return Outcome({"backend": "postgresql", "command": made.command}, summary)
    result = {
        "backend": "sqlite",
        "file": str(made.file),
        "size_bytes": made.size_bytes,
        "audit_seq": made.audit_seq,
    }
    summary = (
        f"Backup written to {made.file} ({made.size_bytes} bytes, readable by you only; "
        f"integrity check ok). It holds its own audit event #{made.audit_seq}. It holds "
        "personal data: keep it as carefully as the workspace."
    )
    return Outcome(result, summary)


def cmd_restore(ctx: CommandContext) -> Outcome:
    backup = Path(ctx.args.file)
    target = restore_copy(backup, Path(ctx.args.to))
    restored = CommandContext(
        argparse.Namespace(**{**vars(ctx.args), "db": str(target)}), ctx.paths
    )
    try:
        actor = restored.signed_in_actor()
        seq = restored.workspace.backup.record_restore(actor, backup, purpose=ctx.purpose)
        verification = restored.workspace.audit.verify(actor, purpose=ctx.purpose)
    except BaseException:
        restored.close()
        # Someone who may not restore keeps no copy of the data they could not sign in to.
        target.unlink(missing_ok=True)
        raise
    restored.close()
    chain = verification.chain
    result = {
        "file": str(target),
        "audit_seq": seq,
        "audit_intact": verification.intact,
        "events_checked": chain.events_checked,
    }
    if verification.intact:
        summary = (
            f"Restored {backup} into {target}. Audit log intact: {chain.events_checked} "
            f"events checked. Open it with `bwv-review --db {target}`."
        )
        return Outcome(result, summary)
    broken = chain.first_break
    where = f" at event #{broken.seq}: {broken.reason}" if broken else ""
    summary = (
        f"Restored {backup} into {target}, but its audit log is NOT intact{where}. "
        f"{'; '.join(verification.protection_problems)} Do not rely on this copy."
    )
    return Outcome(result, summary, ok=False, exit_code=EXIT_BAD_INPUT)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="copy the workspace into a new file (SQLite), or print the pg_dump command",
    )
    backup.add_argument("--out", metavar="FILE", required=True, help="the new backup file")
    backup.set_defaults(handler=cmd_backup, command="backup")
    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help="restore a backup into a new folder or file and check its audit log",
    )
    restore.add_argument("file", metavar="FILE", help="a file made by `bwv-review backup`")
    restore.add_argument(
        "--to",
        metavar="PATH",
        required=True,
        help="a new folder (the file inside is bwv-review.sqlite3) or a new .sqlite3 file",
    )
    restore.set_defaults(handler=cmd_restore, command="restore")
