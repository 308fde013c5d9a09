"""Hyphenation patterns kept parsed between runs.

WeasyPrint hyphenates with Pyphen, which parses a language's pattern file in every new process (0.09 s
for English, paid by each batch worker on its first layout). The parsed patterns are kept between runs
(kept.py) and put in Pyphen's cache of parsed files (`pyphen.hdcache`, by path) before the first layout;
tests/test_hyphenation.py fails loudly if WeasyPrint or Pyphen stop using that cache."""

from pathlib import Path

import pyphen

from .kept import files_key, kept


def preload(language: str) -> None:
    """Have the patterns for `language` (as WeasyPrint will ask for them) parsed in this process."""
    found = pyphen.language_fallback(language.replace("-", "_"))
    parsed = getattr(pyphen, "hdcache", None)
    if found is None or not isinstance(parsed, dict):
        return
    path = Path(pyphen.LANGUAGES[found])
    if path not in parsed:
        key = files_key([path], f"pyphen {getattr(pyphen, '__version__', '?')}")
        parsed[path] = kept("hyphenation", key, lambda: pyphen.HyphDict(path),
                            lambda value: isinstance(value, pyphen.HyphDict))
