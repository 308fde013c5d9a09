"""Imposition: where each reading page goes on the printed sheet. Geometry is pure; applying it uses
pikepdf (qpdf): each reading page becomes a form XObject drawn once per panel, so its content stream is
copied, never parsed, which made imposition about ten times faster than merging pages with pypdf."""

import re
from dataclasses import dataclass
from io import BytesIO

import pikepdf


# Landscape sheets, in points.
SHEET_SIZES = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


Rect = tuple[float, float, float, float]   # left, bottom, width, height, in points
Matrix = tuple[float, float, float, float, float, float]   # a b c d e f, as PDF's cm operator takes it


@dataclass(frozen=True)
class Placement:
    page: int          # 0-based index into the reading pages
    x: float           # lower-left corner of the panel (the page's trim) on the sheet, in points
    y: float
    rotate: int = 0    # 0 or 180 degrees
    shift: float = 0   # creep: the page's content moves this far right within its panel
    clip: Rect | None = None   # what of the page shows, on the sheet; None: all of it


@dataclass(frozen=True)
class Sheet:
    """One printed side: its size and the pages on it."""
    width: float
    height: float
    placements: tuple[Placement, ...]
    marks: tuple[tuple[float, float, float, float], ...] = ()   # crop marks: hairlines (x1, y1, x2, y2)
    trim: Rect | None = None   # print-shop sheets: the trimmed area (TrimBox); BleedBox is `bleed` more
    bleed: float = 0
    folds: tuple[tuple[float, float, float, float], ...] = ()   # fold marks: dashed (x1, y1, x2, y2)


def saddle_pairs(page_count: int) -> list[tuple[int, int]]:
    """1-based (left, right) page pairs, side by side: sheet s front [N-2s | 2s+1], back [2s+2 | N-2s-1]."""
    if page_count % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {page_count}")
    pairs = []
    for s in range(page_count // 4):
        pairs.append((page_count - 2 * s, 2 * s + 1))
        pairs.append((2 * s + 2, page_count - 2 * s - 1))
    return pairs


def saddle_sheets(page_count: int, page_width: float, page_height: float,
                  sheet: tuple[float, float], creep: float = 0) -> list[Sheet]:
    """Two-up landscape sides, front then back, for duplex printing flipped on the short edge.

    The pair is centred on the sheet: two A5 pages are 1 mm narrower than landscape A4. `creep` (points)
    is how far the innermost sheet pushes out at the fore-edge: inner pages move toward the fold by up
    to that much, outer ones less, so margins match once the booklet is trimmed."""
    width, height = sheet
    x, y = (width - 2 * page_width) / 2, (height - page_height) / 2
    sheets = []
    for side, (left, right) in enumerate(saddle_pairs(page_count)):
        shift = creep_shift(side // 2, page_count // 4, creep)
        sheets.append(Sheet(width, height, (
            Placement(left - 1, x, y, shift=shift, clip=(x, y, page_width, page_height) if shift else None),
            Placement(right - 1, x + page_width, y, shift=-shift,
                      clip=(x + page_width, y, page_width, page_height) if shift else None))))
    return sheets


def creep_shift(sheet_index: int, sheet_count: int, creep: float) -> float:
    """How far the pages of sheet `sheet_index` (0 = outermost) move toward the fold."""
    return creep * sheet_index / (sheet_count - 1) if sheet_count > 1 else 0.0


# The standard one-sheet mini zine: top row turned 180°, pages 5 4 3 2; bottom row upright, 6 7 8 1.
MINIZINE_TOP_ROW = (5, 4, 3, 2)
MINIZINE_BOTTOM_ROW = (6, 7, 8, 1)


def minizine_sheet(page_width: float, page_height: float) -> Sheet:
    """Eight panels on one landscape side: four across, two down."""
    top = [Placement(page - 1, col * page_width, page_height, 180) for col, page in enumerate(MINIZINE_TOP_ROW)]
    bottom = [Placement(page - 1, col * page_width, 0) for col, page in enumerate(MINIZINE_BOTTOM_ROW)]
    return Sheet(4 * page_width, 2 * page_height, tuple(top + bottom))


def transformation(placement: Placement, trim: Rect) -> Matrix:
    """Moves a page's trim box (`trim`, in the page's own coordinates) into its panel, turned if asked."""
    left, bottom, width, height = trim
    x = placement.x + placement.shift
    if placement.rotate == 180:
        return (-1.0, 0.0, 0.0, -1.0, x + left + width, placement.y + bottom + height)
    if placement.rotate:
        raise ValueError(f"unsupported rotation {placement.rotate}")
    return (1.0, 0.0, 0.0, 1.0, x - left, placement.y - bottom)


def impose(reading_pdf: bytes, sheets: list[Sheet], overlay: bytes | None = None) -> bytes:
    """Place the reading pages on sheets as vectors (no rasterising) and return the new PDF.

    `overlay`, a one-page PDF the size of a sheet (fold and cut guides), is drawn under each sheet's pages.
    The reading file's language, output intent and XMP metadata carry over to the imposed file."""
    source, printed = pikepdf.open(BytesIO(reading_pdf)), pikepdf.new()
    forms: dict[int, pikepdf.Object] = {}

    def form(index: int) -> pikepdf.Object:
        if index not in forms:
            forms[index] = printed.copy_foreign(source.pages[index].as_form_xobject())
        return forms[index]

    guide_pdf = pikepdf.open(BytesIO(overlay)) if overlay else None   # kept open while its form is copied
    guides = printed.copy_foreign(guide_pdf.pages[0].as_form_xobject()) if guide_pdf else None
    for sheet in sheets:
        xobjects, drawing = {}, []
        if guides is not None:
            origin = sheet.trim[:2] if sheet.trim else (0, 0)
            xobjects["/Guides"] = guides
            drawing.append(draw("/Guides", (1, 0, 0, 1, *origin)))
        for placement in sheet.placements:
            name = f"/P{placement.page}"
            xobjects[name] = form(placement.page)
            drawing.append(draw(name, transformation(placement, trim_of(source.pages[placement.page])),
                                placement.clip))
        drawing += [f"q 0 G 0.3 w {dash} 0 d {path(lines)} S Q"
                    for lines, dash in ((sheet.marks, "[]"), (sheet.folds, "[3 2]")) if lines]
        printed.pages.append(side(printed, sheet, xobjects, "\n".join(drawing)))
    carry_document_data(source, printed)
    buffer = BytesIO()
    # A fixed /ID from the content: the same inputs give byte-identical files. The version stays the
    # reading file's (PDF/X-4 needs 1.6 at least, and the transparency WeasyPrint draws needs 1.4).
    printed.save(buffer, deterministic_id=True, min_version=source.pdf_version)
    return buffer.getvalue()


def path(lines: tuple[tuple[float, float, float, float], ...]) -> str:
    """PDF path operators for straight lines (x1, y1, x2, y2)."""
    return " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in lines)


def trim_of(page: pikepdf.Page) -> Rect:
    left, bottom, right, top = (float(value) for value in page.trimbox)
    return left, bottom, right - left, top - bottom


def draw(name: str, matrix: Matrix, clip: Rect | None = None) -> str:
    """Content that draws a form XObject through `matrix`, clipped to `clip` (sheet coordinates)."""
    clipping = "%.3f %.3f %.3f %.3f re W n " % clip if clip else ""
    return f"q {clipping}" + " ".join(f"{value:.4f}" for value in matrix) + f" cm {name} Do Q"


def side(pdf: pikepdf.Pdf, sheet: Sheet, xobjects: dict, content: str) -> pikepdf.Page:
    """A sheet-sized page drawing `content` with these XObjects; TrimBox and BleedBox when it has a trim."""
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, sheet.width, sheet.height],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(xobjects)),
                              Contents=pdf.make_stream(content.encode("ascii")))
    if sheet.trim:
        left, bottom, width, height = sheet.trim
        b = sheet.bleed
        page.TrimBox = [left, bottom, left + width, bottom + height]
        page.BleedBox = [left - b, bottom - b, left + width + b, bottom + height + b]
    return pikepdf.Page(page)


def carry_document_data(source: pikepdf.Pdf, printed: pikepdf.Pdf) -> None:
    """Copy metadata, language, XMP and output intents from the reading file to the imposed one.

    The imposed file has no tags: whatever accessibility standard the reading file claims in its XMP
    (PDF/UA) is left out, so the file claims only what it is. A PDF/X claim stays: it holds for the
    imposed sheets, which keep the output intent and get TrimBox and BleedBox."""
    for key, value in source.docinfo.items():
        if isinstance(value, (pikepdf.String, pikepdf.Name)):   # /Trapped is a name, and PDF/X needs it
            printed.docinfo[key] = value
    for key in ("/Lang", "/OutputIntents", "/Metadata"):
        if key in source.Root:
            value = source.Root[key]
            # copy_foreign takes indirect objects only; the XMP packet stays an indirect stream, as PDF requires.
            printed.Root[key] = printed.copy_foreign(value if value.is_indirect else source.make_indirect(value))
    if "/Metadata" in printed.Root:
        printed.Root.Metadata.write(drop_claims(printed.Root.Metadata.read_bytes()))


# XMP properties that claim conformance to a standard the imposed file cannot meet without tags.
UNTAGGED_CLAIMS = re.compile(rb"""\s*(<pdfuaid:(\w+)>[^<]*</pdfuaid:\2>|(xmlns:)?pdfuaid(:\w+)?=("[^"]*"|'[^']*'))""")


def drop_claims(xmp: bytes) -> bytes:
    """The XMP packet without its PDF/UA identification (pdfuaid:part, pdfuaid:conformance, ...)."""
    return UNTAGGED_CLAIMS.sub(b"", xmp)


# Cards, n up on a portrait sheet, butted together (one cut between neighbours) and centred, so that a
# back mirrored across the columns lands behind its front when the sheet is flipped on its long edge.
CARD_GRID = (2, 5)             # columns, rows
SAFE_EDGE = 18.0               # points (0.25in): nothing is drawn nearer the sheet edge
MARK_GAP, MARK_LENGTH = 3.0, 14.0


def card_sheets(page_count: int, card_width: float, card_height: float,
                sheet: tuple[float, float], grid: tuple[int, int] = CARD_GRID) -> list[Sheet]:
    """Each (front, back) page pair: a side of fronts, then a side of backs with the columns mirrored."""
    if page_count % 2:
        raise ValueError(f"cards need a front and a back page each, not {page_count} pages")
    width, height = sheet
    cols, rows = grid
    left, bottom = (width - cols * card_width) / 2, (height - rows * card_height) / 2
    if min(left, bottom) < SAFE_EDGE + MARK_GAP + 2:
        raise ValueError(f"{cols} x {rows} cards of {card_width:g} x {card_height:g} pt do not fit the sheet")
    marks = crop_marks(width, height, card_width, card_height, grid)
    cells = [(col, row) for row in range(rows) for col in range(cols)]
    sheets = []
    for front in range(0, page_count, 2):
        for page, mirror in ((front, False), (front + 1, True)):
            placements = tuple(Placement(page, left + ((cols - 1 - col) if mirror else col) * card_width,
                                         bottom + (rows - 1 - row) * card_height) for col, row in cells)
            sheets.append(Sheet(width, height, placements, marks))
    return sheets


def crop_marks(width: float, height: float, card_width: float, card_height: float,
               grid: tuple[int, int]) -> tuple[tuple[float, float, float, float], ...]:
    """Short lines in the sheet margins continuing every cut line, clear of the cards and the sheet edge."""
    cols, rows = grid
    left, bottom = (width - cols * card_width) / 2, (height - rows * card_height) / 2
    across = min(MARK_LENGTH, left - MARK_GAP - SAFE_EDGE - 1)     # marks in the left and right margins
    upright = min(MARK_LENGTH, bottom - MARK_GAP - SAFE_EDGE - 1)  # marks in the top and bottom margins
    lines = []
    for col in range(cols + 1):
        x = left + col * card_width
        lines.append((x, bottom - MARK_GAP, x, bottom - MARK_GAP - upright))
        lines.append((x, height - bottom + MARK_GAP, x, height - bottom + MARK_GAP + upright))
    for row in range(rows + 1):
        y = bottom + row * card_height
        lines.append((left - MARK_GAP, y, left - MARK_GAP - across, y))
        lines.append((width - left + MARK_GAP, y, width - left + MARK_GAP + across, y))
    return tuple(lines)
