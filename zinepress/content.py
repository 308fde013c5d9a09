"""Load a zine's text: YAML front matter plus a Markdown body split into sections."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ZineError
from .markdown import MarkdownRenderer, word_count
from .paths import display
from .translation import Translation, load_translation
from .yamlfile import CONTENT_LIMIT, load_yaml, read_text, require_mapping, require_str

SHORT_OPEN, FENCE_CLOSE = "::: short", ":::"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    original_title: str | None = None


@dataclass(frozen=True)
class Section:
    heading: str | None
    html: str
    short_html: str | None
    words: int
    short_words: int


@dataclass(frozen=True)
class Content:
    path: Path
    slug: str
    language: str
    title: str
    subtitle: str | None
    content_note: str | None
    summary: str | None
    link: str | None
    licence: str | None
    publisher: str | None
    sources: list[Source]
    sections: list[Section] = field(default_factory=list)
    key_points: tuple[str, ...] = ()    # for a poster on a wall: short, chosen with care
    translation: Translation | None = None   # None: an original
    publisher_pages: bool = True        # print the publisher's pages (publisher/<lang>.md) beside it
    content_note_short: str | None = None   # a wallet card's (none: it says only where the lines are)

    @property
    def words(self) -> int:
        return sum(section.words for section in self.sections)


def available_languages(folder: Path) -> list[str]:
    """The languages a content folder holds, from its `<lang>.md` files."""
    return sorted(p.stem for p in folder.glob("*.md") if p.stem.isalpha() and len(p.stem) <= 3 and p.is_file())


def content_path(folder: Path, language: str) -> Path:
    path = folder / f"{language}.md"
    if not path.is_file():
        have = ", ".join(available_languages(folder)) or "none"
        raise ZineError(f"{display(folder)}", f"no text in language '{language}' (has: {have})",
                        "pick one of those with --lang, or add " + path.name)
    return path


def load_content(folder: Path, language: str) -> Content:
    """Read `<folder>/<language>.md` into a Content, validating as it goes."""
    path = content_path(folder, language)
    text = read_text(path, CONTENT_LIMIT)
    meta, body, body_line = split_front_matter(path, text)
    where = display(path)
    renderer = MarkdownRenderer(path)
    sections = [parse_section(renderer, chunk, line) for chunk, line in split_sections(body, body_line)]
    if not sections:
        raise ZineError(where, "the body has no text", "write the zine's sections below the front matter")
    return Content(
        path=path, slug=folder.name,
        language=front_matter_language(meta, where, path.stem),
        title=require_str(meta, "title", where),
        subtitle=require_str(meta, "subtitle", where, optional=True),
        content_note=require_str(meta, "content_note", where, optional=True),
        summary=require_str(meta, "summary", where, optional=True),
        link=https_url(meta, "link", where),
        licence=require_str(meta, "licence", where, optional=True),
        publisher=require_str(meta, "publisher", where, optional=True),
        sources=load_sources(meta.get("sources") or [], where),
        sections=sections, key_points=load_key_points(meta.get("key_points"), where),
        translation=load_translation(meta, where, path.stem),
        publisher_pages=flag(meta, "publisher_pages", where, default=True),
        content_note_short=require_str(meta, "content_note_short", where, optional=True))


def flag(meta: dict, key: str, where: str, default: bool) -> bool:
    """An optional true/false field."""
    value = meta.get(key, default)
    if not isinstance(value, bool):
        raise ZineError(f"{where}: field '{key}'", f"{value!r} is not true or false",
                        f"write {key}: false, or leave it out")
    return value


def front_matter_language(meta: dict, where: str, language: str) -> str:
    """The front matter's `language`, when given, must be the file's own (`en.md` is en)."""
    if "language" in meta and meta["language"] != language:
        raise ZineError(f"{where}: field 'language'", f"{meta['language']!r} is not this file's language, "
                        f"'{language}'", f"write language: {language}, or leave the field out")
    return language


def split_front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    """Split '---' fenced YAML from the Markdown body; returns (meta, body, body's first line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ZineError(f"{display(path)}:1", "no front matter",
                        "start the file with '---', the title and sources, then '---'")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise ZineError(f"{display(path)}:1", "front matter is never closed",
                        "end it with a line '---'") from None
    meta = load_yaml(path, "\n".join(lines[1:end]), first_line=2)
    meta = require_mapping(meta, f"{display(path)}: front matter")
    return meta, "\n".join(lines[end + 1:]), end + 2


def split_sections(body: str, first_line: int) -> list[tuple[str, int]]:
    """Cut the body at each '## ' heading; returns (chunk, first line number) pairs."""
    chunks: list[tuple[list[str], int]] = []
    for number, line in enumerate(body.splitlines(), first_line):
        if line.startswith("## ") or not chunks:
            chunks.append(([], number))
        chunks[-1][0].append(line)
    return [("\n".join(lines), line) for lines, line in chunks if "\n".join(lines).strip()]


def parse_section(renderer: "MarkdownRenderer", chunk: str, line: int) -> Section:
    lines = chunk.splitlines()
    heading = lines[0][3:].strip() if lines[0].startswith("## ") else None
    body_lines = lines[1:] if heading is not None else lines
    body_start = line + (1 if heading is not None else 0)
    full, short = split_short(body_lines, body_start, renderer.where)
    full_html = renderer.render("\n".join(full), body_start)
    short_html = renderer.render("\n".join(short), body_start) if short else None
    return Section(heading=heading and renderer.render_inline(heading, line), html=full_html,
                   short_html=short_html, words=word_count("\n".join(full)),
                   short_words=word_count("\n".join(short)) if short else 0)


def split_short(lines: list[str], first_line: int, where: str) -> tuple[list[str], list[str]]:
    """Separate the '::: short' block (the compact text) from the full text of a section."""
    full: list[str] = []
    short: list[str] = []
    inside = False
    for number, line in enumerate(lines, first_line):
        stripped = line.strip()
        if stripped == SHORT_OPEN:
            inside = True
            opened = number
        elif stripped == FENCE_CLOSE and inside:
            inside = False
        elif stripped.startswith(":::"):
            raise ZineError(f"{where}:{number}", f"unknown block '{stripped}'",
                            "use '::: short' ... ':::' for a section's compact text")
        else:
            (short if inside else full).append(line)
    if inside:
        raise ZineError(f"{where}:{opened}", "'::: short' block is never closed", "end it with ':::'")
    return full, short


def load_sources(raw: object, where: str) -> list[Source]:
    if not isinstance(raw, list):
        raise ZineError(f"{where}: field 'sources'", "must be a list", "write one '- id: ...' entry per source")
    sources = []
    for number, item in enumerate(raw, 1):
        at = f"{where}: sources[{number}]"
        item = require_mapping(item, at)
        sources.append(Source(
            id=require_str(item, "id", at), title=require_str(item, "title", at),
            publisher=require_str(item, "publisher", at, optional=True),
            url=https_url(item, "url", at), date=date_text(item, at),
            original_title=require_str(item, "original_title", at, optional=True)))
    return sources


def date_text(item: dict, where: str) -> str | None:
    """A source's optional date as text; YAML reads an unquoted 2024-05-01 as a date."""
    value = item.get("date")
    return value.isoformat() if isinstance(value, dt.date) else require_str(item, "date", where, optional=True)


def load_key_points(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(point, str) and point.strip() for point in raw):
        raise ZineError(f"{where}: field 'key_points'", "must be a list of sentences",
                        "write one '- sentence' line per point")
    return tuple(point.strip() for point in raw)


def https_url(data: dict, key: str, where: str) -> str | None:
    """An optional URL field; placeholders like '#' count as absent, anything not https is an error."""
    value = require_str(data, key, where, optional=True)
    if value is None or value.strip("#") == "":
        return None
    if not value.startswith(("https://", "http://")):
        raise ZineError(f"{where}: field '{key}'", f"'{value}' is not a web address",
                        "give a full https:// URL or leave the field out")
    return value
