"""docs/data-protection.md shows who may do what; its table is this one, so the page a data
protection officer signs off cannot drift from what services/permissions.py enforces."""

from __future__ import annotations

from pathlib import Path

from bwv_review.domain.vocab import Role
from bwv_review.services.permissions import ROLES_FOR, Permission

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"
START = "<!-- permissions: generated from services/permissions.py, checked by a test -->"
END = "<!-- end of permissions -->"


def permissions_table() -> str:
    """The table as Markdown: a row a permission, a column a role, "yes" where allowed."""
    roles = list(Role)
    lines = [
        "| may … | " + " | ".join(role.label for role in roles) + " |",
        "| --- |" + " :-: |" * len(roles),
    ]
    for permission in Permission:
        cells = ("yes" if role in ROLES_FOR[permission] else "" for role in roles)
        lines.append(f"| {permission.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_data_protection_page_shows_the_permissions_table_as_enforced() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, f"{DOC.name} lost its permissions markers"
    shown = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == permissions_table(), (
        f"{DOC.name}'s permissions table differs from services/permissions.py; "
        f"put this between its markers:\n{permissions_table()}"
    )
