"""WeasyPrint may read the project's own files and data: URLs, nothing else."""

import pytest

from zinepress.fetcher import RefusedURL, SafeFetcher
from zinepress.paths import CONTENT_DIR, FONTS_DIR

FETCHER = SafeFetcher(CONTENT_DIR / "unpacking-self-harm")


@pytest.mark.parametrize("url", ["https://example.org/x.png", "http://127.0.0.1/", "file:///etc/passwd",
                                 (FONTS_DIR / ".." / ".." / "etc.css").resolve().as_uri(),
                                 "ftp://example.org/a"])
def test_refuses_everything_outside_the_project(url):
    with pytest.raises(RefusedURL):
        FETCHER.fetch(url)


def test_reads_bundled_fonts_and_data_urls():
    assert FETCHER.fetch((FONTS_DIR / "fonts.css").as_uri()).read()
    assert FETCHER.fetch("data:text/plain,hello").read() == b"hello"
