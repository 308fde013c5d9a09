"""Page balance as a reader sees it: the English booklets on Letter and A4 have no near-empty page (their
pages are filled before any notes page is added), no heading ends a page, and the mini zine's text pages
are not left a third blank."""

import json
from pathlib import Path

import pdfplumber
import pytest
import yaml

from conftest import IN_SPANISH, ON_A4, ROOT, build_here, manifest, shared_edition, squash

BOOKLET_FOOTER, MINIZINE_FOOTER = 0.55 * 72, 0.42 * 72     # the page-number bands (style.css margins)
STRINGS = yaml.safe_load((ROOT / "content" / "strings" / "en.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition, every format


@pytest.fixture(scope="module")
def a4(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory, *ON_A4)


@pytest.fixture(scope="module")
def spanish_minizine(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory, *IN_SPANISH)


def text_lines(page, footer: float) -> list[list[dict]]:
    """The page's words above its footer band, grouped into lines from top to bottom."""
    words = [word for word in page.extract_words(extra_attrs=["size"]) if word["bottom"] < page.height - footer]
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def words_per_page(path: Path, footer: float) -> list[int]:
    with pdfplumber.open(path) as pdf:
        return [sum(len(line) for line in text_lines(page, footer)) for page in pdf.pages]


def near_empty(counts: list[int]) -> list[int]:
    """Page numbers (1-based) of inner pages holding under a third of a typical page's words (or under 50):
    the cover is page 1 and has little text by design."""
    inner = counts[1:]
    typical = sorted(inner)[len(inner) // 2]
    return [number for number, count in enumerate(counts, 1)
            if number > 1 and count < max(50, typical / 3)]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_english_booklet_has_no_near_empty_page(paper, request):
    folder = request.getfixturevalue(paper)
    counts = words_per_page(folder / "booklet-pages.pdf", BOOKLET_FOOTER)
    assert len(counts) % 4 == 0
    assert not near_empty(counts), (paper, counts)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_english_booklet_is_filled_before_any_notes_page(paper, request):
    folder = request.getfixturevalue(paper)
    with pdfplumber.open(folder / "booklet-pages.pdf") as pdf:
        text = squash("".join(page.extract_text() or "" for page in pdf.pages))
    assert squash(STRINGS["notes_prompt"]) not in text, paper
    fit = manifest(folder)["build"]["formats"]["booklet"]
    assert fit["pad_pages"] == 0, fit
    booklet = yaml.safe_load((ROOT / "layouts" / "booklet" / "format.yaml").read_text(encoding="utf-8"))
    assert booklet["autofit"]["min"] <= fit["body_size"] <= booklet["autofit"]["max"], fit


def test_the_near_empty_rule_catches_the_old_booklet():
    """The A4 booklet before this change: page 5 about 21 words, page 6 only the sources, page 7 notes."""
    assert near_empty([41, 320, 284, 322, 21, 39, 14, 232]) == [5, 6, 7]
    assert near_empty([69, 296, 297, 273, 262, 315, 108, 233]) == []


def last_line_is_a_heading(lines: list[list[dict]], body: float) -> bool:
    """Headings are set at 1.18rem and more (base.css): a last line that large is a heading left alone."""
    return bool(lines) and max(word["size"] for word in lines[-1]) > 1.1 * body


@pytest.mark.parametrize("edition, name, footer", [("letter", "booklet", BOOKLET_FOOTER),
                                                   ("a4", "booklet", BOOKLET_FOOTER),
                                                   ("spanish_minizine", "minizine", MINIZINE_FOOTER)])
def test_no_heading_ends_a_page(edition, name, footer, request):
    folder = request.getfixturevalue(edition)
    body = manifest(folder)["build"]["formats"][name]["body_size"]
    with pdfplumber.open(folder / f"{name}-pages.pdf") as pdf:
        stranded = [number for number, page in enumerate(pdf.pages[1:-1], 2)
                    if last_line_is_a_heading(text_lines(page, footer), body)]
    assert not stranded, (edition, stranded)


def test_the_heading_check_sees_a_stranded_heading():
    body = [[{"size": 10.0}], [{"size": 10.0}]]
    assert not last_line_is_a_heading(body, 10.0)
    assert last_line_is_a_heading(body + [[{"size": 11.8}, {"size": 11.8}]], 10.0)


def test_the_spanish_mini_zines_text_pages_are_not_a_third_blank(spanish_minizine):
    """Pages 2-6 carry the flowing text: each is filled at least two thirds of the way down."""
    with pdfplumber.open(spanish_minizine / "minizine-pages.pdf") as pdf:
        filled = []
        for page in pdf.pages[1:6]:
            lines = text_lines(page, MINIZINE_FOOTER)
            bottom = max(word["bottom"] for word in lines[-1])
            area = page.height - 0.25 * 72 - 0.42 * 72        # between the top and bottom margins
            filled.append(round((bottom - 0.25 * 72) / area, 2))
    assert all(share >= 2 / 3 for share in filled), filled


def test_a_short_text_is_set_large_before_notes_pages_pad_it(content_copy, tmp_path):
    """A zine of one paragraph: the booklet grows its type (as far as the back cover's lines still fit one
    page) before notes pages pad it to four pages."""
    head, _ = (content_copy / "en.md").read_text(encoding="utf-8").split("\n---\n", 1)
    (content_copy / "en.md").write_text(head + "\npublisher_pages: false\n---\n\n## A short zine\n\n"
                                        "One paragraph of text.\n", encoding="utf-8")
    folder = build_here(tmp_path / "out", "--content", str(content_copy), "--format", "booklet")
    fit = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["build"]["formats"]["booklet"]
    booklet = yaml.safe_load((ROOT / "layouts" / "booklet" / "format.yaml").read_text(encoding="utf-8"))
    with pdfplumber.open(folder / "booklet-pages.pdf") as pdf:
        pages = len(pdf.pages)
        notes = sum(squash(STRINGS["notes_prompt"]) in squash(page.extract_text() or "") for page in pdf.pages)
    assert pages == 4 and notes == fit["pad_pages"] >= 1
    assert booklet["autofit"]["min"] < fit["body_size"] <= booklet["autofit"]["max"], fit
