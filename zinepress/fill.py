"""How full a laid-out document's pages are: the measure auto-fit's guesses interpolate.

Reads WeasyPrint's laid-out boxes (a private API), as layout.py does; tests/test_layout_internals.py
pins what it relies on (`is_column` on the boxes columns_layout makes)."""

import math

from .weasy import Box, Document, MarginBox

# An element a template marks data-one-page="what it is" must fit on one page (a cover, the crisis lines);
# its data-fix="..." says what to do when it does not.
ONE_PAGE, FIX = "data-one-page", "data-fix"


def used_pages(document: Document) -> float:
    """How much of its pages the layout fills: a page holding a one-page element (a cover) counts whole,
    every other page by how far its content reaches down it. Unlike the page count it grows smoothly
    with the body size, which is what auto-fit's guesses need."""
    return sum(page_fill(page._page_box) for page in document.pages)


def page_fill(page_box) -> float:
    """How far down its content area a page's content reaches, from 0 to 1; columns count as if stacked."""
    content = [child for child in page_box.children if not isinstance(child, MarginBox)]
    if any(has_one_page_element(box) for child in content for box in child.descendants()):
        return 1.0
    top = page_box.content_box_y()
    bottom = max((reach for reach in map(reach_of, content) if reach is not None), default=top)
    return min(max((bottom - top) / page_box.height, 0.0), 1.0)


def reach_of(box) -> float | None:
    """Where a box's content ends: its lowest text or picture (not its lowest box: a container may
    stretch to the page's foot), its columns counted as if stacked; None if it holds nothing that flows.
    A box taken out of the flow (absolute or fixed: the poster's tear-off tabs at every page's foot)
    stands where WeasyPrint leaves a placeholder, not a Box, and is not counted: it does not grow."""
    if not isinstance(box, Box):
        return None
    children = getattr(box, "children", None)
    if not children:
        return box.position_y + box.margin_height()
    if any(getattr(child, "is_column", False) for child in children):
        return columns_reach(box)
    return max((reach for reach in map(reach_of, children) if reach is not None), default=None)


def columns_reach(multicol) -> float:
    """Where a multi-column box's content would end were its columns stacked: each row of columns from its
    top, by the mean of how far they reach over every column it has room for (one it left empty reaches
    nowhere). Measured to its lowest text, the first column of a page the text overflows reaches the
    foot at every size, so the measure would stand still until the page is full. A block spanning the
    columns (`column-span: all`) counts as it is."""
    bottom = multicol.content_box_y()
    rows: dict[float, list] = {}
    for child in multicol.children:
        if getattr(child, "is_column", False):
            rows.setdefault(child.position_y, []).append(child)
        else:
            bottom = max(bottom, reach_of(child) or bottom)
    for top, columns in rows.items():
        reaches = [(reach_of(column) or top) - top for column in columns]
        bottom = max(bottom, top + sum(reaches) / max(room_for(multicol, columns), len(columns)))
    return bottom


def room_for(multicol, columns: list) -> int:
    """How many columns the box has room for, as WeasyPrint's columns_layout counts them: as many of the
    columns' width, with the gap between, as its width holds."""
    width = columns[0].width
    if len(columns) > 1:
        gap = abs(columns[1].position_x - columns[0].position_x) - width
    else:
        gap = column_gap(multicol)
    return max(1, math.floor((multicol.width + gap) / (width + gap) + 1e-6))


def column_gap(multicol) -> float:
    """The gap between a multi-column box's columns, in px ('normal' is 1em)."""
    gap = multicol.style["column_gap"]
    if gap == "normal":
        return multicol.style["font_size"]
    return gap.value * multicol.width / 100 if gap.unit == "%" else gap.value


def has_one_page_element(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get(ONE_PAGE) is not None
