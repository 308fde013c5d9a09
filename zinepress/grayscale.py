"""Grayscale files in DeviceGray: a gray drawn as RGB is counted (and often printed) with all four toners."""

from io import BytesIO

import pikepdf

from .cmyk import content_streams, instruction_of, write_content
from .pdfimages import recolour_images, to_gray

RGB_TO_GRAY = {"rg": "g", "RG": "G"}


def luminance(red: float, green: float, blue: float) -> float:
    """Rec. 601 luma: how dark a colour reads, so contrast survives the change."""
    return round(0.299 * red + 0.587 * green + 0.114 * blue, 4)


def rgb_colour(instruction: object) -> bool:
    """An rg or RG operator with its three operands (inline images have no operator)."""
    return not isinstance(instruction, pikepdf.ContentStreamInlineImage) and \
        str(instruction.operator) in RGB_TO_GRAY and len(instruction.operands) == 3


def gray_operations(instructions: list) -> list:
    """The same drawing, with every RGB colour (rg, RG) replaced by its gray (g, G)."""
    return [instruction_of([luminance(*map(float, instruction.operands))], RGB_TO_GRAY[str(instruction.operator)])
            if rgb_colour(instruction) else instruction for instruction in instructions]


def to_device_gray(pdf: bytes) -> bytes:
    """Every page's and form's colours, and every picture, as DeviceGray; text, tags and layout untouched."""
    return recolour_images(gray_content(pdf), "L", to_gray)


def gray_content(pdf: bytes) -> bytes:
    """Rewrite every page's, form's and pattern's colours as DeviceGray."""
    buffer = BytesIO()
    with pikepdf.open(BytesIO(pdf)) as document:
        for owner, instructions in content_streams(document):
            if any(rgb_colour(instruction) for instruction in instructions):
                write_content(document, owner, pikepdf.unparse_content_stream(gray_operations(instructions)))
        document.save(buffer, deterministic_id=True, min_version=document.pdf_version)
    return buffer.getvalue()
