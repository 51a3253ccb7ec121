"""One rule for the text people type, the same on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character and a name longer than its column; SQLite takes both.
Left to the database, the same note saved on one backend crashed on the other, and the
words were lost. So every service checks text here first, and a refusal names the field
and the place, in words the person can act on.

Two kinds of text:

- **free text** (notes, reasons, grounds, vignettes, responses): stored as typed, up to
  `MAX_TEXT_CHARS`. Only what an edit box changes anyway is normalised: line endings
  (CR LF, CR, U+2028, U+2029, U+0085) become LF and a leading byte-order mark is dropped,
  so text read back into an edit box and saved untouched is the text already stored.
- **names** (names, titles, references): trimmed, on one line, up to `MAX_NAME_CHARS`.

Control characters other than tab and line feed are refused in both: they are unprintable,
break exports, and NUL cannot be stored in PostgreSQL at all. docs/text.md says the same
for people.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT_CHARS = 50_000
MAX_NAME_CHARS = 200

BYTE_ORDER_MARK = "\ufeff"
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085]")
# C0 and C1 controls, DEL, and lone surrogates (which no database can encode as UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class TextFieldError(ValueError):
    """Text a field cannot hold; `field` names it as the person knows it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"the {field} {problem}")
        self.field = field
        self.problem = problem


def normalise_line_endings(text: str) -> str:
    """LF for every line break and no leading byte-order mark, as an edit box gives back."""
    if text.startswith(BYTE_ORDER_MARK):
        text = text[1:]
    return _LINE_BREAKS.sub("\n", text)


def free_text(value: str | None, field: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """The text as typed, with line endings normalised; "" for nothing."""
    text = normalise_line_endings(value or "")
    _refuse_unprintable(text, field, allowed="\t\n")
    _refuse_long(text, field, limit)
    return text


def name_text(value: str | None, field: str, *, limit: int = MAX_NAME_CHARS) -> str:
    """A name, title or reference: trimmed and on one line; "" for nothing."""
    text = normalise_line_endings(value or "").strip()
    _refuse_unprintable(text, field, allowed="")
    _refuse_long(text, field, limit)
    return text


def is_blank(text: str | None) -> bool:
    """Nothing but spaces counts as nothing: a reason of only spaces explains nothing."""
    return text is None or not text.strip()


def _refuse_unprintable(text: str, field: str, *, allowed: str) -> None:
    for match in _UNPRINTABLE.finditer(text):
        char = match.group()
        if char in allowed:
            continue
        where = f"at position {match.start() + 1}"
        if char == "\0":
            raise TextFieldError(field, f"contains a NUL character (\\0) {where}; remove it")
        if char == "\n":
            raise TextFieldError(field, f"contains a line break {where}; keep it on one line")
        if char == "\t":
            raise TextFieldError(field, f"contains a tab {where}; keep it on one line")
        code = f"U+{ord(char):04X}"
        kind = (
            "an invalid character" if unicodedata.category(char) == "Cs" else "a control character"
        )
        raise TextFieldError(field, f"contains {kind} ({code}) {where}; remove it")


def _refuse_long(text: str, field: str, limit: int) -> None:
    if len(text) > limit:
        raise TextFieldError(
            field, f"is {len(text):,} characters long; the most it can hold is {limit:,}"
        )
