"""Posters on the paper office printers take: Letter or A4 by default (the region's paper, or --paper),
Tabloid or A3 with --poster-size, the type scaled to each page with the numbers still large."""

import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import ON_A4, build_here, digits, manifest, region_lines, run_cli, shared_edition

LETTER, A4, A3 = (612.0, 792.0), (595.28, 841.89), (841.89, 1190.55)
# The rule the README states: numbers at least 22.4 pt on Letter and A4, 29 pt on Tabloid and A3.
SMALLEST_NUMBER = {LETTER: 22.4, A4: 22.4, A3: 29.0}
SMALLEST_TEXT = 8.0                      # pt, on every size


@pytest.fixture(scope="module")
def us_default(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition (US), every format


@pytest.fixture(scope="module")
def gb_default(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("gb"), "--format", "poster", "--region", "GB")


@pytest.fixture(scope="module")
def us_on_a4(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory, *ON_A4)


@pytest.fixture(scope="module")
def gb_a3(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("gb-a3"), "--format", "poster", "--region", "GB",
                      "--poster-size", "a3")


CASES = [("us_default", LETTER, "US"), ("gb_default", A4, "GB"), ("us_on_a4", A4, "US"), ("gb_a3", A3, "GB")]


@pytest.mark.parametrize("edition, size, region", CASES)
def test_the_poster_is_one_page_of_the_chosen_size(edition, size, region, request):
    folder = request.getfixturevalue(edition)
    pages = PdfReader(folder / "poster.pdf").pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)
    entry = next(entry for entry in manifest(folder)["files"] if entry["file"] == "poster.pdf")
    assert entry["page_size"] == pytest.approx(list(size), abs=0.01)


def digit_lines(chars: list[dict], smallest: float = 0.0) -> list[str]:
    """The digits of each printed line, left to right, of characters at least `smallest` points."""
    lines: dict[int, list[dict]] = {}
    for char in chars:
        lines.setdefault(round(char["top"]), []).append(char)
    return ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])
                    if c["text"].isdigit() and c["size"] >= smallest - 0.05) for line in lines.values()]


@pytest.mark.parametrize("edition, size, region", CASES)
def test_numbers_stay_large_and_no_text_is_too_small(edition, size, region, request):
    path = request.getfixturevalue(edition) / "poster.pdf"
    with pdfplumber.open(path) as pdf:
        upright = [char for char in pdf.pages[0].chars if char["upright"]]   # the tabs are turned
    assert min(char["size"] for char in upright) >= SMALLEST_TEXT - 0.05
    printed, large = digit_lines(upright), digit_lines(upright, SMALLEST_NUMBER[size])
    checked = 0
    for line in region_lines(region):
        for way in ("call", "text"):
            number = digits(line[way]) if line.get(way) else ""
            if number and any(number in text for text in printed):   # a line left out for room is not here
                assert any(number in text for text in large), (line["name"], way)
                checked += 1
    assert checked >= 3


def test_a_larger_poster_has_larger_type(gb_default, gb_a3):
    def body(folder: Path) -> float:
        return next(e for e in manifest(folder)["files"] if e["file"] == "poster.pdf")["body_size"]

    assert body(gb_a3) > body(gb_default)


def test_help_says_which_formats_follow_the_paper():
    text = " ".join(run_cli("build", "--help").stdout.split())
    assert "--poster-size" in text and "tabloid" in text and "a3" in text
    assert re.search(r"booklet, mini zine, one-pager and cards follow it, and so does the poster unless "
                     r"--poster-size", text), text


def test_an_unknown_poster_size_is_a_usage_error(tmp_path):
    result = run_cli("build", "--format", "poster", "--poster-size", "A2", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "--poster-size A2" in result.stderr and "tabloid" in result.stderr
    assert not list(tmp_path.iterdir())
