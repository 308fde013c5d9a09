"""RGB colours in content streams rewritten in another colour space: DeviceGray for grayscale files,
DeviceCMYK for PDF/X files. Both conversions reach the same places: every page, form XObject and tiling
pattern; the rg/RG operators and sc/scn/SC/SCN in an RGB colour space (cs/CS); transparency groups."""

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
    fill: str                                              # what rg becomes ("g", "k")
    stroke: str                                            # what RG becomes ("G", "K")
    components: Callable[[float, float, float], list[float]]


def recoloured_pdf(pdf: bytes, target: Target) -> bytes:
    """The PDF with every RGB colour of its content streams and transparency groups in `target`."""
    buffer = BytesIO()
    with pikepdf.open(BytesIO(pdf)) as document:
        for owner, instructions in content_streams(document):
            if any(is_rgb_instruction(instruction) for instruction in instructions):
                converted = list(recoloured(instructions, target))
                write_content(document, owner, pikepdf.unparse_content_stream(converted))
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
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
    compressed = zlib.compress(data, 6)
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = document.make_stream(compressed, Filter=pikepdf.Name.FlateDecode)
    else:
        owner.write(compressed, filter=pikepdf.Name.FlateDecode)


def is_rgb_instruction(instruction: object) -> bool:
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return False
    operator = str(instruction.operator)
    return operator in ("rg", "RG") or (operator in ("cs", "CS") and is_rgb_space(instruction.operands[0]))


def recoloured(instructions: list, target: Target) -> Iterator:
    """The same drawing with RGB colour operators (rg, RG, and sc/scn in an RGB space) in `target`."""
    operators = {"rg": target.fill, "RG": target.stroke}
    spaces = {"fill": False, "stroke": False}   # whether the current colour space is RGB
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield instruction
            continue
        operands, operator = list(instruction.operands), str(instruction.operator)
        if operator in operators and len(operands) == 3:
            yield instruction_of(target.components(*map(float, operands)), operators[operator])
        elif operator in ("cs", "CS"):
            which = "fill" if operator == "cs" else "stroke"
            spaces[which] = is_rgb_space(operands[0]) if operands else False
            yield instruction_of([target.space], operator) if spaces[which] else instruction
        elif operator in ("sc", "scn", "SC", "SCN") and len(operands) == 3 and \
                spaces["fill" if operator.islower() else "stroke"]:
            yield instruction_of(target.components(*map(float, operands)), operator)
        else:
            yield instruction


def instruction_of(operands: list, operator: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def recolour_group(obj: pikepdf.Object, target: Target) -> None:
    """A transparency group blended in RGB blends in the target space instead."""
    group = obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and is_rgb_space(group.get("/CS")):
        group.CS = target.space


def is_rgb_space(space: object) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0)) == 3
    return str(space) in RGB_SPACES
