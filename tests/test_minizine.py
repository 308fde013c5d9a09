"""The one-sheet mini zine, checked the way a reader would: from the text and positions in the PDFs."""

import contextlib
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from conftest import CONTENT, ON_A4, ROOT, WITH_GUIDES, front_matter, region_lines, shared_edition, squash
from zinepress.cli import main

SHEETS = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}
# The standard mini zine: top row turned 180°, pages 5 4 3 2; bottom row upright, 6 7 8 1.
TOP_ROW, BOTTOM_ROW = (5, 4, 3, 2), (6, 7, 8, 1)
SAFE_MARGIN = 0.2 * 72  # points between any text and a panel's edge
CUT_LABEL_BAND = 6      # points either side of the sheet's centre line, where only the "cut here" label is


def run(*args: str) -> tuple[int, str]:
    """zinepress's command line, returning its exit status and what it printed to stderr."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        status = main(list(args))
    return status, errors.getvalue()


def build(out: Path, *args: str) -> Path:
    status, errors = run("build", "--format", "minizine", "--out", str(out), *args)
    assert status == 0, errors
    return next(out.glob("*/*/manifest.json")).parent


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    """The default content for the US, on Letter (with the fold guide) and on A4: each built once for the run."""
    return {"letter": shared_edition(tmp_path_factory, *WITH_GUIDES),
            "a4": shared_edition(tmp_path_factory, *ON_A4)}


def english_strings() -> dict:
    return yaml.safe_load((ROOT / "content" / "strings" / "en.yaml").read_text(encoding="utf-8"))




def checked_label(lines: list[dict]) -> str:
    """'checked November 2026': the oldest check, as the English strings word it."""
    oldest = min(line["checked"] for line in lines)
    assert isinstance(oldest, dt.date)
    return english_strings()["checked"].format(date=oldest.strftime("%B %Y"))


def body_size(folder: Path) -> float:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return next(entry["body_size"] for entry in manifest["files"] if entry["file"] == "minizine.pdf")


def panel_of(char: dict, width: float, height: float) -> tuple[int, int]:
    """(row, column) of the sheet panel a character's centre lies in; row 0 is the top row."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return int(y // (height / 2)), int(x // (width / 4))


def is_turned(char: dict) -> bool:
    a, _, _, d, _, _ = char["matrix"]
    return a < 0 and d < 0


def page_chars(pdf_path: Path) -> list[list[dict]]:
    with pdfplumber.open(pdf_path) as pdf:
        return [list(page.chars) for page in pdf.pages]


def footer_number(chars: list[dict]) -> str:
    """The small page number in a page's footer (set in 6 pt, smaller than any other text)."""
    return "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if c["size"] < 6.5)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_print_file_is_one_landscape_sheet_of_the_paper(editions, paper):
    reader = PdfReader(editions[paper] / "minizine.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(SHEETS[paper][0], abs=0.01)
    assert float(box.height) == pytest.approx(SHEETS[paper][1], abs=0.01)
    assert len(PdfReader(editions[paper] / "minizine-pages.pdf").pages) == 8


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_reading_pages_are_numbered_in_order(editions, paper):
    pages = page_chars(editions[paper] / "minizine-pages.pdf")
    assert [footer_number(chars) for chars in pages] == ["", "2", "3", "4", "5", "6", "7", ""]
    assert squash(front_matter(CONTENT / "en.md")["title"]) in squash("".join(c["text"] for c in pages[0]))


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_panel_holds_its_page_the_right_way_up(editions, paper):
    width, height = SHEETS[paper]
    with pdfplumber.open(editions[paper] / "minizine.pdf") as pdf:
        sheet = [c for c in pdf.pages[0].chars if abs((c["top"] + c["bottom"]) / 2 - height / 2) > CUT_LABEL_BAND]
    pages = page_chars(editions[paper] / "minizine-pages.pdf")
    for row, numbers in enumerate((TOP_ROW, BOTTOM_ROW)):
        for column, number in enumerate(numbers):
            panel = [c for c in sheet if panel_of(c, width, height) == (row, column)]
            # Exactly the characters of reading page `number`, all turned in the top row, upright below.
            assert sorted(c["text"] for c in panel) == sorted(c["text"] for c in pages[number - 1]), number
            assert {is_turned(c) for c in panel} == {row == 0}, number
            if number in (1, 8):
                continue
            marker = [c for c in panel if c["size"] < 6.5]
            assert "".join(c["text"] for c in marker) == str(number)
            # A page's foot is at the sheet's outer edge: the top edge for the turned row.
            if row == 0:
                assert min(c["top"] for c in marker) < 0.5 * 72
            else:
                assert height - max(c["bottom"] for c in marker) < 0.5 * 72


@pytest.fixture(scope="module")
def other_regions(tmp_path_factory) -> dict[str, Path]:
    """The regions with the longest back covers: the most lines (US-CA), the longest emergency number (ZA)."""
    return {"US-CA": build(tmp_path_factory.mktemp("us-ca"), "--region", "US-CA", "--paper", "a4"),
            "ZA": build(tmp_path_factory.mktemp("za"), "--region", "ZA", "--paper", "letter")}


def assert_clear_of_edges(folder: Path) -> None:
    with pdfplumber.open(folder / "minizine-pages.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            assert page.chars, number
            assert min(c["x0"] for c in page.chars) >= SAFE_MARGIN, number
            assert max(c["x1"] for c in page.chars) <= page.width - SAFE_MARGIN, number
            assert min(c["top"] for c in page.chars) >= SAFE_MARGIN, number
            assert max(c["bottom"] for c in page.chars) <= page.height - SAFE_MARGIN, number


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_text_keeps_clear_of_every_panel_edge(editions, paper):
    assert_clear_of_edges(editions[paper])


@pytest.mark.parametrize("region", ["US-CA", "ZA"])
def test_long_back_covers_fit_their_page_and_margins(other_regions, region):
    assert_clear_of_edges(other_regions[region])
    lines = region_lines(region)
    with pdfplumber.open(other_regions[region] / "minizine-pages.pdf") as pdf:
        back = squash(pdf.pages[7].extract_text())
    assert all(squash(line["name"]) in back for line in lines)
    assert back.endswith(squash(checked_label(lines)))


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_back_cover_prints_every_crisis_line_and_when_it_was_checked(editions, paper):
    region = yaml.safe_load((ROOT / "content" / "crisis-lines" / "US.yaml").read_text(encoding="utf-8"))
    with pdfplumber.open(editions[paper] / "minizine-pages.pdf") as pdf:
        back = squash(pdf.pages[7].extract_text())
    for line in region["lines"]:
        assert squash(line["name"]) in back
        for way in ("call", "text"):
            number = line.get(way)
            if number:
                assert squash(number["number"] if isinstance(number, dict) else number) in back, line["name"]
    assert squash(checked_label(region["lines"])) in back
    assert squash(region["emergency"]) in back


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_sources_are_on_page_seven(editions, paper):
    with pdfplumber.open(editions[paper] / "minizine-pages.pdf") as pdf:
        page_seven = squash(pdf.pages[6].extract_text())
    sources = front_matter(CONTENT / "en.md")["sources"]
    assert sources
    for source in sources:
        assert squash(source["title"]) in page_seven


def test_sheet_has_fold_lines_and_one_marked_cut_through_the_middle_panels(editions):
    width, height = SHEETS["letter"]
    with pdfplumber.open(editions["letter"] / "minizine.pdf") as pdf:
        page = pdf.pages[0]
        lines, chars = page.lines, page.chars
    on_centre = [line for line in lines
                 if abs(line["top"] - height / 2) < 0.5 and abs(line["bottom"] - height / 2) < 0.5]
    cut = [line for line in on_centre if line["x0"] == pytest.approx(width / 4, abs=0.5)
           and line["x1"] == pytest.approx(3 * width / 4, abs=0.5)]
    assert len(cut) == 1 and cut[0]["dash"][0], "a dashed cut line through the middle two panels"
    folds = [line for line in lines if line["x0"] == line["x1"] and line["bottom"] - line["top"] > height - 1]
    assert sorted(round(line["x0"]) for line in folds) == [round(width * k / 4) for k in (1, 2, 3)]
    for line in folds + on_centre:
        assert min(line["stroking_color"]) > 0.5, "guides are light gray, not black"
    label = [c for c in chars if abs((c["top"] + c["bottom"]) / 2 - height / 2) <= CUT_LABEL_BAND]
    assert "".join(c["text"] for c in sorted(label, key=lambda c: c["x0"])) == english_strings()["cut_here"]
    assert all(width / 4 < c["x0"] < 3 * width / 4 for c in label)


def test_fold_guide_is_one_page_of_numbered_steps(editions):
    strings = english_strings()
    reader = PdfReader(editions["letter"] / "minizine-guide.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((612, 792), abs=0.01)
    with pdfplumber.open(editions["letter"] / "minizine-guide.pdf") as pdf:
        text = squash(pdf.pages[0].extract_text())
    steps = [key for key in strings if key.startswith("guide_step_")]
    assert len(steps) >= 5
    for key in ["fold_guide_heading", "cut_here", *steps]:
        assert squash(strings[key]) in text, key
    manifest = json.loads((editions["letter"] / "manifest.json").read_text(encoding="utf-8"))
    assert {"file": "minizine-guide.pdf", "kind": "guide"}.items() <= next(
        entry for entry in manifest["files"] if entry["file"] == "minizine-guide.pdf").items()


def rewrite_short_blocks(source: Path, target: Path, rewrite) -> Path:
    """A copy of the content folder with every '::: short' block passed through `rewrite`."""
    shutil.copytree(source, target)
    path = target / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(::: short\n)(.*?)(:::)", lambda m: m[1] + rewrite(m[2]) + m[3], text, flags=re.S),
                    encoding="utf-8")
    return target


def test_text_too_long_for_eight_pages_fails_with_one_clear_line_and_writes_nothing(tmp_path):
    content = rewrite_short_blocks(CONTENT, tmp_path / "long", lambda block: block + "\n" + block + "\n" + block)
    out = tmp_path / "out"
    status, errors = run("build", "--format", "minizine", "--content", str(content), "--out", str(out))
    assert status == 1
    error_lines = [line for line in errors.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "Traceback" not in errors
    message = error_lines[0]
    assert "minizine" in message and "7 pt" in message and "--format booklet" in message
    assert int(re.search(r"about (\d+) words", message)[1]) > 0
    assert not list(out.rglob("*.pdf"))


def test_shorter_text_gets_a_larger_body_size(editions, tmp_path):
    content = rewrite_short_blocks(CONTENT, tmp_path / "short", lambda block: " ".join(block.split()[:15]) + "\n")
    shorter = build(tmp_path / "out", "--region", "US", "--content", str(content))
    normal = body_size(editions["letter"])
    assert 7 <= normal < body_size(shorter) <= 11
    # Padded with notes pages, it is still exactly eight pages with the sources on page 7.
    with pdfplumber.open(shorter / "minizine-pages.pdf") as pdf:
        assert len(pdf.pages) == 8
        first_source = front_matter(content / "en.md")["sources"][0]["title"]
        assert squash(first_source) in squash(pdf.pages[6].extract_text())


def test_more_lines_than_the_back_cover_holds_are_left_out_with_a_warning_not_spilled(tmp_path):
    own_lines = [{"name": f"Riverside Peer Warmline {n}", "call": {"number": f"5550{n}", "short": True},
                  "hours": "Every day, 5pm-11pm", "languages": ["en"], "source": "https://example.org/warmline",
                  "checked": dt.date(2026, 11, 1)} for n in range(8)]
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(yaml.safe_dump({"lines": own_lines}), encoding="utf-8")
    out = tmp_path / "out"
    status, errors = run("build", "--format", "minizine", "--contacts", str(contacts), "--out", str(out))
    assert status == 0, errors
    warning = [line for line in errors.splitlines() if line.startswith("warning: minizine:")]
    assert len(warning) == 1 and "Riverside Peer Warmline 7" in warning[0], errors
    [pages] = out.rglob("minizine-pages.pdf")
    back = PdfReader(pages).pages[7].extract_text()
    assert "Riverside Peer Warmline 0" in back and "Riverside Peer Warmline 7" not in back
    assert "988" in back          # the primary line is never the one left out
