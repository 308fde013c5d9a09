"""The labels layouts print, per language, falling back to English key by key."""

import datetime as dt
import string
import unicodedata
from dataclasses import dataclass

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_skeleton

from .errors import ZineError
from .paths import STRINGS_DIR, display
from .yamlfile import load_yaml, require_mapping

FALLBACK = "en"


@dataclass(frozen=True)
class Strings:
    language: str
    texts: dict[str, str]

    def __call__(self, key: str, **values: str) -> str:
        if key not in self.texts:   # a layout asks for a string en.yaml no longer has
            raise ZineError(f"{display(STRINGS_DIR / 'en.yaml')}", f"no string '{key}'",
                            "restore it from the project's en.yaml")
        return self.texts[key].format(**values) if values else self.texts[key]

    def month_year(self, date: dt.date) -> str:
        """A date as 'November 2026' / 'noviembre de 2026', the language's own way."""
        return format_skeleton("yMMMM", date, locale=self.language)

    @property
    def direction(self) -> str:
        return Locale.parse(self.language).character_order == "right-to-left" and "rtl" or "ltr"


def languages() -> list[str]:
    return sorted(p.stem for p in STRINGS_DIR.glob("*.yaml"))


def load_strings(language: str, warnings: list[str]) -> Strings:
    """English strings overlaid with the language's; each missing key is a warning."""
    english = read_strings(FALLBACK)
    try:
        Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        raise ZineError(f"--lang {language}", "not a language code Babel knows",
                        "use a code such as en, es, fr, de, pt") from None
    if language == FALLBACK:
        return Strings(language, english)
    path = STRINGS_DIR / f"{language}.yaml"
    own = read_strings(language) if path.exists() else {}
    for key in english.keys() - own.keys():
        warnings.append(f"{display(path)}: no string '{key}'; printing the English one")
    return Strings(language, {**english, **own})


def read_strings(language: str) -> dict[str, str]:
    path = STRINGS_DIR / f"{language}.yaml"
    data = require_mapping(load_yaml(path), display(path))
    for key, value in data.items():
        where = f"{display(path)}: field '{key}'"
        if not isinstance(value, str):
            raise ZineError(where, "must be a text", "quote it")
        check_placeholders(value, str(key), where)
        if key in NUMBERLESS and any(unicodedata.category(char) == "Nd" for char in value):
            raise ZineError(where, f"'{value}' has digits of its own beside the validated number",
                            "numbers on a handout come only from the crisis lines; take the digits out")
    required = [key for key in PLACEHOLDERS if key not in data] if language == FALLBACK else []
    if required:
        raise ZineError(display(path), f"no string '{required[0]}'", "restore it from the project's en.yaml")
    return data


# The placeholders the layouts fill, per string (every other string has none): a string that lost
# {number} would print no emergency number, and one with another field would stop the build.
PLACEHOLDERS = {"emergency": {"number"}, "text_keyword": {"keyword", "number"}, "checked": {"date"}}
# Strings printed around a validated number: digits of their own would reach paper unchecked.
NUMBERLESS = {"emergency", "text_keyword", "call", "text", "call_or_text", "chat", "checked"}


def check_placeholders(text: str, key: str, where: str) -> None:
    """The string has exactly the plain placeholders its layouts fill (no format, conversion or index),
    each once."""
    wanted = {(name, None, "") for name in PLACEHOLDERS.get(key, set())}
    found = placeholders(text)
    if found != wanted:
        names = ", ".join("{" + name + "}" for name, *_ in sorted(wanted)) or "no {…} placeholders"
        raise ZineError(where, f"'{text}' must have {names}",
                        f"keep {names}, each exactly once, as in the project's en.yaml")


def placeholders(text: str) -> set[tuple] | None:
    """The {name} fields of a text (with any conversion or format), or None when its braces are broken."""
    try:
        fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return None
    return set(fields) if len(set(fields)) == len(fields) else None
