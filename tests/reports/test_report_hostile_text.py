"""Hostile text typed into every free-text field that reaches the report, through the
services as a person types it, then the whole report built in both variants and both
formats and read back as a reader's tools read it: pypdf for the PDF's text, html.parser
for the HTML's, poppler's pdftoppm for every page, and the bundled fonts' coverage.

The fields: the panel's name, the session's and the draw's names, the chair's vignettes
(as saved at the meeting and as amended after finalising), the questions to the force and
its answers, the tracker's recommendation, theme, owner and force response, and the three
narrative sections. Learning-point tags are ids from the rubric, not free text, and
training descriptions go to the learning export, not the report. Services refuse control
characters (docs/text.md), which is checked here too; a row stored before that rule is
written directly, to show the renderers still print it visibly.

One SQLite workspace: this is about what the renderers print, not about storage, which
tests/services/test_text_fields.py checks on both backends.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from bwv_review.reports.document import ReportDocument, Variant
from bwv_review.reports.fonts import is_covered
from bwv_review.reports.text_shaping import REPLACEMENT, clean_text
from bwv_review.reports.visible_text import visible
from bwv_review.services.amendments import OutcomeField
from bwv_review.services.consensus import OutcomeDraft
from bwv_review.services.errors import BadInput
from bwv_review.services.report_issuing import ReportFormat
from bwv_review.services.report_narrative import NarrativeSection
from bwv_review.services.report_scope import ReportScope
from bwv_review.services.tracker import TrackerEntry
from bwv_review.services.workspace import Workspace
from bwv_review.store.models import LearningTrackerItem
from tests.reports.report_samples import (
    COMBINING,
    CONTROLS,
    EMOJI,
    MARKUP,
    POLISH,
    SOMALI,
    URDU,
    URDU_IN_ENGLISH,
    WELSH,
)
from tests.services.report_fixtures import OUTCOMES, ReportPanel, build_report_panel
from tests.services.review_fixtures import PURPOSE

ARABIC = "قال الضابط إن سبب التفتيش كان واضحاً."
TYPED = (
    *MARKUP,
    WELSH,
    POLISH,
    SOMALI,
    URDU,
    URDU_IN_ENGLISH,
    ARABIC,
    COMBINING,
    EMOJI,
    "a tab\tinside, then a line\nbreak",
)
NOTE = "\n".join(TYPED)


def _long_note(chars: int = 20_000) -> str:
    """A 20,000-character note, every sentence numbered (so each can be found) and holding
    markup, Welsh, Polish, Somali, Urdu, combining marks and an emoji."""
    sentences: list[str] = []
    number = 0
    while sum(len(s) + 1 for s in sentences) < chars:
        number += 1
        sentences.append(
            f"Sentence {number}: <b>AT&T &amp; ŵŷ ąćęłńóśźż Sarkaalku پولیس نے e\u0301 🚓."
        )
    return " ".join(sentences)[:chars]


LONG_NOTE = _long_note()
# Names are one line of at most 200 characters (domain/text_fields.py).
PANEL_NAME = "Panel <b>AT&T &amp; <font name=x> Ŵyr ąćęł پینل Gudiga 😀 e\u0301"
SESSION_NAME = "Session <i>unclosed & <img src=x onerror=alert(1)> ŷd źż اجلاس"
DRAW_NAME = "Draw <b>&amp; ]]> Łódź ŵ سحب 👍🏽"
THEME = "Theme <u>unclosed AT&T ŷ ń موضوع"
OWNER = "Owner <font name=x>R&D ŵ ó مالک 🚓"
INTRODUCTION = f"Introduction.\n{NOTE}\n{LONG_NOTE}"
RECOMMENDATIONS = f"Recommendations.\n{NOTE}"
SAMPLING_FOCUS = f"{URDU}\n{ARABIC}\nNext quarter: Taser & <b>strip searches</b>."
# A row stored before services refused control characters (or by an older import).
STORED_CONTROLS = f"Older row: {CONTROLS}"


@dataclass(frozen=True)
class HostilePanel:
    workspace: Workspace
    panel: ReportPanel
    documents: dict[Variant, ReportDocument]
    files: dict[tuple[Variant, ReportFormat], bytes]


def _vignette(number: int) -> str:
    return LONG_NOTE if number == 0 else f"Vignette {number}.\n{NOTE}"


def _type_everything(ws: Workspace, panel: ReportPanel) -> None:
    """What the chair types at the meeting and after it, through the services."""
    chair, sid = panel.chair, panel.session_id
    detail = ws.review_sessions.detail(chair, sid)
    ids = {c.force_reference: c.case_id for c in detail.cases}
    graded = [r for r in panel.references if r != panel.added_by_hand]
    for number, reference in enumerate(graded):
        current = ws.consensus.outcome(chair, sid, ids[reference])
        assert current is not None
        draft = OutcomeDraft(
            current.consensus_grade,
            tuple(current.actions),  # type: ignore[arg-type]
            _vignette(number),
            f"Question {number}.\n{NOTE}" if reference in OUTCOMES else "",
        )
        ws.consensus.save_outcome(
            chair, sid, ids[reference], draft, expected_version=current.version, purpose=PURPOSE
        )
    ws.review_sessions.finalise(chair, sid, purpose=PURPOSE)
    for number, reference in enumerate(r for r in graded if r in OUTCOMES):
        current = ws.consensus.outcome(chair, sid, ids[reference])
        assert current is not None
        response = LONG_NOTE if number == 0 else f"Force response {number}.\n{NOTE}"
        ws.consensus.record_force_response(
            chair, sid, ids[reference], response, expected_version=current.version, purpose=PURPOSE
        )
    ws.amendments.amend_outcome(
        chair,
        sid,
        ids[graded[-1]],
        OutcomeField.VIGNETTE,
        f"Amended vignette.\n{NOTE}",
        reason="the chair rewrote it <b> & ŵ",
        purpose=PURPOSE,
    )
    scope = ReportScope.of_sessions(SESSION_NAME)
    for section, text in (
        (NarrativeSection.INTRODUCTION, INTRODUCTION),
        (NarrativeSection.RECOMMENDATIONS, RECOMMENDATIONS),
        (NarrativeSection.SAMPLING_FOCUS, SAMPLING_FOCUS),
    ):
        ws.report_narrative.save(
            chair, scope, section, text, expected_version=None, purpose=PURPOSE
        )
    raised = date(2026, 10, 1)
    ws.tracker.add(
        chair,
        TrackerEntry(f"Recommendation.\n{NOTE}", THEME, OWNER, force_response=LONG_NOTE),
        raised_in_session_id=sid,
        raised_on=raised,
        purpose=PURPOSE,
    )
    older = ws.tracker.add(
        chair,
        TrackerEntry("Recommendation typed before the rule", "Older theme", "Older owner"),
        raised_in_session_id=sid,
        raised_on=raised,
        purpose=PURPOSE,
    )
    with ws.db.transaction() as session:
        session.execute(
            update(LearningTrackerItem)
            .where(LearningTrackerItem.id == older.id)
            .values(recommendation=STORED_CONTROLS)
        )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostilePanel]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'workspace.sqlite3'}"
    ws = Workspace.create(url)
    try:
        ws.panel.set_up(panel_name=PANEL_NAME, force=None, purpose=PURPOSE)
        panel = build_report_panel(
            ws, finalise=False, session_name=SESSION_NAME, draw_name=DRAW_NAME
        )
        _type_everything(ws, panel)
        scope = ReportScope.of_sessions(SESSION_NAME)
        documents: dict[Variant, ReportDocument] = {}
        files: dict[tuple[Variant, ReportFormat], bytes] = {}
        for variant in Variant:
            for file_format in ReportFormat:
                document, data = ws.report_issuing.preview(
                    panel.chair, scope, variant, file_format, purpose=PURPOSE
                )
                documents[variant] = document
                files[(variant, file_format)] = data
        yield HostilePanel(ws, panel, documents, files)
    finally:
        ws.close()


CASES = [(v, f) for v in Variant for f in ReportFormat]
IDS = [f"{v.value}-{f.value}" for v, f in CASES]


def _comparable(text: str) -> str:
    """Logical text as extraction can give it back: control characters as their visible
    stand-ins, composed and compatibility forms folded (Arabic presentation forms), and no
    whitespace or invisible marks (line breaks fall anywhere)."""
    text = unicodedata.normalize("NFKC", clean_text(text))
    return "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn")
    )


def _pieces(text: str) -> list[str]:
    """What must read back unbroken: each line, and a long line sentence by sentence (a
    page break, with its running header and a table's repeated header, falls between)."""
    found: list[str] = []
    for line in text.split("\n"):
        parts = re.split(r"(?<=\.) ", line) if len(line) > 300 else [line]
        found.extend(p for p in parts if _comparable(p))
    return found


_FURNITURE = re.compile(r"DRAFT.*|OFFICIAL.*|.*2026.*|Page \d+ of \d+")


def _pdf_text(data: bytes) -> str:
    """Every page's text without the running header and footer lines."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = (page.extract_text() or "").split("\n")
        while lines and _FURNITURE.fullmatch(lines[0].strip()):
            lines.pop(0)
        while lines and _FURNITURE.fullmatch(lines[-1].strip()):
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


@cache
def _letters(word: str) -> str:
    return "".join(c for c in _comparable(word) if not unicodedata.category(c).startswith("P"))


def _reads_in_pdf(piece: str, extracted: str) -> bool:
    """A line with right-to-left text is drawn in visual order (text_shaping reorders each
    wrapped line with python-bidi), so its punctuation moves to the other end of the run it
    closes and extraction may give a run reversed: such a line reads as typed when every
    word, without its punctuation, is there in either order."""
    if _comparable(piece) in extracted:
        return True
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in piece):
        return False
    letters = _letters(extracted)
    words = [_letters(w) for w in piece.split() if _letters(w)]
    return all(w in letters or w[::-1] in letters for w in words)


class _HtmlText(HTMLParser):
    """The page's text and its metadata (the document's author and subject are there)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.runs.extend(value or "" for name, value in attrs if name == "content")

    def handle_data(self, data: str) -> None:
        self.runs.append(data)


def _html_text(data: bytes) -> str:
    parser = _HtmlText()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return " ".join(" ".join(parser.runs).split())


def _typed_texts() -> list[str]:
    return [
        PANEL_NAME,
        SESSION_NAME,
        DRAW_NAME,
        THEME,
        OWNER,
        LONG_NOTE,
        *TYPED,
        INTRODUCTION,
        RECOMMENDATIONS,
        SAMPLING_FOCUS,
        STORED_CONTROLS,
    ]


def test_the_hostile_text_reaches_both_variants_as_typed(hostile: HostilePanel) -> None:
    for variant, document in hostile.documents.items():
        text = "\n".join(document.all_text())
        for typed in _typed_texts():
            for line in typed.split("\n"):
                assert line in text, (variant, line[:60])


@pytest.mark.parametrize(("variant", "file_format"), CASES, ids=IDS)
def test_every_piece_of_the_reports_text_reads_back(
    hostile: HostilePanel, variant: Variant, file_format: ReportFormat
) -> None:
    document, data = hostile.documents[variant], hostile.files[(variant, file_format)]
    if file_format is ReportFormat.PDF:
        extracted = _comparable(_pdf_text(data))
        missing = [
            piece[:80]
            for text in document.all_text()
            for piece in _pieces(text)
            if not _reads_in_pdf(piece, extracted)
        ]
    else:
        page = _html_text(data)
        missing = [
            text[:80] for text in document.all_text() if " ".join(visible(text).split()) not in page
        ]
    assert missing == []


@pytest.mark.parametrize("variant", list(Variant))
def test_markup_prints_and_is_never_obeyed(hostile: HostilePanel, variant: Variant) -> None:
    pdf = "".join(
        page.extract_text() or ""
        for page in PdfReader(io.BytesIO(hostile.files[(variant, ReportFormat.PDF)])).pages
    )
    html = hostile.files[(variant, ReportFormat.HTML)].decode("utf-8")
    for typed in ("<b>bold never closed", "AT&T and R&D < 5 > 3", "&amp; is typed"):
        assert typed in pdf
    assert "<img src=x" not in html and "<b>" not in html.split("<main", 1)[1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp; is typed" in html
    assert "<script" not in html and "onerror=" not in html.replace("onerror=alert(1)&gt;", "")


@pytest.mark.parametrize("variant", list(Variant))
def test_control_characters_in_an_older_row_are_shown_not_hidden(
    hostile: HostilePanel, variant: Variant
) -> None:
    shown = "bell\u2407 null\u2400 escape\u241b delete\u2421 c1\ufffd end"
    html = hostile.files[(variant, ReportFormat.HTML)].decode("utf-8")
    assert shown in html
    assert not any(char in html for char in "\x00\x07\x1b\x7f\x85")
    pdf = _pdf_text(hostile.files[(variant, ReportFormat.PDF)])
    assert _comparable(shown) in _comparable(pdf)


def test_every_character_is_drawn_by_a_bundled_font(hostile: HostilePanel) -> None:
    for document in hostile.documents.values():
        for text in document.all_text():
            cleaned = clean_text(text)
            uncovered = {f"U+{ord(c):04X}" for c in cleaned if c != "\n" and not is_covered(c)}
            assert uncovered == set(), text[:60]
            if "\x85" not in text:  # a C1 control has no picture: U+FFFD is its stand-in
                assert REPLACEMENT not in cleaned, text[:60]


@pytest.mark.parametrize("variant", list(Variant))
def test_poppler_renders_every_page(
    hostile: HostilePanel, variant: Variant, tmp_path: Path
) -> None:
    data = hostile.files[(variant, ReportFormat.PDF)]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert len(list(tmp_path.glob("page-*.png"))) == pages > 10


@pytest.mark.parametrize(
    "save",
    [
        lambda ws, p: ws.consensus.record_force_response(
            p.chair, p.session_id, 1, "bell\x07", expected_version=1, purpose=PURPOSE
        ),
        lambda ws, p: ws.report_narrative.save(
            p.chair,
            ReportScope.of_sessions(SESSION_NAME),
            NarrativeSection.INTRODUCTION,
            "escape\x1b",
            expected_version=1,
            purpose=PURPOSE,
        ),
        lambda ws, p: ws.tracker.add(
            p.chair,
            TrackerEntry("null\x00", "theme", "owner"),
            raised_in_session_id=p.session_id,
            raised_on=date(2026, 10, 2),
            purpose=PURPOSE,
        ),
    ],
    ids=["force response", "narrative", "tracker"],
)
def test_services_refuse_control_characters_saying_where(
    hostile: HostilePanel, save: Callable[[Workspace, ReportPanel], object]
) -> None:
    with pytest.raises(BadInput, match=r"contains .*(control|NUL) .*at position \d+"):
        save(hostile.workspace, hostile.panel)
