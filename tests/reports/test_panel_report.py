"""The PDF report rendered for real and read back as a reader's tools read it: pypdf for
text, metadata and bookmarks, poppler's pdftoppm for every page, separate processes
under other time zones and clocks for reproducibility."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest
from pypdf import PdfReader

from bwv_review.reports.document import Paragraph, ReportDocument, Section
from bwv_review.reports.panel_report import render_pdf, write_pdf
from bwv_review.reports.visible_text import visible
from tests.reports.report_samples import DATED, URDU, document_with, full_document

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_pdf(full_document(draft=True))


@pytest.fixture(scope="module")
def reader(draft_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(draft_pdf))


def _comparable(text: str) -> str:
    """Logical text as extraction can give it back: compatibility forms folded (Arabic
    presentation forms, ligatures), no whitespace (line breaks fall anywhere)."""
    text = unicodedata.normalize("NFKC", visible(text).replace("\t", " "))
    return "".join(
        char
        for char in text
        if not char.isspace() and unicodedata.category(char) not in ("Cf", "Mn")
    )


def _page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


_FURNITURE = re.compile(
    r"DRAFT|OFFICIAL|1 July to 30 September 2026|Page \d+ of \d+|DRAFT: not for circulation"
)


def _body_text(reader: PdfReader) -> str:
    """The pages' text without the running header and footer, which interrupt a
    paragraph that runs over a page."""
    bodies = []
    for text in _page_texts(reader):
        lines = text.split("\n")
        while lines and _FURNITURE.fullmatch(lines[0].strip()):
            lines.pop(0)
        bodies.append("\n".join(lines))
    return "\n".join(bodies)


def _squash(text: str) -> str:
    """Text without the spaces, line breaks and leader dots that extraction puts between
    a table's cells and a contents line's parts."""
    return re.sub(r"[\s.]+", "", text)


def _reads_logically(expected: str, extracted: str) -> bool:
    if expected in extracted:
        return True
    # Extraction returns a right-to-left run in drawing order (reversed) on some lines.
    return expected[::-1] in extracted or unicodedata.normalize("NFKC", expected[::-1]) in extracted


def test_every_piece_of_the_documents_text_is_in_the_pdf(reader: PdfReader) -> None:
    document = full_document(draft=True)
    extracted = _comparable(_body_text(reader))
    missing = [
        text for text in document.all_text() if not _reads_logically(_comparable(text), extracted)
    ]
    assert missing == []


def test_right_to_left_text_reads_in_logical_order(reader: PdfReader) -> None:
    extracted = unicodedata.normalize("NFKC", "".join(_page_texts(reader)))
    # Words in logical order, each joined (presentation forms fold back to the letters).
    assert " ".join(URDU.split()[:3]) in extracted or " ".join(URDU.split()[:3])[::-1] in extracted


def test_emoji_copy_out_of_the_pdf_as_typed(reader: PdfReader, draft_pdf: bytes) -> None:
    """reportlab alone writes an emoji's ToUnicode entry as five hex digits (pypdf warns,
    poppler reads another character); fonts.py makes it the UTF-16 pair."""
    assert "😀 👍🏽 🚓" in "".join(_page_texts(reader))
    poppler = subprocess.run(
        ["pdftotext", "-", "-"], input=draft_pdf, capture_output=True, check=True
    )
    assert "😀 👍🏽 🚓" in poppler.stdout.decode()


def test_markup_in_text_is_printed_not_obeyed(reader: PdfReader) -> None:
    text = "".join(_page_texts(reader))
    for typed in (
        "<b>bold never closed",
        "<font name=x size=40>not a font</font>",
        "&amp; is typed",
        "AT&T and R&D < 5 > 3",
    ):
        assert typed in text


def test_every_page_renders_with_poppler(
    draft_pdf: bytes, reader: PdfReader, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(draft_pdf)
    result = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) == len(reader.pages) > 10


def test_draft_and_page_numbers_on_every_page(reader: PdfReader) -> None:
    pages = _page_texts(reader)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert "DRAFT" in text, f"page {number} is not marked DRAFT"
        assert f"Page {number} of {total}" in text
        assert text.count("OFFICIAL") >= 2, "the marking goes at the top and the bottom"
        assert "1 July to 30 September 2026" in text


def test_a_final_report_is_not_marked_draft() -> None:
    pages = _page_texts(PdfReader(io.BytesIO(render_pdf(full_document(draft=False)))))
    assert not any("DRAFT" in text for text in pages)


def test_metadata_come_from_the_document(reader: PdfReader) -> None:
    document = full_document()
    metadata = reader.metadata
    assert metadata is not None
    assert (metadata.title, metadata.author, metadata.subject) == (
        document.title,
        document.author,
        document.subject,
    )
    assert metadata.creation_date is not None
    assert metadata.creation_date.astimezone(UTC) == DATED


def _outline_titles(entries: list[object], depth: int = 0) -> list[tuple[int, str]]:
    titles: list[tuple[int, str]] = []
    for entry in entries:
        if isinstance(entry, list):
            titles.extend(_outline_titles(entry, depth + 1))
        else:
            titles.append((depth, entry.title))  # type: ignore[attr-defined]
    return titles


def test_bookmarks_for_chapters_and_sections_point_at_their_pages(
    reader: PdfReader, draft_pdf: bytes
) -> None:
    assert _outline_titles(reader.outline) == [
        (0, "Summary in numbers"),
        (1, "Grades"),
        (0, "What members wrote"),
        (1, "Cases by type"),
        (0, "Annex: definitions"),
    ]
    pages = _page_texts(reader)
    # poppler's layout mode keeps each contents line whole: title, leader dots, page.
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", "-", "-"],
        input=draft_pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for entry in (item for item in reader.outline if not isinstance(item, list)):
        page_number = reader.get_destination_page_number(entry) + 1
        assert entry.title in pages[page_number - 1]
        assert re.search(rf"^ *{re.escape(entry.title)}[ .]+{page_number}$", contents, re.M), (
            entry.title
        )


def test_long_table_repeats_its_header_on_every_page(reader: PdfReader) -> None:
    pages = [_squash(text) for text in _page_texts(reader) if re.search(r"Case type \d+\n", text)]
    assert len(pages) >= 2
    for text in pages:
        assert "CasetypeCasesShare" in text


def test_flagged_cells_carry_a_mark_and_a_legend(reader: PdfReader) -> None:
    text = "".join(_page_texts(reader))
    assert re.search(r"3\*", text) and "<5\u2020" in text and "5\u2021" in text
    assert "* fewer than 5: read with care." in text
    assert "\u2020 fewer than 5, not shown (<5)." in text
    assert "\u2021 not shown, so that a hidden figure" in text


def test_written_to_a_path_through_a_temporary_file(tmp_path: Path) -> None:
    document = full_document(draft=False)
    target = tmp_path / "report.pdf"
    data = write_pdf(document, target)
    assert target.read_bytes() == data == render_pdf(document)
    assert [path.name for path in tmp_path.iterdir()] == ["report.pdf"]


_RENDER = """
import hashlib, sys, time
from bwv_review.reports.panel_report import render_pdf
from tests.reports.report_samples import full_document
print(int(time.time()))
sys.stdout.flush()
sys.stdout.buffer.write(render_pdf(full_document(draft=True)))
"""


def _render_elsewhere(zone: str, clock: str) -> tuple[int, bytes]:
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("faketime is missing: install the Debian package faketime (Makefile TEST_APT)")
    env = {**os.environ, "TZ": zone, "PYTHONHASHSEED": "random"}
    result = subprocess.run(
        [faketime, "-f", clock, sys.executable, "-c", _RENDER],
        capture_output=True,
        cwd=REPO,
        env=env,
        check=True,
    )
    first_line, _, pdf = result.stdout.partition(b"\n")
    return int(first_line), pdf


def test_same_document_same_bytes_in_other_processes_zones_and_clocks(draft_pdf: bytes) -> None:
    seen_1999, in_tokyo = _render_elsewhere("Asia/Tokyo", "@1999-03-04 05:06:07")
    seen_2041, in_la = _render_elsewhere("America/Los_Angeles", "@2041-12-31 23:59:58")
    # The fake clocks were really in force, so the bytes could have differed.
    assert seen_1999 < 946684800 and seen_2041 > 2208988800
    assert in_tokyo == in_la == draft_pdf


def test_a_different_document_gives_different_bytes(draft_pdf: bytes) -> None:
    document: ReportDocument = full_document(draft=False)
    assert render_pdf(document) != draft_pdf


def test_hostile_marking_period_and_a_very_long_heading_print_in_full() -> None:
    heading = "A heading the chair typed at length <b>&amp; " * 120
    document = replace(
        document_with(Paragraph("Body.")),
        marking="OFFICIAL <b> & Cyfrinachol – zażółć",
        period="Chwefror–Mawrth 2026 پولیس",
        sections=(Section(heading=heading, blocks=(Paragraph("Body."),)),),
    )
    pdf_reader = PdfReader(io.BytesIO(render_pdf(document)))
    pages = _page_texts(pdf_reader)
    for text in pages:
        assert "OFFICIAL <b> & Cyfrinachol – zażółć" in text
        assert "Chwefror–Mawrth 2026" in text
    furniture = re.compile(
        r"OFFICIAL <b> & Cyfrinachol – zażółć|Chwefror–Mawrth 2026.*"
        r"|[\ufb50-\ufeff ]+|Page \d+ of \d+"
    )
    lines = [
        line for text in pages[2:] for line in text.split("\n") if not furniture.fullmatch(line)
    ]
    assert _squash(heading) in _squash(" ".join(lines)), "the heading is printed whole"
    (entry,) = pdf_reader.outline
    assert entry.title.endswith("\u2026") and len(entry.title) <= 160  # type: ignore[union-attr]


def test_contents_set_chapters_in_bold_and_sections_in_regular(reader: PdfReader) -> None:
    fonts: dict[str, str] = {}

    def visit(
        text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: float
    ) -> None:
        if text.strip() and font is not None:
            fonts.setdefault(text.strip(), str(font["/BaseFont"]))

    reader.pages[1].extract_text(visitor_text=visit)
    assert fonts["Summary in numbers"].endswith("DejaVuSans-Bold")
    assert fonts["Grades"].endswith("+DejaVuSans")
