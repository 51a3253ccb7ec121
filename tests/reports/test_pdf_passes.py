"""The measuring first pass and the paragraphs that keep their line breaks: the report
they lay out is the file platypus makes when every pass draws, in less time."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus import Paragraph as PdfParagraph

from bwv_review.reports import pdf_styles as styles
from bwv_review.reports.fonts import register_fonts
from bwv_review.reports.panel_report import render_pdf
from bwv_review.reports.pdf_passes import CachedParagraph, LayoutPasses, MeasuringFrame
from tests.reports.report_samples import full_document

TEXT = "The officer explained the grounds and the object of the search, " * 12


class _Drawn(Flowable):
    """A flowable that counts how often it is drawn."""

    def __init__(self, height_pt: float) -> None:
        super().__init__()
        self.height_pt = height_pt
        self.draws = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, self.height_pt

    def draw(self) -> None:
        self.draws += 1


@pytest.mark.parametrize("draft", [True, False])
def test_the_file_is_the_one_platypus_makes_when_every_pass_draws(
    draft: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = full_document(draft=draft)
    measured_first = render_pdf(document)
    monkeypatch.setattr(LayoutPasses, "first_pass_measures", False)
    assert render_pdf(document) == measured_first


def test_a_measuring_frame_places_flowables_as_a_drawing_frame_but_draws_none() -> None:
    canvas = Canvas(io.BytesIO())
    passes = LayoutPasses()
    measuring = MeasuringFrame(passes, 0, 0, 400, 300)
    drawing = Frame(0, 0, 400, 300)
    placed = []
    for height_pt in (100, 120, 90):
        flowables = (_Drawn(height_pt), _Drawn(height_pt))
        fitted = (measuring.add(flowables[0], canvas), drawing.add(flowables[1], canvas))
        placed.append((fitted, measuring._y, drawing._y, flowables[0].draws, flowables[1].draws))
    assert [row[0] for row in placed] == [(1, 1), (1, 1), (0, 0)]  # the third does not fit
    assert all(row[1] == row[2] for row in placed)
    assert [row[3:] for row in placed] == [(0, 1), (0, 1), (0, 0)]
    passes.measuring = False
    after = _Drawn(10)
    assert measuring.add(after, canvas) == 1 and after.draws == 1
    assert "drawOn" not in vars(after)  # the shadowing never outlives the call


@pytest.mark.parametrize("widths_pt", [(300, 300), (300, 180, 300), (180, 300, 120, 180)])
def test_a_cached_paragraph_breaks_lines_as_a_paragraph_does_at_every_width(
    widths_pt: tuple[float, ...],
) -> None:
    register_fonts()
    cached = CachedParagraph(TEXT, styles.BODY)
    for width_pt in widths_pt:
        fresh = PdfParagraph(TEXT, styles.BODY)
        assert cached.wrap(width_pt, 1000) == fresh.wrap(width_pt, 1000)
        assert cached.blPara.lines == fresh.blPara.lines
        halves = cached.split(width_pt, 100), fresh.split(width_pt, 100)
        assert [part.wrap(width_pt, 1000) for part in halves[0]] == [
            part.wrap(width_pt, 1000) for part in halves[1]
        ]


def test_a_cached_paragraph_breaks_its_lines_once_per_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_fonts()
    paragraph = CachedParagraph(TEXT, styles.BODY)
    breaks: list[object] = []
    real = CachedParagraph.breakLines

    def counted(self: CachedParagraph, widths: object) -> object:
        breaks.append(widths)
        return real(self, widths)

    monkeypatch.setattr(CachedParagraph, "breakLines", counted)
    for _ in range(3):
        paragraph.wrap(300, 1000)
    assert len(breaks) == 1
    paragraph.wrap(200, 1000)
    assert len(breaks) == 2
    assert paragraph.wrap(0, 1000) == (0, 0x7FFFFFFF)  # no room: platypus's own answer
