"""Pictures of built pages: PNG images of a PDF's pages, drawn with PDFium (pypdfium2), for the web
preview and the gallery's thumbnails.

PDFium is not safe to use from two threads at once: the web app draws only on its one build thread."""

from dataclasses import dataclass
from io import BytesIO

import PIL.Image  # noqa: F401  (pypdfium2's to_pil needs Pillow: imported here so it is a declared dependency)
import pypdfium2 as pdfium


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int
    height: int


def page_images(pdf: bytes, box: tuple[int, int], first_only: bool = False) -> list[PageImage]:
    """Each page (or only the first) scaled to fit `box` (width, height in pixels), as PNG."""
    document = pdfium.PdfDocument(pdf)
    try:
        count = min(1, len(document)) if first_only else len(document)
        return [draw(document[index], box) for index in range(count)]
    finally:
        document.close()


def draw(page: "pdfium.PdfPage", box: tuple[int, int]) -> PageImage:
    width, height = page.get_size()   # points, of the crop box: what a viewer shows
    scale = min(box[0] / width, box[1] / height)
    image = page.render(scale=scale).to_pil()
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return PageImage(buffer.getvalue(), image.width, image.height)
