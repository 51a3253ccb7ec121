"""How the PDF report looks: A4, 11 pt body, plain headings, tables that read in greyscale.

A public body's report is read on paper as often as on screen, often photocopied, so no
meaning rests on colour: header rows are a light grey that survives greyscale with bold
black text, flagged cells carry a mark, and headings differ by size and weight.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.lib.units import mm

from bwv_review.reports.fonts import SANS, SANS_BOLD

PAGE_WIDTH_PT, PAGE_HEIGHT_PT = A4
MARGIN_PT = 20 * mm
HEADER_GAP_PT = 10 * mm
FRAME_WIDTH_PT = PAGE_WIDTH_PT - 2 * MARGIN_PT
FRAME_HEIGHT_PT = PAGE_HEIGHT_PT - 2 * (MARGIN_PT + HEADER_GAP_PT)

INK = colors.HexColor("#1a1a1a")
HEADING_INK = colors.HexColor("#0b2e4f")
RULE = colors.HexColor("#6f6f6f")
HEADER_FILL = colors.HexColor("#d9d9d9")
FLAG_FILL = colors.HexColor("#f2f2f2")
WATERMARK = colors.Color(0.55, 0.55, 0.55, alpha=0.25)

BODY_PT = 11
SMALL_PT = 9


def _style(name: str, **overrides: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": SANS,
        "fontSize": BODY_PT,
        "leading": 15,
        "textColor": INK,
        "spaceAfter": 6,
        "splitLongWords": 1,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)  # type: ignore[arg-type]


BODY = _style("body")
LEAD = _style("lead", fontSize=12.5, leading=17, spaceAfter=9)
CAVEAT = _style("caveat", fontSize=10, leading=13.5, leftIndent=8, borderPadding=4)
QUOTE = _style("quote", leftIndent=18, rightIndent=18, textColor=colors.HexColor("#333333"))
BULLET = _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3)
CELL = _style("cell", fontSize=SMALL_PT + 0.5, leading=12.5, spaceAfter=0)
NUMBER_CELL = _style(
    "number_cell", fontSize=SMALL_PT + 0.5, leading=12.5, spaceAfter=0, alignment=TA_RIGHT
)
HEADER_CELL = _style(
    "header_cell", fontName=SANS_BOLD, fontSize=SMALL_PT + 0.5, leading=12.5, spaceAfter=0
)
CAPTION = _style(
    "caption",
    fontName=SANS_BOLD,
    fontSize=10,
    leading=13,
    spaceBefore=6,
    spaceAfter=3,
    keepWithNext=1,
)
NOTE = _style("note", fontSize=SMALL_PT, leading=11.5, spaceBefore=3, spaceAfter=9)
HEADINGS = {
    1: _style(
        "h1",
        fontName=SANS_BOLD,
        fontSize=18,
        leading=23,
        textColor=HEADING_INK,
        spaceBefore=6,
        spaceAfter=10,
    ),
    2: _style(
        "h2",
        fontName=SANS_BOLD,
        fontSize=14,
        leading=18,
        textColor=HEADING_INK,
        spaceBefore=12,
        spaceAfter=6,
    ),
    3: _style(
        "h3",
        fontName=SANS_BOLD,
        fontSize=12,
        leading=15,
        textColor=INK,
        spaceBefore=9,
        spaceAfter=4,
    ),
}
COVER_TITLE = _style(
    "cover_title", fontName=SANS_BOLD, fontSize=28, leading=34, textColor=HEADING_INK, spaceAfter=14
)
COVER_SUBTITLE = _style("cover_subtitle", fontSize=16, leading=21, spaceAfter=24)
COVER_LINE = _style("cover_line", fontSize=12, leading=16, spaceAfter=6)
MARKING = _style("marking", fontName=SANS_BOLD, fontSize=12, leading=16, alignment=TA_CENTER)
TOC_HEADING = _style(
    "toc_heading", fontName=SANS_BOLD, fontSize=18, leading=23, textColor=HEADING_INK, spaceAfter=12
)
TOC_LEVELS: list[PropertySet] = [
    _style("toc1", fontName=SANS_BOLD, fontSize=11, leading=16, spaceAfter=2),
    _style("toc2", fontSize=10, leading=14, leftIndent=16, spaceAfter=0),
]

PARAGRAPH_STYLES = {"body": BODY, "lead": LEAD, "caveat": CAVEAT, "quote": QUOTE}


def aligned(style: ParagraphStyle, rtl: bool) -> ParagraphStyle:
    """`style` aligned to the side its text starts from: a right-to-left paragraph
    (Urdu) is set flush right, as its readers expect."""
    if style.alignment in (TA_CENTER, TA_RIGHT if rtl else TA_LEFT):
        return style
    name = f"{style.name}_{'rtl' if rtl else 'ltr'}"
    # TA_RIGHT and TA_LEFT as the literals the stubs ask for (platypus compares numbers).
    return ParagraphStyle(name, parent=style, alignment=2 if rtl else 0)
