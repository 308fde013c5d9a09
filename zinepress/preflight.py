"""Preflight: check built PDFs against their manifest before anyone prints them."""

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from .errors import ZineError
from .formats import format_names, load_format
from .paths import display
from .pdfread import (Glyph, PageText, box_size, damage, glyphs, has_box, has_colour, open_objects, open_pdf,
                      page_box, page_text)
from .pdfx import pdfx_problems

# pikepdf (qpdf) warns about what it repairs in a damaged file; the failed check says it once, in the table.
logging.getLogger("pikepdf").setLevel(logging.ERROR + 10)

KINDS = ("print", "read", "guide")
SAFE_MARGIN = 6 * 72 / 25.4   # points: 6 mm (about 0.25 in), where office printers stop printing
BLEED_SAFE_MARGIN = 8.5   # points (3 mm): inside the trim of print-shop files
PAGE_MARGIN = 9.0         # points: text this near a reading page's edge has overflowed its box
SIZE_TOLERANCE = 0.05
BUNDLED_FAMILIES = ("Atkinson-Hyperlegible", "Noto-Sans")   # the fonts in fonts/, as PDFs name them
GRAY_TOLERANCE = 8        # of 255: rendering noise allowed between R, G and B in a grayscale file


@dataclass(frozen=True)
class Check:
    file: str
    name: str
    ok: bool
    detail: str


def preflight(folders: list[Path]) -> list[Check]:
    """Every check for every file listed in the manifests of these edition folders, and a failed check
    for each PDF there that the manifest does not list (an older build's, which might get printed)."""
    checks: list[Check] = []
    for folder in folders:
        manifest = read_manifest(folder / "manifest.json")
        entries = [entry for entry in manifest.get("files", []) if isinstance(entry, dict)]
        for entry in entries:
            checks.extend(check_listed(folder, entry, manifest))
        listed = {entry.get("file") for entry in entries}
        checks += [Check(display(path), "expected", False, "not in the manifest: an older build's? remove it")
                   for path in sorted(folder.glob("*.pdf")) if path.name not in listed]
    return checks


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ZineError(display(path), "no readable manifest", "build the edition first") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ZineError(display(path), "not a zinepress manifest (no list of files)", "build the edition again")
    return manifest


def check_listed(folder: Path, entry: dict, manifest: dict) -> list[Check]:
    """The checks of one listed file; only a plain file name inside the edition folder is read."""
    name = entry.get("file")
    if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
        return [Check(display(folder / "manifest.json"), "listed file", False,
                      f"{name!r} is not a file name in this folder; the manifest was changed by hand?")]
    path = folder / name
    if not path.is_file():
        return [Check(display(path), "exists", False, "listed in the manifest but missing")]
    problem = entry_problem(entry)
    if problem:
        return [Check(display(path), "listed file", False, problem)]
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Check(display(path), "readable", False, f"cannot read it ({error.strerror})")]
    # The bytes the build checked and recorded: a file swapped or edited since is not what was checked.
    same = hashlib.sha256(data).hexdigest() == entry.get("sha256")
    unchanged = Check(display(path), "as built", same, "the file the build checked" if same else
                      "changed since the build (or copied from another edition): build it again")
    return [unchanged, *check_pdf(display(path), data, entry, manifest)]


def entry_problem(entry: dict) -> str | None:
    """Why a manifest entry cannot be checked as it stands, or None."""
    if entry.get("kind") not in KINDS:
        return f"kind {entry.get('kind')!r} is not one of {', '.join(KINDS)}: the manifest was changed by hand?"
    if entry.get("format") not in format_names():
        return f"format {entry.get('format')!r} is not a known format: the manifest was changed by hand?"
    size = entry.get("page_size")
    if not (isinstance(size, list) and len(size) == 2 and all(isinstance(v, (int, float)) for v in size)):
        return "its page size is not two numbers: the manifest was changed by hand?"
    return None


def check_pdf(name: str, data: bytes, entry: dict, manifest: dict) -> list[Check]:
    """The checks for one PDF, given its manifest entry and the edition's manifest (bleed, grayscale).
    A file damaged anywhere (the damage preflight exists to catch) is one failed check, not a crash."""
    try:
        return checks_of(name, data, entry, manifest)
    except Exception as error:   # noqa: BLE001 - a damaged object can break any reader in any way
        return [Check(name, "readable", False, f"not a readable PDF ({type(error).__name__}: {error})")]


def checks_of(name: str, data: bytes, entry: dict, manifest: dict) -> list[Check]:
    reader, document = open_objects(data), open_pdf(data)
    pages = list(document)   # each loaded once (PDFium parses a page's content as it loads it)
    texts = [page_text(page) for page in pages]
    has_text = any(text.smallest is not None for text in texts)
    checks = [fonts_embedded(name, reader, has_text), page_sizes(name, reader, entry),
              smallest_text(name, texts, entry)]
    if entry["kind"] == "print":
        # A print shop trims precisely: there the safe margin inside the trim is the bleed's width.
        margin = BLEED_SAFE_MARGIN if manifest.get("bleed") else SAFE_MARGIN
        checks.append(safe_area(name, pages, texts, reader, margin))
    if entry["kind"] == "read":
        checks.append(safe_area(name, pages, texts, reader, PAGE_MARGIN, "text inside pages"))
    if manifest.get("grayscale"):
        checks.append(no_colour(name, pages))
    if manifest.get("bleed") and entry["kind"] == "print":
        checks.append(bleed_present(name, reader))
    if manifest.get("pdfx") and entry["kind"] == "print":
        checks.append(pdf_x(name, data))
    if entry["kind"] == "read":
        checks.append(tagged(name, reader))
    found = damage(reader)   # after every read: qpdf warns as it reads
    if found:
        checks.append(Check(name, "readable", False, f"damaged: {found[0][:120]}"))
    return checks


def fonts_embedded(name: str, reader: pikepdf.Pdf, has_text: bool) -> Check:
    """Every font embedded, and every one of them bundled: no glyph fell back to a system font."""
    missing, foreign, found = set(), set(), False
    for page in reader.pages:
        for font in fonts_in(page.obj.get("/Resources"), set()):
            for leaf in list(font.get("/DescendantFonts") or []) or [font]:
                found = True
                descriptor = leaf.get("/FontDescriptor")
                descriptor = descriptor.keys() if descriptor is not None else set()
                font_name = str(leaf.get("/BaseFont"))
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(font_name)
                if not any(family in font_name for family in BUNDLED_FAMILIES):
                    foreign.add(font_name)
    problems = [f"not embedded: {', '.join(sorted(missing))}"] if missing else []
    problems += [f"not bundled: {', '.join(sorted(foreign))}"] if foreign else []
    problems += ["text but no font found"] if has_text and not found else []
    return Check(name, "fonts embedded", not problems, "; ".join(problems) or "all, all bundled")


def fonts_in(resources, seen: set) -> Iterator:
    """The fonts of a resource dictionary and of the form XObjects it draws (imposed pages are forms)."""
    if resources is None:
        return
    yield from (resources.get("/Font") or {}).values()
    for form in (resources.get("/XObject") or {}).values():
        key = form.objgen if form.is_indirect else id(form)
        if form.get("/Subtype") == "/Form" and key not in seen:
            seen.add(key)
            yield from fonts_in(form.get("/Resources"), seen)


def page_sizes(name: str, reader: pikepdf.Pdf, entry: dict) -> Check:
    """Every page's trim (or media) box is the size the manifest promises."""
    want = entry["page_size"]
    wrong = []
    if entry.get("pages") not in (None, len(reader.pages)):   # a page lost (or added) since the build
        wrong.append(f"{len(reader.pages)} pages, not the {entry['pages']} built")
    for number, page in enumerate(reader.pages, 1):
        size = box_size(page)
        if any(abs(a - b) > SIZE_TOLERANCE for a, b in zip(size, want)):
            wrong.append(f"page {number} is {size[0]:.2f} x {size[1]:.2f}")
    return Check(name, "page size", not wrong, "; ".join(wrong) or f"{want[0]:g} x {want[1]:g} pt")


def smallest_text(name: str, texts: list[PageText], entry: dict) -> Check:
    minimum = load_format(entry["format"]).min_text_size
    smallest = min((text.smallest for text in texts if text.smallest is not None), default=minimum)
    return Check(name, "smallest text", smallest >= minimum - SIZE_TOLERANCE,
                 f"{smallest:.1f} pt (minimum {minimum:g} pt)")


def safe_area(name: str, pages: Iterable[pdfium.PdfPage], texts: list[PageText], reader: pikepdf.Pdf,
              margin: float, label: str = "safe area") -> Check:
    """No text within the safe margin of the trimmed sheet's edge. A page's runs of text are looked at
    first; only a page with one too close (or with text but no runs) has its glyphs read, to be sure and
    to name the word."""
    close = []
    for number, (page, text, raw) in enumerate(zip(pages, texts, reader.pages), 1):
        left, bottom, right, top = page_box(raw)
        clear = all(min(x0 - left, right - x1, y0 - bottom, top - y1) >= margin for x0, y0, x1, y1 in text.runs)
        if clear and (text.runs or text.smallest is None):
            continue
        printed = list(glyphs(page))
        for index, glyph in enumerate(printed):
            if min(glyph.left - left, right - glyph.right, glyph.bottom - bottom, top - glyph.top) < margin:
                word = word_at(printed, index)
                shown = word if len(word) <= 30 else f"{word[:30]}… ({len(word)} letters: too long to break?)"
                close.append(f"page {number}: '{shown}' at {glyph.left:.0f},{glyph.bottom:.0f}")
                break
    return Check(name, label, not close, "; ".join(close) or f"text ≥ {margin:.3g} pt from the edge")


def word_at(glyphs: list[Glyph], index: int) -> str:
    """The word the glyph at `index` belongs to: its neighbours on the same line with no space between."""
    def joined(a: Glyph, b: Glyph) -> bool:
        return abs(a.bottom - b.bottom) < a.size * 0.4 and -a.size < b.left - a.right < a.size * 0.15

    start, end = index, index
    while start > 0 and joined(glyphs[start - 1], glyphs[start]):
        start -= 1
    while end + 1 < len(glyphs) and joined(glyphs[end], glyphs[end + 1]):
        end += 1
    return "".join(glyph.text for glyph in glyphs[start:end + 1])


def bleed_present(name: str, reader: pikepdf.Pdf) -> Check:
    lacking = [str(n) for n, page in enumerate(reader.pages, 1)
               if not (has_box(page, "/BleedBox") and has_box(page, "/TrimBox"))
               or box_size(page, "/BleedBox")[0] <= box_size(page)[0]]
    return Check(name, "bleed", not lacking, f"missing on pages {', '.join(lacking)}" if lacking else "present")


def pdf_x(name: str, data: bytes) -> Check:
    """A --pdfx print file: PDF/X-4 identified, CMYK output intent, trim and bleed boxes, no RGB."""
    problems = pdfx_problems(data)
    return Check(name, "PDF/X-4", not problems, "; ".join(problems) or "CMYK, output intent, boxes, XMP")


def no_colour(name: str, pages: Iterable[pdfium.PdfPage]) -> Check:
    """Render each page and look for any pixel whose channels differ: colour in a grayscale file."""
    for number, page in enumerate(pages, 1):
        if has_colour(page, dpi=36, tolerance=GRAY_TOLERANCE):
            return Check(name, "grayscale", False, f"colour on page {number}")
    return Check(name, "grayscale", True, "no colour")


def tagged(name: str, reader: pikepdf.Pdf) -> Check:
    root = reader.Root
    marked = bool((root.get("/MarkInfo") or {}).get("/Marked"))
    has_tree = "/StructTreeRoot" in root
    info = reader.trailer.get("/Info") or {}
    missing = [what for what, ok in (("structure tree", has_tree), ("MarkInfo", marked),
                                     ("language", "/Lang" in root), ("title", bool(info.get("/Title"))))
               if not ok]
    return Check(name, "tagged", not missing, "missing " + ", ".join(missing) if missing else "tags, title, language")


def table(checks: list[Check]) -> str:
    """A readable table: one row per check."""
    widths = [max(len(c.file) for c in checks), max(len(c.name) for c in checks)]
    rows = [f"{'file':{widths[0]}}  {'check':{widths[1]}}  result  detail"]
    rows += [f"{c.file:{widths[0]}}  {c.name:{widths[1]}}  {'ok  ' if c.ok else 'FAIL'}    {c.detail}"
             for c in checks]
    return "\n".join(rows)
