"""The report's pages as images, in a scrolling column with "Page N of M".

The PDF is rasterised with pypdfium2 (QtPdf is not in PySide6-Essentials, and poppler is a
test-only Debian package). `render_pages` runs off the GUI thread: a QImage, unlike a
QPixmap, may be made there, and it checks for Cancel between pages.
"""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from bwv_review.services.errors import ServiceError
from bwv_review.ui.session_dialogs import named

PIXELS_PER_POINT = 1.0  # an A4 page is 596 x 842 pixels at this scale
A4_WIDTH_PT = 595.3
SCALES = (0.75, 1.6)  # smaller is not legible; larger gains nothing on a laptop


class PreviewCancelled(ServiceError):
    """The chair pressed Cancel; the pages drawn so far are dropped."""


def render_pages(
    pdf: bytes, go_on: Callable[[int], bool], scale: float = PIXELS_PER_POINT
) -> list[QImage]:
    """Every page of `pdf` as an image; `go_on(pages_done)` returning False stops."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            if not go_on(index):
                raise PreviewCancelled("the preview was cancelled")
            page = document[index]
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            images.append(image.copy())  # own the pixels: the buffer goes with the bitmap
            page.close()
        return images
    finally:
        document.close()


class PageView(QScrollArea):
    """The pages one under another, scrolled by the keys when it has focus; the line above
    it says which page is in view."""

    def __init__(self, on_page: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Report pages")
        self._on_page = on_page
        self.pages: list[QLabel] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._column = QWidget()
        self._layout = QVBoxLayout(self._column)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(12)
        self.setWidget(self._column)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._tell_page())

    def fitting_scale(self) -> float:
        """The scale at which a page fills the view's width, within legible bounds."""
        bar = self.verticalScrollBar()
        bar_px = 0 if bar.isVisible() else bar.sizeHint().width()  # it shows with the pages
        margins = self._layout.contentsMargins()
        room_px = self.viewport().width() - bar_px - margins.left() - margins.right() - 4
        low, high = SCALES
        return max(low, min(high, room_px / A4_WIDTH_PT))

    def show_pages(self, images: list[QImage]) -> None:
        self.clear()
        for number, image in enumerate(images, start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(f"Page {number} of {len(images)}")
            page.setFrameShape(QLabel.Shape.Box)  # a page's edge on a white page
            page.setFixedSize(page.sizeHint())  # never squeezed to the view's height
            self._layout.addWidget(page)
            page.show()
            self.pages.append(page)
        self.verticalScrollBar().setValue(0)
        self._tell_page()

    def clear(self) -> None:
        for page in self.pages:
            self._layout.removeWidget(page)
            page.deleteLater()
        self.pages = []
        self._tell_page()

    def page_in_view(self) -> int:
        """The page under the middle of the view, counted from 1 (0: no pages). Worked out
        from the pages' heights, which are known before the layout has placed them."""
        middle = self.verticalScrollBar().value() + self.viewport().height() // 2
        bottom = self._layout.contentsMargins().top()
        for number, page in enumerate(self.pages, start=1):
            bottom += page.sizeHint().height()
            if bottom >= middle:
                return number
            bottom += self._layout.spacing()
        return len(self.pages)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Home and End go to the first and last page; the arrows and Page Up and Down
        are the scroll area's own."""
        bar = self.verticalScrollBar()
        if event.key() == Qt.Key.Key_Home:
            bar.setValue(bar.minimum())
        elif event.key() == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)

    def _tell_page(self) -> None:
        if not self.pages:
            self._on_page("none yet")
            return
        self._on_page(f"Page {self.page_in_view()} of {len(self.pages)}")
