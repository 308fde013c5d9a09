"""PDF/X-4 for print shops (`build --pdfx`), checked as a shop's preflight would: CMYK only, a CMYK output
intent, PDF/X-4 in the XMP, text in black ink alone, fold marks on folded sheets. And every imposed print
file claims only what it is: no PDF/UA claim without tags."""

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import build_edition, build_here, drawn, manifest, one_page_pdf, region_lines, run_cli, shared_edition
from zinepress.cmyk import to_device_cmyk

BLEED = 0.125 * 72                       # Letter regions: 0.125 in
PRINT_FILES = ("booklet.pdf", "minizine.pdf", "poster.pdf", "onepager.pdf", "card.pdf")
DISPLAY = 18                             # pt: display type (the titles, 2.6rem and more) may keep the teal
PDFX4 = "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"


@pytest.fixture(scope="module")
def pdfx(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("pdfx"), "--pdfx")


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition, every format


def xmp(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return pdf.Root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in pdf.Root else ""


def rgb_in(pdf: pikepdf.Pdf) -> list[str]:
    """Every way a PDF can paint in RGB: device or ICC-based RGB spaces anywhere (resources, images,
    transparency groups, output intents) and the rg/RG operators of every content stream."""
    found = []

    def rgb_space(value) -> bool:
        if isinstance(value, pikepdf.Name):
            return str(value) in ("/DeviceRGB", "/CalRGB")
        if isinstance(value, pikepdf.Array) and len(value) and value[0] == "/ICCBased":
            return int(value[1].get("/N")) == 3
        return False

    def walk(obj, where: str, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key, value in obj.items():
                if key in ("/ColorSpace", "/CS") and rgb_space(value):
                    found.append(f"{where}{key}")
                if isinstance(value, pikepdf.Dictionary) and key == "/ColorSpace":
                    found.extend(f"{where}/ColorSpace{name}" for name, space in value.items() if rgb_space(space))
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    walk(value, f"{where}{key}", depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                if not getattr(item, "is_indirect", False):
                    walk(item, where, depth + 1)

    for obj in pdf.objects:
        walk(obj, f"object {obj.objgen[0]} ")
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            found += [f"form {obj.objgen[0]}: {i.operator}" for i in pikepdf.parse_content_stream(obj, "rg RG")]
    for number, page in enumerate(pdf.pages, 1):
        found += [f"page {number}: {i.operator}" for i in pikepdf.parse_content_stream(page, "rg RG")]
    return found


def test_pdfx_files_are_in_their_own_folder_with_bleed(pdfx):
    assert pdfx.name == "US-en-pdfx"
    listed = manifest(pdfx)
    assert listed["pdfx"] is True and listed["bleed"] is True
    assert {entry["file"] for entry in listed["files"]} >= set(PRINT_FILES)


@pytest.mark.parametrize("name", PRINT_FILES)
def test_print_files_identify_as_pdf_x4_with_a_cmyk_output_intent(pdfx, name):
    with pikepdf.open(pdfx / name) as pdf:
        assert pdf.pdf_version >= "1.6"
        intents = list(pdf.Root.OutputIntents)
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
        profile = intents[0].DestOutputProfile
        assert int(profile.N) == 4 and profile.read_bytes()[16:20] == b"CMYK"   # the ICC header's colour space
        assert str(intents[0].OutputConditionIdentifier)
        assert pdf.docinfo["/Trapped"] == "/False" and str(pdf.docinfo["/Title"])
        for page in pdf.pages:
            assert "/TrimBox" in page and "/BleedBox" in page
        with pdf.open_metadata() as meta:
            assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    assert "pdfuaid" not in xmp(pdfx / name)


def test_no_file_of_a_pdfx_build_paints_in_rgb(pdfx):
    for path in sorted(pdfx.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert rgb_in(pdf) == [], path.name


def test_the_rgb_check_finds_rgb_in_an_office_build(office):
    """The check above can fail: an office file has sRGB colours and an sRGB output intent."""
    with pikepdf.open(office / "booklet-pages.pdf") as pdf:
        assert rgb_in(pdf)


@pytest.mark.parametrize("name", ["booklet.pdf", "minizine.pdf", "poster.pdf", "card.pdf"])
def test_text_is_black_ink_only_and_numbers_full_black(pdfx, name):
    numbers = {re.sub(r"\D", "", str(line[way])) for line in region_lines("US") for way in ("call", "text")
               if line.get(way)}
    with pdfplumber.open(pdfx / name) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
        words = [word for page in pdf.pages
                 for word in page.extract_words(extra_attrs=["non_stroking_color", "fontname"])]
    small = [char for char in chars if char["size"] < DISPLAY]
    assert small
    coloured = {(char["text"], char["non_stroking_color"]) for char in small
                if len(char["non_stroking_color"]) != 4 or any(char["non_stroking_color"][:3])}
    assert not coloured, sorted(coloured)[:5]
    # The numbers to dial are set in bold (a number mentioned in a quieter note may be a tint).
    printed = [word for word in words if re.sub(r"\D", "", word["text"]) in numbers and "Bold" in word["fontname"]]
    assert printed, "no crisis number found"
    assert all(tuple(word["non_stroking_color"]) == (0, 0, 0, 1) for word in printed), printed[:3]


def inkcov(path: Path) -> list[list[float]]:
    if not shutil.which("gs"):
        pytest.skip("Ghostscript (gs) is not installed")
    out = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return [[float(v) for v in line.split()[:4]] for line in out.splitlines() if line.strip().endswith("OK")]


@pytest.mark.parametrize("name, at_least", [("booklet-pages.pdf", 3), ("booklet.pdf", 1)])
def test_text_pages_use_black_ink_only(pdfx, name, at_least):
    """Ghostscript's ink coverage per page (or printed side): those holding only the zine's sections use
    K alone; the cover (its title is teal) shows the check can see colour."""
    coverage = inkcov(pdfx / name)
    with pdfplumber.open(pdfx / name) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(coverage) == len(texts)
    title = "unpacking self-harm"
    text_pages = [n for n, text in enumerate(texts) if title not in text and "If you need to talk" not in text
                  and "PUBLISHER" not in text.upper()]
    assert len(text_pages) >= at_least, texts
    for n in text_pages:
        cyan, magenta, yellow, black = coverage[n]
        assert cyan == magenta == yellow == 0 and black > 0.02, (n + 1, coverage[n])
    cover = next(n for n, text in enumerate(texts) if title in text)
    assert min(coverage[cover][:3]) > 0


def dashed_lines(page: pikepdf.Page) -> list[tuple[float, ...]]:
    """The straight lines the sheet itself strokes with a dash pattern (not those of the pages on it)."""
    lines, dashed, start = [], False, None
    for instruction in pikepdf.parse_content_stream(page, "d m l"):
        operator = str(instruction.operator)
        if operator == "d":
            dashed = len(instruction.operands[0]) > 0
        elif operator == "m":
            start = [float(v) for v in instruction.operands]
        elif operator == "l" and dashed and start:
            lines.append((*start, *(float(v) for v in instruction.operands)))
    return lines


@pytest.mark.parametrize("name, folds_x, folds_y", [("booklet.pdf", 1, 0), ("minizine.pdf", 3, 1)])
def test_folded_sheets_carry_fold_marks_outside_the_bleed(pdfx, name, folds_x, folds_y):
    with pikepdf.open(pdfx / name) as pdf:
        page = pdf.pages[0]
        left, bottom, right, top = (float(v) for v in page.TrimBox)
        marks = dashed_lines(page)
    vertical = {round(x1, 1) for x1, y1, x2, y2 in marks if x1 == x2 and (max(y1, y2) < bottom - BLEED
                                                                          or min(y1, y2) > top + BLEED)}
    horizontal = {round(y1, 1) for x1, y1, x2, y2 in marks if y1 == y2 and (max(x1, x2) < left - BLEED
                                                                            or min(x1, x2) > right + BLEED)}
    width, height = right - left, top - bottom
    assert vertical == {round(left + width * k / (folds_x + 1), 1) for k in range(1, folds_x + 1)}, marks
    assert horizontal == {round(bottom + height * k / (folds_y + 1), 1) for k in range(1, folds_y + 1)}, marks


def test_preflight_checks_pdf_x_again(pdfx):
    result = run_cli("preflight", str(pdfx))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if "PDF/X-4" in line]
    assert len(rows) == len(PRINT_FILES) and all(" ok " in row for row in rows)


def test_the_same_inputs_give_the_same_pdfx_bytes(pdfx, tmp_path):
    """WeasyPrint writes the current time and a random document ID into PDF/X; zinepress fixes both."""
    again = build_edition(tmp_path, "--pdfx", "--format", "booklet", "--jobs", "1")
    for name in ("booklet.pdf", "booklet-pages.pdf"):
        assert hashlib.sha256((again / name).read_bytes()).digest() == \
               hashlib.sha256((pdfx / name).read_bytes()).digest(), name


@pytest.mark.parametrize("name", ["booklet.pdf", "minizine.pdf", "card.pdf"])
def test_imposed_office_files_claim_no_pdf_ua(office, name):
    """The sheets are not tagged, so they do not claim PDF/UA; their reading files are and do."""
    with pikepdf.open(office / name) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
    assert "pdfuaid" not in xmp(office / name)
    reading = office / name.replace(".pdf", "-pages.pdf")
    with pikepdf.open(reading) as pdf:
        assert "/StructTreeRoot" in pdf.Root
    assert 'pdfuaid:part="1"' in xmp(reading) or "<pdfuaid:part>1</pdfuaid:part>" in xmp(reading)


def test_cmyk_follows_the_colour_space_a_stream_saves_and_restores():
    """The same operator walk as grayscale files (contentcolour.py): after Q, RGB again, so sc gets CMYK."""
    converted = to_device_cmyk(one_page_pdf(b"/DeviceRGB cs q /DeviceGray cs 0.5 sc Q 0.5 0.5 0.5 sc"))
    # a neutral gray is black ink alone: 1 - 0.5
    assert drawn(converted) == [("cs", ["/DeviceCMYK"]), ("q", []), ("cs", ["/DeviceGray"]), ("sc", [0.5]), ("Q", []),
                     ("sc", [0.0, 0.0, 0.0, 0.5])]


def colour_operators(pdf: pikepdf.Pdf) -> set[tuple[str, tuple[float, ...]]]:
    """Every colour a page or form of the file sets with g/G, k/K or rg/RG, as (operator, operands)."""
    streams = [*pdf.pages, *(obj for obj in pdf.objects
                             if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form")]
    return {(str(op.operator), tuple(float(value) for value in op.operands))
            for stream in streams for op in pikepdf.parse_content_stream(stream, "g G k K rg RG")}


def test_a_grayscale_pdfx_build_is_black_ink_only(tmp_path):
    """--grayscale --pdfx: a print shop's black-only file. The teal that cmyk.css keeps for titles and
    borders is gray too (it failed the grayscale check before), and nothing is in RGB."""
    folder = build_here(tmp_path, "--pdfx", "--grayscale", "--format", "poster")
    assert folder.name.endswith("-pdfx-grayscale")
    with pikepdf.open(folder / "poster.pdf") as pdf:
        colours = colour_operators(pdf)
        assert not rgb_in(pdf)
        assert PDFX4 in xmp(folder / "poster.pdf")
    assert colours and all(operator in "gGkK" for operator, _ in colours)
    assert all(values[:3] == (0.0, 0.0, 0.0) for operator, values in colours if operator in "kK"), colours
