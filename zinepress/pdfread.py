"""Reading built PDFs for preflight and the manifest: the glyphs on a page and its pixels with PDFium
(pypdfium2), the objects (page boxes, fonts, tags) with qpdf (pikepdf).

PDFium is several times faster than pdfminer-based readers and also renders pages, so one library
serves every check that looks inside a page's content. qpdf reads the objects about ten times faster
than pypdf, which matters as every built file is read this way twice (its manifest entry, preflight)."""

import ctypes
import math
import re
from collections.abc import Iterator
from io import BytesIO
from typing import NamedTuple

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]   # left, bottom, right, top in points


class Glyph(NamedTuple):
    """One visible character as printed (a tuple: a page holds thousands, and a frozen dataclass took a
    fifth of the time to read them)."""
    text: str
    size: float        # points, as printed: the font size scaled by the text and page matrices
    left: float        # the glyph's ink box in PDF user space: what a printer must not clip
    bottom: float
    right: float
    top: float


class UnreadablePDF(Exception):
    """PDFium could not open the file: damaged, truncated or not a PDF."""


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadablePDF(str(error)) from None


def open_objects(data: bytes) -> pikepdf.Pdf:
    """The PDF's objects, read by qpdf (pikepdf.PdfError if it cannot). qpdf would rebuild a damaged
    file's cross-reference table and carry on; preflight exists to catch damage, so it does not try, and
    what it warns about while reading is in `damage()`."""
    return pikepdf.open(BytesIO(data), attempt_recovery=False)


def damage(document: pikepdf.Pdf) -> list[str]:
    """What qpdf found wrong in the objects read so far (it reads them as they are asked for)."""
    # "stream <_io.BytesIO object at 0x…> (object 14 0, offset 1113): …": the stream's name says nothing
    return [re.sub(r"^\S+ <[^>]*>,? ", "", str(warning)) for warning in document.get_warnings()]


def page_box(page: pikepdf.Page, name: str = "/TrimBox") -> Box:
    """A page's box: /TrimBox, /BleedBox or /MediaBox; the media box for a trim or bleed box the page
    does not have. A page with no media box (qpdf gives pages the one they inherit) is damaged: pikepdf
    would make up a US Letter one."""
    if "/MediaBox" not in page.obj:
        raise ValueError("a page has no MediaBox")
    value = page.obj.get(name)
    left, bottom, right, top = (float(v) for v in (value if value is not None else page.obj["/MediaBox"]))
    return left, bottom, right, top


def box_size(page: pikepdf.Page, name: str = "/TrimBox") -> tuple[float, float]:
    """(width, height) in points of one of the page's boxes (page_box)."""
    left, bottom, right, top = page_box(page, name)
    return right - left, top - bottom


def has_box(page: pikepdf.Page, name: str) -> bool:
    return name in page.obj


def glyphs(page: pdfium.PdfPage) -> Iterator[Glyph]:
    """Every visible character of a page (spaces and line ends left out)."""
    text_page = page.get_textpage()
    raw = text_page.raw
    # PDFium's C functions directly, their pointers made once: the helpers' per-character calls cost
    # several times as much.
    matrix = pdfium_c.FS_MATRIX()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    matrix_ref, box_refs = ctypes.byref(matrix), [ctypes.byref(v) for v in (left, right, bottom, top)]
    unicode_of, matrix_of = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetMatrix
    size_of, box_of = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetCharBox
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        text = chr(unicode_of(raw, index))
        if not text.strip():
            continue
        matrix_of(raw, index, matrix_ref)
        box_of(raw, index, *box_refs)
        yield Glyph(text, size_of(raw, index) * scale_of(matrix), left.value, bottom.value, right.value, top.value)


class PageText(NamedTuple):
    """What preflight reads of a page's text first: its smallest size and its runs' boxes."""
    smallest: float | None   # the printed size of its smallest visible character (a Glyph's `size`)
    runs: list[Box]          # the boxes PDFium draws around its runs of text, about one a line


def page_text(page: pdfium.PdfPage) -> PageText:
    """Read without making a Glyph of each character (half the time). Every glyph's box lies inside one of
    the runs (tests/test_preflight_reading.py), so text clear of an edge is known from a few dozen boxes."""
    text_page = page.get_textpage()
    return PageText(smallest_size(page.raw, text_page.raw), text_runs(text_page.raw))


def scale_of(matrix: pdfium_c.FS_MATRIX) -> float:
    """How much a matrix enlarges what it draws: GetFontSize is in text space, and WeasyPrint draws in
    CSS px under a 0.75 page matrix. A product of matrices enlarges by the product of their scales."""
    return math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))


def smallest_size(raw_page, raw_text_page) -> float | None:
    """The printed size of a page's smallest visible character, read text object by text object: the
    characters of one share its font size and matrix, so PDFium is asked a few hundred times rather than
    three times for each of thousands of characters (the default edition's files: 0.006 s, not 0.08 s). The
    objects of a form (an imposed sheet draws each reading page as one) are read under its matrix."""
    matrix, size, buffer = pdfium_c.FS_MATRIX(), ctypes.c_float(), (pdfium_c.FPDF_WCHAR * 256)()
    smallest = None
    stack = [(pdfium_c.FPDFPage_GetObject(raw_page, index), 1.0)
             for index in range(pdfium_c.FPDFPage_CountObjects(raw_page))]
    while stack:
        handle, scale = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
            inner = scale * scale_of(matrix)
            stack.extend((pdfium_c.FPDFFormObj_GetObject(handle, index), inner)
                         for index in range(pdfium_c.FPDFFormObj_CountObjects(handle)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            pdfium_c.FPDFTextObj_GetFontSize(handle, size)
            pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
            printed = size.value * scale_of(matrix) * scale
            # Its text is read only when it would be the smallest yet: most objects are not.
            if (smallest is None or printed < smallest) and object_text(handle, raw_text_page, buffer).strip():
                smallest = printed
    return smallest


def object_text(handle, raw_text_page, buffer: ctypes.Array) -> str:
    """The text a text object draws, read into `buffer` (a larger one is made for a longer text)."""
    length = pdfium_c.FPDFTextObj_GetText(handle, raw_text_page, buffer, ctypes.sizeof(buffer))  # bytes, NUL too
    if length > ctypes.sizeof(buffer):   # then PDFium left the buffer as it was
        buffer = (pdfium_c.FPDF_WCHAR * (length // 2))()
        pdfium_c.FPDFTextObj_GetText(handle, raw_text_page, buffer, length)
    return ctypes.string_at(buffer, max(length - 2, 0)).decode("utf-16-le", errors="replace")


def text_runs(raw) -> list[Box]:
    """The boxes PDFium draws around a text page's runs of text (`raw`: its PDFium handle)."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(value) for value in (left, top, right, bottom)]
    runs = []
    for index in range(pdfium_c.FPDFText_CountRects(raw, 0, -1)):
        pdfium_c.FPDFText_GetRect(raw, index, *refs)
        runs.append((left.value, bottom.value, right.value, top.value))
    return runs


def has_colour(page: pdfium.PdfPage, dpi: float, tolerance: int) -> bool:
    """Whether any pixel of the page, rendered at `dpi`, has channels further apart than `tolerance`."""
    bitmap = page.render(scale=dpi / 72)
    pixels, step, width = bytes(bitmap.buffer), bitmap.n_channels, bitmap.width   # BGR or BGRx
    for row in range(bitmap.height):
        line = pixels[row * bitmap.stride: row * bitmap.stride + width * step]
        blue, green, red = line[0::step], line[1::step], line[2::step]
        if any(max(b, g, r) - min(b, g, r) > tolerance for b, g, r in zip(blue, green, red)):
            return True
    return False
