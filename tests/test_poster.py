"""The poster as a reader checks it: one exact page, big crisis numbers, a QR code that scans, tear-off tabs."""

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from conftest import CONTENT, build_here, digits, fonts_of, front_matter, region_lines, run_cli, squash

TABLOID, A3 = (792.0, 1224.0), (841.89, 1190.55)     # 11 x 17 in, 297 x 420 mm
CONTENT_LINK = "https://example.org/unpacking-self-harm"
TWO_METRES = 28                                       # pt: the smallest number size the issue asks for


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("letter"), "--format", "poster", "--region", "US",
                      "--poster-size", "tabloid") / "poster.pdf"


@pytest.fixture(scope="module")
def a4_linked(tmp_path_factory) -> Path:
    """A4, from a copy of the content whose front matter gives its own link."""
    root = tmp_path_factory.mktemp("a4")
    zine = root / "zine"
    shutil.copytree(CONTENT, zine)
    text = (zine / "en.md").read_text(encoding="utf-8")
    (zine / "en.md").write_text(text.replace("\ntitle:", f"\nlink: {CONTENT_LINK}\ntitle:", 1), encoding="utf-8")
    return build_here(root / "out", "--format", "poster", "--region", "US", "--paper", "a4",
                      "--poster-size", "a3", "--content", str(zine)) / "poster.pdf"


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """GB has no chat line and the content no link: no QR code; and no tabs, asked with --no-tabs."""
    return build_here(tmp_path_factory.mktemp("gb"), "--format", "poster", "--region", "GB",
                      "--no-tabs") / "poster.pdf"


def scan(pdf: Path, tmp: Path) -> list[str]:
    """What zbarimg reads from the poster rendered at 150 dpi."""
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.skip("zbarimg or pdftoppm is not installed (apt-get install zbar-tools poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "p")], check=True)
    result = subprocess.run(["zbarimg", "--raw", "-q", *map(str, tmp.glob("p*.png"))], capture_output=True, text=True)
    return result.stdout.split()


def words(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return document.pages[0].extract_words(extra_attrs=["size"])


def upright_text(pdf: Path) -> str:
    """The page's text, then its left half's and its right half's (the poster sets lists two to a row)."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        halves = [page.crop((0, 0, page.width / 2, page.height)), page.crop((page.width / 2, 0, page.width, page.height))]
        return "\n".join(part.extract_text() for part in [page, *halves])


def tab_strips(pdf: Path) -> tuple[list[str], list[float], float, float]:
    """The turned text grouped into strips across the page: (texts, left edges, top of the turned text,
    bottom of the upright text)."""
    with pdfplumber.open(pdf) as document:
        chars = document.pages[0].chars
    turned = sorted((c for c in chars if not c["upright"]), key=lambda c: c["x0"])
    if not turned:
        return [], [], 0.0, max(c["bottom"] for c in chars)
    gaps = sorted(range(1, len(turned)), key=lambda i: turned[i]["x0"] - turned[i - 1]["x0"], reverse=True)
    cuts = sorted(gaps[:7])
    groups = [turned[a:b] for a, b in zip([0] + cuts, cuts + [len(turned)])]
    texts = ["".join(c["text"] for c in sorted(g, key=lambda c: (round(c["x0"] / 4), -c["top"]))) for g in groups]
    return (texts, [g[0]["x0"] for g in groups], min(c["top"] for c in turned),
            max(c["bottom"] for c in chars if c["upright"]))


@pytest.mark.parametrize("edition, size", [("letter", TABLOID), ("a4_linked", A3)])
def test_one_page_of_the_exact_size(edition, size, request):
    pages = PdfReader(request.getfixturevalue(edition)).pages
    assert len(pages) == 1
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx(size, abs=0.01)


@pytest.mark.parametrize("edition", ["letter", "a4_linked", "plain"])
def test_fonts_are_embedded(edition, request):
    fonts = fonts_of(request.getfixturevalue(edition))
    assert fonts and all(embedded for _, embedded in fonts), fonts


def test_every_line_of_the_region_is_printed_large(letter):
    found = words(letter)
    text = squash(upright_text(letter))
    for line in region_lines("US"):
        assert squash(line["name"]) in text, line["name"]
        for way in ("call", "text"):
            if line.get(way):
                sizes = [w["size"] for w in found if re.sub(r"\D", "", w["text"]) == digits(line[way])]
                assert sizes and max(sizes) >= TWO_METRES, (line["name"], way, sizes)


def test_title_key_points_and_sources_are_printed(letter):
    text = squash(upright_text(letter))
    markdown = (CONTENT / "en.md").read_text(encoding="utf-8")
    meta = front_matter(CONTENT / "en.md")
    # The content's chosen key points for a wall, or else its section headings.
    points = meta.get("key_points") or re.findall(r"^## (.+)$", markdown, flags=re.M)
    assert len(points) >= 5
    for expected in [meta["title"], *points, *(source["title"] for source in meta["sources"])]:
        assert squash(expected) in text, expected


def test_qr_code_scans_to_the_first_chat_line(letter, tmp_path):
    assert not front_matter(CONTENT / "en.md").get("link")
    chat = next(line["chat"] for line in region_lines("US") if line.get("chat"))
    assert scan(letter, tmp_path) == [chat]


def test_qr_code_scans_to_the_content_link_printed_beside_it(a4_linked, tmp_path):
    assert scan(a4_linked, tmp_path) == [CONTENT_LINK]
    assert squash(CONTENT_LINK.split("://")[1]) in squash(upright_text(a4_linked))


def test_no_link_no_qr_code(plain, tmp_path):
    gb = yaml.safe_load((CONTENT.parent / "crisis-lines" / "GB.yaml").read_text(encoding="utf-8"))
    assert not any(line.get("chat") for line in gb["lines"])
    assert scan(plain, tmp_path) == []
    assert squash(gb["lines"][0]["name"]) in squash(upright_text(plain))


@pytest.mark.parametrize("edition", ["letter", "a4_linked"])
def test_eight_tear_off_tabs_along_the_bottom(edition, request):
    pdf = request.getfixturevalue(edition)
    main = region_lines("US")[0]
    texts, lefts, tabs_top, text_bottom = tab_strips(pdf)
    assert len(texts) == 8
    for text in texts:
        assert squash(main["name"]) in squash(text), text
        assert digits(main["call"]) in re.sub(r"\D", "", text), text
    spacing = [b - a for a, b in zip(lefts, lefts[1:])]
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    assert max(spacing) - min(spacing) < 1 and 8 * spacing[0] > 0.8 * width      # evenly across the page
    assert tabs_top > text_bottom                                                   # below everything else


def strip_boxes(pdf: Path) -> list[tuple[float, float]]:
    """(left, right) of each tab strip's box, guides included: the outer of the two rectangles that
    clip each strip's dashed guides, along the bottom of the page."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        boxes = [r for r in page.rects if r["top"] > page.height * 0.7 and r["width"] < page.width / 4]
    outer: dict[float, float] = {}
    for box in boxes:
        left = round(box["x0"], 1)
        outer[left] = max(outer.get(left, 0.0), box["x1"])
    lefts = sorted(outer)
    return [(left, outer[left]) for left in lefts if not any(abs(left - 1 - other) < 0.2 for other in lefts)]


@pytest.mark.parametrize("edition", ["letter", "a4_linked"])
def test_the_strips_abut_from_margin_to_margin(edition, request):
    """Eight strips, each as wide as the next (the last one guide wider: it has two), edge to edge from
    the left margin to the right (0.5 in), so the nine dashed guides are evenly spaced."""
    pdf = request.getfixturevalue(edition)
    strips = strip_boxes(pdf)
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    assert len(strips) == 8, strips
    widths = [right - left for left, right in strips]
    assert max(widths[:7]) - min(widths[:7]) < 0.1 and abs(widths[7] - widths[0] - 1) < 0.1, widths
    assert all(abs(right - following) < 0.1 for (_, right), (following, _) in zip(strips, strips[1:])), strips
    assert abs(strips[0][0] - 36) < 0.1 and abs(strips[-1][1] - (width - 36)) < 0.1, strips


def test_no_tabs_when_asked(plain):
    texts, _, _, _ = tab_strips(plain)
    assert texts == []


def test_a_poster_too_full_of_lines_blames_the_lines_not_the_text(tmp_path):
    # Four lines that must be on the poster (show_on), with the primary line all it holds: none can be
    # left out to make room, so the build fails, naming the lines.
    hours = "Every day, 5pm-11pm, except public holidays and the last Sunday of the month. " * 4
    lines = "".join(f"""  - name: Riverside Peer Warmline number {i} with a long name
    call: "(503) 555-01{10 + i}"
    hours: "{hours.strip()}"
    show_on: [poster]
    source: https://example.org/warmline
    checked: 2026-11-01
""" for i in range(1, 5))
    contacts = tmp_path / "ours.yaml"
    contacts.write_text("lines:\n" + lines, encoding="utf-8")
    result = run_cli("build", "--format", "poster", "--contacts", str(contacts), "--out", str(tmp_path / "out"))
    error = result.stderr.splitlines()[-1]
    assert result.returncode == 1 and error.startswith("error: layouts/poster:")
    assert "crisis lines do not fit" in error and "--no-tabs" in error and "short" not in error
