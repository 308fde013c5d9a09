"""Grayscale content: every RGB colour a page, a form (an SVG, the QR code) or a tiling pattern sets is
rewritten as the DeviceGray of its brightness; everything else in the drawing stays as it was."""

from io import BytesIO

import pikepdf

from conftest import drawn, one_page_pdf
from zinepress.grayscale import gray_content


def stream_ops(stream: object) -> list[tuple[str, list[float]]]:
    return [(str(op.operator), [float(value) for value in op.operands])
            for op in pikepdf.parse_content_stream(stream) if str(op.operator) in ("rg", "RG", "g", "G", "re", "f")]


def sample_pdf() -> bytes:
    """One page filling red and stroking blue, drawing a form that fills green, and a pattern in white."""
    pdf = pikepdf.new()
    form = pdf.make_stream(b"0 1 0 rg 0 0 5 5 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=[0, 0, 5, 5])
    pattern = pdf.make_stream(b"1 1 1 rg 0 0 2 2 re f", PatternType=1, PaintType=1, TilingType=1,
                              BBox=[0, 0, 2, 2], XStep=2, YStep=2, Resources=pikepdf.Dictionary())
    pdf.add_blank_page(page_size=(20, 20))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form),
                                            Pattern=pikepdf.Dictionary(P1=pattern))
    page.obj.Contents = pdf.make_stream(b"1 0 0 rg 0 0 1 RG 0 0 10 10 re f q /Fm1 Do Q 0.5 g 1 1 2 2 re f")
    buffer = BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_rgb_colours_become_the_gray_of_their_brightness():
    with pikepdf.open(BytesIO(gray_content(sample_pdf()))) as pdf:
        page = pdf.pages[0]
        form = page.obj.Resources.XObject.Fm1
        pattern = page.obj.Resources.Pattern.P1
        assert stream_ops(page) == [("g", [0.299]), ("G", [0.114]), ("re", [0, 0, 10, 10]), ("f", []),
                                    ("g", [0.5]), ("re", [1, 1, 2, 2]), ("f", [])]
        assert stream_ops(form) == [("g", [0.587]), ("re", [0, 0, 5, 5]), ("f", [])]
        assert stream_ops(pattern) == [("g", [1.0]), ("re", [0, 0, 2, 2]), ("f", [])]


def test_a_drawing_without_rgb_keeps_its_content_stream():
    with pikepdf.open(BytesIO(gray_content(one_page_pdf(b"0.25 g 0 0 10 10 re f")))) as gray:
        assert gray.pages[0].obj.Contents.read_bytes() == b"0.25 g 0 0 10 10 re f"


PIXELS = bytes([0x10, 0xf0, 0x80]) * 4   # a 4 x 3 gray inline image


def test_everything_but_the_colours_is_kept_across_a_page_of_several_streams():
    """A page whose content is an array of streams, with a saved state, a form and an inline image."""
    pdf = pikepdf.new()
    form = pdf.make_stream(b"0 0 0 RG 0 0 5 5 re S", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=[0, 0, 5, 5])
    pdf.add_blank_page(page_size=(20, 20))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
    page.obj.Contents = pikepdf.Array([
        pdf.make_stream(b"q 0.2 0.4 0.6 rg 1 0 0 1 2 2 cm 0 0 4 4 re f Q"),
        pdf.make_stream(b"q /Fm1 Do Q BI /W 4 /H 3 /CS /G /BPC 8 ID " + PIXELS + b" EI 1 w")])
    buffer = BytesIO()
    pdf.save(buffer)
    with pikepdf.open(BytesIO(gray_content(buffer.getvalue()))) as gray:
        instructions = pikepdf.parse_content_stream(gray.pages[0])
        operators = [str(op.operator) for op in instructions]
        assert operators == ["q", "g", "cm", "re", "f", "Q", "q", "Do", "Q", "INLINE IMAGE", "w"]
        assert [float(v) for v in instructions[1].operands] == [0.363]   # 0.299·0.2 + 0.587·0.4 + 0.114·0.6
        # qpdf reads an inline image's data up to the space before EI, that space included
        assert instructions[9].iimage.read_bytes().removesuffix(b" ") == PIXELS
        assert stream_ops(gray.pages[0].obj.Resources.XObject.Fm1) == [("G", [0.0]), ("re", [0, 0, 5, 5])]


def test_colours_set_in_an_rgb_colour_space_and_rgb_groups_become_gray():
    """sc/scn after `/DeviceRGB cs` (WeasyPrint writes rg; a picture's or SVG's drawing may not) and a group
    blended in RGB."""
    pdf = pikepdf.new()
    group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
    form = pdf.make_stream(b"0 0 1 rg 0 0 5 5 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=[0, 0, 5, 5], Group=group)
    pdf.add_blank_page(page_size=(20, 20))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
    page.obj.Contents = pdf.make_stream(b"/DeviceRGB cs 1 0 0 sc /DeviceRGB CS 0 0 1 SCN 0 0 4 4 re B "
                                        b"/DeviceGray cs 0.5 sc 1 1 2 2 re f /Fm1 Do")
    buffer = BytesIO()
    pdf.save(buffer)
    with pikepdf.open(BytesIO(gray_content(buffer.getvalue()))) as gray:
        drawn = [(str(op.operator), [str(value) if isinstance(value, pikepdf.Name) else float(value)
                                     for value in op.operands])
                 for op in pikepdf.parse_content_stream(gray.pages[0])]
        assert drawn[:5] == [("cs", ["/DeviceGray"]), ("sc", [0.299]), ("CS", ["/DeviceGray"]), ("SCN", [0.114]),
                             ("re", [0, 0, 4, 4])]
        assert drawn[6:8] == [("cs", ["/DeviceGray"]), ("sc", [0.5])]   # gray already: as it was
        assert gray.pages[0].obj.Resources.XObject.Fm1.Group.CS == pikepdf.Name.DeviceGray


def test_a_colour_space_saved_and_restored_with_q_and_Q_stays_consistent():
    """sc after Q is in the space restored by Q: here RGB again, so it is grayed with it."""
    gray = drawn(gray_content(one_page_pdf(b"/DeviceRGB cs q /DeviceGray cs 0.5 sc Q 1 0 0 sc")))
    assert gray == [("cs", ["/DeviceGray"]), ("q", []), ("cs", ["/DeviceGray"]), ("sc", [0.5]), ("Q", []),
                    ("sc", [0.299])]


def test_sc_after_rg_is_in_the_space_rg_chose():
    assert drawn(gray_content(one_page_pdf(b"1 0 0 rg 0 1 0 sc 0.2 g 0.4 sc"))) == [
        ("g", [0.299]), ("sc", [0.587]), ("g", [0.2]), ("sc", [0.4])]


def test_a_colour_space_operator_without_its_operand_does_not_stop_the_conversion():
    assert drawn(gray_content(one_page_pdf(b"cs 0 0 1 rg"))) == [("cs", []), ("g", [0.114])]


def test_an_icc_rgb_group_and_its_soft_mask_backdrop_become_gray():
    """WeasyPrint names sRGB as an ICC profile with three components; a soft mask's backdrop (/BC) is in
    its group's space, so it changes with it."""
    def objects(pdf):
        profile = pdf.make_stream(b"not a real profile", N=3)
        group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Array([pikepdf.Name.ICCBased, profile]))
        form = pdf.make_stream(b"1 1 1 rg 0 0 5 5 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                               BBox=[0, 0, 5, 5], Group=group)
        mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=form, BC=[1, 0, 0])
        return pikepdf.Dictionary(GS1=pdf.make_indirect(pikepdf.Dictionary(SMask=mask)))

    with pikepdf.open(BytesIO(gray_content(one_page_pdf(b"/GS1 gs 0 0 4 4 re f", ExtGState=objects)))) as gray:
        mask = gray.pages[0].obj.Resources.ExtGState.GS1.SMask
        assert mask.G.Group.CS == pikepdf.Name.DeviceGray
        assert [float(value) for value in mask.BC] == [0.299]
