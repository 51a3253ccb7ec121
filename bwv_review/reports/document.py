"""The report as plain data: what the PDF and its accessible HTML twin both render.

A service builds one `ReportDocument` from the workspace; `panel_report` (PDF) and
`html_report` (HTML) each walk it. Neither renderer computes a figure or decides what a
variant may show: if the two formats could disagree, the PCC would be handed two reports.
Text here is logical text exactly as typed (no markup, no escaping); renderers escape,
shape and bidi-order it for their format, and tests compare renderings against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Variant(StrEnum):
    """Internal reports may carry case references; published ones carry nothing finer than
    the force area and never a reference, pseudonym, encounter date or time."""

    INTERNAL = "internal"
    PUBLISHED = "published"


class CellFlag(StrEnum):
    """Why a cell is marked. SMALL: under 5, shown with a flag (internal). SUPPRESSED:
    hidden as "<5" (published). SECONDARY: hidden so a suppressed cell cannot be worked out
    from the totals."""

    SMALL = "small"
    SUPPRESSED = "suppressed"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Cell:
    """One table cell: `text` is what is printed (already "<5" when suppressed)."""

    text: str
    flag: CellFlag | None = None


@dataclass(frozen=True)
class Table:
    """A real table: `header` cells head the columns; when `row_headers` the first cell of
    each row heads its row (screen readers announce both)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = True
    note: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | lead | caveat | quote


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    """A bar chart and the table holding its numbers (every chart's figures are also in a
    table, for readers who cannot see it and for greyscale print). `alt_text` says in words
    what the chart shows."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str
    alt_text: str
    table: Table


Block = Paragraph | BulletList | Table | BarChart


@dataclass(frozen=True)
class Section:
    """A heading and what follows it; `level` 1 starts a chapter (bookmark, contents line),
    2 and 3 are sub-headings."""

    heading: str
    blocks: tuple[Block, ...] = ()
    level: int = 1
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ReportDocument:
    """A whole report. `dated` is the PDF/HTML metadata date: the latest finalisation or
    narrative edit in scope, never the clock, so the same inputs give the same bytes.
    `draft` marks every page (a preview of sessions not all finalised)."""

    title: str
    subtitle: str
    marking: str
    period: str
    variant: Variant
    draft: bool
    author: str
    subject: str
    dated: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def all_text(self) -> list[str]:
        """Every piece of text the report holds, in reading order: what tests scan for
        names and references, and compare renderings against."""
        texts = [self.title, self.subtitle, self.marking, self.period, self.author, self.subject]
        for section in self.sections:
            texts.extend(_section_text(section))
        return texts


def _section_text(section: Section) -> list[str]:
    texts = [section.heading]
    for block in section.blocks:
        texts.extend(_block_text(block))
    for sub in section.subsections:
        texts.extend(_section_text(sub))
    return texts


def _table_text(table: Table) -> list[str]:
    texts = [table.caption, *table.header]
    for row in table.rows:
        texts.extend(cell.text for cell in row)
    if table.note:
        texts.append(table.note)
    return texts


def _block_text(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, Table):
        return _table_text(block)
    return [block.title, block.alt_text, *block.categories, *_table_text(block.table)]
