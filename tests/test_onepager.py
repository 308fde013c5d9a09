"""The one-pager as a reader checks it: one sheet front and back, the whole text, lines boxed on the front,
sources on the back; too long a text falls back to the compact one, then to a clear error."""

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import (CONTENT, ON_A4, build_here, digits, fonts_of, front_matter, manifest, region_lines, run_cli,
                      shared_edition, squash)

LETTER, A4 = (612.0, 792.0), (595.28, 841.89)
ONLY_IN_LONG = "This added sentence belongs to the long text only."


def long_content(root: Path, full_copies: int, short_copies: int = 1) -> Path:
    """A copy of the zine whose sections' full text (and, if asked, compact text) is repeated."""
    zine = root / "zine"
    shutil.copytree(CONTENT, zine)
    meta, body = (CONTENT / "en.md").read_text(encoding="utf-8").split("\n---\n", 1)
    sections = []
    for section in filter(str.strip, re.split(r"\n(?=## )", body)):
        full, _, rest = section.partition("::: short")
        short, _, tail = rest.partition(":::")
        heading, _, text = full.partition("\n")
        extra = f"\n\n{ONLY_IN_LONG} {text.strip()}" * (full_copies - 1)
        sections.append(f"{heading}\n{text.rstrip()}{extra}\n\n::: short\n{(short.strip() + chr(10) * 2) * short_copies}:::{tail}")
    (zine / "en.md").write_text(meta + "\n---\n" + "\n".join(sections), encoding="utf-8")
    return zine


def short_content(root: Path, sections: int, publisher_pages: bool = False) -> Path:
    """A copy of the zine with only its first sections, and without the publisher's pages unless asked."""
    zine = root / "short"
    shutil.copytree(CONTENT, zine)
    meta, body = (CONTENT / "en.md").read_text(encoding="utf-8").split("\n---\n", 1)
    kept = re.split(r"\n(?=## )", body)[:sections + 1]    # what precedes the first heading, then the sections
    meta += "" if publisher_pages else "\npublisher_pages: false"
    (zine / "en.md").write_text(meta + "\n---\n" + "\n".join(kept), encoding="utf-8")
    return zine


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition (US), every format


@pytest.fixture(scope="module")
def a4(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory, *ON_A4)


@pytest.fixture(scope="module")
def longer(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("long")
    return build_here(root / "out", "--format", "onepager", "--content", str(long_content(root, 3)))


def full_paragraphs(path: Path) -> list[str]:
    """The text lines of the full version, without headings or the '::: short' blocks."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    body = re.sub(r"::: short\n.*?\n:::", "", body, flags=re.S)
    return [line.lstrip("- ") for line in body.splitlines() if line.strip() and not line.startswith("## ")]


def box_and_columns(pdf: Path) -> tuple[tuple, str]:
    """Page 1's biggest drawn box (x0, top, x1, bottom), and the text below it read column by column, down
    to a full-width rule if there is one (what follows it is read across the page)."""
    with pdfplumber.open(pdf) as document:
        front = document.pages[0]
        box = max(front.curves + front.rects, key=lambda shape: shape["width"] * shape["height"])
        parts = []
        for number, page in enumerate(document.pages):
            top = box["bottom"] if number == 0 else 0
            middle, bottom = page.width / 2, page.height - 0.55 * 72   # above the page-number margin
            rules = [shape["top"] for shape in page.lines + page.rects
                     if shape["width"] > 0.8 * (page.width - 72) and shape["top"] > top + 1]
            split = min(rules, default=bottom)
            parts += [page.crop((0, top, middle, split)).extract_text(),
                      page.crop((middle, top, page.width, split)).extract_text()]
            if split < bottom:
                parts.append(page.crop((0, split, page.width, bottom)).extract_text())
    return (box["x0"], box["top"], box["x1"], box["bottom"]), "\n".join(parts)


def page_text(pdf: Path, index: int) -> str:
    """A page's text read as its two columns are: the left one down, then the right one."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[index]
        middle = page.width / 2
        return "\n".join(page.crop(box).extract_text() for box in ((0, 0, middle, page.height),
                                                                      (middle, 0, page.width, page.height)))


@pytest.mark.parametrize("edition, size", [("letter", LETTER), ("a4", A4)])
def test_one_sheet_front_and_back(edition, size, request):
    pages = PdfReader(request.getfixturevalue(edition) / "onepager.pdf").pages
    assert len(pages) == 2
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)


@pytest.mark.parametrize("edition", ["letter", "a4"])
def test_fonts_are_embedded(edition, request):
    fonts = fonts_of(request.getfixturevalue(edition) / "onepager.pdf")
    assert fonts and all(embedded for _, embedded in fonts), fonts


@pytest.mark.parametrize("edition", ["letter", "a4"])
def test_the_whole_text_is_printed_at_8_to_11_pt(edition, request):
    folder = request.getfixturevalue(edition)
    _, text = box_and_columns(folder / "onepager.pdf")
    printed = squash(text)
    headings = re.findall(r"^## (.+)$", (CONTENT / "en.md").read_text(encoding="utf-8"), flags=re.M)
    missing = [line for line in full_paragraphs(CONTENT / "en.md") + headings if squash(line) not in printed]
    assert not missing, missing
    entry = next(f for f in manifest(folder)["files"] if f["file"] == "onepager.pdf")
    assert entry["text"] == "full" and 8 <= entry["body_size"] <= 11


def test_crisis_lines_are_boxed_on_the_front(letter):
    pdf = letter / "onepager.pdf"
    (x0, top, x1, bottom), _ = box_and_columns(pdf)
    with pdfplumber.open(pdf) as document:
        words = document.pages[0].extract_words()
    inside = squash(" ".join(w["text"] for w in words
                             if x0 <= w["x0"] and w["x1"] <= x1 and top <= w["top"] and w["bottom"] <= bottom))
    for line in region_lines("US"):
        assert squash(line["name"]) in inside, line["name"]
        for way in ("call", "text"):
            if line.get(way):
                assert digits(line[way]) in inside, (line["name"], way)


def test_numbered_sources_on_the_back(letter):
    back = squash(page_text(letter / "onepager.pdf", 1))
    front = squash(page_text(letter / "onepager.pdf", 0))
    for number, source in enumerate(front_matter(CONTENT / "en.md")["sources"], 1):
        assert squash(f"{number}. {source['title']}") in back
        assert squash(source["title"]) not in front


def column_bottoms(pdf: Path, index: int, below: float = 0) -> tuple[float, float]:
    """How far down the page the text of its left and of its right column reaches (below `below`)."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[index]
        words = [w for w in page.extract_words() if w["top"] > below and w["bottom"] < page.height - 0.55 * 72]
        left = [w["bottom"] for w in words if w["x1"] < page.width / 2]
        right = [w["bottom"] for w in words if w["x0"] > page.width / 2]
        return max(left, default=0), max(right, default=0)


def test_the_columns_fill_in_turn_and_the_last_page_is_nearly_full(letter):
    """The back's first column runs to the foot before the second starts (the text is not balanced), and
    as auto-fit takes the largest size that fits, the second ends near the foot too."""
    left, right = column_bottoms(letter / "onepager.pdf", 1)
    entry = next(f for f in manifest(letter)["files"] if f["file"] == "onepager.pdf")
    line, foot = 1.5 * entry["body_size"], LETTER[1] - 0.55 * 72
    assert foot - left < 2 * line and right < left - line, (left, right, foot)
    assert right > 0.75 * LETTER[1], right


def test_a_short_text_with_the_publishers_pages_has_balanced_columns_on_the_back(tmp_path):
    """At the largest size the last page is not full: its columns are balanced, not one full and one empty."""
    content = short_content(tmp_path, 1, publisher_pages=True)
    folder = build_here(tmp_path / "out", "--format", "onepager", "--content", str(content))
    entry = next(f for f in manifest(folder)["files"] if f["file"] == "onepager.pdf")
    assert entry["body_size"] == 11 and entry["pages"] == 2
    left, right = column_bottoms(folder / "onepager.pdf", 1)
    assert right > 0 and abs(left - right) < 2 * 1.5 * 11, (left, right)
    assert "ADDED BY THE PUBLISHER" in page_text(folder / "onepager.pdf", 1).upper()


def test_a_short_text_has_balanced_columns_and_its_sources_on_the_back(tmp_path):
    """Everything fits the front at the largest size: the text splits evenly over both columns, and the
    sources start the back."""
    folder = build_here(tmp_path / "out", "--format", "onepager", "--content", str(short_content(tmp_path, 1)))
    entry = next(f for f in manifest(folder)["files"] if f["file"] == "onepager.pdf")
    assert entry["body_size"] == 11 and entry["pages"] == 2
    (_, _, _, box_bottom), _ = box_and_columns(folder / "onepager.pdf")
    left, right = column_bottoms(folder / "onepager.pdf", 0, below=box_bottom)
    assert right > box_bottom and abs(left - right) < 3 * 11 * 1.5, (box_bottom, left, right)
    front, back = (squash(page_text(folder / "onepager.pdf", index)) for index in (0, 1))
    for number, source in enumerate(front_matter(CONTENT / "en.md")["sources"], 1):
        assert squash(f"{number}. {source['title']}") in back and squash(source["title"]) not in front


def test_a_longer_text_falls_back_to_the_compact_one(longer):
    entry = next(f for f in manifest(longer)["files"] if f["file"] == "onepager.pdf")
    assert entry["text"] == "compact" and entry["pages"] == 2
    printed = squash(box_and_columns(longer / "onepager.pdf")[1])
    assert squash(ONLY_IN_LONG) not in printed
    short = re.findall(r"::: short\n(.*?)\n:::", (CONTENT / "en.md").read_text(encoding="utf-8"), flags=re.S)
    assert squash(short[0].splitlines()[0]) in printed


def test_a_much_longer_text_is_a_clear_error(tmp_path):
    zine = long_content(tmp_path, 3, short_copies=8)
    out = tmp_path / "out"
    result = run_cli("build", "--format", "onepager", "--content", str(zine), "--out", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "en.md" in lines[-1] and "onepager" in lines[-1]
    assert "Traceback" not in result.stderr
    assert not list(out.rglob("*.pdf"))
