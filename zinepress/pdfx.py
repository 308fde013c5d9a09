"""The PDFs of one laid-out format in each variant, and what makes a print shop's file PDF/X-4.

Every build writes a reading file (tagged PDF/UA-1, for screens) and the source of its print file. In
an office or `--bleed` build they are the same PDF. With `--pdfx` the print file's source is written
as PDF/X-4 by WeasyPrint: the colours that layouts/_shared/cmyk.css gives as device-cmyk(), the CMYK
output intent that stylesheet names, PDF/X identification in the XMP. What WeasyPrint leaves random or
in RGB is fixed here, so the same inputs still give the same bytes and no RGB reaches the press."""

import datetime as dt
import hashlib
import os
import re
import uuid
from io import BytesIO
from typing import TYPE_CHECKING

import pikepdf

from .cmyk import to_device_cmyk
from .contentcolour import is_rgb_instruction, is_rgb_space
from .grayscale import to_device_gray

if TYPE_CHECKING:   # preflight imports this module; WeasyPrint takes a second to load
    from .weasy import Document

PDFX = "pdf/x-4"
# WeasyPrint writes a random xmpMM:DocumentID into PDF/X-4 files, in an uncompressed XMP stream.
TRAILER_ID = re.compile(rb"/ID\s*\[[^\]]*\]")
DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def write_pdfs(document: "Document", options: dict) -> tuple[bytes, bytes]:
    """(reading file, the PDF its print file is made from), recoloured for the edition's variant."""
    if not options.get("pdfx"):
        reading = recolour(document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True,
                                              output_intent="srgb"), options)
        return reading, reading
    stamp_dates(document)
    # PDF/X first: an sRGB output intent, once asked for, stays in the document's colour profiles.
    source = recolour(fixed_document_id(document.write_pdf(pdf_variant=PDFX, custom_metadata=True)), options)
    reading = recolour(document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True), options)
    return reading, source


def recolour(pdf: bytes, options: dict) -> bytes:
    """Grayscale files in DeviceGray, PDF/X files in DeviceCMYK (both, for a black-only PDF/X)."""
    if options.get("grayscale"):
        pdf = to_device_gray(pdf)
    if options.get("pdfx"):
        pdf = to_device_cmyk(pdf)
    return pdf


def stamp_dates(document: "Document") -> None:
    """PDF/X needs creation and modification dates: those of SOURCE_DATE_EPOCH (reproducible.py sets it
    for every build), else WeasyPrint would write the current time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not (epoch and epoch.isdigit()):
        return
    stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = document.metadata.created or stamp
    document.metadata.modified = document.metadata.modified or stamp


def fixed_document_id(pdf: bytes) -> bytes:
    """The XMP DocumentID made from the file's own content instead of at random. Same length, same
    place: the cross-reference table stays right."""
    # The trailer's /ID is a hash of the objects, random DocumentID included: left out too.
    digest = hashlib.sha256(DOCUMENT_ID.sub(b"xmp.did:", TRAILER_ID.sub(b"", pdf))).digest()
    fixed = b"xmp.did:" + str(uuid.UUID(bytes=digest[:16], version=5)).encode()
    return DOCUMENT_ID.sub(fixed, pdf)


def pdfx_problems(pdf: bytes) -> list[str]:
    """What keeps a print file from being the PDF/X-4 file a shop expects; empty when nothing does."""
    document = pikepdf.open(BytesIO(pdf))
    problems = []
    if document.pdf_version < "1.6":
        problems.append(f"PDF {document.pdf_version}, PDF/X-4 needs 1.6")
    intents = [intent for intent in document.Root.get("/OutputIntents", []) if intent.get("/S") == "/GTS_PDFX"]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if profile is None or int(profile.get("/N", 0)) != 4:
        problems.append("no CMYK output intent (GTS_PDFX)")
    xmp = document.Root.Metadata.read_bytes() if "/Metadata" in document.Root else b""
    if b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" not in xmp:
        problems.append("the XMP does not identify PDF/X-4")
    if "/Trapped" not in document.docinfo:
        problems.append("no /Trapped key")
    lacking = [str(n) for n, page in enumerate(document.pages, 1) if "/TrimBox" not in page or "/BleedBox" not in page]
    if lacking:
        problems.append(f"no TrimBox or BleedBox on pages {', '.join(lacking)}")
    rgb = rgb_uses(document)
    if rgb:
        problems.append(f"RGB colour: {', '.join(rgb[:3])}")
    return problems


def rgb_uses(document: pikepdf.Pdf) -> list[str]:
    """Where the PDF paints in RGB: colour spaces, images, transparency groups and content operators."""
    found = []
    for obj in document.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if obj.get("/Subtype") == "/Image" and is_rgb_space(obj.get("/ColorSpace")):
            found.append(f"image {obj.objgen[0]}")
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and is_rgb_space(group.get("/CS")):
            found.append(f"transparency group of object {obj.objgen[0]}")
        # Colour space resources: a dictionary of named spaces, each an ICCBased or device space.
        if any(is_rgb_space(value) for value in obj.values() if isinstance(value, pikepdf.Array)):
            found.append(f"RGB colour space in object {obj.objgen[0]}")
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            found += rgb_operators(obj, f"form {obj.objgen[0]}")
    for number, page in enumerate(document.pages, 1):
        found += rgb_operators(page, f"page {number}")
    return found


def rgb_operators(owner: object, where: str) -> list[str]:
    """The RGB colour operators of a content stream: rg and RG, or an RGB space chosen with cs or CS."""
    used = {str(instruction.operator) for instruction in pikepdf.parse_content_stream(owner, "rg RG cs CS")
            if is_rgb_instruction(instruction)}
    return [f"{where} {operator}" for operator in sorted(used)]
