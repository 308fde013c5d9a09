"""One crisis line: how it is reached, its texts in each language, where it must be printed, and the
pages that stand behind it."""

import datetime as dt
import re
from dataclasses import dataclass, replace

import phonenumbers

from .errors import ZineError
from .evidence import (Evidence, confidence_warnings, parse_confidence, parse_evidence, parse_kind,
                       web_address)
from .fields import LINE_FIELDS, NUMBER_FIELDS, warn_unknown
from .linefields import keywords, language_list, line_names, localized, parse_checked
from .numbers import PhoneNumber, parse_number
from .yamlfile import require_mapping

ALL_HOURS = re.compile(r"\s*(24/7|24 ?x ?7|24 hours|24h)\b")
NARROWED = re.compile(r"\b(not|no|limited|except|only|closed|reduced)\b")
LOCALIZED_FIELDS = ("hours", "cost", "audience", "note", "options")
MAX_OPTIONS = 80      # characters of a dialling note ("press 1"): printed on the smallest formats too
PLACES = ("booklet", "minizine", "poster", "onepager", "card", "tabs")   # what `show_on` may name


@dataclass(frozen=True)
class CrisisLine:
    name: str
    call: PhoneNumber | None
    text: PhoneNumber | None
    keyword: str | None
    chat: str | None
    languages: tuple[str, ...]
    localized: dict          # field -> {lang: text}, also "name" and "keyword"
    source: str
    checked: dt.date
    origin: str              # the file it came from
    where: str = ""          # the file, the entry and its name: "US.yaml: lines[2] (Veterans Crisis Line)"
    kind: str | None = None  # crisis, support, youth, parents, child-protection, warmline
    primary: bool = False    # the region's national line: never left off any format
    show_on: tuple[str, ...] = ()   # formats (and "tabs") it must be printed on
    local: bool = False      # a community's or a sub-region's own line: printed first where shown
    evidence: tuple[Evidence, ...] = ()
    confidence: str = "ok"
    confidence_note: str | None = None
    language: str = "en"     # the language `field` answers in, set by `in_language`

    def field(self, name: str, language: str | None = None) -> str | None:
        """A localized field in `language` (default: the line's), else English, else whatever is given."""
        texts = self.localized.get(name) or {}
        language = language or self.language
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)

    def in_language(self, language: str) -> "CrisisLine":
        """The line as an edition in `language` prints it: its name and keyword in that language."""
        return replace(self, language=language, name=self.field("name", language) or self.name,
                       keyword=self.field("keyword", language) if self.keyword else None)

    def keywords(self) -> list[str]:
        """Every keyword the line takes: one, or one per language."""
        return list(dict.fromkeys(word for word in (self.keyword, *(self.localized.get("keyword") or {}).values())
                                  if word))

    @property
    def open_all_hours(self) -> bool:
        """Its (English) hours say 24/7 up front, and nothing narrows them ("Limited hours, not 24/7")."""
        hours = (self.field("hours", "en") or "").casefold()
        return bool(ALL_HOURS.match(hours)) and not NARROWED.search(hours)


def parse_line(item: object, where: str, country: str, warnings: list[str],
               directory: bool = False) -> CrisisLine:
    """One line of a directory or contacts file; its numbers are validated for `country`, or for the
    region the line names (`region: GB`). A directory's lines must be confirmed by two sites."""
    data = require_mapping(item, where)
    names = line_names(data, where)
    name = names.get("en") or next(iter(names.values()))
    where = f"{where} ({name})"
    warn_unknown(data, LINE_FIELDS, where, warnings)
    for field in ("call", "text"):
        if isinstance(data.get(field), dict):
            warn_unknown(data[field], NUMBER_FIELDS, f"{where}: field '{field}'", warnings)
    own = line_region(data.get("region"), where, country)
    text, words = parse_text(data.get("text"), where, own, abroad=own != country)
    chat = web_address(data.get("chat"), f"{where}: field 'chat'", warnings)
    call = (parse_number(data["call"], f"{where}: field 'call'", own, abroad=own != country)
            if data.get("call") is not None else None)
    if not (call or text or chat):
        raise ZineError(where, "no way to reach this line", "give at least one of call, text, chat")
    texts = {key: localized(data.get(key), f"{where}: field '{key}'") for key in LOCALIZED_FIELDS}
    if not texts["hours"]:
        raise ZineError(f"{where}: field 'hours'", "missing", "say when the line answers, e.g. 24/7")
    short_options(texts["options"], where)
    source = web_address(data.get("source"), f"{where}: field 'source'", warnings)
    if not source:
        raise ZineError(f"{where}: field 'source'", "missing",
                        "give the https page where you confirmed this line")
    evidence = parse_evidence(data.get("evidence"), where, warnings, parse_checked)
    level, note = parse_confidence(data, where)
    if directory or level == "low":
        warnings += confidence_warnings(where, source, evidence, level, note,
                                        "number" if call or text else "chat")
    return CrisisLine(
        name=name, call=call, text=text, keyword=next(iter(words.values()), None), chat=chat,
        languages=language_list(data.get("languages"), f"{where}: field 'languages'"),
        localized={**texts, "name": names, "keyword": words},
        source=source, checked=parse_checked(data.get("checked"), where, warnings),
        origin=where.split(":")[0], where=where, kind=parse_kind(data.get("kind"), where),
        primary=flag(data, "primary", where), show_on=places(data.get("show_on"), where),
        evidence=evidence, confidence=level, confidence_note=note)


def short_options(options: dict, where: str) -> None:
    for lang, text in options.items():
        if len(text) > MAX_OPTIONS:
            raise ZineError(f"{where}: field 'options.{lang}'", f"is {len(text)} characters long",
                            f"keep a dialling note to {MAX_OPTIONS} (e.g. 'Veterans: press 1'); "
                            "more goes in note")


def flag(data: dict, key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ZineError(f"{where}: field '{key}'", f"{value!r} is not true or false", f"write {key}: true")
    return value


def places(value: object, where: str) -> tuple[str, ...]:
    """`show_on`: the formats (and `tabs`, the poster's tear-off tabs) a line must be printed on."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or any(item not in PLACES for item in items):
        wrong = next((item for item in (items if isinstance(items, list) else [items]) if item not in PLACES),
                     value)
        raise ZineError(f"{where}: field 'show_on'", f"{wrong!r} is not a format or tabs",
                        f"list some of {', '.join(PLACES)}, e.g. show_on: [card, tabs]")
    return tuple(dict.fromkeys(items))


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
               ) -> tuple[PhoneNumber | None, dict[str, str]]:
    """A text line: a number, or {number, keyword}, the keyword one word or one per language."""
    if raw is None:
        return None, {}
    words = keywords(raw.get("keyword") if isinstance(raw, dict) else None, where)
    return parse_number(raw, f"{where}: field 'text'", country, abroad=abroad), words
