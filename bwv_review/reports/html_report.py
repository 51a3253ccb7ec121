"""The report's accessible HTML twin: one self-contained file, the same model as the PDF.

UK public bodies publish HTML before PDF, because a screen reader, a phone and a reader's
own font size all work with it. So: one file with its stylesheet inlined and no script,
fonts, images or links out (it opens offline and tracks nobody); a contents list; the
document title as `<h1>` and chapters as `<h2>` and below; real tables; charts as inline
SVG followed by their numbers. The same document gives the same bytes: nothing here reads
the clock, the time zone or the locale.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from bwv_review.reports.document import ReportDocument, Section
from bwv_review.reports.html_blocks import Ids, block_html, text
from bwv_review.reports.html_style import CSS

DRAFT_WORDS = "DRAFT: a preview of sessions not all finalised. Do not circulate."
# Chapters and their first sub-headings are listed in the contents.
_CONTENTS_DEPTH = 2


def render_html(document: ReportDocument) -> str:
    """The whole report as an HTML5 document (a `str`; write it as UTF-8)."""
    return "\n".join(_lines(document)) + "\n"


def _lines(document: ReportDocument) -> Iterator[str]:
    title = f"DRAFT: {document.title}" if document.draft else document.title
    yield "<!DOCTYPE html>"
    yield '<html lang="en-GB">'
    yield "<head>"
    yield '<meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield f"<title>{text(title)}</title>"
    yield f'<meta name="author" content="{text(document.author)}">'
    yield f'<meta name="description" content="{text(document.subject)}">'
    yield f'<meta name="dcterms.subject" content="{text(document.subject)}">'
    yield f'<meta name="dcterms.date" content="{_iso_utc(document.dated)}">'
    yield f"<style>\n{CSS}</style>"
    yield "</head>"
    yield "<body>"
    yield '<a class="skip" href="#main">Skip to the report</a>'
    yield "<header>"
    yield from _marking(document)
    yield "</header>"
    yield '<main id="main">'
    yield f'<h1 dir="auto">{text(document.title)}</h1>'
    if document.subtitle:
        yield f'<p class="subtitle" dir="auto">{text(document.subtitle)}</p>'
    yield from _contents(document.sections)
    ids = Ids()
    for number, section in enumerate(document.sections, start=1):
        yield from _section(section, f"section-{number}", 1, ids)
    yield "</main>"
    yield "<footer>"
    yield from _marking(document)
    yield "</footer>"
    yield "</body>"
    yield "</html>"


def _iso_utc(moment: datetime) -> str:
    """The metadata date in UTC, so the same moment reads the same in any time zone; a
    naive datetime is taken to be UTC already (the store keeps UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _marking(document: ReportDocument) -> Iterator[str]:
    """The protective marking and period, at the top and the foot of the page."""
    yield f'<p class="marking" dir="auto">{text(document.marking)} · {text(document.period)}</p>'
    if document.draft:
        yield f'<p class="draft" role="note">{text(DRAFT_WORDS)}</p>'


def _contents(sections: tuple[Section, ...]) -> Iterator[str]:
    if not sections:
        return
    yield '<nav aria-labelledby="contents">'
    yield '<h2 id="contents">Contents</h2>'
    yield from _contents_list(sections, "section", 1)
    yield "</nav>"


def _contents_list(sections: tuple[Section, ...], prefix: str, depth: int) -> Iterator[str]:
    yield "<ol>"
    for number, section in enumerate(sections, start=1):
        anchor = f"{prefix}-{number}"
        link = f'<a href="#{anchor}" dir="auto">{text(section.heading)}</a>'
        if section.subsections and depth < _CONTENTS_DEPTH:
            yield f"<li>{link}"
            yield from _contents_list(section.subsections, anchor, depth + 1)
            yield "</li>"
        else:
            yield f"<li>{link}</li>"
    yield "</ol>"


def _section(section: Section, anchor: str, depth: int, ids: Ids) -> Iterator[str]:
    """A section under `<h2>` (a chapter) or lower: the heading rank follows the section's
    level or its nesting, whichever is deeper, so a sub-section never outranks its parent."""
    rank = min(max(section.level, depth) + 1, 6)
    yield f'<section aria-labelledby="{anchor}">'
    yield f'<h{rank} id="{anchor}" dir="auto">{text(section.heading)}</h{rank}>'
    for block in section.blocks:
        yield from block_html(block, ids)
    for number, sub in enumerate(section.subsections, start=1):
        yield from _section(sub, f"{anchor}-{number}", depth + 1, ids)
    yield "</section>"
