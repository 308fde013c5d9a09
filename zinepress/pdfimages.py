"""Images inside built PDFs recoloured: to gray for grayscale files, to CMYK for PDF/X files.

A content folder may hold its own pictures (a logo, a photo); WeasyPrint embeds them as they are, in RGB.
Converting the embedded image objects after the fact catches every one of them, wherever a layout put it."""

import zlib
from collections.abc import Callable
from io import BytesIO

import pikepdf
from PIL import Image

# The colour spaces a converted image ends in; anything else is converted.
TARGETS = {"L": "/DeviceGray", "CMYK": "/DeviceCMYK"}


def recolour_images(pdf: bytes, mode: str, convert: Callable[[Image.Image], Image.Image]) -> bytes:
    """Every image XObject not yet in `mode` ("L" or "CMYK") redrawn through `convert`; masks stay."""
    document = pikepdf.open(BytesIO(pdf))
    changed = False
    for obj in document.objects:
        if is_image(obj) and needs_conversion(obj, mode):
            replace_image(obj, convert(pikepdf.PdfImage(obj).as_pil_image()), mode)
            changed = True
    if not changed:
        return pdf
    buffer = BytesIO()
    document.save(buffer, deterministic_id=True, min_version=document.pdf_version)
    return buffer.getvalue()


def is_image(obj: object) -> bool:
    """An image XObject (soft masks are images too, but gray, so they are never converted)."""
    return isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and not obj.get("/ImageMask", False)


def needs_conversion(image: pikepdf.Stream, mode: str) -> bool:
    # Gray is neutral already: on a CMYK press it prints with black ink only.
    return image.get("/ColorSpace") not in (TARGETS[mode], "/DeviceGray")


def replace_image(image: pikepdf.Stream, picture: Image.Image, mode: str) -> None:
    """Write `picture` (converted to `mode`) into the image object, Flate-compressed, 8 bits a sample."""
    picture = picture if picture.mode == mode else picture.convert(mode)
    image.write(zlib.compress(picture.tobytes(), 9), filter=pikepdf.Name.FlateDecode)
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image:
            del image[key]
    image.ColorSpace = pikepdf.Name(TARGETS[mode])
    image.BitsPerComponent = 8
    image.Width, image.Height = picture.size


def to_gray(picture: Image.Image) -> Image.Image:
    """Rec. 601 luma, as Pillow's convert("L") computes it: the same weights as grayscale.luminance."""
    return flatten(picture).convert("L")


def flatten(picture: Image.Image) -> Image.Image:
    """RGB without alpha (WeasyPrint keeps alpha in a separate soft mask) or palette."""
    if picture.mode in ("RGB", "L", "CMYK"):
        return picture
    return picture.convert("RGBA").convert("RGB") if "A" in picture.mode or picture.mode == "P" else picture.convert("RGB")
