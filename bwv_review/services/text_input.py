"""The domain's text rule (domain/text_fields.py) as services apply it to what a person
typed: a refusal is BadInput, so the CLI exits 2 and the GUI says why in words, with the
field named, instead of the database failing the save on one backend and not the other."""

from __future__ import annotations

from bwv_review.domain.text_fields import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    TextFieldError,
    free_text,
    name_text,
)
from bwv_review.services.errors import BadInput


def typed_text(value: str | None, field: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """Free text as it will be stored (as typed, line endings LF); "" for nothing."""
    try:
        return free_text(value, field, limit=limit)
    except TextFieldError as exc:
        raise BadInput(str(exc)) from None


def typed_name(value: str | None, field: str, *, limit: int = MAX_NAME_CHARS) -> str:
    """A name, title or reference as it will be stored (trimmed, one line)."""
    try:
        return name_text(value, field, limit=limit)
    except TextFieldError as exc:
        raise BadInput(str(exc)) from None
