"""Glyph coverage: every character a handout prints has a glyph in one of the bundled fonts.

A character no bundled font has would be drawn from whatever font the system has (and refused by
preflight as not bundled) or as an empty box; this check names the character and where it is instead."""

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import fontTools
from fontTools.ttLib import TTFont

from .edition import Edition
from .errors import ZineError
from .kept import files_key, kept
from .paths import FONTS_DIR, PROJECT_ROOT, display

FONT_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2"}
# Not drawn: spacing, joiners, direction marks, soft hyphens and variation selectors.
INVISIBLE = re.compile("[\\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufe00-\ufe0f\ufeff]")
TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def bundled_characters() -> frozenset[int]:
    """Every code point some font in fonts/ maps to a glyph (kept between runs: reading the fonts'
    character maps takes each new process 0.05 s)."""
    fonts = [path for path in sorted(FONTS_DIR.rglob("*")) if path.suffix.lower() in FONT_SUFFIXES]
    # This file in the key too: a change to how the maps are read makes a new kept copy.
    key = files_key([*fonts, Path(__file__)], f"fonttools {fontTools.version}")
    return kept("coverage", key, lambda: characters_of(fonts), lambda value: isinstance(value, frozenset))


def characters_of(fonts: list[Path]) -> frozenset[int]:
    points: set[int] = set()
    for path in fonts:
        points.update((TTFont(path, lazy=True).getBestCmap() or {}).keys())
    return frozenset(points)


def printed_texts(edition: Edition) -> list[tuple[str, str]]:
    """(text, file it comes from) for what the layouts print of the content, the lines and the strings."""
    content = edition.content
    where = str(content.path)
    texts = [(text, where) for text in (content.title, content.subtitle, content.content_note,
                                        content.content_note_short, content.summary,
                                        *content.key_points, *(s.title for s in content.sources)) if text]
    for section in content.sections:
        texts += [(html.unescape(TAG.sub(" ", part)), where) for part in (section.html, section.short_html or "")]
    pages = edition.publisher_pages
    if pages:
        texts += [(text, str(pages.path)) for text in pages.texts()]
        texts += [(html.unescape(TAG.sub(" ", part)), str(pages.path)) for section in pages.sections
                  for part in (section.heading or "", section.html, section.short_html or "")]
    for line in edition.lines:
        fields = [line.name, line.keyword or "", *(line.field(name, edition.language) or ""
                                                   for name in ("hours", "cost", "audience", "note", "options")),
                  line.chat or ""]
        texts += [(text, line.origin) for text in fields if text]
    texts += [(text, f"content/strings/{edition.language}.yaml") for text in edition.strings.texts.values()]
    return texts


def check_coverage(edition: Edition) -> None:
    """Refuse the edition when it would print a character that no bundled font has."""
    have = bundled_characters()
    for text, source in printed_texts(edition):
        control = next((c for c in text if unicodedata.category(c) in ("Cc", "Zl", "Zp") and c not in "\n\t\r"),
                       None)
        if control:   # a NUL vanishes, a line separator breaks a line: neither prints what was written
            raise ZineError(locate(source, control), f"a control character (U+{ord(control):04X}) in "
                            f"{text[:40]!r}", "delete it: write plain text")
        for char in INVISIBLE.sub("", text):
            if ord(char) not in have:
                raise ZineError(locate(source, char), f"'{char}' (U+{ord(char):04X} "
                                f"{unicodedata.name(char, 'unnamed').lower()}) has no glyph in the bundled fonts",
                                "remove or replace it: the fonts in fonts/ cover Latin, Greek, Cyrillic and Arabic "
                                "script (add an open-licensed font there for another)")


def locate(source: str, char: str) -> str:
    """'file:line' of the first line holding `char`, or the file as given."""
    path = Path(source) if Path(source).is_absolute() else PROJECT_ROOT / source
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return source
    number = next((n for n, line in enumerate(lines, 1) if char in line), None)
    return f"{display(path)}:{number}" if number else display(path)
