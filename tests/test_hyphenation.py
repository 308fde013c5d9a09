"""Hyphenation patterns kept parsed between runs: the kept copy hyphenates as the pattern file does,
WeasyPrint uses it without parsing the file again, and a damaged copy is replaced, never an error."""

import tempfile

import pyphen
import pytest
from weasyprint import HTML

from zinepress import hyphenation
from zinepress.paths import private_folder

WORDS = ["hyphenation", "understanding", "responsibility", "confidential", "overwhelming"]


@pytest.fixture(autouse=True)
def own_folders(tmp_path, monkeypatch):
    """A temporary directory of the test's own, and Pyphen's cache emptied (as in a new process)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})


def parsed_here(language: str) -> list[str]:
    """The reference: the words hyphenated by patterns parsed from the file in this test."""
    path = pyphen.LANGUAGES[pyphen.language_fallback(language.replace("-", "_"))]
    words = [pyphen.Pyphen(filename=path, cache=False).inserted(word) for word in WORDS]
    pyphen.hdcache.clear()   # Pyphen keeps what it parsed even with cache=False
    return words


def no_parsing(monkeypatch) -> None:
    def refuse(self, path):
        raise AssertionError(f"parsed {path} again")
    monkeypatch.setattr(pyphen.HyphDict, "__init__", refuse)


@pytest.mark.parametrize("language", ["en", "de", "pt-BR"])
def test_the_kept_patterns_hyphenate_as_the_pattern_file_does(language, monkeypatch):
    expected = parsed_here(language)
    hyphenation.preload(language)        # parses the file, keeps a copy
    assert len(list(private_folder("hyphenation").glob("*.pickle"))) == 1
    monkeypatch.setattr(pyphen, "hdcache", {})   # a new process
    no_parsing(monkeypatch)
    hyphenation.preload(language)        # from the kept copy
    assert [pyphen.Pyphen(lang=language.replace("-", "_")).inserted(word) for word in WORDS] == expected
    assert "-" in "".join(expected)      # the words do hyphenate


def test_weasyprint_hyphenates_with_the_preloaded_patterns_without_parsing_again(monkeypatch):
    hyphenation.preload("en")
    monkeypatch.setattr(pyphen, "hdcache", dict(pyphen.hdcache))
    no_parsing(monkeypatch)
    page = ('<html lang="en"><p style="hyphens: auto; width: 3.2em; font: 12pt sans-serif">'
            "responsibility understanding</p></html>")
    text = "".join(box.text for page in HTML(string=page).render().pages
                   for box in page._page_box.descendants() if hasattr(box, "text"))
    assert "\u2010" in text or "-" in text


def test_a_damaged_kept_copy_is_parsed_again_and_replaced(monkeypatch):
    expected = parsed_here("en")
    hyphenation.preload("en")
    [kept] = private_folder("hyphenation").glob("*.pickle")
    kept.write_bytes(b"\x80\x05 not a pickle")
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("en")
    assert [pyphen.Pyphen(lang="en").inserted(word) for word in WORDS] == expected
    assert kept.read_bytes().startswith(b"\x80")
    monkeypatch.setattr(pyphen, "hdcache", {})
    no_parsing(monkeypatch)
    hyphenation.preload("en")   # the replaced copy loads


def test_a_language_without_patterns_is_left_to_weasyprint():
    hyphenation.preload("zz")
    assert pyphen.hdcache == {}
