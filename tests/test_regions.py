"""Every region's handouts carry that region's lines, in its language and paper, and no one else's."""

import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from conftest import (ROOT, build_here, digits, front_matter, manifest, pdf_text, region_lines, run_cli,
                      shared_edition, shared_out, squash)

DIRECTORY = ROOT / "content" / "crisis-lines"
REGIONS = sorted(p.stem for p in DIRECTORY.glob("*.yaml"))


def test_the_directory_covers_the_fourteen_regions():
    assert {"US", "CA", "GB", "IE", "AU", "NZ", "MX", "ES", "FR", "DE", "IN", "ZA", "BR", "PH"} <= set(REGIONS)


@pytest.mark.parametrize("region", REGIONS)
def test_strict_check_passes(region):
    result = run_cli("check", "--region", region, "--strict")
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def booklets(tmp_path_factory) -> dict[str, Path]:
    """Every region's booklet, built in one batch (`--region A,B,...`) once for the run."""
    out = shared_out(tmp_path_factory, "--region", ",".join(REGIONS), "--format", "booklet")
    return {m.parent.name.split("-")[0] if m.parent.name.count("-") == 1 else "-".join(m.parent.name.split("-")[:2]):
            m.parent for m in out.glob("*/*/manifest.json")}


@pytest.mark.parametrize("region", REGIONS)
def test_booklet_prints_its_region_s_lines_and_no_other(booklets, region):
    # The whole directory entry is on the back cover itself: every line, the emergency number, the date.
    back_text = PdfReader(booklets[region] / "booklet-pages.pdf").pages[-1].extract_text()
    back = squash(back_text)
    emergency = yaml.safe_load((DIRECTORY / f"{region.split('-')[0]}.yaml").read_text())["emergency"]
    assert digits(emergency) in re.sub(r"\D", "", back_text)
    own = region_lines(region)
    oldest = min(str(line["checked"]) for line in own)
    assert oldest[:4] in back_text[-60:], back_text[-200:]     # "checked <month> <year>" closes the page
    for line in own:
        assert squash(line["name"]) in back, line["name"]
    own_names = {squash(line["name"]) for line in own}
    for other in REGIONS:
        for line in region_lines(other):
            name = squash(line["name"])
            if name not in own_names and not any(name in mine for mine in own_names):
                assert name not in back, (region, other, line["name"])


def test_gb_builds_on_a4_by_default(booklets):
    assert manifest(booklets["GB"])["paper"] == "a4"
    box = PdfReader(booklets["GB"] / "booklet.pdf").pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((841.89, 595.28), abs=0.01)


def test_mexico_prints_the_spanish_text_and_mexico_s_lines(booklets):
    folder = booklets["MX"]
    assert manifest(folder)["lang"] == "es"
    text = squash(pdf_text(folder / "booklet-pages.pdf"))
    spanish = front_matter(ROOT / "content" / "unpacking-self-harm" / "es.md")
    assert squash(spanish["title"]) in text
    assert squash("Si necesitas hablar") in text or squash(yaml.safe_load(
        (ROOT / "content" / "strings" / "es.yaml").read_text())["crisis_heading"]) in text
    for line in region_lines("MX"):
        if line.get("call"):
            assert digits(line["call"]) in re.sub(r"\D", "", pdf_text(folder / "booklet-pages.pdf"))
    # Dates the Spanish way: "revisado en noviembre de 2026"-style, no English month names.
    assert not re.search(r"checked|November", pdf_text(folder / "booklet-pages.pdf"))


def test_asking_for_a_language_the_content_lacks_lists_the_ones_it_has():
    result = run_cli("check", "--lang", "ar")      # Arabic labels exist; the zine's text in Arabic does not
    assert result.returncode == 1
    assert all(f" {lang}" in result.stderr for lang in ("de", "en", "es", "fr", "pt")), result.stderr


def test_missing_string_falls_back_to_english_with_a_warning(tmp_path, monkeypatch):
    from zinepress import strings as module
    (tmp_path / "en.yaml").write_text("sources: Sources\nnotes_heading: Notes\nemergency: 'Call {number}.'\n"
                                      "text_keyword: 'Text {keyword} to {number}'\nchecked: 'checked {date}'\n")
    (tmp_path / "pt.yaml").write_text("sources: Fontes\nemergency: 'Ligue {number}.'\n"
                                      "text_keyword: 'Envie {keyword} para {number}'\nchecked: 'verificado {date}'\n")
    monkeypatch.setattr(module, "STRINGS_DIR", tmp_path)
    warnings: list[str] = []
    loaded = module.load_strings("pt", warnings)
    assert loaded("sources") == "Fontes" and loaded("notes_heading") == "Notes"
    assert len(warnings) == 1 and "pt.yaml" in warnings[0] and "notes_heading" in warnings[0]


def test_every_language_has_every_string():
    strings = ROOT / "content" / "strings"
    english = yaml.safe_load((strings / "en.yaml").read_text())
    for code in ("es", "fr", "de", "pt", "ar"):
        assert set(yaml.safe_load((strings / f"{code}.yaml").read_text())) >= set(english), code


def arabic_edition(tmp_path_factory) -> Path:
    """The Arabic test zine for the US in the formats the tests below read, built once for the run."""
    return shared_edition(tmp_path_factory, "--content", str(ROOT / "tests/fixtures/arabic-zine"), "--lang", "ar",
                          "--format", "booklet,onepager,poster")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    return arabic_edition(tmp_path_factory)



def test_the_arabic_one_pager_draws_no_rule_outside_its_columns(arabic):
    """A column rule stands between the two columns or not at all (WeasyPrint 70 drew the right-to-left
    one at the page's left edge)."""
    with pdfplumber.open(arabic / "onepager.pdf") as pdf:
        for page in pdf.pages:
            rules = [shape["x0"] for shape in page.lines + page.rects
                     if shape["x1"] - shape["x0"] < 2 and shape["height"] > 40]
            assert all(abs(x - page.width / 2) < 20 for x in rules), rules

def test_arabic_edition_runs_right_to_left(arabic):
    with pdfplumber.open(arabic / "booklet-pages.pdf") as pdf:
        page = pdf.pages[1]                        # the first text page
        # The text, above the rule that sets off the sources when they follow it on the same page.
        rule = min((shape["top"] for shape in page.lines + page.rects if shape["width"] > page.width / 2),
                   default=page.height)
        arabic_chars = [c for c in page.chars if "\u0600" <= c["text"] <= "\u06ff" and c["top"] < rule]
        assert arabic_chars
        # Right-aligned: every Arabic line ends at the right margin, and most start well away from the left.
        right_edge = max(c["x1"] for c in arabic_chars)
        lines = {}
        for char in arabic_chars:
            lines.setdefault(round(char["top"]), []).append(char)
        assert all(max(c["x1"] for c in line) == pytest.approx(right_edge, abs=2) for line in lines.values())
        # ...and short lines leave their gap on the left, not the right.
        assert max(min(c["x0"] for c in line) for line in lines.values()) > page.width * 0.4
    fonts = [str(f["/BaseFont"]) for p in PdfReader(arabic / "booklet-pages.pdf").pages
             for f in (p["/Resources"].get("/Font") or {}).values()]
    assert any("Arabic" in font for font in fonts)


def test_numbers_keep_their_digit_order_in_right_to_left_text(tmp_path):
    folder = build_here(tmp_path, "--content", str(ROOT / "tests/fixtures/arabic-zine"), "--lang", "ar",
                        "--region", "GB", "--format", "card")
    grouped = [line for line in region_lines("GB") if " " in str(line.get("call", ""))]
    assert grouped
    with pdfplumber.open(folder / "card-pages.pdf") as pdf:
        # pdfplumber reads each line in visual order, left to right, as a reader's eye does.
        back = pdf.pages[1].extract_text()
        visual = [re.sub(r"\D", "", text) for text in back.splitlines()]
    printed = [line for line in grouped if squash(line["name"]) in squash(back)]
    assert printed
    for line in printed:
        assert any(digits(line["call"]) in text for text in visual), (line["name"], visual)


@pytest.mark.parametrize("fmt", ["poster", "onepager"])
def test_right_to_left_editions_put_the_first_line_on_the_right(tmp_path_factory, fmt):
    folder = arabic_edition(tmp_path_factory)
    first, second = (line["name"] for line in region_lines("US")[:2])
    with pdfplumber.open(folder / f"{fmt}.pdf") as pdf:
        words = pdf.pages[0].extract_words()

    def left_of(name: str) -> float:
        start = name.split()[-1]       # a word of the name, as pdfplumber splits it
        return min(w["x0"] for w in words if w["text"] == start)

    assert left_of(first) > left_of(second) + 100, (first, second)
