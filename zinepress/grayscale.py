"""Grayscale files in DeviceGray: a gray drawn as RGB is counted (and often printed) with all four toners."""

from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, FloatObject

from .pdfimages import recolour_images, to_gray

RGB_TO_GRAY = {b"rg": b"g", b"RG": b"G"}


def luminance(red: float, green: float, blue: float) -> float:
    """Rec. 601 luma: how dark a colour reads, so contrast survives the change."""
    return round(0.299 * red + 0.587 * green + 0.114 * blue, 4)


def gray_operations(operations: list) -> list:
    """The same drawing, with every RGB colour replaced by its gray."""
    converted = []
    for operands, operator in operations:
        if operator in RGB_TO_GRAY and len(operands) == 3:
            gray = luminance(*(float(value) for value in operands))
            converted.append(([FloatObject(gray)], RGB_TO_GRAY[operator]))
        else:
            converted.append((operands, operator))
    return converted


def to_device_gray(pdf: bytes) -> bytes:
    """Every page's and form's colours, and every picture, as DeviceGray; text, tags and layout untouched."""
    return recolour_images(gray_content(pdf), "L", to_gray)


def gray_content(pdf: bytes) -> bytes:
    """Rewrite every page's and form's colours as DeviceGray."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    seen: set[int] = set()
    for page in writer.pages:
        content = page.get_contents()
        if content is not None:
            page.replace_contents(grayed(ContentStream(content, writer)))
        gray_forms(page.get("/Resources"), writer, seen)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def gray_forms(resources, writer: PdfWriter, seen: set[int]) -> None:
    """The form XObjects drawn with these resources, and those they draw (an SVG inside a page), grayed."""
    resources = resources.get_object() if resources is not None else {}
    for xobject in (resources.get("/XObject") or {}).values():
        form, key = xobject.get_object(), getattr(xobject, "idnum", id(xobject))
        if form.get("/Subtype") != "/Form" or key in seen:
            continue
        seen.add(key)
        form.set_data(grayed(ContentStream(form, writer)).get_data())
        gray_forms(form.get("/Resources"), writer, seen)


def grayed(stream: ContentStream) -> ContentStream:
    stream.operations = gray_operations(stream.operations)
    return stream
