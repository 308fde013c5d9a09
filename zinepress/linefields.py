"""The text fields of a crisis line: dates, per-language texts, language lists and names, each
validated with an error naming the file, entry and field."""

import datetime as dt
import re
import unicodedata

from .errors import ZineError
from .numbers import has_format_characters
from .yamlfile import require_str

STALE_AFTER = dt.timedelta(days=365)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


def parse_checked(value: object, where: str, warnings: list[str]) -> dt.date:
    """The date a line was confirmed: not in the future; over a year ago is a warning."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ZineError(f"{where}: field 'checked'", f"'{value}' is not a real date",
                            "write the date you confirmed the line as YYYY-MM-DD") from None
    if not isinstance(value, dt.date):
        raise ZineError(f"{where}: field 'checked'", "missing or not a date",
                        "give the date you confirmed the line, as YYYY-MM-DD")
    if value > dt.date.today():
        raise ZineError(f"{where}: field 'checked'", f"{value} is in the future",
                        "give the date you actually confirmed the line")
    if dt.date.today() - value > STALE_AFTER:
        warnings.append(f"{where}: field 'checked': last checked {value}, over 12 months ago; "
                        "confirm the line again and update the date")
    return value


def localized(value: object, where: str) -> dict:
    """A text field given as a string (English) or as {lang: text}; numbers are read as text, and
    anything else (null, a list, a mapping, true/false) is refused, naming the language."""
    if value is None:
        return {}
    texts = value if isinstance(value, dict) else {"en": value}
    result = {}
    for lang, text in texts.items():
        at = f"{where[:-1]}.{lang}'" if isinstance(value, dict) else where
        if not isinstance(lang, str) or not LANGUAGE_CODE.fullmatch(lang):
            raise ZineError(where, f"{lang!r} is not a language code", "use codes such as en, es, fr")
        if isinstance(text, bool) or not isinstance(text, (str, int, float)) or not str(text).strip():
            shown = "empty" if text is None or isinstance(text, str) else f"{text!r} is not a text"
            raise ZineError(at, shown, "write the text in quotes, or leave the language out "
                            "(see content/crisis-lines/SCHEMA.md)")
        if len(str(text)) > MAX_TEXT:
            raise ZineError(at, f"is {len(str(text))} characters long",
                            f"shorten it to at most {MAX_TEXT}: small formats print it in a line or two")
        result[lang] = str(text).strip()
    return result


def language_list(value: object, where: str) -> tuple[str, ...]:
    """A list of language codes; a single code is read as a list of one."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and LANGUAGE_CODE.fullmatch(item.strip())
                                              for item in items):
        hint = " (YAML reads an unquoted no as false: write \"no\")" if "False" in repr(value) else ""
        raise ZineError(where, f"{value!r} is not a list of language codes{hint}",
                        "write the codes in a list, e.g. [en, es]")
    return tuple(dict.fromkeys(item.strip() for item in items))


MAX_NAME, MAX_TEXT = 120, 400   # characters of a line's name and of its other texts


def visible_name(data: dict, where: str) -> str:
    """A `name`: a text with something to print once invisible formatting characters are set aside."""
    return checked_name(require_str(data, "name", where), f"{where}: field 'name'")


def line_names(data: dict, where: str) -> dict[str, str]:
    """A line's `name`, one text or one per language ({en: ..., es: ...})."""
    value = data.get("name")
    if not isinstance(value, dict):
        return {"en": visible_name(data, where)}
    texts = localized(value, f"{where}: field 'name'")
    if not texts:
        raise ZineError(f"{where}: field 'name'", "is empty", "give the name the service uses for itself")
    return {lang: checked_name(name, f"{where}: field 'name.{lang}'") for lang, name in texts.items()}


def checked_name(name: str, at: str) -> str:
    if not any(unicodedata.category(c)[0] in "LN" for c in name):   # marks or spaces alone print nothing
        raise ZineError(at, "has no visible text", "give the name the service uses for itself")
    if len(name) > MAX_NAME:
        raise ZineError(at, f"is {len(name)} characters long",
                        f"shorten it to at most {MAX_NAME}: it is printed on a wallet card")
    if any(c in "\u202d\u202e" for c in name):
        raise ZineError(at, "has a bidi override character (U+202D or U+202E), which "
                        "reverses the printed text", "delete it")
    return name


def keywords(value: object, where: str) -> dict[str, str]:
    """A text line's keyword, one word or one per language ({en: HOME, es: AYUDA})."""
    if value is None:
        return {}
    at = f"{where}: field 'text.keyword'"
    if isinstance(value, dict):
        words = {lang: one_word(word, f"{at[:-1]}.{lang}'") for lang, word in localized(value, at).items()}
        if "en" not in words:   # an edition in another language must never print, say, the Spanish word
            raise ZineError(at, "has no English keyword (en)", "give the keyword for each language, with en "
                            "for every other edition, e.g. {en: HOME, es: AYUDA}")
        return words
    return {"en": one_word(value, at)}


def one_word(keyword: object, at: str) -> str:
    if not isinstance(keyword, str) or len(keyword.split()) != 1:
        raise ZineError(at, f"{keyword!r} is not one word", "give the single word people text")
    if has_format_characters(keyword):
        raise ZineError(at, f"{keyword!r} has an invisible formatting character, which can reorder "
                        "what is printed", "delete it: write the word people text in plain letters")
    if any(c.isnumeric() for c in keyword) or not any(c.isalpha() for c in keyword):
        raise ZineError(at, f"{keyword!r} is not a word (a keyword has letters and no digits)",
                        "give the word people text, e.g. HELLO; the number goes in 'number'")
    return keyword.strip()
