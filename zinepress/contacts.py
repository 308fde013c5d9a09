"""The crisis-line directory: load, validate and format the lines a region's handouts print."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from phonenumbers import shortnumberinfo

from .errors import ZineError
from .fields import CONTACTS_FIELDS, LINE_FIELDS, NUMBER_FIELDS, REGION_FIELDS, warn_unknown
from .numbers import PhoneNumber, digits, has_format_characters, parse_number
from .paths import CRISIS_LINES_DIR, display
from .yamlfile import load_yaml, require_mapping, require_str

STALE_AFTER = dt.timedelta(days=365)
LOCALIZED_FIELDS = ("hours", "cost", "audience", "note")
REGION_CODE = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")    # a file name in CRISIS_LINES_DIR, never a path
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class CrisisLine:
    name: str
    call: PhoneNumber | None
    text: PhoneNumber | None
    keyword: str | None
    chat: str | None
    languages: tuple[str, ...]
    localized: dict          # field -> {lang: text}
    source: str
    checked: dt.date
    origin: str              # the file it came from
    where: str = ""          # the file, the entry and its name: "US.yaml: lines[2] (Veterans Crisis Line)"

    def field(self, name: str, language: str) -> str | None:
        """A localized field in `language`, else English, else whatever is given."""
        texts = self.localized.get(name) or {}
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    languages: tuple[str, ...]
    paper: str
    emergency: PhoneNumber
    lines: tuple[CrisisLine, ...]
    files: tuple[Path, ...] = ()    # the region's file and those of the regions it extends


def region_codes() -> list[str]:
    return sorted(p.stem for p in CRISIS_LINES_DIR.glob("*.yaml"))


def load_region(code: str, warnings: list[str], extending: tuple[str, ...] = ()) -> Region:
    """A region's lines, a sub-region's after those of the region it extends."""
    path = CRISIS_LINES_DIR / f"{code}.yaml"
    if code in extending:
        raise ZineError(f"{display(path)}: field 'extends'", f"regions extend each other in a circle: "
                        f"{' -> '.join((*extending, code))}", "a region extends only a larger one, e.g. US-CA: US")
    blame = f"{display(CRISIS_LINES_DIR / (extending[-1] + '.yaml'))}: field 'extends'" if extending \
        else f"--region {code}"
    if not REGION_CODE.fullmatch(code):
        raise ZineError(blame, f"{code!r} is not a region code",
                        "give a region's code (letters, digits and '-'), e.g. US or US-CA")
    if not path.exists():
        known = ", ".join(region_codes()) or f"(none: restore the folder {display(CRISIS_LINES_DIR)})"
        raise ZineError(blame, f"unknown region {code}" if extending else "unknown region",
                        f"choose one of {known} or add {display(path)}")
    where = display(path)
    data = require_mapping(load_yaml(path), where)
    warn_unknown(data, REGION_FIELDS, where, warnings)
    if data.get("region") != code:
        raise ZineError(f"{where}: field 'region'", f"says {data.get('region')!r}, not {code!r}",
                        "make it match the file name")
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise ZineError(f"{where}: field 'extends'", f"{extends!r} is not a region code",
                        "give the code of the one region this one extends, e.g. extends: US")
    parent = load_region(extends.strip(), warnings, (*extending, code)) if extends else None
    country = code.split("-")[0]
    lines = parse_lines(data.get("lines"), where, country, warnings, allow_empty=parent is not None)
    paper = str(data.get("paper") or (parent.paper if parent else "")).lower()
    if paper not in ("letter", "a4"):
        raise ZineError(f"{where}: field 'paper'", f"'{paper}' is not a paper size", "use letter or a4")
    emergency = (parse_number(data.get("emergency"), f"{where}: field 'emergency'", country, emergency=True)
                 if data.get("emergency") or not parent else parent.emergency)
    return Region(
        code=code, name=visible_name(data, where), paper=paper,
        languages=(language_list(data.get("languages"), f"{where}: field 'languages'")
                   or (parent.languages if parent else ("en",))),
        emergency=emergency,
        lines=(parent.lines if parent else ()) + lines, files=(parent.files if parent else ()) + (path,))


def load_contacts_file(path: Path, region: Region, warnings: list[str]) -> tuple[CrisisLine, ...]:
    """A community's own lines (`--contacts FILE`): a list, or a mapping with `lines:`. None may dial
    the region's emergency number, which every handout prints already."""
    if not path.exists():
        raise ZineError(f"--contacts {path}", "no such file", "give the path to your contacts YAML")
    data = load_yaml(path)
    if isinstance(data, dict):
        warn_unknown(data, CONTACTS_FIELDS, display(path), warnings)
    raw = data.get("lines") if isinstance(data, dict) else data
    lines = parse_lines(raw, display(path), region.code.split("-")[0], warnings)
    for line in lines:
        refuse_emergency(line, region)
    return lines


def refuse_emergency(line: CrisisLine, region: Region) -> None:
    """Refuse a community line whose call or text number is an emergency number of the region."""
    country = region.code.split("-")[0]
    for name, number in (("call", line.call), ("text", line.text)):
        if number and (number.key == region.emergency.key or number.short and
                       shortnumberinfo.is_emergency_number(digits(number.dial), country)):
            raise ZineError(f"{line.where}: field '{name}'",
                            f"{number.dial} is an emergency number in {region.name}",
                            "that is the emergency number, already printed on every handout; remove this line")


def repeat(one: CrisisLine, other: CrisisLine) -> str | None:
    """Why two lines are one: the same name, or the same number (the call number, else the text number)
    where one of them offers no other way to reach it. The Veterans Crisis Line dials 988 like the
    Lifeline, but has its own text number and chat, so it is not a repeat."""
    if squash(one.name) == squash(other.name):
        return "the same name"
    number, others = one.call or one.text, other.call or other.text
    if number and others and number.key == others.key and (
            ways(one) <= ways(other) or ways(other) <= ways(one)):
        return f"the same number, {number.dial}"
    return None


def ways(line: CrisisLine) -> set[tuple[str, str]]:
    """How a line is reached: ("call", number), ("text", number) and ("chat", address)."""
    return {(kind, value) for kind, value in (("call", line.call and line.call.key),
                                              ("text", line.text and line.text.key),
                                              ("chat", line.chat)) if value}


def squash(name: str) -> str:
    """A name for comparing: letters and digits only, lower case."""
    return "".join(c for c in name.casefold() if c.isalnum())


def parse_lines(raw: object, where: str, country: str, warnings: list[str],
                allow_empty: bool = False) -> tuple[CrisisLine, ...]:
    if not raw and allow_empty:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ZineError(f"{where}: field 'lines'", "no crisis lines listed",
                        "list at least one line (name, call/text/chat, hours, source, checked)")
    return tuple(parse_line(item, f"{where}: lines[{n}]", country, warnings)
                 for n, item in enumerate(raw, 1))


def parse_line(item: object, where: str, country: str, warnings: list[str]) -> CrisisLine:
    """One line of a directory or contacts file; its numbers are validated for `country`, or for the
    region the line names (`region: GB`)."""
    data = require_mapping(item, where)
    name = visible_name(data, where)
    where = f"{where} ({name})"
    warn_unknown(data, LINE_FIELDS, where, warnings)
    for field in ("call", "text"):
        if isinstance(data.get(field), dict):
            warn_unknown(data[field], NUMBER_FIELDS, f"{where}: field '{field}'", warnings)
    own = line_region(data.get("region"), where, country)
    text, keyword = parse_text(data.get("text"), where, own, abroad=own != country)
    chat = https_only(data.get("chat"), f"{where}: field 'chat'")
    call = (parse_number(data["call"], f"{where}: field 'call'", own, abroad=own != country)
            if data.get("call") is not None else None)
    if not (call or text or chat):
        raise ZineError(where, "no way to reach this line", "give at least one of call, text, chat")
    if not localized(data.get("hours"), f"{where}: field 'hours'"):
        raise ZineError(f"{where}: field 'hours'", "missing", "say when the line answers, e.g. 24/7")
    source = https_only(data.get("source"), f"{where}: field 'source'")
    if not source:
        raise ZineError(f"{where}: field 'source'", "missing",
                        "give the https page where you confirmed this line")
    checked = parse_checked(data.get("checked"), where, warnings)
    return CrisisLine(
        name=name, call=call, text=text, keyword=keyword, chat=chat,
        languages=language_list(data.get("languages"), f"{where}: field 'languages'"),
        localized={key: localized(data.get(key), f"{where}: field '{key}'") for key in LOCALIZED_FIELDS},
        source=source, checked=checked, origin=where.split(":")[0], where=where)


def line_region(value: object, where: str, country: str) -> str:
    """The region a line's numbers belong to: the one it names, else the edition's."""
    if value is None:
        return country
    code = str(value).strip().upper()
    if not isinstance(value, str) or code not in phonenumbers.SUPPORTED_REGIONS:
        shown = f"{value!r} (YAML reads an unquoted NO, YES, ON or OFF as true or false)" \
            if isinstance(value, bool) else repr(value)
        raise ZineError(f"{where}: field 'region'", f"{shown} is not a region code",
                        'give the two-letter code of the country its numbers are in, in quotes, e.g. "GB"')
    return code


def parse_text(raw: object, where: str, country: str, abroad: bool = False
               ) -> tuple[PhoneNumber | None, str | None]:
    """A text line: a number, or {number, keyword}."""
    if raw is None:
        return None, None
    keyword = raw.get("keyword") if isinstance(raw, dict) else None
    if keyword is not None:
        at = f"{where}: field 'text.keyword'"
        if not isinstance(keyword, str) or len(keyword.split()) != 1:
            raise ZineError(at, f"{keyword!r} is not one word", "give the single word people text")
        if has_format_characters(keyword):
            raise ZineError(at, f"{keyword!r} has an invisible formatting character, which can reorder "
                            "what is printed", "delete it: write the word people text in plain letters")
        if any(c.isnumeric() for c in keyword) or not any(c.isalpha() for c in keyword):
            raise ZineError(at, f"{keyword!r} is not a word (a keyword has letters and no digits)",
                            "give the word people text, e.g. HELLO; the number goes in 'number'")
        keyword = keyword.strip()
    return parse_number(raw, f"{where}: field 'text'", country, abroad=abroad), keyword


def https_only(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("https://"):
        raise ZineError(where, f"{value!r} is not an https:// address", "use the service's https page")
    return value


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
    name = require_str(data, "name", where)
    if not any(unicodedata.category(c)[0] in "LN" for c in name):   # marks or spaces alone print nothing
        raise ZineError(f"{where}: field 'name'", "has no visible text",
                        "give the name the service uses for itself")
    if len(name) > MAX_NAME:
        raise ZineError(f"{where}: field 'name'", f"is {len(name)} characters long",
                        f"shorten it to at most {MAX_NAME}: it is printed on a wallet card")
    if any(c in "\u202d\u202e" for c in name):
        raise ZineError(f"{where}: field 'name'", "has a bidi override character (U+202D or U+202E), which "
                        "reverses the printed text", "delete it")
    return name
