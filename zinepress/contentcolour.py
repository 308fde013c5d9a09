"""RGB colours in content streams rewritten in another colour space: DeviceGray for grayscale files,
DeviceCMYK for PDF/X files. Both conversions reach the same places: every page, form XObject and tiling
pattern; the rg/RG operators, and sc/scn/SC/SCN where the stream itself set an RGB colour space (cs/CS,
or rg/RG), saved and restored with q/Q; transparency groups and their soft masks' backdrops.

WeasyPrint writes its colours as rg/RG; the rest is for pictures' and SVGs' drawings that may come to
use them. A form that draws with sc in a colour space it inherits from the page is left as it is."""

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO

import pikepdf

RGB_SPACES = ("/DeviceRGB", "/CalRGB")


@dataclass(frozen=True)
class Target:
    """Where RGB goes: the colour space, its rg/RG operators, and each colour's components in it."""
    space: pikepdf.Name
    fill_operator: str                                     # what rg becomes ("g", "k")
    stroke_operator: str                                   # what RG becomes ("G", "K")
    components: Callable[[float, float, float], list[float]]


def recoloured_pdf(pdf: bytes, target: Target) -> bytes:
    """The PDF with every RGB colour of its content streams and transparency groups in `target`."""
    buffer = BytesIO()
    with pikepdf.open(BytesIO(pdf)) as document:
        for owner, instructions in content_streams(document):
            if any(is_rgb_instruction(instruction) for instruction in instructions):
                converted = list(recoloured(instructions, target))
                write_content(document, owner, pikepdf.unparse_content_stream(converted))
        dictionaries = [obj for obj in document.objects if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)]
        for obj in dictionaries:   # before the groups: a backdrop is given in its group's colour space
            recolour_backdrop(obj, target)
        for obj in dictionaries:
            recolour_group(obj, target)
        document.save(buffer, deterministic_id=True, min_version=document.pdf_version)
    return buffer.getvalue()


def content_streams(document: pikepdf.Pdf) -> Iterator[tuple[object, list]]:
    """(page or stream, its parsed instructions) for each page, form XObject and tiling pattern."""
    for page in document.pages:
        yield page, list(pikepdf.parse_content_stream(page))
    for obj in document.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj, list(pikepdf.parse_content_stream(obj))


def write_content(document: pikepdf.Pdf, owner: object, data: bytes) -> None:
    """A page's or stream's new content, compressed."""
    compressed = zlib.compress(data, 6)
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = document.make_stream(compressed, Filter=pikepdf.Name.FlateDecode)
    else:
        owner.write(compressed, filter=pikepdf.Name.FlateDecode)


def is_rgb_instruction(instruction: object) -> bool:
    """An rg or RG, or a cs or CS choosing an RGB colour space: a stream without one has no RGB."""
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return False
    operator, operands = str(instruction.operator), instruction.operands
    return operator in ("rg", "RG") or (operator in ("cs", "CS") and bool(operands) and is_rgb_space(operands[0]))


# What each colour operator does to the current colour space: (fill or stroke, whether it is now RGB).
SETS_SPACE = {"rg": ("fill", True), "RG": ("stroke", True), "g": ("fill", False), "G": ("stroke", False),
              "k": ("fill", False), "K": ("stroke", False)}


def recoloured(instructions: list, target: Target) -> Iterator:
    """The same drawing with RGB colour operators (rg, RG, and sc/scn in an RGB space) in `target`."""
    operators = {"rg": target.fill_operator, "RG": target.stroke_operator}
    spaces = {"fill": False, "stroke": False}   # whether the current colour space is RGB (as the stream set it)
    saved: list[dict] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield instruction
            continue
        operands, operator = list(instruction.operands), str(instruction.operator)
        if operator == "q":
            saved.append(dict(spaces))
        elif operator == "Q" and saved:
            spaces = saved.pop()
        if operator in SETS_SPACE:
            which, rgb = SETS_SPACE[operator]
            spaces[which] = rgb
        if operator in operators and len(operands) == 3:
            yield instruction_of(target.components(*map(float, operands)), operators[operator])
        elif operator in ("cs", "CS"):
            which = "fill" if operator == "cs" else "stroke"
            spaces[which] = bool(operands) and is_rgb_space(operands[0])
            yield instruction_of([target.space], operator) if spaces[which] else instruction
        elif operator in ("sc", "scn", "SC", "SCN") and len(operands) == 3 and \
                spaces["fill" if operator.islower() else "stroke"]:
            yield instruction_of(target.components(*map(float, operands)), operator)
        else:
            yield instruction


def instruction_of(operands: list, operator: str) -> pikepdf.ContentStreamInstruction:
    """One content-stream instruction, as pikepdf writes it back."""
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def recolour_group(obj: pikepdf.Object, target: Target) -> None:
    """A transparency group blended in RGB blends in the target space instead."""
    group = obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and is_rgb_space(group.get("/CS")):
        group.CS = target.space


def recolour_backdrop(obj: pikepdf.Object, target: Target) -> None:
    """A soft mask's backdrop colour (/BC) is given in its group's colour space: converted with it."""
    for mask in soft_masks(obj):
        form, backdrop = mask.get("/G"), mask.get("/BC")
        group = form.get("/Group") if isinstance(form, pikepdf.Stream) else None
        if isinstance(backdrop, pikepdf.Array) and len(backdrop) == 3 and isinstance(group, pikepdf.Dictionary) \
                and is_rgb_space(group.get("/CS")):
            mask.BC = pikepdf.Array(target.components(*map(float, backdrop)))


def soft_masks(obj: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """The soft masks an object is or holds: itself, its /SMask (a graphics state), and those of the
    graphics states in its resources (a page's or form's), which are often written inside it."""
    resources = obj.get("/Resources")
    states = resources.get("/ExtGState") if isinstance(resources, pikepdf.Dictionary) else None
    holders = [obj, *(states.values() if isinstance(states, pikepdf.Dictionary) else ())]
    for holder in holders:
        for mask in (holder, holder.get("/SMask")):
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask and "/S" in mask:   # its /Type is optional
                yield mask


def is_rgb_space(space: object) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0)) == 3
    return str(space) in RGB_SPACES
