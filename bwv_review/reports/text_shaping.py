"""Turning typed text into what reportlab draws, so it prints exactly as typed.

Free text reaches the report from members (notes, vignettes, the force's responses) and
may hold anything: markup, control characters, emoji, Urdu. platypus reads `<`, `>` and
`&` as its own markup, so every run is escaped here and never interpreted. reportlab's
own right-to-left support needs a package PyPI does not carry (rlbidi), and its harfbuzz
shaping shapes each word with one font (wrong glyphs when a word mixes fonts), so Arabic
script is shaped by `arabic_reshaper` (joined letters as presentation forms, which Noto
Naskh maps) and put into visual order, one line at a time, by `python-bidi`'s Python
implementation of the Unicode bidi algorithm (its Rust `get_display` leaves brackets
unmirrored, so "(word)" in Urdu would print as ")word(").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape  # nosec B406: escapes text for reportlab, parses no XML

import arabic_reshaper
from bidi.algorithm import get_base_level, get_display

from bwv_review.reports.fonts import font_runs, is_covered
from bwv_review.reports.visible_text import visible

REPLACEMENT = "\ufffd"
# Paragraphs longer than this are cut at a line break, a sentence or a space: a table cell
# cannot split across pages by itself, and shorter flowables also keep layout quick.
CHUNK_CHARS = 1500
_STRONG_RTL = ("R", "AL")
_SENTENCE_END = re.compile(r"[.!?\u06d4\u061f]\s")


def clean_text(text: str) -> str:
    """Text reportlab can draw and a reader can see: composed (NFC), line ends made
    `\\n`, tabs made spaces, control characters shown by their stand-ins (`visible`),
    and anything no bundled font covers shown as U+FFFD. Invisible format characters and
    marks no font covers (an unknown joiner, a stray bidi mark) are dropped: there is
    nothing of them to show."""
    text = visible(text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if text.isascii():  # controls are stand-ins by now: all printable, in DejaVu, composed
        return text
    return "".join(_printable(char) for char in unicodedata.normalize("NFC", text))


def _printable(char: str) -> str:
    if char == "\n" or is_covered(char):
        return char
    category = unicodedata.category(char)
    return "" if category in ("Cf", "Mn", "Me") else REPLACEMENT


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _STRONG_RTL for char in text)


def is_rtl_paragraph(text: str) -> bool:
    """The paragraph direction Unicode gives it: that of its first strong character."""
    return bool(get_base_level(text)) if text.strip() else False


def visual_line(line: str, rtl_paragraph: bool) -> str:
    """One already broken line of logical text, in the order it is drawn left to right
    with Arabic letters joined. Only a whole line may be reordered: reordering a
    paragraph before it is wrapped puts its last words on its first line."""
    if not has_rtl(line):
        return line
    return str(get_display(arabic_reshaper.reshape(line), base_dir="R" if rtl_paragraph else "L"))


def markup(text: str, bold: bool = False) -> str:
    """platypus paragraph markup that draws `text` (cleaned) exactly: every run escaped
    and set in the bundled font that covers it; line breaks kept."""
    lines = []
    for line in text.split("\n"):
        lines.append(
            "".join(
                f'<font face="{face}">{escape(run)}</font>' for face, run in font_runs(line, bold)
            )
        )
    return "<br/>".join(lines)


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """`text` cut into pieces of at most about `limit` characters, at a line break, else
    after a sentence, else at a space, else anywhere (one 20,000-character word)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip(" "))
        rest = rest[cut:].lstrip(" \n")
    pieces.append(rest)
    return [piece for piece in pieces if piece] or [""]


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    newline = window.rfind("\n")
    if newline > limit // 2:
        return newline + 1
    sentence_ends = [match.end() for match in _SENTENCE_END.finditer(window)]
    if sentence_ends and sentence_ends[-1] > limit // 2:
        return sentence_ends[-1]
    space = window.rfind(" ")
    return space + 1 if space > limit // 2 else limit


def wrap_words(text: str, width_pt: float, measure: Callable[[str], float]) -> Iterator[str]:
    """Greedy line breaking of logical text into lines no wider than `width_pt` (a word
    wider than the line gets a line of its own and is cut by the renderer)."""
    for paragraph_line in text.split("\n"):
        line = ""
        for word in paragraph_line.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and measure(candidate) > width_pt:
                yield line
                line = word
            else:
                line = candidate
        yield line
