"""`sample`: draw a named, reproducible sample of cases (syntax in docs/sampling.md)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from bwv_review.commands.base import CommandContext, Outcome
from bwv_review.services.sampling import parse_spec


def cmd_sample(ctx: CommandContext) -> Outcome:
    args = ctx.args
    spec = parse_spec(args.filter or [], args.stratum or [], args.size)
    actor = ctx.signed_in_actor()
    draw = ctx.workspace.sampling.draw(actor, args.name, args.seed, spec, purpose=ctx.purpose)
    lines = [
        f"Draw {draw.name!r} (seed {draw.seed}): {len(draw.cases)} of {draw.frame_size} "
        "cases in the frame"
    ]
    for stratum in draw.strata:
        wanted = "all" if stratum.wanted is None else str(stratum.wanted)
        short = (
            f" (only {stratum.in_frame} in the frame)"
            if stratum.wanted is not None and stratum.drawn < stratum.wanted
            else ""
        )
        lines.append(f"  {stratum.stratum}: {stratum.drawn} drawn, {wanted} wanted{short}")
    lines += [f"  {case.rank:>4}  {case.force_reference}  [{case.stratum}]" for case in draw.cases]
    return Outcome(asdict(draw), "\n".join(lines))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    sample = subparsers.add_parser(
        "sample",
        parents=[common],
        help="draw a named, reproducible stratified sample of cases (chair)",
        description="Filters narrow the frame (FIELD=VALUE[,VALUE]); strata are "
        "CONDITION[&CONDITION]:SIZE or rest:SIZE, SIZE a number or 'all'. See docs/sampling.md.",
    )
    sample.add_argument("--name", required=True, help="a new, unique name for the draw")
    sample.add_argument("--seed", required=True, help="any number or word; record it")
    sample.add_argument("--size", type=int, help="cases in total (the rest fill up to it)")
    sample.add_argument(
        "--filter", action="append", metavar="FIELD=VALUES", help="repeat for each filter"
    )
    sample.add_argument(
        "--stratum", action="append", metavar="CONDITIONS:SIZE", help="repeat for each stratum"
    )
    sample.set_defaults(handler=cmd_sample)
