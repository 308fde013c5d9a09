"""Printable guides (`--with-guide`): in every bundled language each part fits one page, a grayscale
build's guides are gray, and a guide that cannot be made is left out with a warning while the format it
explains is built anyway."""

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import ROOT, build_here, copy_project, manifest, run_project, squash
from zinepress.edition import Selection, build_edition as load_edition
from zinepress.formats import load_format
from zinepress.guides import guide_file
from zinepress.impose import minizine_sheet
from zinepress.layout import Layouter
from zinepress.output import OutputFile
from zinepress.strings import load_strings

LANGUAGES = sorted(path.stem for path in (ROOT / "content" / "strings").glob("*.yaml"))
PARTS = {"minizine": 1, "booklet": 2}      # pages: the fold guide; the printer settings and the duplex test
HEADINGS = {"minizine": "fold_guide_heading", "booklet": "booklet_guide_heading"}


def guide_in(language: str, name: str, paper: str) -> tuple[OutputFile | str, object]:
    """A guide laid out with this language's strings (the zine's own text is English: only the strings
    change, and they are all the guide prints besides the title)."""
    edition = load_edition(Selection(region="US", paper=paper))
    strings = load_strings(language, [])
    edition = replace(edition, language=language, strings=strings)
    fmt = load_format(name)
    width, height = fmt.page_size_points(edition.paper)
    extras = {"sheet": minizine_sheet(width, height), "panel_width": width, "panel_height": height}
    return guide_file(Layouter(edition), fmt, extras), strings


def test_every_bundled_language_is_tested():
    assert {"en", "es", "fr", "de", "pt", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PARTS))
def test_each_guide_fits_its_pages_in_every_language(language, name, paper, tmp_path):
    guide, strings = guide_in(language, name, paper)
    assert isinstance(guide, OutputFile), guide          # else: the warning saying why it was left out
    path = tmp_path / guide.name
    path.write_bytes(guide.data)
    reader = PdfReader(path)
    assert len(reader.pages) == PARTS[name]
    if strings.direction == "ltr":   # extraction reorders right-to-left text
        assert squash(strings(HEADINGS[name])) in squash(reader.pages[0].extract_text())


@pytest.fixture(scope="module")
def gray_spanish(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("gray"), "--lang", "es", "--grayscale", "--with-guide",
                      "--format", "booklet,minizine")


@pytest.mark.parametrize("name", ["booklet-guide.pdf", "minizine-guide.pdf"])
def test_grayscale_guides_are_gray(gray_spanish, name, tmp_path):
    path = gray_spanish / name
    assert name in {entry["file"] for entry in manifest(gray_spanish)["files"]}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            assert not [i for i in pikepdf.parse_content_stream(page, "rg RG")], "RGB colour operators"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "p")], check=True)
    for png in sorted(tmp_path.glob("p*.png")):
        red, green, blue = Image.open(png).convert("RGB").split()
        spread = [ImageChops.difference(a, b).getextrema()[1] for a, b in ((red, green), (green, blue), (red, blue))]
        assert max(spread) <= 6, (png.name, spread)
    assert len(PdfReader(gray_spanish / "minizine-guide.pdf").pages) == 1


OVERFLOW = '<section data-one-page="a test block" data-fix="none">' + "<p>far too long</p>" * 400 + "</section>"
TINY = '<p style="font-size: 2pt">too small to read</p>'


@pytest.fixture(scope="module")
def broken_guides(tmp_path_factory) -> tuple:
    """A project whose mini-zine guide cannot fit its page and whose booklet guide fails preflight
    (text far below the booklet's smallest size)."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    minizine = project / "layouts" / "minizine" / "guide.html.j2"
    minizine.write_text(minizine.read_text(encoding="utf-8").replace("</body>", OVERFLOW + "</body>"), encoding="utf-8")
    booklet = project / "layouts" / "booklet" / "guide.html.j2"
    booklet.write_text(booklet.read_text(encoding="utf-8").replace("</section>", TINY + "</section>", 1), encoding="utf-8")
    out = project / "out"
    result = run_project(project, "build", "--format", "booklet,minizine", "--with-guide", "--jobs", "1", "--out", str(out))
    return result, out / "unpacking-self-harm" / "US-en"


def test_a_failing_guide_leaves_its_format_built(broken_guides):
    result, folder = broken_guides
    assert result.returncode == 0, result.stderr
    for name in ("booklet.pdf", "booklet-pages.pdf", "minizine.pdf", "minizine-pages.pdf"):
        assert (folder / name).is_file(), name
    assert not (folder / "minizine-guide.pdf").exists() and not (folder / "booklet-guide.pdf").exists()
    assert not {"booklet-guide.pdf", "minizine-guide.pdf"} & {entry["file"] for entry in manifest(folder)["files"]}


def test_a_failing_guide_is_reported_as_a_warning(broken_guides):
    result, _ = broken_guides
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("minizine-guide.pdf left out" in line and "does not fit" in line for line in warnings), warnings
    assert any("booklet-guide.pdf left out" in line and re.search(r"smallest text", line) for line in warnings), warnings
