"""The panel's own settings, kept in the database so every laptop sees the same: the panel's
name, the force it scrutinises and whether the workspace holds demonstration data.

The force is a data.police.uk id (`avon-and-somerset`), the name its public files carry,
so the report can find that force's records for its force-wide section. Reading needs no
sign-in: the sign-in window shows the panel's name and, on a demo workspace, the demo
accounts, and none of it is personal data. Changing them is an administrator's, audited.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwv_review.services.actor import Actor
from bwv_review.services.errors import BadInput
from bwv_review.services.permissions import Permission, require
from bwv_review.services.text_input import typed_name
from bwv_review.store.audit import append_event
from bwv_review.store.db import Database
from bwv_review.store.models import User, WorkspaceSettings
from bwv_review.store.types import utc_now

log = logging.getLogger(__name__)

WORKSPACE_SETTINGS_ID = 1
MAX_RETENTION_DAYS = 36500  # a century: any longer is a typing mistake
FORCE_CHARS = 100

FORCES: dict[str, str] = {
    "avon-and-somerset": "Avon and Somerset",
    "bedfordshire": "Bedfordshire",
    "btp": "British Transport Police",
    "cambridgeshire": "Cambridgeshire",
    "cheshire": "Cheshire",
    "city-of-london": "City of London",
    "cleveland": "Cleveland",
    "cumbria": "Cumbria",
    "derbyshire": "Derbyshire",
    "devon-and-cornwall": "Devon and Cornwall",
    "dorset": "Dorset",
    "durham": "Durham",
    "dyfed-powys": "Dyfed-Powys",
    "essex": "Essex",
    "gloucestershire": "Gloucestershire",
    "greater-manchester": "Greater Manchester",
    "gwent": "Gwent",
    "hampshire": "Hampshire",
    "hertfordshire": "Hertfordshire",
    "humberside": "Humberside",
    "kent": "Kent",
    "lancashire": "Lancashire",
    "leicestershire": "Leicestershire",
    "lincolnshire": "Lincolnshire",
    "merseyside": "Merseyside",
    "metropolitan": "Metropolitan Police Service",
    "norfolk": "Norfolk",
    "north-wales": "North Wales",
    "north-yorkshire": "North Yorkshire",
    "northamptonshire": "Northamptonshire",
    "northern-ireland": "Police Service of Northern Ireland",
    "northumbria": "Northumbria",
    "nottinghamshire": "Nottinghamshire",
    "south-wales": "South Wales",
    "south-yorkshire": "South Yorkshire",
    "staffordshire": "Staffordshire",
    "suffolk": "Suffolk",
    "surrey": "Surrey",
    "sussex": "Sussex",
    "thames-valley": "Thames Valley",
    "warwickshire": "Warwickshire",
    "west-mercia": "West Mercia",
    "west-midlands": "West Midlands",
    "west-yorkshire": "West Yorkshire",
    "wiltshire": "Wiltshire",
}
"""data.police.uk's force ids and the names people know them by."""


@dataclass(frozen=True)
class PanelSettings:
    panel_name: str | None
    force: str | None  # a data.police.uk id
    demo: bool
    retention_days: int | None = None  # None: no period set, so no purge warnings

    @property
    def force_name(self) -> str | None:
        return FORCES.get(self.force) if self.force else None


def _fold(text: str) -> str:
    return " ".join(text.replace("&", " and ").replace("-", " ").split()).casefold()


_BY_FOLDED = {_fold(text): key for key, name in FORCES.items() for text in (key, name)}


def force_id(text: str) -> str:
    """The data.police.uk id for what a person typed: the id itself or the force's name
    (`Avon & Somerset` works); refused, with the nearest names, when it is neither."""
    typed = typed_name(text, "force", limit=FORCE_CHARS)
    found = _BY_FOLDED.get(_fold(typed))
    if found is not None:
        return found
    near = difflib.get_close_matches(_fold(typed), list(_BY_FOLDED), n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(repr(_BY_FOLDED[n]) for n in dict.fromkeys(near))}?"
        if near
        else ""
    )
    raise BadInput(
        f"no police force called {typed!r}: give its data.police.uk id, e.g. "
        f"avon-and-somerset, or its name{hint}"
    )


def check_retention_days(days: int, what: str) -> int:
    """A retention period as given to `what` (an option or field), refused out of range."""
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise BadInput(f"{what} {days}: give a number of days from 1 to {MAX_RETENTION_DAYS}")
    return days


def check_panel_name(text: str) -> str:
    """The name as stored (one trimmed line); refused when blank or not a name."""
    name = typed_name(text, "panel name")
    if not name:
        raise BadInput("give the panel a name")
    return name


class WorkspaceSettingsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def current(self) -> PanelSettings:
        """What the workspace says about itself; all unset until someone sets it."""
        with self._db.transaction() as session:
            row = session.get(WorkspaceSettings, WORKSPACE_SETTINGS_ID)
            return _settings(row) if row is not None else PanelSettings(None, None, demo=False)

    def change(
        self,
        actor: Actor,
        *,
        panel_name: str | None = None,
        force: str | None = None,
        purpose: str,
    ) -> PanelSettings:
        """Set the panel's name, its force or both (None keeps what is there)."""
        require(actor, Permission.CONFIGURE_WORKSPACE)
        return self._write(actor.username, purpose, _name_and_force(panel_name, force))

    def set_retention(self, actor: Actor, days: int | None, *, purpose: str) -> PanelSettings:
        """How many days after its encounter a case's personal data is kept (None: no
        period). It only drives the Sessions page's warnings; `purge` removes the data."""
        require(actor, Permission.CONFIGURE_WORKSPACE)
        if days is not None:
            check_retention_days(days, "retention days")
        return self._write(actor.username, purpose, {"retention_days": days})

    def set_up(self, *, panel_name: str | None, force: str | None, purpose: str) -> PanelSettings:
        """For a workspace being created, before anyone can sign in to it (as `init` does
        before its first administrator exists): afterwards only an administrator changes
        these, so this is refused once the workspace has an account."""
        with self._db.transaction() as session:
            if session.scalar(select(User.id).limit(1)) is not None:
                raise BadInput(
                    "this workspace has accounts: an administrator sets the panel's name and "
                    "force with `bwv-review panel set --as ADMIN`"
                )
        return self._write("init", purpose, _name_and_force(panel_name, force))

    def mark_as_demo(self, actor: Actor, *, purpose: str) -> PanelSettings:
        """Flag demonstration data, so every screen, export and report says so."""
        require(actor, Permission.CONFIGURE_WORKSPACE)
        return self._write(actor.username, purpose, {"is_demo": True})

    def _write(self, who: str, purpose: str, wanted: dict[str, object]) -> PanelSettings:
        """Store the checked values in `wanted` (column: value); audited only if any differs."""
        with self._db.transaction() as session:
            row = _row(session)
            changed = {key: value for key, value in wanted.items() if getattr(row, key) != value}
            if changed:
                for key, value in changed.items():
                    setattr(row, key, value)
                row.updated_at = utc_now()
                session.flush()
                append_event(
                    session,
                    actor=who,
                    action="workspace.settings_changed",
                    purpose=purpose,
                    entity_type="workspace_settings",
                    entity_id=row.id,
                    detail=changed,
                )
                log.info("workspace settings changed: %s", ", ".join(sorted(changed)))
            return _settings(row)


def _name_and_force(panel_name: str | None, force: str | None) -> dict[str, object]:
    """The checked values of those given; None means "keep what is stored"."""
    wanted: dict[str, object] = {}
    if panel_name is not None:
        wanted["panel_name"] = check_panel_name(panel_name)
    if force is not None:
        wanted["force"] = force_id(force)
    return wanted


def _settings(row: WorkspaceSettings) -> PanelSettings:
    return PanelSettings(row.panel_name, row.force, row.is_demo, row.retention_days)


def _row(session: Session) -> WorkspaceSettings:
    row = session.get(WorkspaceSettings, WORKSPACE_SETTINGS_ID, with_for_update=True)
    if row is None:
        row = WorkspaceSettings(id=WORKSPACE_SETTINGS_ID, is_demo=False, updated_at=utc_now())
        session.add(row)
        session.flush()
    return row
