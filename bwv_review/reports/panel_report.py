"""The panel's report as a PDF: cover, contents, chapters, on marked and numbered pages.

`render_pdf` walks a `ReportDocument` and computes nothing. The same document always
gives the same bytes, on any machine, in any time zone, at any time: reportlab runs in
invariant mode (fixed document id and no clock), the metadata date is the document's
own `dated`, and everything is laid out in the document's order. That is what lets an
issued report's SHA-256 say whether a file is the one the panel issued.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.document import ReportDocument, Section
from bwv_review.reports.fonts import SANS_BOLD, font_runs, register_fonts
from bwv_review.reports.output_files import staged_output
from bwv_review.reports.pdf_blocks import block_flowables, text_flowables
from bwv_review.reports.pdf_passes import LayoutPasses, MeasuringFrame, PassEnd
from bwv_review.reports.text_shaping import clean_text, markup, visual_line

DRAFT = "DRAFT"
_OUTLINE_LEVELS = 2  # chapters and their sections are bookmarked and listed in the contents
_ENTRY_CHARS = 160


class _Heading(Flowable):
    """A section heading that the template bookmarks and lists in the contents. The
    heading prints in full (`rest` holds its pieces after the first, should it be
    longer than a page allows); its bookmark and contents line are cut at
    `_ENTRY_CHARS`, being a way to the text rather than the text."""

    def __init__(self, section: Section, number: int) -> None:
        super().__init__()
        self.level = min(max(section.level, 1), 3)
        self.key = f"section-{number}"
        plain = clean_text(section.heading).replace("\n", " ")
        if len(plain) > _ENTRY_CHARS:
            plain = plain[: _ENTRY_CHARS - 1].rstrip() + "\u2026"
        self.plain = plain
        # In the contents chapters are bold and their sections not, as the lines styles say.
        self.markup = markup(visual_line(plain, rtl_paragraph=False), bold=self.level == 1)
        # A heading cannot split over pages, so its pieces are short enough for large type.
        pieces = text_flowables(section.heading, styles.HEADINGS[self.level], bold=True, limit=400)
        self._paragraph, self.rest = pieces[0], pieces[1:]
        self.keepWithNext = True  # platypus clears it once it has grouped the two

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._paragraph.wrap(availWidth, availHeight)

    def getSpaceBefore(self) -> float:
        return float(self._paragraph.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self._paragraph.getSpaceAfter())

    def draw(self) -> None:
        self._paragraph.drawOn(self.canv, 0, 0)


class _PageCount(Flowable):
    """Takes no room; asks for another pass until the page count ("Page N of M") is
    the one the previous pass laid out (multiBuild's own mechanism for the contents)."""

    def __init__(self, template: _ReportTemplate) -> None:
        super().__init__()
        self._template = template
        self._before = -1

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._before = self._template.page_count

    def afterBuild(self) -> None:
        self._template.page_count = self._template.page

    def isSatisfied(self) -> bool:
        return self._before == self._template.page_count

    def notify(self, kind: str, stuff: object) -> None:
        """Contents entries are not for this flowable."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        return None


def _draw_text(
    canvas: Canvas,
    x_pt: float,
    y_pt: float,
    text: str,
    size: float,
    anchor: str,
    bold: bool = False,
) -> None:
    """One line of page furniture in the bundled fonts (a marking or period may hold any
    character); `anchor` is left, centre or right."""
    runs = font_runs(visual_line(clean_text(text).replace("\n", " "), rtl_paragraph=False), bold)
    width = sum(canvas.stringWidth(run, face, size) for face, run in runs)
    x_pt -= {"left": 0.0, "centre": width / 2, "right": width}[anchor]
    for face, run in runs:
        canvas.setFont(face, size)
        canvas.drawString(x_pt, y_pt, run)
        x_pt += canvas.stringWidth(run, face, size)


class _ReportTemplate(BaseDocTemplate):
    def __init__(self, target: io.BytesIO, document: ReportDocument) -> None:
        self.document = document
        self.page_count = 0
        self.passes = LayoutPasses()
        super().__init__(
            target,
            pagesize=(styles.PAGE_WIDTH_PT, styles.PAGE_HEIGHT_PT),
            leftMargin=styles.MARGIN_PT,
            rightMargin=styles.MARGIN_PT,
            topMargin=styles.MARGIN_PT + styles.HEADER_GAP_PT,
            bottomMargin=styles.MARGIN_PT + styles.HEADER_GAP_PT,
            title=clean_text(document.title),
            author=clean_text(document.author),
            subject=clean_text(document.subject),
            creator="bwv-review",
            invariant=1,
        )
        frame = MeasuringFrame(
            self.passes, self.leftMargin, self.bottomMargin, self.width, self.height, id="body"
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._decorate),
                PageTemplate(id="body", frames=[frame], onPage=self._decorate),
            ]
        )

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading) and flowable.level <= _OUTLINE_LEVELS:
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(
                flowable.plain, flowable.key, level=flowable.level - 1, closed=False
            )
            self.notify("TOCEntry", (flowable.level - 1, flowable.markup, self.page, flowable.key))

    def _decorate(self, canvas: Canvas, _doc: object) -> None:
        """Marking top and bottom (as the Government Security Classifications ask),
        the period, the page number, and DRAFT on every page of a preview."""
        document = self.document
        width, height = styles.PAGE_WIDTH_PT, styles.PAGE_HEIGHT_PT
        margin = styles.MARGIN_PT
        canvas.saveState()
        if document.draft:
            canvas.setFillColor(styles.WATERMARK)
            canvas.setFont(SANS_BOLD, 110)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -40, DRAFT)
            canvas.rotate(-45)
            canvas.translate(-width / 2, -height / 2)
        canvas.setFillColor(styles.INK)
        # The marking on a line of its own, centred, so a long one never meets the
        # period or the page number (they take the line inside it).
        top = height - margin + 6
        _draw_text(canvas, width / 2, top, document.marking, 10, "centre", bold=True)
        _draw_text(canvas, margin, top - 13, document.period, 8.5, "left")
        if document.draft:
            _draw_text(canvas, width - margin, top - 13, DRAFT, 8.5, "right", bold=True)
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(margin, top - 18, width - margin, top - 18)
        bottom = margin - 6
        canvas.line(margin, bottom + 25, width - margin, bottom + 25)
        page = f"Page {canvas.getPageNumber()} of {self.page_count}"
        _draw_text(canvas, width - margin, bottom + 13, page, 8.5, "right")
        if document.draft:
            _draw_text(
                canvas, margin, bottom + 13, f"{DRAFT}: not for circulation", 8.5, "left", bold=True
            )
        _draw_text(canvas, width / 2, bottom, document.marking, 10, "centre", bold=True)
        canvas.restoreState()


def _cover(document: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [Spacer(1, 40)]
    flowables += text_flowables(document.title, styles.COVER_TITLE, bold=True)
    flowables += text_flowables(document.subtitle, styles.COVER_SUBTITLE)
    flowables += text_flowables(document.subject, styles.COVER_LINE)
    flowables += text_flowables(document.period, styles.COVER_LINE)
    flowables += text_flowables(document.author, styles.COVER_LINE)
    flowables += text_flowables(f"{document.variant.value.capitalize()} version", styles.COVER_LINE)
    flowables += [Spacer(1, 24), *text_flowables(document.marking, styles.MARKING, bold=True)]
    if document.draft:
        notice = "DRAFT: a preview of sessions not all finalised. Not for circulation."
        flowables += [Spacer(1, 12), *text_flowables(notice, styles.MARKING, bold=True)]
    return flowables


def _sections(sections: tuple[Section, ...], counter: list[int]) -> list[Flowable]:
    flowables: list[Flowable] = []
    for section in sections:
        counter[0] += 1
        if section.level == 1 and counter[0] > 1:
            flowables.append(PageBreak())
        heading = _Heading(section, counter[0])
        flowables += [heading, *heading.rest]
        for block in section.blocks:
            flowables.extend(block_flowables(block))
        flowables.extend(_sections(section.subsections, counter))
    return flowables


def _pdf_date(dated: datetime) -> str:
    moment = (dated if dated.tzinfo else dated.replace(tzinfo=UTC)).astimezone(UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _canvas_maker(dated: datetime) -> Callable[..., Canvas]:
    """Canvases that date the file from the document, not the clock or the zone."""
    stamp = _pdf_date(dated)

    def make(*args: Any, **kwargs: Any) -> Canvas:
        kwargs["invariant"] = 1
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *_ignored: stamp)
        return canvas

    return make


def render_pdf(document: ReportDocument) -> bytes:
    """The report as PDF bytes; the same document gives the same bytes."""
    register_fonts()
    target = io.BytesIO()
    template = _ReportTemplate(target, document)
    contents = TableOfContents(levelStyles=styles.TOC_LEVELS, dotsMinLevel=0)
    story: list[Flowable] = [
        PassEnd(template.passes),
        _PageCount(template),
        *_cover(document),
        NextPageTemplate("body"),
        PageBreak(),
        *text_flowables("Contents", styles.TOC_HEADING, bold=True),
        contents,
        PageBreak(),
        *_sections(document.sections, [0]),
    ]
    template.multiBuild(story, canvasmaker=_canvas_maker(document.dated))
    return target.getvalue()


def write_pdf(document: ReportDocument, path: Path) -> bytes:
    """Render and write the report to `path` through a temporary file moved into place,
    so no reader ever opens half a report; returns the bytes written (for the hash)."""
    data = render_pdf(document)
    with staged_output(path, data):
        pass
    return data
