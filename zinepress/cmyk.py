"""CMYK files for print shops: every colour a PDF still gives in RGB rewritten as DeviceCMYK.

The layouts' own colours come from layouts/_shared/cmyk.css as device-cmyk() already, text in black ink
only. What CSS cannot reach is converted here: SVG drawings (the QR code, the guides' arrows), a white
label background, transparency groups, pictures in the content. A neutral gray becomes a tint of black
ink alone, so a shop's press never builds a gray or a black from four inks that can drift apart; other
colours go through the output intent's profile (sRGB to the CMYK press condition)."""

import zlib
from collections.abc import Iterator
from functools import lru_cache
from io import BytesIO

import pikepdf
from PIL import Image, ImageCms

from .paths import LAYOUTS_DIR
from .pdfimages import flatten, recolour_images

# The press condition of every PDF/X file: ISO 12647-2 offset on coated paper, from FOGRA39 data
# (layouts/_shared/icc/README.md says where the profile comes from and its licence).
PROFILE = LAYOUTS_DIR / "_shared" / "icc" / "FOGRA39L-zinepress.icc"
RGB_TO_CMYK = {"rg": "k", "RG": "K"}
RGB_SPACES = ("/DeviceRGB", "/CalRGB")
NEUTRAL = 1.5 / 255   # channels this close together are a gray
RELATIVE_COLORIMETRIC = 1   # ICC rendering intent (a plain number: Pillow renamed its constants)


def to_device_cmyk(pdf: bytes) -> bytes:
    """Every RGB colour of every page, form and pattern, and every image, rewritten as DeviceCMYK."""
    document = pikepdf.open(BytesIO(pdf))
    for owner, instructions in content_streams(document):
        if any(is_rgb_instruction(instruction) for instruction in instructions):
            converted = list(cmyk_operations(instructions))
            write_content(document, owner, pikepdf.unparse_content_stream(converted))
    for obj in document.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            cmyk_group(obj)
    buffer = BytesIO()
    document.save(buffer, deterministic_id=True, min_version=document.pdf_version)
    return recolour_images(buffer.getvalue(), "CMYK", image_to_cmyk)


def content_streams(document: pikepdf.Pdf) -> Iterator[tuple[object, list]]:
    """(page or stream, its parsed instructions) for each page, form XObject and tiling pattern."""
    for page in document.pages:
        yield page, list(pikepdf.parse_content_stream(page))
    for obj in document.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj, list(pikepdf.parse_content_stream(obj))


def write_content(document: pikepdf.Pdf, owner: object, data: bytes) -> None:
    compressed = zlib.compress(data, 6)
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = document.make_stream(compressed, Filter=pikepdf.Name.FlateDecode)
    else:
        owner.write(compressed, filter=pikepdf.Name.FlateDecode)


def is_rgb_instruction(instruction: object) -> bool:
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return False
    operator = str(instruction.operator)
    return operator in RGB_TO_CMYK or (operator in ("cs", "CS") and is_rgb_space(instruction.operands[0]))


def cmyk_operations(instructions: list) -> Iterator:
    """The same drawing with RGB colour operators (rg, RG, and sc/scn in an RGB space) as CMYK ones."""
    spaces = {"fill": False, "stroke": False}   # whether the current colour space is RGB
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield instruction
            continue
        operands, operator = list(instruction.operands), str(instruction.operator)
        if operator in RGB_TO_CMYK and len(operands) == 3:
            yield instruction_of(cmyk(*map(float, operands)), RGB_TO_CMYK[operator])
        elif operator in ("cs", "CS"):
            which = "fill" if operator == "cs" else "stroke"
            spaces[which] = is_rgb_space(operands[0]) if operands else False
            yield instruction_of([pikepdf.Name.DeviceCMYK], operator) if spaces[which] else instruction
        elif operator in ("sc", "scn", "SC", "SCN") and len(operands) == 3 and \
                spaces["fill" if operator.islower() else "stroke"]:
            yield instruction_of(cmyk(*map(float, operands)), operator)
        else:
            yield instruction


def instruction_of(operands: list, operator: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def cmyk_group(obj: pikepdf.Object) -> None:
    """A transparency group blended in RGB blends in CMYK instead."""
    group = obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and is_rgb_space(group.get("/CS")):
        group.CS = pikepdf.Name.DeviceCMYK


def is_rgb_space(space: object) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0)) == 3
    return str(space) in RGB_SPACES


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
