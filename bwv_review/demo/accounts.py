"""The demo workspace's people and their fixed PIN.

The PIN is fixed and printed in the README on purpose: the demo holds only invented cases
and footage, and a person trying the app must be able to sign in as each role. The sign-in
window shows these accounts only on a workspace whose demo flag is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from bwv_review.domain.vocab import Role

DEMO_PIN = "246810"
"""Every demo account's PIN."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    roles: tuple[Role, ...]
    pin: str = DEMO_PIN

    @property
    def role_labels(self) -> str:
        return ", ".join(role.label for role in self.roles)


CHAIR = DemoAccount("chair", "Helen Marsh", (Role.CHAIR,))
REVIEWERS = (
    DemoAccount("reviewer1", "Amir Khan", (Role.REVIEWER,)),
    DemoAccount("reviewer2", "Grace Okafor", (Role.REVIEWER,)),
    DemoAccount("reviewer3", "Tom Bennett", (Role.REVIEWER,)),
    DemoAccount("reviewer4", "Siân Morgan", (Role.REVIEWER,)),
)
TRAINING_LEAD = DemoAccount("training", "Priya Desai", (Role.TRAINING_LEAD,))
ADMIN = DemoAccount("admin", "Chris Hall", (Role.ADMIN,))

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (CHAIR, *REVIEWERS, TRAINING_LEAD, ADMIN)
"""In the order the sign-in window lists them."""
