"""The demonstration workspace: `bwv-review demo` and the welcome window build it.

A layer of its own between ui and services: it drives the services as the screens do. The
names below are loaded on first use, so the footage encoder's worker processes, which
import only `bwv_review.demo.footage`, do not load the services and the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bwv_review.demo.accounts import DEMO_ACCOUNTS, DEMO_PIN, DemoAccount
    from bwv_review.demo.build import DemoCancelled, DemoWorkspace, build_demo

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PIN",
    "DemoAccount",
    "DemoCancelled",
    "DemoWorkspace",
    "build_demo",
]


def __getattr__(name: str) -> Any:
    if name in ("DEMO_ACCOUNTS", "DEMO_PIN", "DemoAccount"):
        from bwv_review.demo import accounts

        return getattr(accounts, name)
    if name in ("DemoCancelled", "DemoWorkspace", "build_demo"):
        from bwv_review.demo import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
