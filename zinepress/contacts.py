"""The crisis-line directory: a region's lines (a sub-region's on top of its region's), and a
community's own lines from a contacts file, which may leave out or replace the region's."""

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import phonenumbers
from phonenumbers import shortnumberinfo

from .crisisline import CrisisLine, parse_line
from .errors import ZineError
from .fields import CONTACTS_FIELDS, REGION_FIELDS, warn_unknown
from .linefields import language_list, localized, visible_name   # noqa: F401  (re-exported)
from .numbers import PhoneNumber, digits, parse_number
from .paths import CRISIS_LINES_DIR, display, is_region_path  # noqa: F401  (others import it from here)
from .yamlfile import load_yaml, require_mapping

REGION_CODE = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")    # a file name in CRISIS_LINES_DIR, never a path


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
    """A region's lines, a sub-region's after those of the region it extends. `code` is a bundled
    region's code, or (from --region only) the path of a region file, which may extend a bundled one."""
    if not extending and is_region_path(code):
        return region_from_file(Path(code), warnings)
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
                        f"choose one of {known}, add {display(path)}, or give the path of your region file")
    data = require_mapping(load_yaml(path), display(path))
    if data.get("region") != code:
        raise ZineError(f"{display(path)}: field 'region'", f"says {data.get('region')!r}, not {code!r}",
                        "make it match the file name")
    return region_from_data(data, path, warnings, extending)


def region_from_file(path: Path, warnings: list[str]) -> Region:
    """A region file given by path: its `region:` code is its own (e.g. US-IL), its country the part
    before the first '-'."""
    if not path.is_file():
        raise ZineError(f"--region {path}", "no such file", "give the path of your region YAML file, or a code")
    where = display(path)
    data = require_mapping(load_yaml(path), where)
    code = data.get("region")
    if not isinstance(code, str) or not REGION_CODE.fullmatch(code) or \
            code.split("-")[0].upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ZineError(f"{where}: field 'region'", f"{code!r} is not a region code",
                        "give the country's two-letter code, and a local part if you like, e.g. US-IL")
    return region_from_data(data, path, warnings, (), code.upper())


def region_from_data(data: dict, path: Path, warnings: list[str], extending: tuple[str, ...],
                     code: str | None = None) -> Region:
    where, code = display(path), code or data["region"]
    warn_unknown(data, REGION_FIELDS, where, warnings)
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise ZineError(f"{where}: field 'extends'", f"{extends!r} is not a region code",
                        "give the code of the one region this one extends, e.g. extends: US")
    parent = load_region(extends.strip(), warnings, (*extending, code)) if extends else None
    country = code.split("-")[0]
    lines = parse_lines(data.get("lines"), where, country, warnings, allow_empty=parent is not None)
    if parent:   # a sub-region's own lines are local: printed first where they are shown
        lines = tuple(replace(line, local=True) for line in lines)
    paper = str(data.get("paper") or (parent.paper if parent else "")).lower()
    if paper not in ("letter", "a4"):
        raise ZineError(f"{where}: field 'paper'", f"'{paper}' is not a paper size", "use letter or a4")
    emergency = (parse_number(data.get("emergency"), f"{where}: field 'emergency'", country, emergency=True)
                 if data.get("emergency") or not parent else parent.emergency)
    return Region(
        code=code, name=visible_name(data, where), paper=paper,
        languages=(language_list(data.get("languages"), f"{where}: field 'languages'")
                   or (parent.languages if parent else ("en",))),
        emergency=emergency, lines=with_primary((parent.lines if parent else ()) + lines, where),
        files=(parent.files if parent else ()) + (path,))


def with_primary(lines: tuple[CrisisLine, ...], where: str) -> tuple[CrisisLine, ...]:
    """Exactly one primary line: the one marked `primary: true`, else the first."""
    marked = [line for line in lines if line.primary]
    if len(marked) > 1:
        raise ZineError(f"{marked[-1].where}: field 'primary'", f"{len(marked)} lines are marked primary",
                        "mark only the region's national crisis line primary: true")
    if marked or not lines:
        return lines
    return (replace(lines[0], primary=True),) + lines[1:]


@dataclass(frozen=True)
class ContactsFile:
    """A community's own lines, and what they do to the region's."""
    lines: tuple[CrisisLine, ...]
    omit: tuple[str, ...] = ()     # region lines left out, by name
    replace: bool = False          # the region's lines are not printed at all


def load_contacts_file(path: Path, region: Region, warnings: list[str]) -> tuple[CrisisLine, ...]:
    """A community's own lines (`--contacts FILE`) with the region's lines they keep, in print order."""
    contacts = read_contacts_file(path, region, warnings)
    return combine(contacts, region, display(path), warnings)


def read_contacts_file(path: Path, region: Region, warnings: list[str]) -> ContactsFile:
    """A list of lines, or a mapping with `lines:` and optionally `omit:` (names of region lines) or
    `replace: true`. None may dial the region's emergency number, which every handout prints already."""
    if not path.exists():
        raise ZineError(f"--contacts {path}", "no such file", "give the path to your contacts YAML")
    where, data = display(path), load_yaml(path)
    if isinstance(data, dict):
        warn_unknown(data, CONTACTS_FIELDS, where, warnings)
    raw = data.get("lines") if isinstance(data, dict) else data
    settings = data if isinstance(data, dict) else {}
    lines = tuple(replace(line, local=True) for line in
                  parse_lines(raw, where, region.code.split("-")[0], warnings,
                              allow_empty=bool(settings.get("omit")), directory=False))
    for line in lines:
        refuse_emergency(line, region)
    replacing = settings.get("replace", False)
    if not isinstance(replacing, bool):
        raise ZineError(f"{where}: field 'replace'", f"{replacing!r} is not true or false",
                        "write replace: true to print only your own lines")
    return ContactsFile(lines, omitted_names(settings.get("omit"), where), replacing)


def omitted_names(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(name, str) and name.strip() for name in names):
        raise ZineError(f"{where}: field 'omit'", f"{raw!r} is not a list of line names",
                        "list the names of the region's lines to leave out, e.g. omit: [Trans Lifeline]")
    return tuple(name.strip() for name in names)


def combine(contacts: ContactsFile, region: Region, where: str, warnings: list[str]) -> tuple[CrisisLine, ...]:
    """Your own lines first, then the region's that you keep; the primary line cannot be omitted."""
    if contacts.replace:
        if not contacts.lines:
            raise ZineError(f"{where}: field 'replace'", "replaces the region's lines with none",
                            "list your own lines under lines:, or leave replace out")
        if contacts.omit:
            raise ZineError(f"{where}: field 'omit'", "has no effect with replace: true",
                            "leave out omit, or replace")
        warnings.append(f"{where}: field 'replace': the region's lines (including {region.lines[0].name}) "
                        "are not printed; only your own lines are")
        return with_primary(contacts.lines, where)
    for line in contacts.lines:
        if line.primary:
            main = next(line.name for line in region.lines if line.primary)
            raise ZineError(f"{line.where}: field 'primary'", f"{region.name}'s primary line is {main}",
                            "remove primary: true, or add replace: true to print only your own lines")
    by_name = {squash(line.name): line for line in region.lines}
    for name in contacts.omit:
        line = by_name.get(squash(name))
        if line is None:
            closest = difflib.get_close_matches(name, [line.name for line in region.lines], n=1)
            hint = f"did you mean '{closest[0]}'?" if closest else \
                f"the region's lines are: {', '.join(line.name for line in region.lines)}"
            raise ZineError(f"{where}: field 'omit'", f"no line of {region.name} is named {name!r}", hint)
        if line.primary:
            raise ZineError(f"{where}: field 'omit'", f"{line.name} is the region's primary line, printed on "
                            "every handout", "keep it, or use replace: true to print only your own lines")
    left_out = {squash(name) for name in contacts.omit}
    return contacts.lines + tuple(line for line in region.lines if squash(line.name) not in left_out)


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
                allow_empty: bool = False, directory: bool = True) -> tuple[CrisisLine, ...]:
    if not raw and allow_empty:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ZineError(f"{where}: field 'lines'", "no crisis lines listed",
                        "list at least one line (name, call/text/chat, hours, source, checked)")
    return tuple(parse_line(item, f"{where}: lines[{n}]", country, warnings, directory=directory)
                 for n, item in enumerate(raw, 1))
