"""How full a laid-out document's pages are: the measure auto-fit's guesses interpolate.

Reads WeasyPrint's laid-out boxes (a private API), as layout.py does; tests/test_layout_internals.py
pins what it relies on."""

from .weasy import Document, MarginBox

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
    boxes = content_boxes(page_box)
    if any(has_one_page_element(box) for box in boxes):
        return 1.0
    top = page_box.content_box_y()
    multicols = [box for box in boxes if is_multicol(box)]
    in_columns = {id(inner) for box in multicols for column in box.children for inner in column.descendants()}
    # The lowest text or picture, not the lowest box: a container may stretch to the page's foot.
    bottom = max((leaf_bottom(box) for box in boxes if is_leaf(box) and id(box) not in in_columns), default=top)
    bottom = max([bottom, *(columns_reach(box) for box in multicols if id(box) not in in_columns)])
    return min(max((bottom - top) / page_box.height, 0.0), 1.0)


def columns_reach(multicol) -> float:
    """Where a multi-column box's content would end were its columns stacked: its top plus the mean of how
    far each column reaches. Measured to its lowest text, the first column of a page the text overflows
    reaches the foot at every size, so the measure would not grow with the size until the page is full."""
    top = multicol.content_box_y()
    reaches = [max((leaf_bottom(box) for box in column.descendants() if is_leaf(box)), default=top) - top
               for column in multicol.children]
    count = multicol.style["column_count"]
    return top + sum(reaches) / max(count if isinstance(count, int) else 0, len(reaches), 1)


def is_multicol(box) -> bool:
    style = getattr(box, "style", None)
    return (style is not None and bool(getattr(box, "children", None))
            and (style["column_count"] != "auto" or style["column_width"] != "auto"))


def is_leaf(box) -> bool:
    return not getattr(box, "children", None)


def leaf_bottom(box) -> float:
    return box.position_y + box.margin_height()


def content_boxes(page_box) -> list:
    """A page's boxes, less its margin boxes (a page number in the margin is not content)."""
    margins = {id(box) for child in page_box.children if isinstance(child, MarginBox)
               for box in (child, *child.descendants())}
    return [box for box in page_box.descendants() if id(box) not in margins and box is not page_box]


def has_one_page_element(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get(ONE_PAGE) is not None
