"""Charts drawn for real: rendered to PDF (read back with pypdf, rasterised by pdftoppm in
greyscale) and to SVG (parsed as XML), so what is checked is what a reader gets."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Rect

from bwv_review.reports.charts import (
    MAX_LABEL_LINES,
    SERIES_STYLES,
    ChartError,
    drawing_for,
    relative_luminance,
    svg_for,
)
from bwv_review.reports.document import BarChart, Series, Table

HOSTILE = "<b>AT&T &amp; <font name=x>"
HOSTILE_SERIES = "<img src=x onerror=alert(1)>"
GRADES = ("Good", "Requires improvement", "Inadequate")


def _chart(
    categories: tuple[str, ...] = ("White", "Black", HOSTILE),
    series: tuple[Series, ...] = (
        Series("Good", (12, 4, 3)),
        Series("Requires improvement", (5, 2.5, 1)),
        Series("Inadequate", (2, 1, 0)),
    ),
) -> BarChart:
    return BarChart(
        title="Panel grade by ethnicity",
        categories=categories,
        series=series,
        value_label="Number of cases reviewed",
        alt_text="White: 12 good; Black: 4 good.",
        table=Table("Panel grade by ethnicity", ("Group", *GRADES), ()),
    )


def _pdf_bytes(chart: BarChart) -> bytes:
    """The drawing as its own PDF, in reportlab's invariant mode as the reports use."""
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        return bytes(renderPDF.drawToString(drawing_for(chart, 451)))
    finally:
        rl_config.invariant = previous


def _svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _svg_texts(svg: str) -> list[str]:
    return [element.text or "" for element in _svg_tree(svg).iter("text")]


def test_every_bar_is_labelled_with_its_series_and_value_in_the_svg() -> None:
    texts = _svg_texts(svg_for(_chart(), 451))

    assert [t for t in texts if ":" not in t and t[0] != "N"] == ["White", "Black", HOSTILE]
    for label in ("Good: 12", "Requires improvement: 2.5", "Inadequate: 0", "Good: 3"):
        assert label in texts
    assert "Number of cases reviewed" in texts


def test_a_single_series_is_labelled_with_values_alone() -> None:
    chart = _chart(series=(Series("Searches", (1200, 340, 0)),))

    texts = _svg_texts(svg_for(chart, 451))

    assert {"1,200", "340", "0"} <= set(texts)
    assert not any("Searches:" in text for text in texts)


def test_the_svg_is_inline_ready_titled_and_self_contained() -> None:
    svg = svg_for(_chart(), 451, id_prefix="chart-3")

    root = _svg_tree(svg)
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert "http" not in svg and "href" not in svg
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-3-title chart-3-desc"
    assert root.find("title").get("id") == "chart-3-title"  # type: ignore[union-attr]
    assert root.find("title").text == "Panel grade by ethnicity"  # type: ignore[union-attr]
    assert root.find("desc").text == "White: 12 good; Black: 4 good."  # type: ignore[union-attr]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert ids == ["chart-3-title", "chart-3-desc"]


def test_hostile_text_is_escaped_and_reads_back_as_typed() -> None:
    chart = _chart(series=(Series(HOSTILE_SERIES, (1, 2, 3)), Series("Good", (3, 2, 1))))

    svg = svg_for(chart, 451)

    assert "<img" not in svg and "<b>" not in svg and "<font" not in svg
    assert HOSTILE in _svg_texts(svg)
    assert f"{HOSTILE_SERIES}: 3" in _svg_texts(svg)


def test_control_characters_are_shown_not_hidden() -> None:
    chart = _chart(categories=("Bell\x07here", "NUL\x00", "C1\x85"))

    texts = _svg_texts(svg_for(chart, 451))

    assert {"Bell\u2407here", "NUL\u2400", "C1\ufffd"} <= set(texts)


def test_the_drawing_renders_to_pdf_with_its_labels_as_text() -> None:
    text = PdfReader(io.BytesIO(_pdf_bytes(_chart()))).pages[0].extract_text()

    for label in ("White", "Good: 12", "Requires improvement: 2.5", HOSTILE):
        assert label in text


def test_the_pdf_rasterises_and_series_differ_in_greyscale(tmp_path: Path) -> None:
    chart = _chart(categories=("A", "B"), series=tuple(Series(g, (10, 10)) for g in GRADES))
    drawing = drawing_for(chart, 451)
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(_pdf_bytes(chart))
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "72", "-singlefile", str(pdf), str(tmp_path / "g")],
        check=True,
        capture_output=True,
    )
    width, height, pixels = _read_pgm(tmp_path / "g.pgm")
    assert (width, height) == (451, round(drawing.height))
    bars = [item for item in drawing.contents if isinstance(item, Rect)]
    assert len(bars) == 6
    # Mean grey inside each bar of the first category (hatching included), as printed.
    greys = [_mean_grey(pixels, width, height, bar) for bar in bars[:3]]
    for first, second in itertools.combinations(greys, 2):
        assert abs(first - second) > 40, greys


def test_the_first_series_differ_in_lightness_and_every_series_in_pattern() -> None:
    luminances = [relative_luminance(style.fill_hex) for style in SERIES_STYLES[:3]]
    for first, second in itertools.combinations(luminances, 2):
        assert abs(first - second) >= 0.25, luminances
    hatches = [style.hatch for style in SERIES_STYLES]
    assert len(set(hatches)) == len(hatches)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == 0.0


def test_the_same_chart_gives_the_same_bytes_here_and_in_another_process() -> None:
    script = (
        "import sys\n"
        "from tests.reports.test_charts import _chart, _pdf_bytes\n"
        "from bwv_review.reports.charts import svg_for\n"
        "sys.stdout.buffer.write(svg_for(_chart(), 451).encode() + b'\\0' + _pdf_bytes(_chart()))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        env={**os.environ, "TZ": "Pacific/Kiritimati"},
        cwd=Path(__file__).resolve().parents[2],
    ).stdout

    here = svg_for(_chart(), 451).encode() + b"\0" + _pdf_bytes(_chart())
    assert here == svg_for(_chart(), 451).encode() + b"\0" + _pdf_bytes(_chart())
    assert other == here


def test_a_20000_character_label_is_cut_short_quickly_and_the_chart_fits_a_page() -> None:
    long_word = "ŵ" * 20_000
    chart = _chart(categories=(long_word, "Black", "Asian"))

    started = time.perf_counter()
    svg = svg_for(chart, 451)
    drawing = drawing_for(chart, 451)

    assert time.perf_counter() - started < 5
    shown = [t for t in _svg_texts(svg) if set(t) <= {"ŵ", "…"}]
    assert len(shown) == MAX_LABEL_LINES
    assert shown[-1].endswith("…")
    assert long_word.startswith("".join(shown)[:-1])
    assert drawing.height < 300


def test_long_category_names_wrap_at_spaces() -> None:
    name = "Other ethnic group with a rather long name that wraps onto another line"
    texts = _svg_texts(svg_for(_chart(categories=(name, "B", "C")), 300))

    wrapped = [t for t in texts if t and t in name]
    assert len(wrapped) > 1
    assert " ".join(wrapped) == name


@pytest.mark.parametrize(
    ("series", "problem"),
    [
        ((Series("Good", (1, 2)),), "has 2 values for 3 categories"),
        ((Series("Good", (1, -2, 3)),), "has the value -2"),
        ((Series("Good", (1, float("nan"), 3)),), "has the value nan"),
        ((), "has no series"),
        (tuple(Series(f"S{n}", (1, 1, 1)) for n in range(8)), "at most 7"),
    ],
)
def test_a_chart_that_cannot_be_drawn_honestly_is_refused_by_name(
    series: tuple[Series, ...], problem: str
) -> None:
    with pytest.raises(ChartError, match="Panel grade by ethnicity") as raised:
        drawing_for(_chart(series=series), 451)
    assert problem in str(raised.value)


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert (magic, maxval) == (b"P5", b"255")
    return int(width), int(height), pixels


def _mean_grey(pixels: bytes, width: int, height: int, bar: Rect) -> float:
    # Inset by 2 pt so the outline is left out; PDF y runs up, image rows run down.
    left, right = round(bar.x) + 2, round(bar.x + bar.width) - 2
    top, bottom = height - round(bar.y + bar.height) + 2, height - round(bar.y) - 2
    values = [
        pixels[row * width + column] for row in range(top, bottom) for column in range(left, right)
    ]
    return sum(values) / len(values)
