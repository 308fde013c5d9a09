"""Preflight reads a page's text runs and its smallest size rather than every glyph: these tests hold that
to what reading every glyph finds, on every file of the default edition and on text planted at an edge."""

import io

import pikepdf
import pytest
from weasyprint import HTML

from conftest import shared_edition
from zinepress.pdfread import glyphs, open_objects, open_pdf, page_text
from zinepress.preflight import safe_area


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return shared_edition(tmp_path_factory)   # the default edition, every format


def test_every_glyph_lies_inside_one_of_its_pages_text_runs(edition):
    """What safe_area relies on: text runs clear of an edge mean every glyph is (PDFium's GetRect)."""
    files = sorted(edition.glob("*.pdf"))
    assert len(files) >= 8
    for path in files:
        for number, page in enumerate(open_pdf(path.read_bytes()), 1):
            rects = page_text(page).runs
            outside = [glyph.text for glyph in glyphs(page)
                       if not any(x0 - 0.01 <= glyph.left and glyph.right <= x1 + 0.01 and
                                  y0 - 0.01 <= glyph.bottom and glyph.top <= y1 + 0.01 for x0, y0, x1, y1 in rects)]
            assert not outside, f"{path.name} page {number}: {''.join(outside)[:40]}"


def test_smallest_size_is_the_smallest_glyph(edition):
    """Read object by object, it is what reading every glyph finds: on the reading pages and on the imposed
    sheets, which draw them as forms (a panel of the mini zine at its scale, eight cards on a sheet)."""
    pages = [page for path in sorted(edition.glob("*.pdf")) for page in open_pdf(path.read_bytes())]
    for page in pages:
        assert page_text(page).smallest == pytest.approx(min(glyph.size for glyph in glyphs(page)), rel=1e-9)


@pytest.mark.parametrize("content, smallest", [
    (b"BT /F 10 Tf 20 20 Td (Hi) Tj ET", 10),
    (b"BT /F 2 Tf 20 20 Td (   ) Tj ET BT /F 10 Tf 20 40 Td (Hi) Tj ET", 10),     # spaces are not seen
    (b"0.5 0 0 0.5 0 0 cm BT /F 10 Tf 20 20 Td (Hi) Tj ET", 5),
    (b"q 0.5 0 0 0.5 0 0 cm /Panel Do Q BT /F 9 Tf 20 90 Td (Hi) Tj ET", 6),     # the form's 12 pt, halved
    (b"q 2 0 0 2 0 0 cm /Nest Do Q", 12),                                      # 12 pt, halved, doubled
])
def test_smallest_size_reads_text_under_every_matrix(content, smallest):
    assert page_text(open_pdf(page_drawing(content))[0]).smallest == pytest.approx(smallest)


def page_drawing(content: bytes) -> bytes:
    """A 200 pt page drawing `content`, with a Helvetica /F and two forms: /Panel draws 12 pt text, /Nest
    draws /Panel at half size."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))

    def form(stream: bytes, resources: pikepdf.Dictionary) -> pikepdf.Stream:
        return pdf.make_indirect(pikepdf.Stream(pdf, stream, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                                BBox=[0, 0, 200, 200], Resources=resources))

    panel = form(b"BT /F 12 Tf 20 20 Td (Panel) Tj ET", pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font)))
    nest = form(b"q 0.5 0 0 0.5 0 0 cm /Panel Do Q", pikepdf.Dictionary(XObject=pikepdf.Dictionary(Panel=panel)))
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font),
                                            XObject=pikepdf.Dictionary(Panel=panel, Nest=nest))
    page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, content))
    return pdf_bytes(pdf)


def page_with_text(margin_pt: float) -> bytes:
    """A 200 pt page whose text starts `margin_pt` from its left and top edges."""
    style = f"@page {{ size: 200pt; margin: {margin_pt}pt }} body {{ margin: 0; font: 10pt sans-serif }}"
    return HTML(string=f"<style>{style}</style><p>edgeword and more</p>").write_pdf()


@pytest.mark.parametrize("margin_pt, ok", [(30, True), (4, False)])
def test_safe_area_passes_clear_text_and_names_the_word_at_the_edge(margin_pt, ok):
    data = page_with_text(margin_pt)
    with open_objects(data) as reader:
        document = open_pdf(data)
        check = safe_area("planted.pdf", document, [page_text(page) for page in document], reader, 18)
    assert check.ok is ok
    assert ("'edgeword'" in check.detail) is not ok, check.detail


def test_a_page_with_text_but_no_runs_has_its_glyphs_read():
    """PDFium leaves out of its runs a character whose box is under 0.01 pt: text with no runs at all is
    read glyph by glyph rather than taken as clear."""
    data = page_with_text(4)
    with open_objects(data) as reader:
        document = open_pdf(data)
        texts = [page_text(page)._replace(runs=[]) for page in document]
        check = safe_area("planted.pdf", document, texts, reader, 18)
    assert not check.ok and "'edgeword'" in check.detail


def test_a_page_without_text_has_no_smallest_size():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(20, 20))
    document = open_pdf(pdf_bytes(pdf))
    assert page_text(document[0]) == (None, [])


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
