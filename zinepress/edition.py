"""The edition model: one content, region and language, with everything a layout prints."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .contacts import (CrisisLine, Region, is_region_path, load_contacts_file, load_region, region_codes,
                       repeat)
from .content import Content, available_languages, load_content
from .errors import ZineError
from .paths import DEFAULT_CONTENT, DEFAULT_REGION, STRINGS_DIR, content_folder, display, safe_name
from .publisher import PublisherPages, load_publisher_pages
from .strings import Strings, load_strings
from .translation import require_reviewed, unreviewed_note



@dataclass(frozen=True)
class Selection:
    """What the user asked for on the command line."""
    content: str = DEFAULT_CONTENT
    region: str = DEFAULT_REGION
    language: str | None = None
    paper: str | None = None
    contacts: Path | None = None
    require_reviewed: bool = False    # refuse translations no native speaker has reviewed


@dataclass(frozen=True)
class Edition:
    content: Content
    region: Region
    language: str
    paper: str
    lines: tuple[CrisisLine, ...]     # the community's own first, then the region's
    strings: Strings
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # worth knowing, but not a reason to refuse
    options: dict[str, object] = field(default_factory=dict)   # render options, e.g. {"tabs": False}
    inputs: tuple[Path, ...] = ()     # every file the edition was read from (for incremental builds)
    tag: str = ""     # what else changes its content: "-a4" off the region's paper, "-oakland-1a2b3c" contacts
    publisher_pages: PublisherPages | None = None   # the publisher's own pages, printed apart from the zine
    unreviewed: tuple[str, ...] = ()  # a line per translation it prints that no native speaker reviewed

    @property
    def oldest_check(self) -> dt.date:
        return min(line.checked for line in self.lines)

    @property
    def checked_label(self) -> str:
        """'checked November 2026' for the oldest line, in the edition's language."""
        return self.strings("checked", date=self.strings.month_year(self.oldest_check))

    @property
    def primary_line(self) -> CrisisLine:
        """The region's national line (or a group's own, when it replaced the region's)."""
        return next((line for line in self.lines if line.primary), self.lines[0])

    @property
    def slug(self) -> str:
        return f"{self.region.code}-{self.language}{self.tag}"


def build_edition(selection: Selection) -> Edition:
    """Load and validate everything a build needs; warnings are collected, not printed."""
    warnings: list[str] = []
    folder = content_folder(selection.content)
    region = load_region(selection.region if is_region_path(selection.region)
                         else safe_name(selection.region, "region").upper(), warnings)
    language = choose_language(folder, region, selection.language)
    content = load_content(folder, language)
    pages = load_publisher_pages(folder, language, warnings) if content.publisher_pages else None
    lines = load_contacts_file(selection.contacts, region, warnings) if selection.contacts else region.lines
    warnings += repeated_lines(lines)
    # The seed's links were placeholders: a title-only citation is printed as is and noted, not refused.
    notes = [f"{display(content.path)}: source '{source.id}' has no URL; only its title is printed "
             "(add a url: when you have it)" for source in content.sources if not source.url]
    return Edition(content=content, region=region, language=language,
                   paper=selection.paper or region.paper,
                   lines=tuple(line.in_language(language) for line in lines),
                   strings=load_strings(language, warnings), warnings=warnings, notes=notes,
                   inputs=input_files(content, region, selection.contacts, pages), publisher_pages=pages,
                   unreviewed=unreviewed_translations(content, pages, selection.require_reviewed),
                   tag=folder_tag(selection, region))


def folder_tag(selection: Selection, region: Region) -> str:
    """The part of an edition's folder name beyond region and language: the paper when it is not the
    region's, and each file of your own (contacts, a region file by path) by its name and a short hash of
    its path, so that builds with different inputs never share a folder."""
    parts = [selection.paper] if selection.paper and selection.paper != region.paper else []
    if is_region_path(selection.region) and region.code.upper() in region_codes():
        parts.append(file_tag(Path(selection.region)))   # your own US.yaml is not the bundled US
    if selection.contacts:
        parts.append(file_tag(selection.contacts))
    return "".join(f"-{part}" for part in parts)


def file_tag(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:24] or "file"
    return f"{stem}-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:6]}"


def repeated_lines(lines: tuple[CrisisLine, ...]) -> list[str]:
    """A warning for each pair of lines that are one line printed twice (a community's line repeating
    a region's, or two alike), naming both places; each line is named at most once."""
    found, named = [], set()
    for index, line in enumerate(lines):
        for later in range(index + 1, len(lines)):
            reason = index not in named and later not in named and repeat(line, lines[later])
            if reason:
                named |= {index, later}
                found.append(f"{line.where} and {lines[later].where} are the same line ({reason}); "
                             "remove one of them, so it is printed once")
    return found


def unreviewed_translations(content: Content, pages: PublisherPages | None,
                            required: bool) -> tuple[str, ...]:
    """A note for each translation no native speaker has reviewed; with --require-reviewed, an error."""
    texts = [(content.path, content.translation, "the zine's text")]
    texts += [(pages.path, pages.translation, "the publisher's pages")] if pages else []
    if required:
        for path, translation, _ in texts:
            require_reviewed(path, translation)
    return tuple(note for note in (unreviewed_note(*text) for text in texts) if note)


def input_files(content: Content, region: Region, contacts: Path | None,
                pages: PublisherPages | None = None) -> tuple[Path, ...]:
    """The content's text and publisher pages, the files beside them that are not other languages
    (images), the region's files, the contacts file, and the strings (English, which fills gaps, and the
    edition's language)."""
    beside = [path for path in sorted(content.path.parent.rglob("*"))
              if path.is_file() and path.suffix != ".md" and not path.name.startswith(".")]
    strings = [STRINGS_DIR / f"{language}.yaml" for language in dict.fromkeys(("en", content.language))]
    return (content.path, *([pages.path] if pages else []), *beside, *region.files,
            *([contacts] if contacts else []), *[path for path in strings if path.is_file()])


def choose_language(folder: Path, region: Region, asked: str | None) -> str:
    """The asked language, else the first of the region's the content has, else English."""
    have = available_languages(folder)
    if asked:
        safe_name(asked, "lang")
        if asked not in have:
            raise ZineError(f"--lang {asked}", f"{folder.name} has no text in that language",
                            f"choose one of: {', '.join(have)}")
        return asked
    return next((lang for lang in region.languages if lang in have), "en")
