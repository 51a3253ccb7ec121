"""`audit verify` and `audit checkpoint`: check the audit log (triggers, hash chain and
signed checkpoints) and name what is wrong; sign the head of the chain into a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bwv_review.commands.base import EXIT_BAD_INPUT, CommandContext, Outcome
from bwv_review.commands.library import machine_settings
from bwv_review.config import write_atomically
from bwv_review.services.audit import held_checkpoint_key, read_checkpoint_key
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


def checkpoint_key_if_held(ctx: CommandContext) -> bytes | None:
    return held_checkpoint_key(machine_settings(ctx))
