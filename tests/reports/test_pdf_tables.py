"""PDF tables as a reader meets them: words whole in narrow columns, a caption
and its table on one page, a cell too long for a page continued below."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from bwv_review.reports.document import Cell, CellFlag, Paragraph, Table
from bwv_review.reports.panel_report import render_pdf
from bwv_review.reports.pdf_tables import TableShapeError
from tests.reports.report_samples import LONG_NOTE, document_with

GRADES = ("Good practice", "Adequate", "Concern", "Cannot assess", "No agreed grade", "Total")


def _pages(*blocks: object) -> list[str]:
    pdf = render_pdf(document_with(*blocks))  # type: ignore[arg-type]
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _wide_table() -> Table:
    rows = tuple(
        (
            Cell(group),
            *(Cell(str(n), CellFlag.SMALL if n < 5 else None) for n in (5, 1, 2, 0, 1, 9)),
        )
        for group in ("White", "Black", "Not recorded")
    )
    return Table(
        caption="Panel grade by ethnicity", header=("Self-defined ethnicity", *GRADES), rows=rows
    )


def test_no_word_of_a_seven_column_table_is_broken() -> None:
    text = "".join(_pages(_wide_table()))
    for word in (
        "Self-defined",
        "ethnicity",
        "practice",
        "Adequate",
        "Concern",
        "assess",
        "agreed",
        "Total",
    ):
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", text), word


def test_a_caption_goes_to_the_next_page_with_its_table() -> None:
    filler = Paragraph("Filler line of the report. " * 60)
    pages = _pages(*([filler] * 3), _wide_table())
    caption_page = next(i for i, text in enumerate(pages) if "Panel grade by ethnicity" in text)
    assert "Not recorded" in pages[caption_page] and "fewer than 5" in pages[caption_page]


def test_a_cell_longer_than_a_page_continues_in_rows_below() -> None:
    table = Table(
        caption="Notes", header=("Case", "Note"), rows=((Cell("Case 1"), Cell(LONG_NOTE)),)
    )
    pages = _pages(table)
    with_note = [text for text in pages if "of a very long note" in text]
    assert len(with_note) >= 3
    assert all("Case Note" in " ".join(text.split()) for text in with_note), "header repeated"
    assert "Sentence 269 of a very long note" in " ".join(pages[-1].split())


def test_a_row_that_does_not_match_the_header_is_named() -> None:
    table = Table(caption="Grades", header=("Grade", "Cases"), rows=((Cell("Good"),),))
    with pytest.raises(TableShapeError, match="table 'Grades': row 1 has 1 cells, the header 2"):
        render_pdf(document_with(table))


def test_a_50000_letter_word_does_not_squeeze_the_other_columns_away() -> None:
    word = "y" * 50_000
    table = Table(
        caption="Pasted",
        header=("Case", "", "Note"),
        rows=((Cell("Case 1"), Cell(""), Cell(word)),),
    )
    pages = _pages(table)
    assert "Case 1" in pages[2]
    assert sum(text.count("y") for text in pages) >= 50_000
