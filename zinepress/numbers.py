"""Phone numbers: validate a number for its region with phonenumbers, and check that what is printed
for it (`display:`, or the number as written) shows exactly its digits and nothing else."""

import copy
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo
from phonenumbers.phonemetadata import PhoneMetadata

from .errors import ZineError

SHORT_CODE_DIGITS = 8     # a declared short code longer than this is a full number written wrong
FORMATS = (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
           phonenumbers.PhoneNumberFormat.E164)
# What a number or display may hold: ASCII digits, keypad letters (1-800-273-TALK), spaces and these.
SEPARATORS = "+-.()/"
NUMBER_CHARS = frozenset("0123456789 " + SEPARATORS + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# An emergency display (a region file's, never a contacts file's) may also name the services: "999 or
# 112", "112 (SAMU : 15)"; any script's letters, these punctuation marks, and still only ASCII digits.
EMERGENCY_PUNCTUATION = frozenset("0123456789 " + SEPARATORS + ":,")
PLAIN = "write the same number as 'number'"
ALLOWED = "in ASCII digits, spaces and + - . ( ) / only; words go in 'note'"


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


def parse_number(raw: object, where: str, country: str, *, abroad: bool = False,
                 emergency: bool = False) -> PhoneNumber:
    """Validate a number for its country with phonenumbers; short codes must be known or declared, and
    a `display:` must show the same digits. `abroad`: printed for readers in another country.
    `emergency`: the region's emergency number, which phonenumbers must know as one."""
    spec = raw if isinstance(raw, dict) else {"number": raw}
    dial = number_text(spec.get("number"), where)
    at = where
    plain_characters(dial, at, "write the number as people dial it, " + ALLOWED)
    try:
        parsed = phonenumbers.parse(dial, country)
    except phonenumbers.NumberParseException:
        raise ZineError(at, f"'{dial}' is not a phone number", "check the digits") from None
    if parsed.extension:
        raise ZineError(at, f"'{dial}' has an extension ({parsed.extension})",
                        "give the number alone; say 'then press ...' in 'note'")
    if emergency and not shortnumberinfo.is_emergency_number(dial, country):
        example = getattr(getattr(PhoneMetadata.short_metadata_for_region(country), "emergency", None),
                          "example_number", None)
        raise ZineError(where, f"'{dial}' is not an emergency number in {country}",
                        "give the number people dial for the police, fire service and ambulance"
                        + (f", e.g. \"{example}\"" if example else ""))
    if phonenumbers.is_valid_number(parsed):
        return full_number(parsed, dial, spec, where, country, abroad, emergency)
    known_short = shortnumberinfo.is_valid_short_number_for_region(parsed, country)
    if not (known_short or spec.get("short") is True):
        raise ZineError(where, f"'{dial}' is not a valid number in {country}",
                        "check the digits; for a short code the library does not know, write "
                        "{number: '...', short: true} and keep its source")
    if dial.startswith("+") or len(digits(dial)) > SHORT_CODE_DIGITS:
        raise ZineError(where, f"'{dial}' is not a short code",
                        "a short code has a few digits and no country code; check the number")
    accepted = {phonenumbers.national_significant_number(parsed)}
    same_digits(dial, accepted, at, "write the number as people dial it; words go in 'note'")
    shown = checked_display(spec, dial, accepted, where, country, emergency)
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
    accepted = full_digits(parsed)
    same_digits(dial, accepted, where, "write the number as people dial it; words go in 'note'")
    grouped = any(c in dial for c in " -.()/") or any(c.isalpha() for c in dial)
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if abroad else phonenumbers.PhoneNumberFormat.NATIONAL
    keep = grouped and (dial.startswith("+") or not abroad)
    shown = dial if keep else phonenumbers.format_number(parsed, style)
    shown = checked_display(spec, shown, accepted, where, country, emergency)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(dial, shown, e164, False)


def full_digits(parsed: phonenumbers.PhoneNumber) -> set[str]:
    """The digit strings that show a full number: with or without the country code or the national
    trunk prefix, as phonenumbers formats it."""
    bare = copy.copy(parsed)
    bare.extension = None
    forms = {digits(phonenumbers.format_number(bare, style)) for style in FORMATS}
    national = digits(phonenumbers.format_number(bare, phonenumbers.PhoneNumberFormat.NATIONAL))
    return forms | {phonenumbers.national_significant_number(bare), f"{bare.country_code}{national}"}  # +44 (0)20


def checked_display(spec: dict, default: str, accepted: set[str], where: str, country: str,
                    emergency: bool = False) -> str:
    """The text printed for a number: its `display:` if that shows the same digits (one of `accepted`),
    else `default`. An emergency number's display may name the region's other emergency numbers too."""
    if spec.get("display") is None:
        return default
    at = field_of(where, "display")
    if not isinstance(spec["display"], str):
        raise ZineError(at, f"{spec['display']!r} is not in quotes", f'{PLAIN}, in quotes, e.g. "988"')
    shown = spec["display"].strip()
    if emergency:
        return emergency_display(shown, accepted, at, country, spec.get("number"))
    plain_characters(shown, at, f"{PLAIN}, {ALLOWED}")
    word = re.fullmatch(r"(.*\d.*?) *\(([A-Za-z]{2,})\)", shown)    # "4357 (HELP)": the number spelt
    if word and keypad(word[2]) == digits(word[1])[-len(word[2]):] and not any(c.isalpha() for c in word[1]):
        same_digits(word[1], accepted, at, f"{PLAIN} (other words go in 'note')", spec.get("number"))
    else:
        same_digits(shown, accepted, at, f"{PLAIN} (other words go in 'note')", spec.get("number"))
    return shown


def same_digits(text: str, accepted: set[str], where: str, hint: str, number: object = None) -> None:
    """Refuse a text whose digits, its letters read off a phone keypad, are not one of `accepted`."""
    found = digits(keypad(text))
    if found not in accepted:
        letters = " (its letters read as digits on a phone keypad)" if any(c.isalpha() for c in text) else ""
        whose = f"those of {number}" if number is not None else "a number's"
        raise ZineError(where, f"'{text}' shows the digits {found or '(none)'}{letters}, not {whose}", hint)


def plain_characters(text: str, where: str, hint: str, emergency: bool = False) -> None:
    """Refuse characters a printed number must not hold: invisible formatting (bidi controls can
    reverse the digits), digits of other scripts, full-width forms, and anything but digits, keypad
    letters, spaces and + - . ( ) /. An emergency display may also hold words naming the services."""
    for n, c in enumerate(text):
        name = unicodedata.name(c, f"U+{ord(c):04X}")
        if unicodedata.category(c) == "Cf":
            raise ZineError(where, f"has an invisible formatting character U+{ord(c):04X} ({name}), "
                            "which can reorder or hide the printed digits", "delete it (retype the number)")
        if c.isnumeric() and not ("0" <= c <= "9"):
            problem = "not an ASCII digit" if c.isdecimal() else "not a digit"
            raise ZineError(where, f"'{text}' has '{c}' ({name}), {problem}",
                            "write the digits 0-9 (every edition prints ASCII digits, in a left-to-right "
                            "run)")
        if not c.isascii() and unicodedata.normalize("NFKC", c).isascii():
            raise ZineError(where, f"'{text}' has '{c}' ({name}), a full-width or compatibility form",
                            f"write it as the ASCII '{unicodedata.normalize('NFKC', c)}'")
        if emergency:
            if not (c in EMERGENCY_PUNCTUATION or unicodedata.category(c)[0] in "LM"):
                raise ZineError(where, f"'{text}' has '{c}', which an emergency display may not show",
                                "show the emergency numbers, each with the service's name in words, "
                                "in ASCII digits, letters, spaces and + - . ( ) / : ,")
        elif c not in NUMBER_CHARS:
            raise ZineError(where, f"'{text}' has '{c}', which a printed number may not show", hint)
        elif c == "+" and text[:n].strip():
            raise ZineError(where, f"'{text}' has a '+' after its start", "write '+' only before the country code")
        elif c == "/" and not (re.search(r"\d *$", text[:n]) and re.match(r" *\d", text[n + 1:])):
            raise ZineError(where, f"'{text}' has a '/' that is not between two digit groups",
                            "write '/' only between digit groups, e.g. 030/1234 5678; words go in 'note'")


def emergency_display(shown: str, accepted: set[str], where: str, country: str, number: object) -> str:
    """An emergency display, e.g. "999 or 112": the number itself, beside only emergency numbers."""
    plain_characters(shown, where, "show the region's emergency numbers in ASCII digits", emergency=True)
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


def keypad(text: str) -> str:
    """A text with its letters read off a phone keypad: '1-800-273-TALK' gives '1-800-273-8255'."""
    return phonenumbers.convert_alpha_characters_in_number(text)


def digits(text: str) -> str:
    """The ASCII digits of a text: '(503) 555-0142' gives '5035550142' (other scripts are refused first)."""
    return "".join(c for c in text if "0" <= c <= "9")


def has_format_characters(text: str) -> bool:
    """Whether a text holds invisible formatting characters (bidi controls, zero-width, byte-order mark)."""
    return any(unicodedata.category(c) == "Cf" for c in text)
