"""Imposition: where each reading page goes on the printed sheet. Geometry is pure; applying it uses pypdf."""

from dataclasses import dataclass
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject


# Landscape sheets, in points.
SHEET_SIZES = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


Rect = tuple[float, float, float, float]   # left, bottom, width, height, in points


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


def transformation(placement: Placement, trim: Rect) -> Transformation:
    """Moves a page's trim box (`trim`, in the page's own coordinates) into its panel, turned if asked."""
    left, bottom, width, height = trim
    x = placement.x + placement.shift
    if placement.rotate == 180:
        return Transformation().rotate(180).translate(x + left + width, placement.y + bottom + height)
    if placement.rotate:
        raise ValueError(f"unsupported rotation {placement.rotate}")
    return Transformation().translate(x - left, placement.y - bottom)


def impose(reading_pdf: bytes, sheets: list[Sheet], overlay: bytes | None = None) -> bytes:
    """Place the reading pages on sheets as vectors (no rasterising) and return the new PDF.

    `overlay`, a one-page PDF the size of a sheet (fold and cut guides), is drawn under each sheet's pages.
    The reading file's language, output intent and XMP metadata carry over to the imposed file."""
    reader = PdfReader(BytesIO(reading_pdf))
    writer = PdfWriter()
    guides = PdfReader(BytesIO(overlay)).pages[0] if overlay else None
    for sheet in sheets:
        side = writer.add_blank_page(sheet.width, sheet.height)
        if guides is not None:
            origin = sheet.trim[:2] if sheet.trim else (0, 0)
            side.merge_transformed_page(guides, Transformation().translate(*origin))
        for placement in sheet.placements:
            place(side, reader.pages[placement.page], placement)
        if sheet.marks:
            side.merge_page(marks_page(sheet))
        if sheet.trim:
            set_boxes(side, sheet)
    carry_document_data(reader, writer)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def place(side: PageObject, page: PageObject, placement: Placement) -> None:
    """Draw `page` on `side` at its placement, clipped to `placement.clip` when given."""
    trim = page.trimbox
    matrix = transformation(placement, (float(trim.left), float(trim.bottom), float(trim.width), float(trim.height)))
    if placement.clip:
        page = clipped(page, page_rect(placement.clip, matrix))
    side.merge_transformed_page(page, matrix)


def page_rect(rect: Rect, matrix: Transformation) -> Rect:
    """A rectangle on the sheet in the page's own coordinates (the placement only moves and turns)."""
    a, _, _, d, e, f = matrix.ctm
    x0, y0 = (rect[0] - e) / a, (rect[1] - f) / d
    x1, y1 = (rect[0] + rect[2] - e) / a, (rect[1] + rect[3] - f) / d
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)


def clipped(page: PageObject, rect: Rect) -> PageObject:
    """A shallow copy of `page` whose drawing is clipped to `rect` (page coordinates)."""
    copy = PageObject(page.pdf, page.indirect_reference)
    copy.update(page)
    stream = DecodedStreamObject()
    left, bottom, width, height = rect
    stream.set_data(b"q %.3f %.3f %.3f %.3f re W n\n" % (left, bottom, width, height)
                    + page.get_contents().get_data() + b"\nQ")
    copy[NameObject("/Contents")] = stream
    return copy


def set_boxes(side: PageObject, sheet: Sheet) -> None:
    left, bottom, width, height = sheet.trim
    side.trimbox = RectangleObject((left, bottom, left + width, bottom + height))
    b = sheet.bleed
    side.bleedbox = RectangleObject((left - b, bottom - b, left + width + b, bottom + height + b))


def carry_document_data(reader: PdfReader, writer: PdfWriter) -> None:
    """Copy metadata, language, XMP and output intents from the reading file to the imposed one."""
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    root = reader.trailer["/Root"]
    for key in ("/Lang", "/OutputIntents", "/Metadata"):
        if key in root:
            # raw_get keeps a stream (the XMP packet) indirect, as PDF requires.
            writer.root_object[NameObject(key)] = root.raw_get(key).clone(writer)


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


def marks_page(sheet: Sheet) -> PageObject:
    """A sheet-sized page of black 0.3 pt hairlines (vector), to merge onto a side."""
    page = PageObject.create_blank_page(width=sheet.width, height=sheet.height)
    path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in sheet.marks)
    stream = DecodedStreamObject()
    stream.set_data(f"q 0 G 0.3 w [] 0 d {path} S Q".encode())
    page[NameObject("/Contents")] = stream
    return page
