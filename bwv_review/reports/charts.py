"""Bar charts for both report formats, drawn once with reportlab graphics.

The PDF places the `Drawing` itself; the HTML twin gets the same drawing as inline SVG,
so the two formats cannot show different charts. Readers may be colour-blind or print
in greyscale, so colour never carries meaning alone: the palette is Okabe-Ito, series
after the first are hatched, each series' fill differs in lightness from the next, and
every bar carries its value (and, with several series, its series name) as text beside
it. There is no legend to match colours against. The chart's title is not drawn: each
renderer prints `chart.title` as the figure's caption, in the text flow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.dom.minidom import Element  # nosec B408: builds the SVG chart, never parses XML

from reportlab.graphics.renderSVG import SVGCanvas
from reportlab.graphics.renderSVG import draw as draw_svg
from reportlab.graphics.shapes import Drawing, Line, Path, Rect, String
from reportlab.lib.colors import HexColor, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from bwv_review.reports.document import BarChart
from bwv_review.reports.visible_text import visible


@dataclass(frozen=True)
class SeriesStyle:
    """How one series looks: `hatch` is "" (solid) or a pattern from `_HATCH_LINES`."""

    fill_hex: str
    hatch: str


# Okabe-Ito, ordered so neighbouring series differ most in lightness (blue, orange,
# yellow first: relative luminance 0.15, 0.42, 0.74); the rest are told apart by hatch.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072B2", ""),
    SeriesStyle("#E69F00", "/"),
    SeriesStyle("#F0E442", "\\"),
    SeriesStyle("#D55E00", "x"),
    SeriesStyle("#56B4E9", "-"),
    SeriesStyle("#009E73", "|"),
    SeriesStyle("#CC79A7", "+"),
)

FONT_SIZE_PT = 9.0
MAX_LABEL_LINES = 4
_LINE_PT = 11.0
_BAR_PT = 13.0
_BAR_GAP_PT = 2.0
_GROUP_GAP_PT = 8.0
_PAD_PT = 4.0
_LABEL_GAP_PT = 6.0
_HATCH_STEP_PT = 4.0
# Fonts with Helvetica's widths, so a browser lines labels up as reportlab measured them.
_METRIC_TWINS = "Arial, 'Liberation Sans', 'Nimbus Sans'"
_OUTLINE = HexColor("#333333")
_GUIDE = HexColor("#767676")


class ChartError(ValueError):
    """A chart that cannot be drawn honestly; the message names the chart."""


def relative_luminance(fill_hex: str) -> float:
    """WCAG relative luminance (0 black .. 1 white): how light a fill prints in greyscale."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    colour = HexColor(fill_hex)
    return (
        0.2126 * linear(colour.red) + 0.7152 * linear(colour.green) + 0.0722 * linear(colour.blue)
    )


def format_value(value: float) -> str:
    """Whole numbers with thousands separators, others to one decimal place."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def drawing_for(
    chart: BarChart,
    width_pt: float,
    *,
    font_name: str = "Helvetica",
) -> Drawing:
    """A horizontal (grouped when there are several series) bar chart `width_pt` wide; its
    height follows from the number of bars. `font_name` must be registered with reportlab
    (the PDF passes its bundled font so every label's glyphs are covered)."""
    _check(chart)
    layout = _Layout.of(chart, width_pt, font_name)
    drawing = Drawing(width_pt, layout.height_pt)
    top = layout.height_pt - _PAD_PT
    for index in range(len(chart.categories)):
        _draw_category(drawing, layout, layout.category_lines[index], top)
        for s_index, series in enumerate(chart.series):
            bar_top = top - s_index * (_BAR_PT + _BAR_GAP_PT)
            label = layout.bar_labels[s_index][index]
            _draw_bar(drawing, layout, s_index, series.values[index], label, bar_top)
        top -= layout.group_height_pt(index) + _GROUP_GAP_PT
    plot_bottom = top + _GROUP_GAP_PT
    drawing.add(
        Line(
            layout.bars_x_pt,
            plot_bottom,
            layout.bars_x_pt,
            layout.height_pt - _PAD_PT,
            strokeColor=_GUIDE,
            strokeWidth=0.75,
        )
    )
    for number, line in enumerate(layout.value_label_lines):
        drawing.add(
            String(
                layout.bars_x_pt,
                plot_bottom - _PAD_PT - FONT_SIZE_PT - number * _LINE_PT,
                line,
                fontName=font_name,
                fontSize=FONT_SIZE_PT,
                fillColor=black,
            )
        )
    return drawing


def svg_for(
    chart: BarChart, width_pt: float, *, id_prefix: str = "chart", font_name: str = "Helvetica"
) -> str:
    """The chart as an `<svg>` element to place inline in HTML: no XML declaration or
    doctype, no namespace or other URLs (the HTML parser supplies the SVG namespace),
    ids prefixed with `id_prefix` so several charts can share a page, and a `<title>` and
    `<desc>` (the chart's title and alt text) that screen readers announce."""
    drawing = drawing_for(chart, width_pt, font_name=font_name)
    family = f"{font_name}, {_METRIC_TWINS}" if font_name == "Helvetica" else font_name
    canvas = SVGCanvas(
        (drawing.width, drawing.height),
        useClip=True,
        fontHacks={font_name: {"family": f"{family}, sans-serif"}},
    )
    draw_svg(drawing, canvas)  # type: ignore[arg-type]  # the stub allows only pdfgen canvases
    svg: Element = canvas.svg
    for attribute in ("xmlns", "xmlns:xlink", "version"):
        if svg.hasAttribute(attribute):
            svg.removeAttribute(attribute)
    for group in svg.getElementsByTagName("g"):
        if group.hasAttribute("clip"):
            group.removeAttribute("clip")
        if group.getAttribute("id") == "group":
            group.removeAttribute("id")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg.setAttribute("role", "img")
    svg.setAttribute("aria-labelledby", f"{title_id} {desc_id}")
    _set_text(svg, "title", title_id, chart.title)
    _set_text(svg, "desc", desc_id, chart.alt_text)
    return str(svg.toxml())


def _set_text(svg: Element, tag: str, element_id: str, text: str) -> None:
    element = svg.getElementsByTagName(tag)[0]
    element.setAttribute("id", element_id)
    element.firstChild.data = visible(text)  # type: ignore[union-attr]


def _check(chart: BarChart) -> None:
    where = f"chart {chart.title!r}"
    if not chart.series:
        raise ChartError(f"{where} has no series")
    if len(chart.series) > len(SERIES_STYLES):
        raise ChartError(
            f"{where} has {len(chart.series)} series; at most {len(SERIES_STYLES)} can be "
            "told apart without colour"
        )
    for series in chart.series:
        if len(series.values) != len(chart.categories):
            raise ChartError(
                f"{where}: series {series.name!r} has {len(series.values)} values for "
                f"{len(chart.categories)} categories"
            )
        for value in series.values:
            if not math.isfinite(value) or value < 0:
                raise ChartError(f"{where}: series {series.name!r} has the value {value}")


def _bar_label(chart: BarChart, series_name: str, value: float) -> str:
    if len(chart.series) == 1:
        return format_value(value)
    return visible(f"{series_name}: {format_value(value)}")


@dataclass(frozen=True)
class _Layout:
    """Where things go, in points: category labels, then bars, then each bar's label."""

    width_pt: float
    height_pt: float
    font_name: str
    series_count: int
    bars_x_pt: float
    pt_per_unit: float
    category_lines: tuple[tuple[str, ...], ...]
    value_label_lines: tuple[str, ...]
    bar_labels: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, chart: BarChart, width_pt: float, font_name: str) -> _Layout:
        def width(text: str) -> float:
            return stringWidth(text, font_name, FONT_SIZE_PT)

        labels = tuple(tuple(_bar_label(chart, s.name, v) for v in s.values) for s in chart.series)
        names = [visible(category) for category in chart.categories]
        category_width = min(max((width(n) for n in names), default=0.0), 0.35 * width_pt)
        category_lines = tuple(_label_lines(n, category_width, width) for n in names)
        bars_x = _PAD_PT + category_width + _LABEL_GAP_PT
        room = width_pt - bars_x - _PAD_PT
        # The scale at which the longest bar *with its label* just fits, not the longest
        # bar plus the widest label: a long label on a short bar costs no bar length.
        pt_per_unit = min(
            (
                max(room - _PAD_PT / 2 - width(label), 0.35 * room) / value
                for series, row in zip(chart.series, labels, strict=True)
                for value, label in zip(series.values, row, strict=True)
                if value > 0
            ),
            default=0.0,
        )
        value_lines = _label_lines(visible(chart.value_label), width_pt - bars_x - _PAD_PT, width)
        series_pt = len(chart.series) * (_BAR_PT + _BAR_GAP_PT) - _BAR_GAP_PT
        groups_pt = sum(
            max(series_pt, len(lines) * _LINE_PT) for lines in category_lines
        ) + _GROUP_GAP_PT * max(len(chart.categories) - 1, 0)
        height = _PAD_PT + groups_pt + _PAD_PT + len(value_lines) * _LINE_PT + _PAD_PT
        return cls(
            width_pt=width_pt,
            height_pt=height,
            font_name=font_name,
            series_count=len(chart.series),
            bars_x_pt=bars_x,
            pt_per_unit=pt_per_unit,
            category_lines=category_lines,
            value_label_lines=value_lines,
            bar_labels=labels,
        )

    def group_height_pt(self, index: int) -> float:
        series_pt = self.series_count * (_BAR_PT + _BAR_GAP_PT) - _BAR_GAP_PT
        return max(series_pt, len(self.category_lines[index]) * _LINE_PT)


def _draw_category(drawing: Drawing, layout: _Layout, lines: tuple[str, ...], top: float) -> None:
    for number, line in enumerate(lines):
        drawing.add(
            String(
                layout.bars_x_pt - _LABEL_GAP_PT,
                top - FONT_SIZE_PT - number * _LINE_PT,
                line,
                fontName=layout.font_name,
                fontSize=FONT_SIZE_PT,
                fillColor=black,
                textAnchor="end",
            )
        )


def _draw_bar(
    drawing: Drawing, layout: _Layout, s_index: int, value: float, label: str, top: float
) -> None:
    style = SERIES_STYLES[s_index]
    length = layout.pt_per_unit * value
    x, y = layout.bars_x_pt, top - _BAR_PT
    if length > 0:
        bar = Rect(x, y, length, _BAR_PT)  # styled after: types-reportlab mistypes Rect's **kw
        bar.fillColor, bar.strokeColor, bar.strokeWidth = HexColor(style.fill_hex), _OUTLINE, 0.5
        drawing.add(bar)
        ink = white if relative_luminance(style.fill_hex) < 0.3 else black
        # One path a bar, not a Line a stroke: a node costs as much to draw as a whole
        # path, and a report's two charts held some 1,500 of them, drawn on each pass.
        hatching = Path(strokeColor=ink, strokeWidth=0.6, fillColor=None)
        for x1, y1, x2, y2 in _hatch_segments(style.hatch, x, y, x + length, top):
            hatching.moveTo(x1, y1)
            hatching.lineTo(x2, y2)
        if hatching.points:
            drawing.add(hatching)
    drawing.add(
        String(
            x + length + _PAD_PT / 2,
            y + (_BAR_PT - FONT_SIZE_PT) / 2 + 1.5,
            label,
            fontName=layout.font_name,
            fontSize=FONT_SIZE_PT,
            fillColor=black,
        )
    )


# Line directions for each hatch pattern: (dx, dy) of the lines drawn across the bar.
_HATCH_LINES: dict[str, tuple[tuple[int, int], ...]] = {
    "": (),
    "/": ((1, 1),),
    "\\": ((1, -1),),
    "x": ((1, 1), (1, -1)),
    "-": ((1, 0),),
    "|": ((0, 1),),
    "+": ((1, 0), (0, 1)),
}


def _hatch_segments(
    hatch: str, x0: float, y0: float, x1: float, y1: float
) -> Iterator[tuple[float, float, float, float]]:
    """Line segments of `hatch` inside the rectangle, anchored to the page origin so
    neighbouring bars' hatching lines up."""
    step = _HATCH_STEP_PT
    for dx, dy in _HATCH_LINES[hatch]:
        if dy == 0:
            for k in range(math.ceil(y0 / step), math.floor(y1 / step) + 1):
                yield x0, k * step, x1, k * step
        elif dx == 0:
            for k in range(math.ceil(x0 / step), math.floor(x1 / step) + 1):
                yield k * step, y0, k * step, y1
        elif dy > 0:  # x - y = c
            diagonal = step * math.sqrt(2)
            for k in range(math.ceil((x0 - y1) / diagonal), math.floor((x1 - y0) / diagonal) + 1):
                c = k * diagonal
                start, end = max(x0, y0 + c), min(x1, y1 + c)
                if end > start:
                    yield start, start - c, end, end - c
        else:  # x + y = c
            diagonal = step * math.sqrt(2)
            for k in range(math.ceil((x0 + y0) / diagonal), math.floor((x1 + y1) / diagonal) + 1):
                c = k * diagonal
                start, end = max(x0, c - y1), min(x1, c - y0)
                if end > start:
                    yield start, c - start, end, c - end


def _label_lines(text: str, width_pt: float, width: Callable[[str], float]) -> tuple[str, ...]:
    """A label wrapped to at most `MAX_LABEL_LINES`, the last ending in "…" when more was
    left: a drawing taller than a page cannot be placed, and the label is in full in the
    chart's table and its text alternative."""
    lines = _wrap(text, width_pt, width)
    if len(lines) <= MAX_LABEL_LINES:
        return tuple(lines)
    last = lines[MAX_LABEL_LINES - 1]
    while last and width(f"{last}…") > width_pt:
        last = last[:-1]
    return (*lines[: MAX_LABEL_LINES - 1], f"{last}…")


def _wrap(text: str, width_pt: float, width: Callable[[str], float]) -> list[str]:
    """`text` in lines no wider than `width_pt`, broken at spaces, and inside a word only
    when the word alone is too wide; never truncated, so every label reads in full."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if width(candidate) <= width_pt or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
            if width(line) > width_pt:
                *full, line = _pieces(line, width_pt, width)
                lines.extend(full)
        lines.append(line)
    return lines


def _pieces(word: str, width_pt: float, width: Callable[[str], float]) -> list[str]:
    """`word` cut into pieces no wider than `width_pt` (at least a character each), in one
    pass a character at a time, so a 20,000-character word costs no more than its length."""
    pieces = [""]
    used = 0.0
    for char in word:
        char_pt = width(char)
        if used + char_pt > width_pt and pieces[-1]:
            pieces.append("")
            used = 0.0
        pieces[-1] += char
        used += char_pt
    return pieces
