"""The labels layouts print, per language, falling back to English key by key."""

import datetime as dt
import string
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
    for key, text in own.items():
        check_placeholders(text, english.get(key), f"{display(path)}: field '{key}'")
    for key in english.keys() - own.keys():
        warnings.append(f"{display(path)}: no string '{key}'; printing the English one")
    return Strings(language, {**english, **own})


def read_strings(language: str) -> dict[str, str]:
    path = STRINGS_DIR / f"{language}.yaml"
    data = require_mapping(load_yaml(path), display(path))
    for key, value in data.items():
        if not isinstance(value, str):
            raise ZineError(f"{display(path)}: field '{key}'", "must be a text", "quote it")
    return data


def check_placeholders(text: str, english: str | None, where: str) -> None:
    """A translation keeps the English text's placeholders ({number}, {date}) exactly: a lost {number}
    would drop the emergency number from every handout, a new one would stop the build."""
    wanted = placeholders(english or "")
    if not wanted:
        return
    found = placeholders(text)
    if found != wanted:
        names = ", ".join("{" + name + "}" for name, *_ in sorted(wanted))
        raise ZineError(where, f"'{text}' does not have the placeholders {names}",
                        f"keep {names} as they are in en.yaml, each exactly once")


def placeholders(text: str) -> set[tuple] | None:
    """The {name} fields of a text (with any conversion or format), or None when its braces are broken."""
    try:
        fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return None
    return set(fields) if len(set(fields)) == len(fields) else None
