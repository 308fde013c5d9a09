"""The edition model: one content, region and language, with everything a layout prints."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .contacts import CrisisLine, Region, load_contacts_file, load_region, repeat
from .content import Content, available_languages, load_content
from .errors import ZineError
from .paths import STRINGS_DIR, content_folder, display, safe_name
from .strings import Strings, load_strings

DEFAULT_CONTENT, DEFAULT_REGION = "unpacking-self-harm", "US"


@dataclass(frozen=True)
class Selection:
    """What the user asked for on the command line."""
    content: str = DEFAULT_CONTENT
    region: str = DEFAULT_REGION
    language: str | None = None
    paper: str | None = None
    contacts: Path | None = None


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

    @property
    def oldest_check(self) -> dt.date:
        return min(line.checked for line in self.lines)

    @property
    def checked_label(self) -> str:
        """'checked November 2026' for the oldest line, in the edition's language."""
        return self.strings("checked", date=self.strings.month_year(self.oldest_check))

    @property
    def slug(self) -> str:
        return f"{self.region.code}-{self.language}"


def build_edition(selection: Selection) -> Edition:
    """Load and validate everything a build needs; warnings are collected, not printed."""
    warnings: list[str] = []
    folder = content_folder(selection.content)
    region = load_region(safe_name(selection.region, "region").upper(), warnings)
    language = choose_language(folder, region, selection.language)
    content = load_content(folder, language)
    contacts = ()
    if selection.contacts:
        contacts = load_contacts_file(selection.contacts, region, warnings)
    warnings += repeated_lines(contacts + region.lines)
    # The seed's links were placeholders: a title-only citation is printed as is and noted, not refused.
    notes = [f"{display(content.path)}: source '{source.id}' has no URL; only its title is printed "
             "(add a url: when you have it)" for source in content.sources if not source.url]
    return Edition(content=content, region=region, language=language,
                   paper=selection.paper or region.paper, lines=contacts + region.lines,
                   strings=load_strings(language, warnings), warnings=warnings, notes=notes,
                   inputs=input_files(content, region, selection.contacts))


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


def input_files(content: Content, region: Region, contacts: Path | None) -> tuple[Path, ...]:
    """The content's text and the files beside it that are not other languages (images), the region's
    files, the contacts file, and the strings (English, which fills gaps, and the edition's language)."""
    beside = [path for path in sorted(content.path.parent.rglob("*"))
              if path.is_file() and path.suffix != ".md" and not path.name.startswith(".")]
    strings = [STRINGS_DIR / f"{language}.yaml" for language in dict.fromkeys(("en", content.language))]
    return (content.path, *beside, *region.files, *([contacts] if contacts else []),
            *[path for path in strings if path.is_file()])


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
