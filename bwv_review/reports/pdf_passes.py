"""Laying the report out once to count, then once to draw.

The contents page and "Page N of M" need the page of every heading and the number of
pages, which platypus learns only by laying the whole report out (multiBuild's passes).
The first pass only has to count: where each flowable lands does not depend on it being
drawn, so `MeasuringFrame` places flowables without drawing them while the pass is a
measuring one, and the pass that follows draws the pages it measured. The file comes from
that later pass alone, so it is the same, byte for byte, as when every pass drew.
Paragraphs keep their line breaks per width between passes (`CachedParagraph`), since
breaking lines is most of the layout's work and gives the same lines for the same width.
"""

from __future__ import annotations

from typing import Any, Literal

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.rl_config import _FUZZ


class LayoutPasses:
    """Whether the pass under way only measures (the first) or draws (every later one).
    `first_pass_measures` is what saves the time; with it off every pass draws, as
    platypus does by itself, which a test uses to show the file is the same either way."""

    first_pass_measures = True

    def __init__(self) -> None:
        self.measuring = self.first_pass_measures


def _skip_drawing(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for a flowable's drawOn during a measuring pass."""


class MeasuringFrame(Frame):
    """A frame that, while `passes.measuring`, places each flowable (wrap, split, space
    before and after, the template's afterFlowable for bookmarks and contents entries)
    without drawing it. The flowable's own drawOn is shadowed for that one call only, so
    nothing global changes and two reports may be laid out at once."""

    def __init__(self, passes: LayoutPasses, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._passes = passes

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> Literal[0, 1]:
        if not self._passes.measuring:
            return super().add(flowable, canv, trySplit)
        flowable.drawOn = _skip_drawing  # type: ignore[method-assign]
        try:
            return super().add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn


class PassEnd(Flowable):
    """Takes no room; ends the measuring pass and, through multiBuild's own protocol for
    indexing flowables, asks for the pass that draws: a measuring pass is never the last."""

    def __init__(self, passes: LayoutPasses) -> None:
        super().__init__()
        self._passes = passes
        self._measured = False

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._measured = self._passes.measuring

    def afterBuild(self) -> None:
        self._passes.measuring = False

    def isSatisfied(self) -> bool:
        return not self._measured

    def notify(self, kind: str, stuff: object) -> None:
        """Contents entries are not for this flowable."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Nothing at all, not even the state a flowable's drawOn saves and restores:
        the file is the one made before this flowable existed."""


class CachedParagraph(PdfParagraph):
    """A paragraph that breaks its lines once per width: platypus wraps a paragraph
    several times a pass (to keep it with the next flowable, to place it) and again in
    every pass, always to the same lines for the same width."""

    _wrapped_at: tuple[float, float, float, Any] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth < _FUZZ:  # no room at all: platypus's answer, nothing to keep
            return super().wrap(availWidth, availHeight)
        cached = self._wrapped_at
        if cached is not None and cached[0] == availWidth:
            _, self.width, self.height, self.blPara = cached
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_at = (availWidth, width, height, self.blPara)
        return width, height
