"""The HTML twin read back the way a browser reads it (the stdlib HTML parser): its
structure, its tables, and every piece of the document's text as typed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bwv_review.reports.cell_marks import MARKS, MEANINGS
from bwv_review.reports.document import (
    BarChart,
    BulletList,
    Cell,
    CellFlag,
    Paragraph,
    ReportDocument,
    Section,
    Series,
    Table,
    Variant,
)
from bwv_review.reports.html_report import DRAFT_WORDS, render_html
from bwv_review.reports.visible_text import visible

HOSTILE = (
    "<b>bold never closed",
    "<font name=x>not a font",
    "&amp; typed as five characters",
    "AT&T and R&D < 5 > 3",
    "<img src=x onerror=alert(1)>",
    "\"quoted\" and 'single' </p></table><script>alert(1)</script>",
    "پولیس افسر نے تلاشی کی وجہ واضح طور پر بتائی",
    "ضابط الشرطة كان مهذبا",
    "The person said پولیس نے مدد کی in Urdu, then went on in English.",
    "Cafe\u0301 nai\u0308ve Zo\u0308e a\u0328 n\u0303 q\u0307\u0323",
    "Note: 😀 👍🏽 🚓 ❤️ ✓",
    "Roedd y swyddog yn gwrtais; ŵyr, ŷd, Ŵ, Ŷ.",
    "Zażółć gęślą jaźń. ĄĆĘŁŃÓŚŹŻ.",
    "Sarkaalku wuxuu si cad u sharaxay sababta baaritaanka.",
    "\u202eright-to-left override never closed",
)
CONTROLS = "bell\x07 null\x00 escape\x1b delete\x7f c1\x85 end"
LONG_NOTE = "A member's note typed at length. " * 610  # 20,130 characters
DATED = datetime(2026, 11, 30, 17, 45, 12, tzinfo=timezone(timedelta(hours=1)))
VOID = {"meta", "br", "hr", "img", "input", "link"}
SVG_TAGS = {"svg", "title", "desc", "g", "text", "rect", "path"}
ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "main", "footer",
    "nav", "section", "ol", "ul", "li", "p", "blockquote", "h1", "h2", "h3", "h4",
    "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "bdi", "span",
    "figure", "figcaption",
} | SVG_TAGS  # fmt: skip


def _table(caption: str, flagged: bool = False) -> Table:
    small = Cell("3", CellFlag.SMALL) if flagged else Cell("3")
    return Table(
        caption=caption,
        header=("Grade", "White", "Black"),
        rows=(
            (Cell("Good"), Cell("12"), small),
            (Cell(HOSTILE[6]), Cell("<5", CellFlag.SUPPRESSED), Cell("[c]", CellFlag.SECONDARY)),
            (Cell("Total"), Cell("18"), Cell(HOSTILE[4])),
        ),
        note=f"A note on the table: {HOSTILE[3]}",
    )


def _chart() -> BarChart:
    return BarChart(
        title="Grade by ethnicity <b>",
        categories=("White", "Black"),
        series=(Series("Good", (12, 3)), Series("Requires improvement", (6, 9))),
        value_label="Cases",
        alt_text="Good: 12 White, 3 Black. AT&T <img src=x>.",
        table=_table("Grade by ethnicity (the chart's numbers)"),
    )


def _document(*, draft: bool = True) -> ReportDocument:
    return ReportDocument(
        title="Scrutiny panel report <b>",
        subtitle="For the PCC & the public",
        marking="OFFICIAL <font name=x>",
        period="1 July to 30 September 2026",
        variant=Variant.INTERNAL,
        draft=draft,
        author='Panel & "friends" <b>',
        subject="Body-worn video review: AT&T",
        dated=DATED,
        sections=(
            Section(
                heading="Summary <b>",
                blocks=(
                    Paragraph("The panel reviewed 60 cases.", style="lead"),
                    BulletList(HOSTILE[:3]),
                    _table("Panel grade by ethnicity", flagged=True),
                ),
                subsections=(
                    Section(heading="Grades", level=2, blocks=(_chart(),)),
                    Section(
                        heading="Small numbers",
                        level=2,
                        blocks=(Paragraph("Rates under 10 carry an interval.", style="caveat"),),
                        subsections=(Section(heading="Deeper", level=3),),
                    ),
                ),
            ),
            Section(
                heading="What members wrote",
                blocks=(
                    *(Paragraph(text) for text in HOSTILE),
                    Paragraph(HOSTILE[6], style="quote"),
                    Paragraph(LONG_NOTE),
                    Paragraph(CONTROLS),
                    Paragraph("Two lines:\nthe second"),
                ),
            ),
            Section(heading=HOSTILE[8]),
        ),
    )


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    parent: _Element | None
    children: list[_Element] = field(default_factory=list)
    text: str = ""  # text directly inside, before or between children
    parts: list[str | _Element] = field(default_factory=list)  # text and children in order

    def all_text(self) -> str:
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.parts)

    def iter(self, tag: str | None = None) -> list[_Element]:
        found = [self] if tag in (None, self.tag) else []
        for child in self.children:
            found.extend(child.iter(tag))
        return found


class _Tree(HTMLParser):
    """A strict reading: every element closed in order, every text run kept whole."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, None)
        self.current = self.root
        self.data_runs: list[str] = []
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert tag == self.current.tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.text += data
        self.current.parts.append(data)
        self.data_runs.append(data)


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.current is tree.root, f"<{tree.current.tag}> never closed"
    return tree


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(_document())


@pytest.fixture(scope="module")
def tree(page: str) -> _Tree:
    return _parse(page)


def test_the_page_is_one_balanced_html5_document_with_only_expected_elements(
    tree: _Tree,
) -> None:
    assert tree.declarations == ["DOCTYPE html"]
    (html,) = tree.root.children
    assert html.tag == "html" and html.attrs["lang"] == "en-GB"
    tags = {element.tag for element in tree.root.iter()} - {"#root"}
    assert tags <= ALLOWED, tags - ALLOWED


def test_no_script_no_external_resources(page: str, tree: _Tree) -> None:
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered and "https://" not in lowered
    assert "javascript:" not in lowered and "@import" not in lowered and "url(" not in lowered
    for element in tree.root.iter():
        assert not any(name.startswith("on") for name in element.attrs), element
        assert "src" not in element.attrs
        assert element.attrs.get("href", "#").startswith("#")


def test_title_and_metadata_come_from_the_document(tree: _Tree) -> None:
    (title,) = tree.root.iter("title")[:1]
    assert title.text == "DRAFT: Scrutiny panel report <b>"
    meta = {
        m.attrs["name"]: m.attrs["content"] for m in tree.root.iter("meta") if "name" in m.attrs
    }
    assert meta["author"] == 'Panel & "friends" <b>'
    assert meta["description"] == "Body-worn video review: AT&T"
    assert meta["dcterms.subject"] == "Body-worn video review: AT&T"
    assert meta["dcterms.date"] == "2026-11-30T16:45:12Z"


def test_the_marking_and_period_are_at_the_top_and_foot_with_the_draft_banner(
    tree: _Tree,
) -> None:
    for place in ("header", "footer"):
        (element,) = tree.root.iter(place)
        texts = [p.all_text() for p in element.iter("p")]
        assert texts == ["OFFICIAL <font name=x> · 1 July to 30 September 2026", DRAFT_WORDS]

    final = _parse(render_html(_document(draft=False)))
    assert DRAFT_WORDS not in final.root.all_text()
    assert final.root.iter("title")[0].text == "Scrutiny panel report <b>"


def test_headings_follow_the_section_levels_and_the_contents_links_to_each(tree: _Tree) -> None:
    headings = [
        (element.tag, element.all_text())
        for element in tree.root.iter()
        if element.tag in {"h1", "h2", "h3", "h4"}
    ]
    assert headings == [
        ("h1", "Scrutiny panel report <b>"),
        ("h2", "Contents"),
        ("h2", "Summary <b>"),
        ("h3", "Grades"),
        ("h3", "Small numbers"),
        ("h4", "Deeper"),
        ("h2", "What members wrote"),
        ("h2", HOSTILE[8]),
    ]
    ids = Counter(element.attrs["id"] for element in tree.root.iter() if "id" in element.attrs)
    assert all(count == 1 for count in ids.values()), ids
    (nav,) = tree.root.iter("nav")
    links = {a.attrs["href"][1:]: a.all_text() for a in nav.iter("a")}
    assert list(links.values()) == [
        "Summary <b>",
        "Grades",
        "Small numbers",
        "What members wrote",
        HOSTILE[8],
    ]
    by_id = {element.attrs["id"]: element for element in tree.root.iter() if "id" in element.attrs}
    for target, words in links.items():
        assert by_id[target].all_text() == words


def test_every_table_has_a_caption_and_scoped_header_cells(tree: _Tree) -> None:
    tables = tree.root.iter("table")
    assert len(tables) == 2
    for table in tables:
        assert table.children[0].tag == "caption" and table.children[0].all_text()
        (thead,) = table.iter("thead")
        assert [th.attrs["scope"] for th in thead.iter("th")] == ["col"] * 3
        (tbody,) = table.iter("tbody")
        for row in tbody.iter("tr"):
            assert [(c.tag, c.attrs.get("scope")) for c in row.children] == [
                ("th", "row"),
                ("td", None),
                ("td", None),
            ]
    assert all("scope" in th.attrs for th in tree.root.iter("th"))


def test_flagged_cells_carry_a_mark_and_the_table_says_what_it_means(tree: _Tree) -> None:
    table = tree.root.iter("table")[0]
    flagged = [td for td in table.iter("td") if "flagged" in td.attrs.get("class", "")]
    assert [td.all_text() for td in flagged] == [
        f"3 {MARKS[CellFlag.SMALL]}",
        f"<5 {MARKS[CellFlag.SUPPRESSED]}",
        f"[c] {MARKS[CellFlag.SECONDARY]}",
    ]
    notes = [p.all_text() for p in tree.root.iter("p") if p.attrs.get("class") == "table-note"]
    for flag in CellFlag:
        assert f"{MARKS[flag]} {MEANINGS[flag]}" in notes[:4]
    chart_table = tree.root.iter("table")[1]
    assert not [td for td in chart_table.iter("td") if MARKS[CellFlag.SMALL] in td.all_text()]


def test_the_chart_is_inline_svg_with_its_text_alternative_then_its_table(tree: _Tree) -> None:
    (figure,) = tree.root.iter("figure")
    caption, svg = figure.children
    assert caption.tag == "figcaption" and caption.all_text() == "Grade by ethnicity <b>"
    assert svg.tag == "svg" and svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    by_id = {element.attrs["id"]: element for element in tree.root.iter() if "id" in element.attrs}
    assert by_id[title_id].text == "Grade by ethnicity <b>"
    assert by_id[desc_id].text == "Good: 12 White, 3 Black. AT&T <img src=x>."
    labels = [text.text for text in svg.iter("text")]
    assert "Good: 12" in labels and "Requires improvement: 9" in labels
    siblings = figure.parent.children  # type: ignore[union-attr]
    following = siblings[siblings.index(figure) + 1]
    assert following.iter("caption")[0].text == "Grade by ethnicity (the chart's numbers)"


def test_every_piece_of_the_documents_text_reads_back_as_typed(tree: _Tree) -> None:
    document = _document()
    runs = {run for element in tree.root.iter() if (run := element.text)}
    runs |= {meta.attrs["content"] for meta in tree.root.iter("meta") if "content" in meta.attrs}
    for expected in document.all_text():
        if expected:
            assert any(visible(expected) in run for run in runs), expected[:80]
    for hostile in HOSTILE:
        assert visible(hostile) == hostile
        assert hostile in runs
    assert LONG_NOTE in runs


def test_control_characters_are_shown_by_visible_stand_ins(page: str, tree: _Tree) -> None:
    assert "bell\u2407 null\u2400 escape\u241b delete\u2421 c1\ufffd end" in {
        p.text for p in tree.root.iter("p")
    }
    assert not any(char in page for char in "\x00\x07\x1b\x7f\x85")


def test_right_to_left_text_sits_in_direction_isolating_elements(tree: _Tree) -> None:
    urdu = HOSTILE[6]
    holders = [e for e in tree.root.iter() if e.text == urdu]
    assert {e.tag for e in holders} == {"p", "bdi"}
    for holder in holders:
        assert holder.tag == "bdi" or holder.attrs.get("dir") == "auto"
    (main,) = tree.root.iter("main")
    items = [li for section in main.iter("section") for li in section.iter("li")]
    assert items and all(li.attrs.get("dir") == "auto" for li in items)


def test_lines_are_kept_and_the_style_scales_with_the_readers_font_size(tree: _Tree) -> None:
    (style,) = tree.root.iter("style")
    assert "px" not in style.text and "rem" in style.text
    assert "white-space: pre-line" in style.text
    assert "@media print" in style.text
    assert "Two lines:\nthe second" in {p.text for p in tree.root.iter("p")}


def _render_elsewhere(zone: str, clock: str) -> tuple[int, bytes]:
    """The page rendered in a fresh process under a fake clock and another time zone,
    with the process's idea of now printed first (proof the fake clock was in force)."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("faketime is missing: install the Debian package faketime (Makefile TEST_APT)")
    script = (
        "import sys, time\n"
        "from tests.reports.test_html_report import _document\n"
        "from bwv_review.reports.html_report import render_html\n"
        "print(int(time.time()), flush=True)\n"
        "sys.stdout.buffer.write(render_html(_document()).encode('utf-8'))\n"
    )
    result = subprocess.run(
        [faketime, "-f", clock, sys.executable, "-c", script],
        check=True,
        capture_output=True,
        env={**os.environ, "TZ": zone, "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "random"},
        cwd=Path(__file__).resolve().parents[2],
    )
    first_line, _, page = result.stdout.partition(b"\n")
    return int(first_line), page


def test_the_same_document_gives_the_same_bytes_in_other_processes_zones_and_clocks(
    page: str,
) -> None:
    seen_1999, in_st_johns = _render_elsewhere("America/St_Johns", "@1999-03-04 05:06:07")
    seen_2041, in_kiritimati = _render_elsewhere("Pacific/Kiritimati", "@2041-12-31 23:59:58")

    assert abs(seen_1999 - 920_523_967) < 2 * 86_400
    assert abs(seen_2041 - 2_272_147_198) < 2 * 86_400
    assert render_html(_document()) == page
    assert in_st_johns == in_kiritimati == page.encode("utf-8")


def test_a_naive_date_is_taken_as_utc_and_a_long_report_renders_quickly() -> None:
    naive = replace(_document(), dated=datetime(2026, 11, 30, 17, 45, 12))
    many = replace(naive, sections=naive.sections * 40)

    started = time.perf_counter()
    page = render_html(many)

    assert time.perf_counter() - started < 5
    assert '<meta name="dcterms.date" content="2026-11-30T17:45:12Z">' in page
    _parse(page)
