"""The publisher's pages: short guidance a publisher prints beside a zine (looking after an injury, what
to do when someone says they self-harm), kept apart from the zine's own text.

They live in `<content>/publisher/<lang>.md`: front matter with their own numbered `sources` (every one
with a URL), an optional `intro` and the mini zine's `pointer` line, then one `## ` section per page,
each with a `::: short` version for the one-pager. The text cites its sources as [1] or [1, 3]. A
content leaves them out with `publisher_pages: false` in its own front matter."""

import re
from dataclasses import dataclass
from pathlib import Path

from .content import (Section, Source, front_matter_language, load_sources, parse_section, split_front_matter,
                      split_sections)
from .errors import ZineError
from .markdown import MarkdownRenderer
from .paths import display
from .translation import Translation, load_translation
from .yamlfile import CONTENT_LIMIT, read_text, require_str

FOLDER = "publisher"
FIELDS = ("language", "intro", "pointer", "sources", "translation")
CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


@dataclass(frozen=True)
class PublisherPages:
    path: Path
    language: str
    intro: str | None          # printed under the "Added by the publisher" label
    pointer: str | None        # the one line a mini zine prints instead of the pages
    sections: list[Section]    # one per page: heading, text and its '::: short' version
    sources: list[Source]      # numbered in this order; the text cites them as [n]
    translation: Translation | None = None

    def texts(self) -> list[str]:
        """Every plain-text field it prints (the sections are HTML)."""
        return [text for text in (self.intro, self.pointer, *(s.title for s in self.sources)) if text]


def load_publisher_pages(folder: Path, language: str, warnings: list[str]) -> PublisherPages | None:
    """The content's publisher pages in `language`; None (with a warning) when the content has them in
    other languages only, None (silently) when it has none."""
    pages = folder / FOLDER
    if not pages.is_dir():
        return None
    path = pages / f"{language}.md"
    if not path.is_file():
        have = ", ".join(sorted(p.stem for p in pages.glob("*.md"))) or "none"
        warnings.append(f"{display(pages)}: no publisher pages in '{language}' (has: {have}); they are left out "
                        f"of this edition (add {path.name}, or set publisher_pages: false in the content)")
        return None
    return parse_publisher_pages(path, language)


def parse_publisher_pages(path: Path, language: str) -> PublisherPages:
    meta, body, body_line = split_front_matter(path, read_text(path, CONTENT_LIMIT))
    where = display(path)
    unknown = [key for key in meta if key not in FIELDS]
    if unknown:
        raise ZineError(f"{where}: field '{unknown[0]}'", "is not a field of the publisher's pages",
                        f"use only {', '.join(FIELDS)}")
    sources = load_sources(meta.get("sources") or [], where)
    if not sources:
        raise ZineError(f"{where}: field 'sources'", "the publisher's pages list no sources",
                        "list the pages they were written from, each with its url")
    for number, source in enumerate(sources, 1):
        if not source.url:
            raise ZineError(f"{where}: sources[{number}]", f"'{source.title}' has no url",
                            "give the https:// address of the page, so a reader can find it")
    renderer = MarkdownRenderer(path)
    chunks = split_sections(body, body_line)
    sections = [parse_section(renderer, chunk, line) for chunk, line in chunks]
    for section, (chunk, line) in zip(sections, chunks):
        check_section(section, chunk, line, where, len(sources))
    if not sections:
        raise ZineError(where, "the body has no pages", "write each page as a '## ' heading and its text")
    intro, pointer = (require_str(meta, key, where, optional=True) for key in ("intro", "pointer"))
    for key, text in (("intro", intro), ("pointer", pointer)):
        check_citations(text or "", f"{where}: field '{key}'", len(sources))
    return PublisherPages(path=path, language=front_matter_language(meta, where, language), intro=intro,
                          pointer=pointer, sections=sections, sources=sources,
                          translation=load_translation(meta, where, language))


def check_section(section: Section, chunk: str, line: int, where: str, sources: int) -> None:
    """Each page has a heading and a '::: short' version, and cites only sources that are listed."""
    if section.heading is None:
        raise ZineError(f"{where}:{line}", "text before the first page's heading",
                        "start each page with a '## ' heading")
    if section.short_html is None:
        raise ZineError(f"{where}:{line}", f"the page '{section.heading}' has no '::: short' version",
                        "add one for the one-pager: '::: short', a few sentences, ':::'")
    for offset, text in enumerate(chunk.splitlines()):
        check_citations(text, f"{where}:{line + offset}", sources)


def check_citations(text: str, where: str, sources: int) -> None:
    """Every [n] in the text names one of the listed sources."""
    for cited in CITATION.findall(text):
        wrong = next((int(n) for n in cited.split(",") if not 1 <= int(n) <= sources), None)
        if wrong is not None:
            raise ZineError(where, f"cites [{wrong}], but {sources} sources are listed",
                            "cite a source by its number in the front matter's sources")
