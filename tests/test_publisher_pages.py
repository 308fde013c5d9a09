"""The publisher's pages as a reader meets them: both pages in the booklet, labelled as the publisher's and
with their own numbered sources; their short versions on the one-pager; a pointer line in the mini zine;
none of it when the content says `publisher_pages: false`; and a broken publisher file refused by name."""

import re
from pathlib import Path

import pdfplumber
import pytest
import yaml

from conftest import (CONTENT, ROOT, body_text, build_here, front_matter, manifest, pdf_text, run_cli,
                      shared_edition, squash)

PUBLISHER = CONTENT / "publisher" / "en.md"
STRINGS = yaml.safe_load((ROOT / "content" / "strings" / "en.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition, every format


def pages_of(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def publisher_blocks() -> list[tuple[str, str, str]]:
    """(heading, full text, short text) of each page, read from the file itself."""
    body = PUBLISHER.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    blocks = []
    for chunk in re.split(r"^## ", body, flags=re.M)[1:]:
        heading, text = chunk.split("\n", 1)
        short = re.search(r"^::: short\n(.*?)^:::", text, flags=re.S | re.M).group(1)
        full = re.sub(r"^::: short\n.*?^:::\n?", "", text, flags=re.S | re.M)
        blocks.append((heading.strip(), full, short))
    return blocks


def sentences(text: str) -> list[str]:
    text = re.sub(r"^- ", "", text, flags=re.M)
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [s.strip() for s in parts if len(squash(s)) > 3]


def test_the_publisher_file_keeps_each_page_short():
    blocks = publisher_blocks()
    headings = [heading for heading, _, _ in blocks]
    assert headings == ["Looking after yourself", "If someone tells you they self-harm"]
    for heading, full, short in blocks:
        assert 100 <= len(full.split()) <= 200, heading
        assert len(short.split()) < len(full.split()) / 2, heading


def assert_labelled_pages_in(text: str, version: str) -> None:
    """The publisher's label, each page's heading, and every sentence of its full or short version."""
    assert squash(STRINGS["publisher_label"]) in text
    for heading, full, short in publisher_blocks():
        assert squash(heading) in text
        missing = [s for s in sentences(full if version == "full" else short) if squash(s) not in text]
        assert not missing, (heading, missing)


def test_the_booklet_prints_both_pages_whole_and_labelled(letter):
    text = squash(body_text(letter / "booklet-pages.pdf"))
    assert_labelled_pages_in(text, "full")


def test_the_booklet_keeps_them_apart_from_the_zine(letter):
    """The label comes after the zine's last sentence and its sources, and before the first page."""
    text = squash(body_text(letter / "booklet-pages.pdf"))
    last_zine_sentence = squash("there's always a reason for it.")
    zine_sources = squash(front_matter(CONTENT / "en.md")["sources"][-1]["title"])
    label = text.index(squash(STRINGS["publisher_label"]))
    assert text.rindex(last_zine_sentence) < label and text.index(zine_sources) < label
    assert label < text.index(squash("Looking after yourself"))
    # The intro says in words what the label says: they are not the zine's text.
    assert squash("These two pages are not part of the zine") in text


def test_the_booklet_numbers_the_publishers_own_sources(letter):
    text = squash(body_text(letter / "booklet-pages.pdf"))
    assert squash(STRINGS["publisher_sources"]) in text
    for number, source in enumerate(front_matter(PUBLISHER)["sources"], 1):
        assert squash(f"{number}. {source['title']}") in text, source["title"]
        address = source["url"].split("://", 1)[1].rstrip("/")
        assert squash(address) in text, address
    cited = {int(n) for group in re.findall(r"\[([\d, ]+)\]", PUBLISHER.read_text(encoding="utf-8"))
             for n in group.split(",")}
    assert cited == set(range(1, len(front_matter(PUBLISHER)["sources"]) + 1)), "a source is never cited"


def test_no_phone_number_in_the_publishers_text():
    """Numbers on a handout come only from validated crisis lines; the pages say 'the emergency number'."""
    body = PUBLISHER.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert not re.search(r"\d{3}", re.sub(r"\[[\d, ]+\]", "", body))
    assert "emergency number" in body


def test_the_one_pager_prints_the_short_versions_and_their_sources(letter):
    text = squash(pdf_text(letter / "onepager.pdf"))
    assert_labelled_pages_in(text, "short")
    assert squash("Wash your hands, rinse the wound") not in text     # the full page is the booklet's
    for source in front_matter(PUBLISHER)["sources"]:
        assert squash(source["title"]) in text, source["title"]


def test_the_mini_zine_prints_the_pointer_line_with_the_sources(letter):
    pages = pages_of(letter / "minizine-pages.pdf")
    pointer = front_matter(PUBLISHER)["pointer"]
    assert squash(STRINGS["publisher_label"]) in squash(pages[6]) and squash(pointer) in squash(pages[6])
    assert squash(STRINGS["sources"]) in squash(pages[6])
    assert squash("Looking after yourself") not in squash("".join(pages))


def test_the_manifest_records_the_publishers_pages(letter):
    record = manifest(letter)["publisher_pages"]
    assert record["file"] == "content/unpacking-self-harm/publisher/en.md"
    assert record["pages"] == ["Looking after yourself", "If someone tells you they self-harm"]
    assert [s["url"] for s in record["sources"]] == [s["url"] for s in front_matter(PUBLISHER)["sources"]]
    assert record["translation"] is None


def set_front_matter(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\n{line}\n", 1), encoding="utf-8")


def test_publisher_pages_false_leaves_them_out(content_copy, tmp_path):
    set_front_matter(content_copy / "en.md", "publisher_pages: false")
    folder = build_here(tmp_path / "out", "--content", str(content_copy), "--format", "booklet,minizine")
    for name in ("booklet-pages.pdf", "minizine-pages.pdf"):
        text = squash(pdf_text(folder / name))
        assert squash(STRINGS["publisher_label"]) not in text, name
        assert squash("Looking after yourself") not in text and squash("NHS") not in text, name
        assert squash("there's always a reason for it") in text, name      # the zine itself is all there
    assert manifest(folder)["publisher_pages"] is None


def check(content: Path, *args: str):
    return run_cli("check", "--content", str(content), "--format", "booklet", *args)


def one_error(result) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


BROKEN = {
    "a source without its address": (r"    url: https://www.orygen.org.au/chatsafe\n", "",
                                     ["publisher/en.md: sources[7]", "no url"]),
    "a citation of a source not listed": (r"\[6, 7\]", "[6, 9]", ["publisher/en.md", "cites [9]"]),
    "a page without its short version": (r"::: short\nStay calm.*?:::\n", "",
                                         ["publisher/en.md:", "If someone tells you they self-harm", "::: short"]),
    "an unknown field": (r"^intro:", "introduction:", ["publisher/en.md: field 'introduction'"]),
    "no sources at all": (r"^sources:\n(?:  [^\n]*\n)+", "", ["publisher/en.md: field 'sources'"]),
    "a page without a heading": (r"^## Looking after yourself\n", "", ["publisher/en.md:", "heading"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_publisher_file_is_one_line_naming_file_and_field(content_copy, case):
    pattern, replacement, expected = BROKEN[case]
    path = content_copy / "publisher" / "en.md"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M | re.S)
    assert changed != text, "precondition: the edit applies"
    path.write_text(changed, encoding="utf-8")
    line = one_error(check(content_copy))
    for part in expected:
        assert part in line, line


def test_publisher_pages_must_be_true_or_false(content_copy):
    set_front_matter(content_copy / "en.md", "publisher_pages: no thanks")
    assert "en.md: field 'publisher_pages'" in one_error(check(content_copy))


def test_a_language_without_publisher_pages_is_a_warning_not_a_silent_gap(content_copy):
    (content_copy / "publisher" / "es.md").unlink()
    result = check(content_copy, "--lang", "es")
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "no publisher pages in 'es'" in line]
    assert warning and warning[0].startswith("warning:") and "publisher" in warning[0], result.stderr
    assert check(content_copy, "--lang", "es", "--strict").returncode == 1


def test_every_translation_of_the_pages_has_both_pages_and_the_same_sources():
    english = front_matter(PUBLISHER)
    for path in sorted(PUBLISHER.parent.glob("*.md")):
        meta = front_matter(path)
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert meta["language"] == path.stem
        assert len(re.findall(r"^## ", body, flags=re.M)) == 2, path.name
        assert body.count("::: short") == 2, path.name
        assert [s["url"] for s in meta["sources"]] == [s["url"] for s in english["sources"]], path.name
        # Same citations, in the same order: a translation keeps what each sentence rests on.
        english_body = PUBLISHER.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert re.findall(r"\[[\d, ]+\]", body) == re.findall(r"\[[\d, ]+\]", english_body), path.name
        if path.stem != "en":
            assert meta["translation"]["from"] == "en" and meta["translation"]["reviewed"] is False, path.name


def test_an_edited_publisher_page_rebuilds_the_edition():
    """The publisher file of the edition's language is one of its inputs (incremental builds), and no other."""
    from zinepress.edition import Selection, build_edition as load

    for language in ("en", "es"):
        inputs = {path.resolve() for path in load(Selection(language=language)).inputs}
        assert (PUBLISHER.parent / f"{language}.md").resolve() in inputs, language
        others = {p.resolve() for p in PUBLISHER.parent.glob("*.md") if p.stem != language}
        assert not inputs & others, language
