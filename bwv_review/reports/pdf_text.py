"""Typed text as platypus flowables, drawn exactly as typed.

Every piece of text goes through `text_shaping` (escaped, font runs, cut into pieces no
taller than a page), so nothing a member typed is read as markup or breaks the layout;
text holding right-to-left script is broken into lines here and ordered line by line.
"""

from __future__ import annotations

import arabic_reshaper
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as PdfParagraph

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.fonts import font_runs
from bwv_review.reports.pdf_passes import CachedParagraph
from bwv_review.reports.text_shaping import (
    CHUNK_CHARS,
    chunks,
    clean_text,
    has_rtl,
    is_rtl_paragraph,
    markup,
    visual_line,
    wrap_words,
)


class _LineStack(Flowable):
    """Lines already broken and ordered for drawing, stacked; it splits between lines."""

    def __init__(self, lines: list[PdfParagraph], space_after_pt: float) -> None:
        super().__init__()
        self._lines = lines
        self._space_after_pt = space_after_pt
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [line.wrap(availWidth, availHeight)[1] for line in self._lines]
        self.width = availWidth
        return availWidth, sum(self._heights) + self._space_after_pt

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, fitting = 0.0, 0
        for height in self._heights:
            if used + height > availHeight:
                break
            used, fitting = used + height, fitting + 1
        if fitting in (0, len(self._lines)):
            return []
        return [
            _LineStack(self._lines[:fitting], 0),
            _LineStack(self._lines[fitting:], self._space_after_pt),
        ]

    def draw(self) -> None:
        top = sum(self._heights) + self._space_after_pt
        for line, height in zip(self._lines, self._heights, strict=True):
            top -= height
            line.drawOn(self.canv, 0, top)


class BidiText(Flowable):
    """Text holding right-to-left script: broken into lines here, at the width it is
    given, and only then put into visual order line by line (see `visual_line`)."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False) -> None:
        super().__init__()
        self._text, self._style, self._bold = text, style, bold
        self._rtl = is_rtl_paragraph(text)
        self._stack: _LineStack | None = None
        self._width_pt = -1.0

    def _measure(self, line: str) -> float:
        shaped = arabic_reshaper.reshape(line)
        size = self._style.fontSize
        return sum(stringWidth(run, face, size) for face, run in font_runs(shaped, self._bold))

    def _lines(self, width_pt: float) -> _LineStack:
        if self._stack is None or width_pt != self._width_pt:
            style = styles.aligned(self._style, self._rtl)
            line_style = ParagraphStyle(
                f"{style.name}_line", parent=style, spaceAfter=0, spaceBefore=0
            )
            lines = wrap_words(self._text, width_pt * 0.97, self._measure)
            paragraphs: list[PdfParagraph] = [
                CachedParagraph(markup(visual_line(line, self._rtl), self._bold), line_style)
                for line in lines
            ]
            self._stack = _LineStack(paragraphs, self._style.spaceAfter)
            self._width_pt = width_pt
        return self._stack

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._lines(availWidth).wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._lines(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._stack is not None, "platypus wraps a flowable before drawing it"
        self._stack.drawOn(self.canv, 0, 0)


def text_flowables(
    text: str,
    style: ParagraphStyle,
    bold: bool = False,
    bullet: bool = False,
    limit: int = CHUNK_CHARS,
) -> list[Flowable]:
    """`text` as typed, as one flowable per piece (`chunks`) so none is taller than a
    page; `limit` is lower for large type."""
    flowables: list[Flowable] = []
    for index, piece in enumerate(chunks(clean_text(text), limit)):
        first_bullet = bullet and index == 0
        if has_rtl(piece):
            flowables.append(BidiText(f"\u2022 {piece}" if first_bullet else piece, style, bold))
        else:
            flowables.append(
                CachedParagraph(
                    markup(piece, bold), style, bulletText="\u2022" if first_bullet else None
                )
            )
    return flowables


def kept_together(flowables: list[Flowable]) -> list[Flowable]:
    """Each flowable kept on the page of the next (a heading before them joins the
    chain), so a caption, its table and its notes are not parted when they fit on one
    page; a longer table still splits, its header repeated."""
    for flowable in flowables[:-1]:
        flowable.keepWithNext = True
    return flowables
