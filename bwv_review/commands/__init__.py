"""The headless subcommands of `bwv-review`, one module per area of work.

Each module has `register(subparsers, common)`, which adds its subcommands with
`parents=[common]` and sets `handler` to a function taking a CommandContext and returning an
Outcome. `bwv_review.cli` owns parsing, output and exit codes.
"""
