"""`audit verify`, `audit checkpoint` and `audit export`: check the audit log (triggers,
hash chain and signed checkpoints) and name what is wrong; sign the head of the chain into
a file; hand the log's events to the data protection officer as CSV or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome, iso_date
from bwv_review.commands.library import machine_settings
from bwv_review.config import write_atomically
from bwv_review.services.audit import held_checkpoint_key, read_checkpoint_key
from bwv_review.services.audit_export import AuditFilter, AuditFormat
from bwv_review.services.errors import BadInput, Problem


def _key(ctx: CommandContext) -> bytes:
    return read_checkpoint_key(machine_settings(ctx).audit_key_file())


def _read_checkpoints(files: list[str]) -> list[tuple[str, str]]:
    documents = []
    for name in files:
        try:
            documents.append((name, Path(name).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{name}: cannot read the checkpoint: {exc}") from exc
    return documents


def cmd_audit_verify(ctx: CommandContext) -> Outcome:
    files = ctx.args.checkpoint or []
    checkpoints = _read_checkpoints(files)
    key = _key(ctx) if checkpoints else None
    actor = ctx.signed_in_actor()
    verification = ctx.workspace.audit.verify(
        actor, purpose=ctx.purpose, checkpoints=checkpoints, key=key
    )
    report = verification.chain
    broken = report.first_break
    result = {
        "intact": verification.intact,
        "events_checked": report.events_checked,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
        "first_break": None
        if broken is None
        else {"seq": broken.seq, "event_id": broken.event_id, "reason": broken.reason},
        "append_only_problems": list(verification.protection_problems),
        "checkpoints": [
            {
                "file": f.source,
                "status": f.status,
                "seq": f.seq,
                "event_id": f.event_id,
                "message": f.message,
            }
            for f in verification.checkpoints
        ],
    }
    held = [f"checkpoint {f.source} {f.message}" for f in verification.checkpoints if f.holds]
    if verification.intact:
        summary = (
            f"Audit log intact: {report.events_checked} events checked, append-only "
            f"triggers in place; head #{report.last_seq} {report.last_hash}"
        )
        return Outcome(result, "\n".join([summary, *held]))
    problems = []
    if broken is not None:
        problems.append(Problem(f"event #{broken.seq}: {broken.reason}"))
    problems += [Problem(f.message, file=f.source) for f in verification.checkpoints if not f.holds]
    problems += [Problem(problem) for problem in verification.protection_problems]
    if broken is not None:
        summary = (
            f"Audit log BROKEN at event #{broken.seq} (id {broken.event_id}): {broken.reason}. "
            f"{report.events_checked} events before it are intact."
        )
    else:
        summary = (
            f"Audit log NOT TRUSTWORTHY: its {report.events_checked} hashes agree, but "
            f"{len(problems)} check(s) failed."
        )
    return Outcome(
        result,
        "\n".join([summary, *held]),
        problems=problems,
        ok=False,
        exit_code=EXIT_BAD_INPUT,
    )


def cmd_audit_checkpoint(ctx: CommandContext) -> Outcome:
    out = Path(ctx.args.out)
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give the checkpoint file's name")
    key = _key(ctx)
    actor = ctx.signed_in_actor()
    checkpoint, document = ctx.workspace.audit.checkpoint(actor, key, purpose=ctx.purpose)
    try:
        write_atomically(out, document.encode("utf-8"), mode=0o644)
    except OSError as exc:
        raise BadInput(
            f"{out}: cannot write the checkpoint ({exc}); its audit event #{checkpoint.head.seq} "
            "is recorded, so run the command again with another file"
        ) from exc
    head = checkpoint.head
    result = {
        "file": str(out),
        "event_id": head.event_id,
        "seq": head.seq,
        "count": head.count,
        "hash": head.hash,
        "written_at": checkpoint.written_at.isoformat(),
    }
    summary = (
        f"Checkpoint written to {out}: event #{head.seq} (id {head.event_id}), {head.count} "
        f"events, hash {head.hash}. Keep it off the database's machine; "
        f"`bwv-review audit verify --checkpoint {out}` checks the log against it."
    )
    return Outcome(result, summary)


def cmd_audit_export(ctx: CommandContext) -> Outcome:
    args = ctx.args
    audit_filter = AuditFilter(
        from_date=iso_date(args.from_date, "--from") if args.from_date else None,
        to_date=iso_date(args.to_date, "--to") if args.to_date else None,
        username=args.user,
    )
    actor = ctx.signed_in_actor()
    result = ctx.workspace.audit_export.export(
        actor,
        audit_filter,
        AuditFormat(args.format),
        Path(args.out).expanduser().absolute(),
        purpose=ctx.purpose,
    )
    chain = "verified" if result.chain_intact else "BROKEN (see `bwv-review audit verify`)"
    summary = (
        f"Wrote {result.rows} audit event{'s' if result.rows != 1 else ''} to {result.path} "
        f"({result.export_format.value.upper()}, SHA-256 {result.sha256}); the chain was "
        f"{chain} at export; the export itself is event #{result.event_seq}"
    )
    payload = {
        "path": str(result.path),
        "format": result.export_format.value,
        "rows": result.rows,
        "sha256": result.sha256,
        "chain_intact": result.chain_intact,
        "event_seq": result.event_seq,
    }
    return Outcome(payload, summary)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    audit = subparsers.add_parser("audit", parents=[common], help="the audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        parents=[common],
        help="check the triggers, the hash chain and any checkpoints; name what is wrong",
    )
    verify.add_argument(
        "--checkpoint",
        action="append",
        metavar="FILE",
        help="a file from `audit checkpoint`; may be given more than once",
    )
    verify.set_defaults(handler=cmd_audit_verify, command="audit verify")
    checkpoint = actions.add_parser(
        "checkpoint",
        parents=[common],
        help="sign the head of the chain into FILE with this machine's key",
    )
    checkpoint.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    checkpoint.set_defaults(handler=cmd_audit_checkpoint, command="audit checkpoint")
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write the log's events to FILE as CSV or PDF (administrator or auditor); "
        "recorded as a disclosure",
    )
    export.add_argument("--format", choices=[f.value for f in AuditFormat], required=True)
    export.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    export.add_argument("--from", dest="from_date", metavar="DATE", help="first UTC day")
    export.add_argument("--to", dest="to_date", metavar="DATE", help="last UTC day")
    export.add_argument("--user", metavar="NAME", help="one person's events, by username")
    export.set_defaults(handler=cmd_audit_export, command="audit export")


def checkpoint_key_if_held(ctx: CommandContext) -> bytes | None:
    return held_checkpoint_key(machine_settings(ctx))
