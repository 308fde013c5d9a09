"""What the form offers (contents, regions, languages, papers, formats) and the build a submitted form
asks for. Every value is checked against these known lists: a form value never becomes a path."""

from dataclasses import dataclass

from ..contacts import load_region, region_codes
from ..content import available_languages
from ..edition import DEFAULT_CONTENT, DEFAULT_REGION
from ..errors import ZineError
from ..formats import format_names, load_format
from ..paths import CONTENT_DIR, DATA_FOLDERS
from .lines import FormError

PAPERS = {"": "the region's paper", "letter": "Letter", "a4": "A4"}
VARIANTS = ("grayscale", "bleed")


@dataclass(frozen=True)
class Choices:
    contents: dict[str, tuple[str, ...]]        # content folder -> its languages
    regions: dict[str, str]                     # code -> name
    formats: dict[str, str]                     # name -> description

    @property
    def languages(self) -> list[str]:
        return sorted({language for languages in self.contents.values() for language in languages})


def load_choices() -> Choices:
    """Read once when the server starts; a broken region file is left out with its error printed."""
    folders = sorted(p for p in CONTENT_DIR.iterdir() if p.is_dir() and p.name not in DATA_FOLDERS)
    regions = {}
    for code in region_codes():
        try:
            regions[code] = load_region(code, []).name
        except ZineError as error:
            print(f"warning: region {code} left out of the form: {error.line()}")
    return Choices(contents={folder.name: tuple(available_languages(folder)) for folder in folders},
                   regions=regions, formats={name: load_format(name).description for name in format_names()})


@dataclass(frozen=True)
class Request:
    content: str
    region: str
    language: str | None
    paper: str | None
    formats: tuple[str, ...]
    grayscale: bool
    bleed: bool


def parse_request(form, choices: Choices) -> Request:
    """The build a form asks for; FormError (one line, naming the field) for a value not offered."""
    content = one_of(form.get("content", DEFAULT_CONTENT), choices.contents, "Content")
    region = one_of(form.get("region", DEFAULT_REGION), choices.regions, "Region")
    language = form.get("lang", "")
    if language and language not in choices.contents[content]:
        raise FormError(f"Language: {content} has no text in {language!r}; choose one of "
                        f"{', '.join(choices.contents[content])}")
    paper = one_of(form.get("paper", ""), PAPERS, "Paper")
    formats = form.getlist("format")
    for name in formats:
        one_of(name, choices.formats, "Formats")
    if not formats:
        raise FormError("Formats: tick at least one format to build")
    return Request(content, region, language or None, paper or None,
                   tuple(name for name in choices.formats if name in formats),
                   grayscale=form.get("grayscale") == "on", bleed=form.get("bleed") == "on")


def one_of(value: str, known, label: str) -> str:
    if value not in known:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise FormError(f"{label}: {shown!r} is not one of the choices; reload the page and choose from the list")
    return value
