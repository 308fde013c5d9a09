"""layout.py reads WeasyPrint's laid-out boxes (a private API). These tests pin what it relies on, so an
upgrade that changes it fails here, loudly, instead of mis-fitting a zine."""

import pytest
from weasyprint import HTML

from zinepress.fill import used_pages
from zinepress.layout import NOTES_PAGE, flowing_words, notes_pages, page_texts, spilled_elements

PAGE = "@page { size: 200pt 200pt; margin: 20pt } body { margin: 0; font: 10pt/12pt sans-serif } p { margin: 0 }"
PX = 4 / 3   # CSS px per point: boxes are measured in px


def render(body: str):
    return HTML(string=f"<html><head><style>{PAGE}</style></head><body>{body}</body></html>").render()


def test_boxes_have_what_layout_reads():
    document = render("<main><p>one two three</p></main>")
    box = document.pages[0]._page_box
    assert round(box.height / PX) == 160           # the page's content height
    assert round(box.content_box_y() / PX) == 20
    root = box.children[0]
    assert hasattr(root, "position_y") and root.margin_height() > 0
    tags = {getattr(b, "element_tag", None) for b in box.descendants()}
    assert "main" in tags
    assert any(hasattr(b, "text") and "three" in b.text for b in box.descendants())


def test_flowing_words_and_page_texts():
    document = render("<header>Title here</header><main><p>" + "word " * 30 + "</p></main>")
    assert sum(flowing_words(page) for page in document.pages) == 30
    assert "Title here" in " ".join(page_texts(document.pages[0]))


def test_used_pages_measures_how_full_the_last_page_is():
    half = render("<main>" + "<p>line</p>" * 6 + "</main>")     # 6 of 13 lines (160 pt / 12 pt)
    full = render("<main>" + "<p>line</p>" * 20 + "</main>")    # 13 lines, then 7
    assert len(half.pages) == 1 and 0.3 < used_pages(half) < 0.7
    assert len(full.pages) == 2 and 1.3 < used_pages(full) < 1.8


LINES = "<p>line</p>"
AUTO = "column-gap: 10pt; column-fill: auto"


@pytest.mark.parametrize("body, lines", [
    # 12 pt lines on a 160 pt page: n lines in two columns fill it as n/2 lines would, though the first
    # column reaches the foot once there are more than 13 (where a measure to the lowest text stops)
    (f"<div style='columns: 2; {AUTO}'>{LINES * 20}</div>", 10),
    (f"<div style='columns: 2; {AUTO}'>{LINES * 24}</div>", 12),
    (f"<div style='columns: 2; {AUTO}' dir='rtl'>{LINES * 20}</div>", 10),
    (LINES * 3 + f"<div style='columns: 2; {AUTO}'>{LINES * 10}</div>", 3 + 5),    # all 10 in the first
    # three 40 pt columns fit the 160 pt width (column-width: the count is what the width holds)
    (f"<div style='column-width: 40pt; {AUTO}'>{LINES * 18}</div>", 6),
    (f"<div style='column-width: 40pt; {AUTO}'>{LINES * 3}</div>", 1),
    (f"<div style='columns: 4 70pt; {AUTO}'>{LINES * 20}</div>", 10),               # room for two
    # a block spanning the columns counts as it is, the columns under it from their own top
    (f"<div style='columns: 2; column-gap: 10pt'>{LINES * 10}<div style='column-span: all'>{LINES * 2}"
     f"</div>{LINES * 10}</div>", 5 + 2 + 5),
    (f"<div style='columns: 2; {AUTO}'><div style='columns: 2; {AUTO}'>{LINES * 20}</div></div>", 5),
    (f"<div style='display: flex; flex-direction: column; columns: 2'>{LINES * 10}</div>", 10),   # no columns
    # out of the flow (the poster's tear-off tabs, fixed at every page's foot): not counted
    (LINES * 3 + "<div style='position: fixed; bottom: 0'><p>tab</p></div>", 3),
    (LINES * 3 + "<div style='position: absolute; top: 150pt'><p>tab</p></div>", 3),
])
def test_used_pages_counts_flowing_text_and_columns_as_if_stacked(body, lines):
    document = render(body)
    assert len(document.pages) == 1 and used_pages(document) == pytest.approx(lines * 12 / 160, abs=0.01)


def test_columns_are_marked_as_such():
    """fill.py tells WeasyPrint's column boxes from a multi-column box's other children by `is_column`."""
    document = render(f"<div style='columns: 2; {AUTO}'>{LINES * 20}</div><p>after</p>")
    boxes = list(document.pages[0]._page_box.descendants())
    assert sum(1 for box in boxes if getattr(box, "is_column", False)) == 2
    assert not any(getattr(box, "is_column", False) for box in boxes if getattr(box, "element_tag", None) == "p")


def test_an_element_spread_over_pages_is_found():
    document = render('<div data-one-page="the cover" data-fix="shorten it">' + "<p>x</p>" * 20 + "</div>")
    assert spilled_elements(document) == [("the cover", "shorten it", 2)]
    assert spilled_elements(render('<div data-one-page="the cover"><p>x</p></div>')) == []


def test_notes_pages_are_counted_by_their_class():
    notes = f'<section class="{NOTES_PAGE}" style="break-before: page">notes</section>'
    document = render("<main><p>text</p></main>" + notes * 2)
    assert len(document.pages) == 3 and notes_pages(document) == 2


def test_a_page_number_in_the_margin_is_not_counted_as_content():
    style = "@page { @bottom-right { content: counter(page) } }"
    document = HTML(string=f"<html><head><style>{PAGE} {style}</style></head><body><p>one</p></body></html>").render()
    assert used_pages(document) < 0.2


@pytest.mark.parametrize("options", [{}, {"grayscale": True}, {"pdfx": True, "bleed": 9.0}])
@pytest.mark.parametrize("name", ["card", "onepager"])
def test_stylesheets_parsed_once_give_the_same_pdf_as_the_linked_ones(name, options):
    """Layouter.render hands WeasyPrint the shell's stylesheets parsed once, as the user's: the PDF must be
    the one the page's own <link>s give, byte for byte (which also pins how WeasyPrint takes them)."""
    from zinepress.batch import Job, load_job
    from zinepress.edition import Selection
    from zinepress.formats import load_format
    from zinepress.html import PageSetup, render_html
    from zinepress.layout import Layouter
    from zinepress.reproducible import source_date

    edition = load_job(Job(Selection(), {"tabs": True, **options}, (name,)))
    fmt = load_format(name)
    layouter = Layouter(edition)
    setup = PageSetup(fmt.autofit.min_size, compact=fmt.text == "compact")
    with source_date(edition):
        reused = [layouter.render(fmt, setup).write_pdf() for _ in range(2)]   # the second from the cache
        linked = layouter.document(fmt, render_html(edition, fmt, setup)).write_pdf()
    assert reused[0] == reused[1] == linked


def test_a_container_stretched_to_the_foot_of_the_page_is_not_counted_as_full():
    """A poster's column may be as tall as its page; what counts is how far its text reaches."""
    document = render("<div style='height: 150pt'><p>one line</p></div>")
    assert used_pages(document) < 0.2
