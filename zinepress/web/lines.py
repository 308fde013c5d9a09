"""Your own lines in the web form: rows of fields, to and from a `--contacts` YAML file, validated by the
command line's own rules (zinepress.contacts) with each error put back on its row and field.

A row shows the fields a person fills in; whatever else a line or the file holds (chat, cost, note,
region, a number's display, omit: ...) rides along unchanged in a hidden field, so nothing is lost
between an upload, a build and a download."""

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..contacts import Region, load_contacts_file
from ..errors import ZineError
from ..numbers import number_text
from ..paths import display
from ..yamlfile import load_yaml

FIELDS = ("name", "call", "text", "keyword", "hours", "languages", "source", "checked")
LABELS = {"name": "Name", "call": "Call", "text": "Text", "keyword": "Keyword", "hours": "Hours",
          "languages": "Languages", "source": "Source", "checked": "Checked"}
# The order a line's fields are written in, as in content/crisis-lines/SCHEMA.md.
ORDER = ("name", "call", "text", "chat", "hours", "languages", "cost", "audience", "note", "region",
         "source", "checked")
MAX_ROWS, MAX_FIELD, MAX_HIDDEN = 50, 2000, 20_000   # a form is for a handful of lines
UPLOAD_LIMIT = 64_000                                 # bytes: a contacts file is small
HEADER = ("# Your own crisis lines for zinepress: python make_zine.py build --contacts THIS_FILE\n"
          "# Each line's number is checked for the region; see content/crisis-lines/SCHEMA.md.\n")


@dataclass
class Row:
    values: dict[str, str]                               # field -> what the form shows
    extra: dict = field(default_factory=dict)            # the line's other fields, kept as they were
    position: int = 0                                    # its place in the form's table, from 0

    def as_json(self) -> dict:
        return {"values": self.values, "extra": json.dumps(self.extra, default=str) if self.extra else ""}


@dataclass(frozen=True)
class FieldError:
    row: int          # from 0
    field: str        # one of FIELDS, or "row" for a field the form does not show
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


class FormError(Exception):
    """A form that no person could have sent (too many rows, a column missing): one line."""


# --- form <-> rows ---------------------------------------------------------------------------------------

def rows_from_form(form) -> tuple[list[Row], dict]:
    """The rows the form sent (a werkzeug MultiDict: one list per column), and the file's settings."""
    columns = {name: form.getlist(f"line-{name}") for name in (*FIELDS, "extra")}
    count = len(columns["name"])
    if count > MAX_ROWS:
        raise FormError(f"Your own lines: {count} lines; the form takes at most {MAX_ROWS}")
    if any(len(values) != count for values in columns.values()):
        raise FormError("Your own lines: the table arrived incomplete; reload the page and try again")
    rows = []
    for index in range(count):
        values = {name: columns[name][index].strip() for name in FIELDS}
        if any(len(value) > MAX_FIELD for value in values.values()):
            raise FormError(f"Your own lines: line {index + 1} has a field over {MAX_FIELD} characters")
        rows.append(Row(values, hidden_json(columns["extra"][index], f"line {index + 1}"), index))
    return [row for row in rows if any(row.values.values()) or row.extra], \
        hidden_json(form.get("lines-settings", ""), "the file's settings")


def hidden_json(text: str, what: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text) if len(text) <= MAX_HIDDEN else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise FormError(f"Your own lines: {what} arrived damaged; reload the page and upload the file again")
    return value


def item_of(row: Row) -> dict:
    """The YAML line of a row: typed fields over the kept ones; empty fields left out."""
    values, kept = row.values, dict(row.extra)
    typed = {
        "name": localized(kept.pop("name", None), values["name"]),
        "call": with_number(kept.pop("call", None), values["call"]),
        "text": text_of(kept.pop("text", None), values["text"], values["keyword"]),
        "hours": localized(kept.pop("hours", None), values["hours"]),
        "languages": [code.strip() for code in values["languages"].split(",") if code.strip()] or None,
        "source": values["source"] or None,
        "checked": values["checked"] or None,
    }
    for name in typed:
        kept.pop(name, None)
    item = {**{name: kept[name] for name in ORDER if name in kept}, **kept, **typed}
    return {name: item[name] for name in (*ORDER, *item) if name in item and item[name] is not None}


def with_number(kept: object, number: str) -> object:
    """A number typed over a kept `{number, display, short}` mapping (whose display must still match)."""
    if not isinstance(kept, dict):
        return number or None
    spec = {**{key: value for key, value in kept.items() if key != "number"}, **({"number": number} if number else {})}
    return spec or None


def text_of(kept: object, number: str, keyword: str) -> object:
    spec = with_number(kept if isinstance(kept, dict) else {}, number)
    spec = dict(spec or {})
    words = localized(spec.pop("keyword", None), keyword)
    if words:
        spec["keyword"] = words
    if set(spec) == {"number"}:
        return spec["number"]
    return spec or None


def localized(kept: object, typed: str) -> object:
    """A text typed over the same text kept in several languages ({en: ..., es: ...}): the typed one is
    the English (or first) one, the others stay as they were."""
    if not isinstance(kept, dict) or not kept:
        return typed or None
    language = "en" if "en" in kept else next(iter(kept))
    texts = {**kept, language: typed} if typed else {k: v for k, v in kept.items() if k != language}
    return texts or None


def contacts_yaml(rows: list[Row], settings: dict) -> str:
    """The `--contacts` file of these rows, as the command line reads it."""
    data = {**settings, "lines": [item_of(row) for row in rows]}
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


# --- validation ------------------------------------------------------------------------------------------

def validate(rows: list[Row], settings: dict, region: Region, path: Path) -> tuple[list[FieldError], str | None]:
    """Each row's first error, by the command line's rules, and the one line the command line would print
    for the file at `path` (written here). Rows are checked as one file, then again without the rows
    already found wrong, so every wrong row is named at once."""
    path.write_text(contacts_yaml(rows, settings), encoding="utf-8")
    errors, first = [], None
    left = list(range(len(rows)))
    with tempfile.TemporaryDirectory(prefix="zinepress-lines-") as scratch:
        current = path
        while left:
            try:
                load_contacts_file(current, region, [])
                break
            except ZineError as error:
                first = first or f"error: {error.line()}"    # as the command line prints it
                index = row_of(error, current)
                if index is None or index >= len(left):
                    if not errors:   # about the file as a whole (omit:, replace:): shown beside the form
                        errors.append(FieldError(-1, "file", f"{error.problem}; {error.fix}".rstrip("; ")))
                    break
                errors.append(field_error(rows[left.pop(index)].position, error))
            if not left:
                break
            current = Path(scratch) / "lines.yaml"
            current.write_text(contacts_yaml([rows[i] for i in left], settings), encoding="utf-8")
    return errors, first


LINE_INDEX = re.compile(r"lines\[(\d+)\]")
FIELD = re.compile(r": field '([A-Za-z_.]+)'$")
SHOWN = {"name": "name", "call": "call", "text": "text", "hours": "hours", "languages": "languages",
         "source": "source", "checked": "checked"}


def row_of(error: ZineError, path: Path) -> int | None:
    """The 0-based line an error is about: its `where` starts with the file, then `lines[N]`."""
    prefix = f"{display(path)}: "
    found = LINE_INDEX.match(error.where[len(prefix):]) if error.where.startswith(prefix) else None
    return int(found[1]) - 1 if found else None


def field_error(row: int, error: ZineError) -> FieldError:
    """The field an error names (`...: field 'call.display'` is the Call field), else the row."""
    found = FIELD.search(error.where)
    name = found[1] if found else None
    shown = "keyword" if (name or "").startswith("text.keyword") else SHOWN.get((name or "").split(".")[0])
    if name is None:
        shown = "call"     # "no way to reach this line": beside the first way to reach it
    message = f"{error.problem}; {error.fix}" if error.fix else error.problem
    if shown is None:
        message = f"field '{name}': {message}"
    return FieldError(row, shown or "row", message)


# --- uploads ---------------------------------------------------------------------------------------------

def rows_from_upload(data: bytes, filename: str) -> tuple[list[Row], dict]:
    """The rows and settings of an uploaded contacts file; a malformed one is a ZineError naming it."""
    label = upload_label(filename)
    if len(data) > UPLOAD_LIMIT:
        raise ZineError(label, f"is too large ({len(data):,} bytes; a lines file is at most {UPLOAD_LIMIT:,})",
                        "upload the YAML file that Download lines saved")
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ZineError(f"{label}:{line}", "not UTF-8 text",
                        "upload a YAML file saved as UTF-8 (Download lines saves one)") from None
    try:
        parsed = load_yaml(Path(label), text.replace("\r\n", "\n"))
    except ZineError as error:   # it names the file as a path; the upload has only its name
        raise ZineError(error.where.replace(display(Path(label)), label, 1), error.problem, error.fix) from None
    raw = parsed.get("lines") if isinstance(parsed, dict) else parsed
    if not isinstance(raw, list):
        raise ZineError(f"{label}: field 'lines'", "no list of lines",
                        "upload a file saved with Download lines, or a --contacts file (a list of lines)")
    if len(raw) > MAX_ROWS:
        raise ZineError(label, f"has {len(raw)} lines; the form takes at most {MAX_ROWS}",
                        "build with the command line: make_zine.py build --contacts FILE")
    settings = {key: value for key, value in parsed.items() if key != "lines"} if isinstance(parsed, dict) else {}
    return [row_from_item(item, f"{label}: lines[{n}]") for n, item in enumerate(raw, 1)], plain(settings)


def upload_label(filename: str) -> str:
    """The uploaded file's name, for messages only: never used as a path."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename or "").name)[:80].strip("._")
    return name or "lines.yaml"


def row_from_item(item: object, where: str) -> Row:
    if not isinstance(item, dict):
        raise ZineError(where, "expected a mapping of 'key: value' lines", "see content/crisis-lines/SCHEMA.md")
    extra = plain(dict(item))
    values = {name: "" for name in FIELDS}
    values["name"] = shown_localized(extra, "name", extra.pop("name", None), f"{where}: field 'name'")
    values["call"], kept = shown_number(extra.pop("call", None), f"{where}: field 'call'")
    if kept:
        extra["call"] = kept
    values["text"], kept = shown_number(extra.pop("text", None), f"{where}: field 'text'")
    if kept:
        values["keyword"] = shown_localized(kept, "keyword", kept.pop("keyword", None), f"{where}: field 'text.keyword'")
        if kept:
            extra["text"] = kept
    values["hours"] = shown_localized(extra, "hours", extra.pop("hours", None), f"{where}: field 'hours'")
    languages = extra.pop("languages", None)
    values["languages"] = ", ".join(map(str, languages)) if isinstance(languages, list) \
        else shown_text(languages, f"{where}: field 'languages'")
    values["source"] = shown_text(extra.pop("source", None), f"{where}: field 'source'")
    values["checked"] = shown_text(extra.pop("checked", None), f"{where}: field 'checked'")
    return Row(values, extra)


def shown_localized(kept: dict, key: str, value: object, where: str) -> str:
    """A text, or the English (else first) one of a text in several languages, which stays in `kept`."""
    if not isinstance(value, dict) or not value:
        return shown_text(value, where)
    kept[key] = value
    language = "en" if "en" in value else next(iter(value))
    return shown_text(value[language], f"{where[:-1]}.{language}'")


def shown_number(value: object, where: str) -> tuple[str, dict]:
    """A number as the form shows it, and what else its mapping holds. A number YAML read as an
    integer is refused, with the command line's words: its digits may already be changed."""
    spec = dict(value) if isinstance(value, dict) else {"number": value}
    number = spec.pop("number", None)
    return ("" if number is None else number_text(number, where)), spec


def shown_text(value: object, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        hint = " (YAML reads an unquoted yes, no, on or off as true or false)" if isinstance(value, bool) else ""
        raise ZineError(where, f"{value!r} is not a text{hint}", "write it in quotes, then upload again")
    return str(value)


def plain(data: dict) -> dict:
    """Dates as YYYY-MM-DD text, so the kept fields travel through JSON unchanged."""
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()[:10]
                                 if isinstance(value, (dt.date, dt.datetime)) else str(value)))
