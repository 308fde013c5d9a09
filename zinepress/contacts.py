"""The crisis-line directory: load, validate and format the lines a region's handouts print."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from phonenumbers import shortnumberinfo

from .errors import ZineError
from .paths import CRISIS_LINES_DIR, display
from .yamlfile import load_yaml, require_mapping, require_str

STALE_AFTER = dt.timedelta(days=365)
LOCALIZED_FIELDS = ("hours", "cost", "audience", "note")


@dataclass(frozen=True)
class PhoneNumber:
    dial: str          # as given in the directory
    display: str       # as printed
    e164: str | None   # for tel: links; None for short codes
    short: bool


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


def load_region(code: str, warnings: list[str]) -> Region:
    """A region's lines, a sub-region's after those of the region it extends."""
    path = CRISIS_LINES_DIR / f"{code}.yaml"
    if not path.is_file():
        raise ZineError(f"--region {code}", "unknown region",
                        f"choose one of {', '.join(region_codes())} or add {display(path)}")
    where = display(path)
    data = require_mapping(load_yaml(path), where)
    if data.get("region") != code:
        raise ZineError(f"{where}: field 'region'", f"says {data.get('region')!r}, not {code!r}",
                        "make it match the file name")
    parent = load_region(str(data["extends"]), warnings) if data.get("extends") else None
    country = code.split("-")[0]
    lines = parse_lines(data.get("lines"), where, country, warnings, allow_empty=parent is not None)
    paper = str(data.get("paper") or (parent.paper if parent else "")).lower()
    if paper not in ("letter", "a4"):
        raise ZineError(f"{where}: field 'paper'", f"'{paper}' is not a paper size", "use letter or a4")
    emergency = data.get("emergency") or (parent.emergency.dial if parent else None)
    return Region(
        code=code, name=require_str(data, "name", where), paper=paper,
        languages=tuple(data.get("languages") or (parent.languages if parent else ("en",))),
        emergency=parse_number(emergency, f"{where}: field 'emergency'", country),
        lines=(parent.lines if parent else ()) + lines, files=(parent.files if parent else ()) + (path,))


def load_contacts_file(path: Path, country: str, warnings: list[str]) -> tuple[CrisisLine, ...]:
    """A community's own lines (`--contacts FILE`): a list, or a mapping with `lines:`."""
    if not path.is_file():
        raise ZineError(f"--contacts {path}", "no such file", "give the path to your contacts YAML")
    data = load_yaml(path)
    raw = data.get("lines") if isinstance(data, dict) else data
    return parse_lines(raw, display(path), country, warnings)


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
    data = require_mapping(item, where)
    name = require_str(data, "name", where)
    where = f"{where} ({name})"
    text, keyword = parse_text(data.get("text"), where, country)
    chat = https_only(data.get("chat"), f"{where}: field 'chat'")
    call = parse_number(data["call"], f"{where}: field 'call'", country) if data.get("call") else None
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
        source=source, checked=checked, origin=where.split(":")[0])


def parse_text(raw: object, where: str, country: str) -> tuple[PhoneNumber | None, str | None]:
    """A text line: a number, or {number, keyword}."""
    if raw is None:
        return None, None
    keyword = raw.get("keyword") if isinstance(raw, dict) else None
    if keyword is not None and (not isinstance(keyword, str) or len(keyword.split()) != 1):
        raise ZineError(f"{where}: field 'text.keyword'", f"{keyword!r} is not one word",
                        "give the single word people text")
    return parse_number(raw, f"{where}: field 'text'", country), keyword


def parse_number(raw: object, where: str, country: str) -> PhoneNumber:
    """Validate a number for its country with phonenumbers; short codes must be known or declared."""
    spec = raw if isinstance(raw, dict) else {"number": raw}
    dial = str(spec.get("number") or "").strip()
    if not dial:
        raise ZineError(where, "no number given", "write the number as people dial it, in quotes")
    try:
        parsed = phonenumbers.parse(dial, country)
    except phonenumbers.NumberParseException:
        raise ZineError(where, f"'{dial}' is not a phone number", "check the digits") from None
    if phonenumbers.is_valid_number(parsed):
        grouped = any(c in dial for c in " -.()")
        shown = dial if grouped else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return PhoneNumber(dial, str(spec.get("display") or shown),
                           phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), False)
    known_short = shortnumberinfo.is_valid_short_number_for_region(parsed, country)
    if not (known_short or spec.get("short") is True):
        raise ZineError(where, f"'{dial}' is not a valid number in {country}",
                        "check the digits; for a short code the library does not know, write "
                        "{number: '...', short: true} and keep its source")
    return PhoneNumber(dial, str(spec.get("display") or dial), None, True)


def https_only(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("https://"):
        raise ZineError(where, f"{value!r} is not an https:// address", "use the service's https page")
    return value


def parse_checked(value: object, where: str, warnings: list[str]) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            pass
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
