"""Grayscale content: every RGB colour a page, a form (an SVG, the QR code) or a tiling pattern sets is
rewritten as the DeviceGray of its brightness; everything else in the drawing stays as it was."""

from io import BytesIO

import pikepdf

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
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(20, 20))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"0.25 g 0 0 10 10 re f")
    buffer = BytesIO()
    pdf.save(buffer)
    with pikepdf.open(BytesIO(gray_content(buffer.getvalue()))) as gray:
        assert gray.pages[0].obj.Contents.read_bytes() == b"0.25 g 0 0 10 10 re f"
