"""The report model's blocks as platypus flowables: paragraphs, bullet lists, tables
(`pdf_tables`) and charts (drawn by `charts`, with their numbers in a table)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.charts import drawing_for
from bwv_review.reports.document import BarChart, Block, BulletList, Paragraph, Table
from bwv_review.reports.fonts import SANS
from bwv_review.reports.pdf_tables import table_flowables
from bwv_review.reports.pdf_text import kept_together, text_flowables


class _Figure(Flowable):
    """A chart drawing as a plain flowable, which (unlike a Drawing) may be kept with
    the next flowable."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self._drawing = drawing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._drawing.wrap(availWidth, availHeight)

    def draw(self) -> None:
        self._drawing.drawOn(self.canv, 0, 0)


def chart_flowables(chart: BarChart, width_pt: float = styles.FRAME_WIDTH_PT) -> list[Flowable]:
    """The chart with its title and a description in words, then its numbers as a table."""
    figure: list[Flowable] = [
        *text_flowables(chart.title, styles.CAPTION, bold=True),
        _Figure(drawing_for(chart, width_pt, font_name=SANS)),
        *text_flowables(chart.alt_text, styles.NOTE),
    ]
    return [*kept_together(figure), *table_flowables(chart.table, width_pt)]


def block_flowables(block: Block) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return text_flowables(block.text, styles.PARAGRAPH_STYLES.get(block.style, styles.BODY))
    if isinstance(block, BulletList):
        return [
            flowable
            for item in block.items
            for flowable in text_flowables(item, styles.BULLET, bullet=True)
        ]
    if isinstance(block, Table):
        return table_flowables(block)
    return chart_flowables(block)
