"""The crisis-line directory: load, validate and format the lines a region's handouts print."""

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from phonenumbers import shortnumberinfo

from .errors import ZineError
from .fields import CONTACTS_FIELDS, LINE_FIELDS, NUMBER_FIELDS, REGION_FIELDS, warn_unknown
from .paths import CRISIS_LINES_DIR, display
from .yamlfile import load_yaml, require_mapping, require_str

STALE_AFTER = dt.timedelta(days=365)
LOCALIZED_FIELDS = ("hours", "cost", "audience", "note")
SHORT_CODE_DIGITS = 8     # a declared short code longer than this is a full number written wrong
FORMATS = (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
           phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class PhoneNumber:
    dial: str          # as given in the directory
    display: str       # as printed
    e164: str | None   # for tel: links; None for short codes
    short: bool

    @property
    def key(self) -> str:
        """What makes two numbers the same number: the E.164 form, or a short code's digits."""
        return self.e164 or digits(self.dial)


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
    if not path.exists():
        known = ", ".join(region_codes()) or f"(none: restore the folder {display(CRISIS_LINES_DIR)})"
        raise ZineError(f"--region {code}", "unknown region", f"choose one of {known} or add {display(path)}")
    where = display(path)
    data = require_mapping(load_yaml(path), where)
    warn_unknown(data, REGION_FIELDS, where, warnings)
    if data.get("region") != code:
        raise ZineError(f"{where}: field 'region'", f"says {data.get('region')!r}, not {code!r}",
                        "make it match the file name")
    parent = load_region(str(data["extends"]), warnings, (*extending, code)) if data.get("extends") else None
    country = code.split("-")[0]
    lines = parse_lines(data.get("lines"), where, country, warnings, allow_empty=parent is not None)
    paper = str(data.get("paper") or (parent.paper if parent else "")).lower()
    if paper not in ("letter", "a4"):
        raise ZineError(f"{where}: field 'paper'", f"'{paper}' is not a paper size", "use letter or a4")
    emergency = (parse_number(data.get("emergency"), f"{where}: field 'emergency'", country, emergency=True)
                 if data.get("emergency") or not parent else parent.emergency)
    return Region(
        code=code, name=require_str(data, "name", where), paper=paper,
        languages=tuple(data.get("languages") or (parent.languages if parent else ("en",))),
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
    name = require_str(data, "name", where)
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
    languages = data.get("languages") or []
    return CrisisLine(
        name=name, call=call, text=text, keyword=keyword, chat=chat,
        languages=tuple(str(lang) for lang in (languages if isinstance(languages, list) else [languages])),
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
    if keyword is not None and (not isinstance(keyword, str) or len(keyword.split()) != 1):
        raise ZineError(f"{where}: field 'text.keyword'", f"{keyword!r} is not one word",
                        "give the single word people text")
    return parse_number(raw, f"{where}: field 'text'", country, abroad=abroad), keyword


def parse_number(raw: object, where: str, country: str, *, abroad: bool = False,
                 emergency: bool = False) -> PhoneNumber:
    """Validate a number for its country with phonenumbers; short codes must be known or declared, and
    a `display:` must show the same digits. `abroad`: printed for readers in another country."""
    spec = raw if isinstance(raw, dict) else {"number": raw}
    dial = number_text(spec.get("number"), where)
    try:
        parsed = phonenumbers.parse(dial, country)
    except phonenumbers.NumberParseException:
        raise ZineError(where, f"'{dial}' is not a phone number", "check the digits") from None
    if phonenumbers.is_valid_number(parsed):
        return full_number(parsed, dial, spec, where, country, abroad, emergency)
    known_short = shortnumberinfo.is_valid_short_number_for_region(parsed, country)
    if not (known_short or spec.get("short") is True):
        raise ZineError(where, f"'{dial}' is not a valid number in {country}",
                        "check the digits; for a short code the library does not know, write "
                        "{number: '...', short: true} and keep its source")
    if dial.startswith(("+", "\uff0b")) or len(digits(dial)) > SHORT_CODE_DIGITS:
        raise ZineError(where, f"'{dial}' is not a short code",
                        "a short code has a few digits and no country code; check the number")
    shown = checked_display(spec, dial, {digits(dial)}, where, country, emergency)
    return PhoneNumber(dial, shown, None, True)


def number_text(value: object, where: str) -> str:
    """The number as written; unquoted digits are refused, since YAML may have changed them."""
    if value is None or value == "":
        raise ZineError(where, "no number given", "write the number as people dial it, in quotes")
    if not isinstance(value, str):
        raise ZineError(where, f"the number is not in quotes (YAML read it as {value!r})",
                        'write the number in quotes, e.g. "0800 1111": unquoted, YAML drops leading zeros '
                        "and reads some numbers as octal")
    if not value.strip():
        raise ZineError(where, "no number given", "write the number as people dial it, in quotes")
    return value.strip()


def full_number(parsed: phonenumbers.PhoneNumber, dial: str, spec: dict, where: str, country: str,
                abroad: bool, emergency: bool) -> PhoneNumber:
    """A valid full number: it must belong to `country`; printed as written when grouped, else in the
    region's usual grouping (with the country code when `abroad`)."""
    if not phonenumbers.is_valid_number_for_region(parsed, country):
        other = phonenumbers.region_code_for_number(parsed)
        if other in phonenumbers.SUPPORTED_REGIONS:
            raise ZineError(where, f"'{dial}' is a number in {other}, not {country}",
                            f"if the line is for {other}, add 'region: {other}' to the line; "
                            "else check the digits")
        raise ZineError(where, f"'{dial}' is not a number in {country}", "check the digits")
    grouped = any(c in dial for c in " -.()")
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if abroad else phonenumbers.PhoneNumberFormat.NATIONAL
    keep = grouped and (dial.startswith("+") or not abroad)
    shown = dial if keep else phonenumbers.format_number(parsed, style)
    shown = checked_display(spec, shown, full_digits(parsed) | {digits(dial)}, where, country, emergency)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(dial, shown, e164, False)


def full_digits(parsed: phonenumbers.PhoneNumber) -> set[str]:
    """The digit strings that show a full number: with or without the country code or the national
    trunk prefix, as phonenumbers formats it, each with or without its extension."""
    bare = copy.copy(parsed)
    bare.extension = None
    forms = {digits(phonenumbers.format_number(bare, style)) for style in FORMATS}
    national = digits(phonenumbers.format_number(bare, phonenumbers.PhoneNumberFormat.NATIONAL))
    forms |= {phonenumbers.national_significant_number(bare), f"{bare.country_code}{national}"}  # +44 (0)20 ...
    return forms | {form + parsed.extension for form in forms if parsed.extension}


def checked_display(spec: dict, default: str, accepted: set[str], where: str, country: str,
                    emergency: bool = False) -> str:
    """The text printed for a number: its `display:` if that shows the same digits (one of `accepted`),
    else `default`. An emergency number's display may name the region's other emergency numbers too."""
    if spec.get("display") is None:
        return default
    shown, at = str(spec["display"]).strip(), field_of(where, "display")
    odd = [c for c in shown if c.isnumeric() and not c.isdecimal()]
    if odd:
        raise ZineError(at, f"'{shown}' has '{odd[0]}', which is not a digit",
                        "write the same number as 'number', in plain digits")
    if emergency:
        return emergency_display(shown, accepted, at, country, spec.get("number"))
    if digits(shown) not in accepted:
        raise ZineError(at, f"'{shown}' shows the digits {digits(shown) or '(none)'}, not those of "
                        f"{spec.get('number')}", "write the same number as 'number' (other words go in 'note')")
    return shown


def emergency_display(shown: str, accepted: set[str], where: str, country: str, number: object) -> str:
    """An emergency display, e.g. "999 or 112": the number itself, beside only emergency numbers."""
    groups = [digits(group) for group in re.findall(r"\d(?:[\s.\-]*\d)*", shown)]
    others = [group for group in groups
              if group not in accepted and not shortnumberinfo.is_emergency_number(group, country)]
    if others or not set(groups) & accepted:
        raise ZineError(where, f"'{shown}' shows {', '.join(others or groups) or 'no number'}, not {number} "
                        f"or another emergency number of {country}",
                        "show the number itself, and only the region's emergency numbers beside it")
    return shown


def field_of(where: str, name: str) -> str:
    """Where a sub-field is: "...: field 'call'" and "display" give "...: field 'call.display'"."""
    return f"{where[:-1]}.{name}'" if where.endswith("'") else f"{where}: field '{name}'"


def digits(text: str) -> str:
    """The digits of a text, of any script, as ASCII: '(503) 555-0142' gives '5035550142'."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


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
    """A text field given as a string (English) or as {lang: text}."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(lang): str(text) for lang, text in value.items()}
    if isinstance(value, (str, int, float)):
        return {"en": str(value)}
    raise ZineError(where, "expected a text or a mapping of language: text", "see content/crisis-lines/SCHEMA.md")
