"""Grayscale files in DeviceGray: a gray drawn as RGB is counted (and often printed) with all four toners."""

import pikepdf

from .contentcolour import Target, recoloured_pdf
from .pdfimages import recolour_images, to_gray


def luminance(red: float, green: float, blue: float) -> float:
    """Rec. 601 luma: how dark a colour reads, so contrast survives the change."""
    return round(0.299 * red + 0.587 * green + 0.114 * blue, 4)


def gray(red: float, green: float, blue: float) -> list[float]:
    return [luminance(red, green, blue)]


GRAY = Target(pikepdf.Name.DeviceGray, fill_operator="g", stroke_operator="G", components=gray)


def to_device_gray(pdf: bytes) -> bytes:
    """Every page's and form's colours, and every picture, as DeviceGray; text, tags and layout untouched."""
    return recolour_images(gray_content(pdf), "L", to_gray)


def gray_content(pdf: bytes) -> bytes:
    """Rewrite every page's, form's and pattern's colours, and transparency groups, as DeviceGray."""
    return recoloured_pdf(pdf, GRAY)
