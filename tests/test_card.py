"""The wallet card as a reader checks it: card and sheet sizes, the lines on the back, ten up with crop marks,
and every back behind its own front when the sheet is flipped on its long edge."""

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import CONTENT, ON_A4, digits, fonts_of, front_matter, region_lines, shared_edition, squash

MM = 72 / 25.4
SIZES = {"letter": {"card": (252.0, 144.0), "sheet": (612.0, 792.0)},           # 3.5 x 2 in on Letter
         "a4": {"card": (85 * MM, 55 * MM), "sheet": (595.28, 841.89)}}         # 85 x 55 mm on A4
QUARTER_INCH = 18.0


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition (US), every format


@pytest.fixture(scope="module")
def a4(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory, *ON_A4)


def sizes(pdf: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(pdf).pages]


def words(pdf: Path, index: int) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return document.pages[index].extract_words()


def marks(pdf: Path, index: int) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return document.pages[index].lines


def grid(pdf: Path) -> tuple[list[float], list[float]]:
    """The cut lines the crop marks point along: x of the upright marks, y (from the top) of the level ones."""
    lines = marks(pdf, 0)
    xs = sorted({round(l["x0"], 2) for l in lines if l["x0"] == l["x1"]})
    ys = sorted({round(l["top"], 2) for l in lines if l["top"] == l["bottom"]})
    return xs, ys


def first_word_of(pdf: Path, index: int, phrase: str) -> list[dict]:
    """The box of the phrase's first word wherever it is followed by the next (a card's title may wrap,
    and a sheet's text reads across the cards of a row, so only two words are compared)."""
    found = words(pdf, index)
    first = phrase.split()[0]
    return [w for w, after in zip(found, found[1:]) if w["text"] == first
            and squash(phrase).startswith(squash(w["text"] + after["text"]))]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_card_and_sheet_sizes(paper, request):
    folder = request.getfixturevalue(paper)
    for name, size in (("card-pages.pdf", SIZES[paper]["card"]), ("card.pdf", SIZES[paper]["sheet"])):
        found = sizes(folder / name)
        assert len(found) == 2 and all(page == pytest.approx(size, abs=0.01) for page in found), (name, found)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("name", ["card.pdf", "card-pages.pdf"])
def test_fonts_are_embedded(paper, name, request):
    fonts = fonts_of(request.getfixturevalue(paper) / name)
    assert fonts and all(embedded for _, embedded in fonts), fonts


def test_front_has_the_title_and_summary(letter):
    meta = front_matter(CONTENT / "en.md")
    front = squash(" ".join(w["text"] for w in words(letter / "card-pages.pdf", 0)))
    assert squash(meta["title"]) in front and squash(meta["summary"]) in front


def test_back_has_the_main_lines_and_when_they_were_checked(letter):
    back = squash(" ".join(w["text"] for w in words(letter / "card-pages.pdf", 1)))
    lines = region_lines("US")
    for line in lines[:3]:
        assert squash(line["name"]) in back, line["name"]
        for way in ("call", "text"):
            if line.get(way):
                assert digits(line[way]) in back, (line["name"], way)
    oldest = min(dt.date.fromisoformat(str(line["checked"])) for line in lines)
    assert squash(f"checked {oldest:%B %Y}") in back


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_crop_marks_outline_ten_cards_clear_of_cards_and_sheet_edge(paper, request):
    pdf = request.getfixturevalue(paper) / "card.pdf"
    (width, height), (card_w, card_h) = SIZES[paper]["sheet"], SIZES[paper]["card"]
    xs, ys = grid(pdf)
    assert len(xs) == 3 and len(ys) == 6                                     # 2 columns x 5 rows
    assert [b - a for a, b in zip(xs, xs[1:])] == pytest.approx([card_w] * 2, abs=0.05)
    assert [b - a for a, b in zip(ys, ys[1:])] == pytest.approx([card_h] * 5, abs=0.05)
    for line in marks(pdf, 0):
        assert min(line["x0"], line["top"], width - line["x1"], height - line["bottom"]) >= QUARTER_INCH - 0.01
        inside_x = xs[0] < line["x1"] and line["x0"] < xs[-1]
        inside_y = ys[0] < line["bottom"] and line["top"] < ys[-1]
        assert not (inside_x and inside_y), line                             # never over a card


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_back_lines_up_with_its_front_on_a_long_edge_flip(paper, request):
    folder = request.getfixturevalue(paper)
    title = front_matter(CONTENT / "en.md")["title"]
    heading = "If you need to talk"
    width = SIZES[paper]["sheet"][0]
    xs, ys = grid(folder / "card.pdf")
    # Where each sits on its own card, from the reading pages.
    on_front = first_word_of(folder / "card-pages.pdf", 0, title)[0]
    on_back = first_word_of(folder / "card-pages.pdf", 1, heading)[0]
    fronts = first_word_of(folder / "card.pdf", 0, title)
    backs = first_word_of(folder / "card.pdf", 1, heading)
    assert len(fronts) == len(backs) == 10
    cells = set()
    for word in fronts:
        col = next(c for c in range(2) if xs[c] <= word["x0"] < xs[c + 1])
        row = next(r for r in range(5) if ys[r] <= word["top"] < ys[r + 1])
        assert word["x0"] - xs[col] == pytest.approx(on_front["x0"], abs=0.1)
        assert word["top"] - ys[row] == pytest.approx(on_front["top"], abs=0.1)
        cells.add((row, col))
        # Flipped on the long edge, the back's card (row, 1 - col) lies behind this front's card.
        left, right = width - xs[col + 1], width - xs[col]
        behind = [b for b in backs if left <= b["x0"] < right and ys[row] <= b["top"] < ys[row + 1]]
        assert len(behind) == 1, (row, col)
        assert behind[0]["x0"] - left == pytest.approx(on_back["x0"], abs=0.1)
        assert behind[0]["top"] - ys[row] == pytest.approx(on_back["top"], abs=0.1)
    assert len(cells) == 10


def test_backs_are_mirrored_across_the_columns():
    """With identical cards a PDF cannot tell a mirrored back from an unmirrored one; the geometry can."""
    from zinepress.impose import card_sheets

    width, card_w = 612.0, 252.0
    fronts, backs = card_sheets(2, card_w, 144.0, (width, 792.0))
    assert [p.page for p in fronts.placements] == [0] * 10 and [p.page for p in backs.placements] == [1] * 10
    for front, back in zip(fronts.placements, backs.placements):
        assert (back.x, back.y) == pytest.approx((width - front.x - card_w, front.y))
    assert len({(p.x, p.y) for p in fronts.placements}) == 10
