"""Print-shop sheets: the office layout of a format turned into trimmed pages with bleed, crop marks and
fold marks.

Pure geometry: sheets in, sheets out. Each page shows its bleed on the sides no other page touches;
crop marks stand outside the bleed, on every cut line; fold marks (dashed, drawn by impose.py) stand
there too, on every line where two joined pages meet (the booklet's spine, the mini zine's folds)."""

from dataclasses import replace

from .impose import Placement, Rect, Sheet

BLEED = {"letter": 0.125 * 72, "a4": 3 * 72 / 25.4}   # points: 0.125 in, 3 mm
MARK_GAP = 3.0          # points between the bleed edge and a crop mark
MARK_LENGTH = 18.0      # points
MARK_ZONE = MARK_GAP + MARK_LENGTH + 6.0   # margin beyond the bleed that holds the marks


def print_shop_sheets(sheets: list[Sheet], page_width: float, page_height: float, bleed: float,
                      cut_between: bool) -> list[Sheet]:
    """Sheets sized to their trimmed area plus bleed and marks. `cut_between`: every page is cut apart
    (cards), so pages are spaced to give each its own bleed; otherwise they stay joined (folds)."""
    return [print_shop_sheet(sheet, page_width, page_height, bleed, cut_between) for sheet in sheets]


def print_shop_sheet(sheet: Sheet, width: float, height: float, bleed: float, cut_between: bool) -> Sheet:
    placements = [spread(p, sheet.placements, width, height, 2 * bleed if cut_between else 0)
                  for p in sheet.placements]
    left = min(p.x for p in placements)
    bottom = min(p.y for p in placements)
    trim_width = max(p.x for p in placements) + width - left
    trim_height = max(p.y for p in placements) + height - bottom
    margin = bleed + MARK_ZONE
    moved = [replace(p, x=p.x - left + margin, y=p.y - bottom + margin) for p in placements]
    clipped = tuple(replace(p, clip=visible(p, moved, width, height, bleed)) for p in moved)
    trim = (margin, margin, trim_width, trim_height)
    rects = [(p.x, p.y, width, height) for p in moved]
    folds = () if cut_between else fold_marks(trim, rects, bleed)
    return Sheet(trim_width + 2 * margin, trim_height + 2 * margin, clipped,
                 crop_marks(trim, rects if cut_between else [trim], bleed), trim, bleed, folds)


def spread(placement: Placement, placements: tuple[Placement, ...], width: float, height: float,
           gap: float) -> Placement:
    """Move a placement so that neighbouring columns and rows are `gap` apart."""
    left = min(p.x for p in placements)
    bottom = min(p.y for p in placements)
    column, row = round((placement.x - left) / width), round((placement.y - bottom) / height)
    return replace(placement, x=placement.x + column * gap, y=placement.y + row * gap)


def visible(placement: Placement, placements: list[Placement], width: float, height: float,
            bleed: float) -> Rect:
    """The page's trim, grown by the bleed on each side that no other page touches."""
    x, y = placement.x, placement.y

    def touched(dx: float, dy: float) -> bool:
        return any(abs(other.x - (x + dx)) < 0.01 and abs(other.y - (y + dy)) < 0.01 for other in placements)

    grow_left = 0 if touched(-width, 0) else bleed
    grow_right = 0 if touched(width, 0) else bleed
    grow_down = 0 if touched(0, -height) else bleed
    grow_up = 0 if touched(0, height) else bleed
    return (x - grow_left, y - grow_down, width + grow_left + grow_right, height + grow_down + grow_up)


def crop_marks(trim: Rect, cuts: list[Rect], bleed: float) -> tuple[tuple[float, float, float, float], ...]:
    """Hairlines continuing every cut edge into the margin outside the bleed, on all four sides."""
    xs = sorted({round(x, 3) for rect in cuts for x in (rect[0], rect[0] + rect[2])})
    ys = sorted({round(y, 3) for rect in cuts for y in (rect[1], rect[1] + rect[3])})
    return crop_lines(trim, xs, ys, bleed)


def crop_lines(trim: Rect, xs: list[float], ys: list[float],
               bleed: float) -> tuple[tuple[float, float, float, float], ...]:
    """Lines continuing x = each of `xs` and y = each of `ys` into the margin outside the bleed."""
    left, bottom, width, height = trim
    right, top = left + width, bottom + height
    near, far = bleed + MARK_GAP, bleed + MARK_GAP + MARK_LENGTH
    lines = []
    for x in xs:
        lines += [(x, bottom - near, x, bottom - far), (x, top + near, x, top + far)]
    for y in ys:
        lines += [(left - near, y, left - far, y), (right + near, y, right + far, y)]
    return tuple(lines)


def fold_marks(trim: Rect, pages: list[Rect], bleed: float) -> tuple[tuple[float, float, float, float], ...]:
    """Marks outside the bleed on each line inside the trim where joined pages meet: where to fold."""
    left, bottom, width, height = trim
    inner_xs = sorted({round(x, 3) for rect in pages for x in (rect[0], rect[0] + rect[2])}
                      - {round(left, 3), round(left + width, 3)})
    inner_ys = sorted({round(y, 3) for rect in pages for y in (rect[1], rect[1] + rect[3])}
                      - {round(bottom, 3), round(bottom + height, 3)})
    return crop_lines(trim, inner_xs, inner_ys, bleed)


def trimmed(sheet: Sheet) -> Sheet:
    """A print-shop sheet as its trimmed piece looks (what a guide draws); an office sheet as it is."""
    if sheet.trim is None:
        return sheet
    left, bottom, width, height = sheet.trim
    return Sheet(width, height, tuple(replace(p, x=p.x - left, y=p.y - bottom, clip=None) for p in sheet.placements))


def single_page_sheets(page_count: int, width: float, height: float) -> list[Sheet]:
    """Formats printed as they are (poster, one-pager): one page per sheet, for marks and boxes."""
    return [Sheet(width, height, (Placement(page, 0, 0),)) for page in range(page_count)]
