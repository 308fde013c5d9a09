"""`make_zine.py serve` in a real browser: Debian's chromium driven by Playwright, filling the form as a
person would. CI installs chromium (.ci/run); without it these tests are skipped, saying why."""

import datetime as dt
import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import pdfium_text, squash
from playwright.sync_api import expect, sync_playwright

from zinepress.web.server import start

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(apt-get install chromium; .ci/run does)")

CHECKED = (dt.date.today() - dt.timedelta(days=10)).isoformat()
FORMATS = ("booklet", "minizine", "poster", "onepager", "card")
BUILD_TIMEOUT = 300_000    # ms: a ceiling for a slow shared machine, not a speed requirement


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "out"
    server, url = start("127.0.0.1", 0, out)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url, out
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served[0])
    yield page
    context.close()


def fill_line(line, **values) -> None:
    for label, value in values.items():
        line.get_by_label(label, exact=True).fill(value)


def pdf_text(path: Path) -> str:
    return pdfium_text(path)


def test_a_person_adds_a_warmline_fixes_its_number_and_prints_a_mini_zine(page, served, tmp_path):
    for label in ("Content", "Region", "Language", "Paper", *FORMATS, "Grayscale", "Bleed"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    page.get_by_label("Region", exact=True).select_option("US")
    for name in FORMATS:
        if name != "minizine":
            page.get_by_label(name, exact=True).uncheck()
    expect(page.get_by_label("minizine", exact=True)).to_be_checked()

    page.get_by_role("button", name="Add a line").click()
    line = page.locator("[data-line]").first
    typed = {"Name": "Riverside Peer Warmline", "Call": "(503) 555-014", "Hours": "Every day, 5pm-11pm",
             "Languages": "en, es", "Source": "https://example.org/warmline", "Checked": CHECKED}
    fill_line(line, **typed)
    page.get_by_role("button", name="Build", exact=True).click()

    call = line.get_by_label("Call", exact=True)
    beside_call = line.locator(".field-call .error")
    expect(beside_call).to_contain_text("'(503) 555-014' is not a valid number in US")
    expect(call).to_have_attribute("aria-invalid", "true")
    assert page.locator(f"#{call.get_attribute('aria-describedby')}").inner_text() == beside_call.inner_text()
    for label in ("Name", "Hours", "Languages", "Source", "Checked"):   # no error elsewhere, nothing lost
        expect(line.locator(f".field-{label.lower()} .error")).to_be_empty()
        expect(line.get_by_label(label, exact=True)).to_have_value(typed[label])
    expect(page.locator("#form-message")).to_contain_text("field 'call'")

    call.fill("(503) 555-0142")
    page.get_by_role("button", name="Build", exact=True).click()
    pages = page.locator("#result img")
    expect(pages).to_have_count(8, timeout=BUILD_TIMEOUT)
    for number in range(1, 9):
        expect(page.get_by_alt_text(f"minizine, page {number} of 8")).to_be_visible()
    assert all(pages.evaluate_all("images => images.map(image => image.complete && image.naturalWidth > 0)"))
    expect(beside_call).to_be_empty()
    expect(page.locator("#form-message")).to_be_empty()

    with page.expect_download() as download:
        page.get_by_role("link", name="minizine.pdf", exact=True).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "minizine.pdf"
    text = squash(pdf_text(saved))
    assert squash("(503) 555-0142") in text and squash("Riverside Peer Warmline") in text

    zip_link = page.locator("#result a", has_text=".zip")
    expect(zip_link).to_have_text(re.compile(r"^unpacking-self-harm-US-en.*\.zip$"))
    with page.expect_download() as download:
        zip_link.click()
    archive = zipfile.ZipFile(download.value.path())
    names = {Path(name).name for name in archive.namelist()}
    assert {"minizine.pdf", "minizine-pages.pdf", "manifest.json"} <= names

    page.get_by_role("link", name="Gallery of built editions").click()
    expect(page.get_by_role("heading", name="Built in the browser")).to_be_visible()
    thumbnail = page.get_by_alt_text("first page of minizine.pdf").first
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth > 0")


def test_lines_go_out_as_a_file_and_come_back_in(page, tmp_path):
    page.get_by_role("button", name="Add a line").click()
    typed = {"Name": "Riverside Peer Warmline", "Call": "(503) 555-0142", "Text": "(503) 555-0143",
             "Keyword": "HELLO", "Hours": "Every day, 5pm-11pm", "Languages": "en, es",
             "Source": "https://example.org/warmline", "Checked": CHECKED}
    fill_line(page.locator("[data-line]").first, **typed)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download lines").click()
    saved = tmp_path / "lines.yaml"
    download.value.save_as(saved)
    line = yaml.safe_load(saved.read_text(encoding="utf-8"))["lines"][0]
    assert line["call"] == "(503) 555-0142" and line["text"] == {"number": "(503) 555-0143", "keyword": "HELLO"}
    assert line["languages"] == ["en", "es"] and str(line["checked"]) == CHECKED

    page.reload()
    expect(page.locator("[data-line]")).to_have_count(0)
    page.get_by_label("Upload lines").set_input_files(str(saved))
    expect(page.locator("[data-line]")).to_have_count(1)
    back = page.locator("[data-line]").first
    for label, value in typed.items():
        expect(back.get_by_label(label, exact=True)).to_have_value(value)


def test_a_malformed_upload_says_what_is_wrong(page, tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("lines:\n  - name: [unclosed\n", encoding="utf-8")
    page.get_by_label("Upload lines").set_input_files(str(bad))
    expect(page.locator("#lines-message")).to_contain_text("mine.yaml:")
    expect(page.locator("#lines-message")).to_contain_text("YAML error")
    expect(page.locator("[data-line]")).to_have_count(0)
