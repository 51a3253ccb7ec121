"""The bundled fonts (resources/fonts/) and which one draws each character.

The PDF must print whatever a member typed, in any of the community's languages, on any
machine, so it never relies on the fonts a machine happens to have. No one font covers
Welsh, Polish, Urdu, Somali and emoji, so a run of text is split by which font covers each
character: DejaVu Sans first (Latin, Greek, Cyrillic, most symbols), Noto Naskh Arabic for
Arabic script (Urdu; it also maps the presentation forms that `text_shaping` turns letters
into), then Symbola (emoji, drawn as monochrome glyphs). Characters no font covers are
drawn as U+FFFD by `text_shaping`, never as an empty box or a crash.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

SANS = "BwvSans"
SANS_BOLD = "BwvSans-Bold"


@dataclass(frozen=True)
class BundledFont:
    """A face the report may draw with; `bold_file` is None where the family has no bold
    (Symbola: emoji are drawn the same in headings)."""

    name: str
    regular_file: str
    bold_file: str | None


# Order matters: the first font that covers a character draws it (Arabic script excepted,
# see `_preferred`).
LATIN = BundledFont(SANS, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
ARABIC = BundledFont("BwvNaskh", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf")
SYMBOLS = BundledFont("BwvSymbols", "Symbola.ttf", None)
BUNDLED = (LATIN, ARABIC, SYMBOLS)

# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms-A and -B.
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def font_path(file_name: str) -> str:
    return str(files("bwv_review.resources") / "fonts" / file_name)


def face_name(font: BundledFont, bold: bool) -> str:
    return f"{font.name}-Bold" if bold and font.bold_file else font.name


_ASTRAL_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")
_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _utf16_entry(match: re.Match[str]) -> str:
    utf16 = chr(int(match[2], 16)).encode("utf-16-be").hex().upper()
    return f"<{match[1]}> <{utf16}>"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab (5.1 and before) writes a character beyond U+FFFF into a font's
    ToUnicode map as five hex digits, which PDF readers cannot decode (an emoji copies
    out as another character and pypdf logs a warning); the map must hold UTF-16, a
    surrogate pair. The entries reportlab writes are rewritten so."""
    return _ASTRAL_ENTRY.sub(_utf16_entry, _reportlab_to_unicode_cmap(fontname, subset))


@cache
def register_fonts() -> None:
    """Register every bundled face with reportlab once per process (registering is global
    in reportlab; doing it again would only cost time)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    for font in BUNDLED:
        pdfmetrics.registerFont(TTFont(font.name, font_path(font.regular_file)))
        bold = font.name
        if font.bold_file:
            bold = f"{font.name}-Bold"
            pdfmetrics.registerFont(TTFont(bold, font_path(font.bold_file)))
        # <b> inside a paragraph maps to the bold face of the same family.
        addMapping(font.name, 0, 0, font.name)
        addMapping(font.name, 1, 0, bold)
        addMapping(font.name, 0, 1, font.name)
        addMapping(font.name, 1, 1, bold)
    log.debug("registered %d bundled fonts", len(BUNDLED))


@cache
def _cmap(face: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(face)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def _is_arabic(code: int) -> bool:
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def _preferred(code: int) -> tuple[BundledFont, ...]:
    # DejaVu has some Arabic letters but not all of Urdu's: one word split between two
    # fonts would lose its joining, so Arabic script goes to Naskh first.
    return (ARABIC, LATIN, SYMBOLS) if _is_arabic(code) else BUNDLED


@cache
def font_for(char: str, bold: bool = False) -> BundledFont | None:
    """The bundled font that draws `char`, or None when none covers it."""
    code = ord(char)
    for font in _preferred(code):
        if code in _cmap(face_name(font, bold)):
            return font
    return None


def is_covered(char: str) -> bool:
    return font_for(char) is not None


def _is_neutral(char: str) -> bool:
    """Spaces, punctuation and marks take the font of the text around them, so "AT&T"
    or an Urdu sentence's full stop stays in one run (one word in one font)."""
    category = unicodedata.category(char)
    return category[0] in "ZPM" or category in ("Cf", "Sk")


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split `text` (already cleaned: every character covered) into (face, text) runs."""
    if text.isascii():  # most of a report: DejaVu draws all of ASCII, so one run
        return [(face_name(LATIN, bold), text)] if text else []
    runs: list[tuple[str, list[str]]] = []
    for char in text:
        font = font_for(char, bold)
        face = face_name(font or LATIN, bold)
        if runs:
            last_face, last_chars = runs[-1]
            if face == last_face or (_is_neutral(char) and ord(char) in _cmap(last_face)):
                last_chars.append(char)
                continue
        runs.append((face, [char]))
    return [(face, "".join(chars)) for face, chars in runs]
