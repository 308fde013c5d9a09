"""Imposition: where each reading page goes on the printed sheet. Geometry is pure; applying it uses pypdf."""

from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation


# Landscape sheets, in points.
SHEET_SIZES = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


@dataclass(frozen=True)
class Placement:
    page: int          # 0-based index into the reading pages
    x: float           # lower-left corner of the panel on the sheet, in points
    y: float
    rotate: int = 0    # 0 or 180 degrees


@dataclass(frozen=True)
class Sheet:
    """One printed side: its size and the pages on it."""
    width: float
    height: float
    placements: tuple[Placement, ...]


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
                  sheet: tuple[float, float]) -> list[Sheet]:
    """Two-up landscape sides, front then back, for duplex printing flipped on the short edge.

    The pair is centred on the sheet: two A5 pages are 1 mm narrower than landscape A4."""
    width, height = sheet
    x, y = (width - 2 * page_width) / 2, (height - page_height) / 2
    return [Sheet(width, height, (Placement(left - 1, x, y), Placement(right - 1, x + page_width, y)))
            for left, right in saddle_pairs(page_count)]


# The standard one-sheet mini zine: top row turned 180°, pages 5 4 3 2; bottom row upright, 6 7 8 1.
MINIZINE_TOP_ROW = (5, 4, 3, 2)
MINIZINE_BOTTOM_ROW = (6, 7, 8, 1)


def minizine_sheet(page_width: float, page_height: float) -> Sheet:
    """Eight panels on one landscape side: four across, two down."""
    top = [Placement(page - 1, col * page_width, page_height, 180) for col, page in enumerate(MINIZINE_TOP_ROW)]
    bottom = [Placement(page - 1, col * page_width, 0) for col, page in enumerate(MINIZINE_BOTTOM_ROW)]
    return Sheet(4 * page_width, 2 * page_height, tuple(top + bottom))


def transformation(placement: Placement, page_width: float, page_height: float) -> Transformation:
    """Moves a page (origin at its lower left) into its panel, turned if asked."""
    if placement.rotate == 180:
        return Transformation().rotate(180).translate(placement.x + page_width, placement.y + page_height)
    if placement.rotate:
        raise ValueError(f"unsupported rotation {placement.rotate}")
    return Transformation().translate(placement.x, placement.y)


def impose(reading_pdf: bytes, sheets: list[Sheet]) -> bytes:
    """Place the reading pages on sheets as vectors (no rasterising) and return the new PDF."""
    reader = PdfReader(BytesIO(reading_pdf))
    writer = PdfWriter()
    for sheet in sheets:
        side = writer.add_blank_page(sheet.width, sheet.height)
        for placement in sheet.placements:
            page = reader.pages[placement.page]
            box = page.mediabox
            side.merge_transformed_page(page, transformation(placement, float(box.width), float(box.height)))
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
