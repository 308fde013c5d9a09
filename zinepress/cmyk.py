"""CMYK files for print shops: every colour a PDF still gives in RGB rewritten as DeviceCMYK.

The layouts' own colours come from layouts/_shared/cmyk.css as device-cmyk() already, text in black ink
only. What CSS cannot reach is converted here: SVG drawings (the QR code, the guides' arrows), a white
label background, transparency groups, pictures in the content. A neutral gray becomes a tint of black
ink alone, so a shop's press never builds a gray or a black from four inks that can drift apart; other
colours go through the output intent's profile (sRGB to the CMYK press condition)."""

from functools import lru_cache

import pikepdf
from PIL import Image, ImageCms

from .contentcolour import Target, recoloured_pdf
from .paths import LAYOUTS_DIR
from .pdfimages import flatten, recolour_images

# The press condition of every PDF/X file: ISO 12647-2 offset on coated paper, from FOGRA39 data
# (layouts/_shared/icc/README.md says where the profile comes from and its licence).
PROFILE = LAYOUTS_DIR / "_shared" / "icc" / "FOGRA39L-zinepress.icc"
NEUTRAL = 1.5 / 255   # channels this close together are a gray
RELATIVE_COLORIMETRIC = 1   # ICC rendering intent (a plain number: Pillow renamed its constants)


def to_device_cmyk(pdf: bytes) -> bytes:
    """Every RGB colour of every page, form and pattern, and every image, rewritten as DeviceCMYK."""
    target = Target(pikepdf.Name.DeviceCMYK, fill_operator="k", stroke_operator="K", components=cmyk)
    return recolour_images(recoloured_pdf(pdf, target), "CMYK", image_to_cmyk)


def cmyk(red: float, green: float, blue: float) -> list[float]:
    """The CMYK of an sRGB colour: a gray as black ink alone, any other colour through the profile."""
    if max(red, green, blue) - min(red, green, blue) <= NEUTRAL:
        return [0.0, 0.0, 0.0, round(1 - (red + green + blue) / 3, 4)]
    pixel = Image.new("RGB", (1, 1), tuple(round(255 * value) for value in (red, green, blue)))
    return [round(channel / 255, 4) for channel in image_to_cmyk(pixel).getpixel((0, 0))]


def image_to_cmyk(picture: Image.Image) -> Image.Image:
    return ImageCms.applyTransform(flatten(picture).convert("RGB"), srgb_to_press())


@lru_cache(maxsize=1)
def srgb_to_press() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(PROFILE)),
                                   "RGB", "CMYK", renderingIntent=RELATIVE_COLORIMETRIC)
