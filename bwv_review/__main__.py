"""`python -m bwv_review` behaves exactly like the `bwv-review` command."""

from bwv_review.cli import main

raise SystemExit(main())
