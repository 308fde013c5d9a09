"""Print-shop, grayscale, accessible and reproducible output, checked the way a printer or reader would."""

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from conftest import (CONTENT, WITH_GUIDES, build_edition, build_here, front_matter, manifest, region_lines, run_cli,
                      shared_edition)

BLEED_LETTER = 0.125 * 72
PRINT_FILES = ("booklet.pdf", "minizine.pdf", "card.pdf", "poster.pdf", "onepager.pdf")


@pytest.fixture(scope="module")
def colour(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition, every format


@pytest.fixture(scope="module")
def gray(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("gray"), "--grayscale")


@pytest.fixture(scope="module")
def bleed(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("bleed"), "--bleed", "--format", "booklet,card,poster")


def box(page, name: str) -> list[float]:
    return [round(float(v), 2) for v in page[name]]


@pytest.mark.parametrize("name, trim_size", [("booklet.pdf", (792, 612)), ("poster.pdf", (612, 792)),
                                             ("card.pdf", (2 * 252 + 2 * BLEED_LETTER, 5 * 144 + 8 * BLEED_LETTER))])
def test_bleed_files_have_exact_trim_and_bleed_boxes_on_every_sheet(bleed, name, trim_size):
    for number, page in enumerate(PdfReader(bleed / name).pages, 1):
        left, bottom, right, top = box(page, "/TrimBox")
        assert (right - left, top - bottom) == pytest.approx(trim_size, abs=0.01), (name, number)
        assert box(page, "/BleedBox") == pytest.approx(
            [left - BLEED_LETTER, bottom - BLEED_LETTER, right + BLEED_LETTER, top + BLEED_LETTER], abs=0.01)
        media = box(page, "/MediaBox")
        assert media[0] < left - BLEED_LETTER and media[2] > right + BLEED_LETTER     # room for the marks


@pytest.mark.parametrize("name", ["booklet.pdf", "poster.pdf", "card.pdf"])
def test_crop_marks_stand_outside_the_bleed_at_the_trim_corners(bleed, name):
    with pdfplumber.open(bleed / name) as pdf:
        page = pdf.pages[0]
        raw = PdfReader(bleed / name).pages[0]
        left, bottom, right, top = box(raw, "/TrimBox")
        height = page.height
        marks = [(l["x0"], height - l["bottom"], l["x1"], height - l["top"]) for l in page.lines]
        outside = [m for m in marks if m[2] < left - BLEED_LETTER or m[0] > right + BLEED_LETTER
                   or m[3] < bottom - BLEED_LETTER or m[1] > top + BLEED_LETTER]
        assert len(outside) >= 8
        # Each trim corner has a vertical mark on its x and a horizontal one on its y.
        for x in (left, right):
            assert any(abs(m[0] - x) < 0.01 and abs(m[2] - x) < 0.01 for m in outside), x
        for y in (bottom, top):
            assert any(abs(m[1] - y) < 0.01 and abs(m[3] - y) < 0.01 for m in outside), y
        # No mark reaches into the bleed.
        for x0, y0, x1, y1 in outside:
            assert not (left - BLEED_LETTER < x1 and x0 < right + BLEED_LETTER
                        and bottom - BLEED_LETTER < y1 and y0 < top + BLEED_LETTER)


def test_office_files_keep_clear_of_the_sheet_edge(colour):
    for name in PRINT_FILES:
        with pdfplumber.open(colour / name) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    if char["text"].strip():
                        assert min(char["x0"], page.width - char["x1"], char["top"],
                                   page.height - char["bottom"]) >= 17.0, (name, char["text"])


def coloured_pixels(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        count = 0
        for page in pdf.pages:
            image = page.to_image(resolution=40).original.convert("RGB")
            pixels = image.tobytes()   # R, G, B, R, G, B, ... (getdata is deprecated in Pillow 13)
            count += sum(1 for r, g, b in zip(pixels[0::3], pixels[1::3], pixels[2::3])
                         if max(r, g, b) - min(r, g, b) > 8)
        return count


def test_grayscale_files_have_no_colour_and_colour_files_do(colour, gray):
    assert coloured_pixels(colour / "booklet-pages.pdf") > 0        # the check can see colour
    for pdf in sorted(gray.glob("*.pdf")):
        assert coloured_pixels(pdf) == 0, pdf.name
        for page in PdfReader(pdf).pages:
            content = page.get_contents().get_data().decode("latin-1")
            assert not re.search(r"[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", content), pdf.name


def inkcov(path: Path) -> float:
    result = subprocess.run(["gs", "-q", "-dSAFER", "-o", "-", "-sDEVICE=inkcov", str(path)],
                            capture_output=True, text=True, check=True)
    return sum(float(v) for line in result.stdout.splitlines() if "OK" in line for v in line.split()[:4])


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) is not installed")
def test_grayscale_uses_less_toner(colour, gray):
    for name in PRINT_FILES:
        assert inkcov(gray / name) < 0.6 * inkcov(colour / name), name
    listed = {f["file"]: f for f in manifest(gray)["files"]}
    assert all("ink_coverage" in listed[name] for name in PRINT_FILES)


def test_reading_files_are_tagged_with_title_and_language(colour):
    title = front_matter(CONTENT / "en.md")["title"]
    for name in ("booklet-pages.pdf", "minizine-pages.pdf", "card-pages.pdf", "onepager.pdf", "poster.pdf"):
        reader = PdfReader(colour / name)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, name
        assert root["/Lang"] == "en" and reader.metadata.title == title, name


def structure(node, found: list) -> list:
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                structure(kid, found)
    return found


def test_headings_lists_and_qr_alt_text_are_in_the_structure(colour):
    tags = structure(PdfReader(colour / "booklet-pages.pdf").trailer["/Root"]["/StructTreeRoot"], [])
    kinds = {kind for kind, _ in tags}
    assert {"/H1", "/H2", "/L", "/LI", "/P"} <= kinds
    poster = structure(PdfReader(colour / "poster.pdf").trailer["/Root"]["/StructTreeRoot"], [])
    assert any(kind == "/Figure" and alt.startswith("QR code: link to") for kind, alt in poster), poster[:20]


def test_print_files_keep_output_intent_and_xmp_after_imposition(colour):
    for name in ("booklet.pdf", "minizine.pdf", "card.pdf"):
        root = PdfReader(colour / name).trailer["/Root"]
        assert "/OutputIntents" in root and "/Metadata" in root and root["/Lang"] == "en", name


def test_two_builds_are_byte_identical(colour, tmp_path):
    again = build_edition(tmp_path)
    for pdf in sorted(colour.glob("*.pdf")):
        assert (again / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


def test_licence_and_publisher_are_printed_and_in_the_metadata(content_copy, tmp_path):
    path = content_copy / "en.md"
    path.write_text(path.read_text().replace(
        "language: en\n", "language: en\npublisher: Riverside Outreach\nlicence: CC BY-NC 4.0\n", 1))
    folder = build_here(tmp_path, "--content", str(content_copy), "--format", "booklet")
    reader = PdfReader(folder / "booklet-pages.pdf")
    assert reader.metadata.author == "Riverside Outreach"
    assert "CC BY-NC 4.0" in "".join(page.extract_text() for page in reader.pages)


def test_creep_moves_inner_pages_toward_the_fold(tmp_path, tmp_path_factory):
    plain = shared_edition(tmp_path_factory)                 # the default edition: no creep
    crept = build_here(tmp_path / "crept", "--format", "booklet", "--creep", "2")

    def number_positions(folder: Path) -> list[dict[str, float]]:
        with pdfplumber.open(folder / "booklet.pdf") as pdf:
            return [{w["text"]: w["x0"] for w in page.extract_words() if w["text"].isdigit()
                     and w["top"] > page.height - 50} for page in pdf.pages]

    before, after = number_positions(plain), number_positions(crept)
    sides = len(before)
    outer, inner = before[0], before[sides - 1]
    assert after[0] == pytest.approx(outer)                      # the outermost sheet does not move
    shift = 2 * 72 / 25.4
    for number, x in inner.items():
        moved = after[sides - 1][number] - x
        on_left = x < 396
        assert moved == pytest.approx(shift if on_left else -shift, abs=0.05), number


def test_preflight_catches_a_planted_five_point_caption(colour, tmp_path):
    folder = tmp_path / "edition"
    shutil.copytree(colour, folder)
    assert run_cli("preflight", str(folder)).returncode == 0
    planted = HTML(string="<style>@page{size:5.5in 8.5in;margin:1in} p{font-size:5pt}</style>"
                          "<p>caption</p>" * 8).write_pdf()
    (folder / "booklet-pages.pdf").write_bytes(planted)
    result = run_cli("preflight", str(folder))
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if "booklet-pages.pdf" in line and "smallest text" in line)
    assert "FAIL" in row and "5.0 pt" in row


def test_every_file_names_its_subject(colour):
    subtitle = front_matter(CONTENT / "en.md")["subtitle"]
    for pdf in sorted(colour.glob("*.pdf")):
        assert PdfReader(pdf).metadata.subject == subtitle, pdf.name


def test_booklet_printing_guide_is_a_duplex_test_with_help(tmp_path_factory):
    folder = shared_edition(tmp_path_factory, *WITH_GUIDES)
    reader = PdfReader(folder / "booklet-guide.pdf")
    assert len(reader.pages) == 2                                   # front and back of one sheet
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "flip on short edge" in text
    first = region_lines("US")[0]
    assert first["name"] in text                                    # help is on every output
    assert {f["file"]: f["kind"] for f in manifest(folder)["files"]}["booklet-guide.pdf"] == "guide"
