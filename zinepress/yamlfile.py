"""Safe YAML loading with errors that name the file and line, and reading input text files safely."""

import codecs
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import ZineError
from .paths import display

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
DATA_LIMIT = 1_000_000        # bytes: a data file (crisis lines, contacts, strings, formats)
CONTENT_LIMIT = 2_000_000     # bytes: a zine's text
NO_ALIASES = "YAML anchors and aliases are not allowed in zinepress data files"


class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):   # libyaml's parser when built with it
    """The safe loader, refusing a key given twice in one mapping (YAML would keep only the last)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key '{key}' is given twice (also on line {seen[key] + 1})",
                        key_node.start_mark)
                if key is not None:
                    seen.setdefault(key, key_node.start_mark.line)
        return super().construct_mapping(node, deep=deep)


SAFE_LOADER = UniqueKeyLoader


def read_text(path: Path, limit: int = DATA_LIMIT) -> str:
    """An input file's text (UTF-8, with or without a byte-order mark, any line endings); a missing,
    unreadable, undecodable or oversized file, or one that is not a regular file (a FIFO, a device),
    becomes a ZineError naming it."""
    where = display(path)
    try:
        resolved = path.resolve()
        if resolved.exists() and not resolved.is_dir() and not resolved.is_file():
            raise ZineError(where, "is not a regular file (a device, pipe or socket)",
                            "give the path of a saved file")
        if resolved.is_file() and resolved.stat().st_size > limit:
            raise ZineError(where, f"is too large ({resolved.stat().st_size:,} bytes; the limit is {limit:,})",
                            "check it is the right file")
        data = path.read_bytes()
        if len(data) > limit:    # grown since
            raise ZineError(where, f"is too large (over {limit:,} bytes)", "check it is the right file")
    except IsADirectoryError:
        raise ZineError(where, "is a folder, not a file", "give the path of the file itself") from None
    except FileNotFoundError:
        raise ZineError(where, "no such file", "check the path, or restore the file") from None
    except PermissionError:
        raise ZineError(where, "cannot read it (permission denied)", "make the file readable") from None
    except OSError as error:
        raise ZineError(where, f"cannot read it ({error.strerror or error})", "check the file") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ZineError(f"{where}:{line}", f"not UTF-8 text (byte 0x{data[error.start]:02x})",
                        "save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path, text: str | None = None, first_line: int = 1) -> Any:
    """Load YAML safely; a syntax error or an impossible value becomes a ZineError naming file and line."""
    if text is None:
        text = read_text(path)
    try:
        refuse_aliases(text)
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = getattr(error, "position", None)    # a ReaderError: a character YAML does not allow
        line = mark.line if mark else text[:position].count("\n") if isinstance(position, int) else None
        where = f"{display(path)}:{line + first_line}" if line is not None else display(path)
        problem = getattr(error, "problem", None) or getattr(error, "reason", None) or "not valid YAML"
        problem = re.sub(r"also on line (\d+)", lambda m: f"also on line {int(m[1]) + first_line - 1}", problem)
        hint = ("write the values out in full" if problem == NO_ALIASES else
                "keep one of them" if "given twice" in problem else "fix the indentation or quoting there")
        raise ZineError(where, f"YAML error: {problem}", hint) from None
    except RecursionError:
        raise ZineError(display(path), "YAML error: nested too deeply",
                        "flatten the lists and mappings") from None
    except Exception as error:   # noqa: BLE001 (PyYAML's constructors raise ValueError, KeyError, ...)
        raise value_error(path, text, first_line, error) from None


def refuse_aliases(text: str) -> None:
    """Refuse an alias (`*name`): a few lines of aliases can expand to millions of values."""
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, NO_ALIASES, event.start_mark)


def value_error(path: Path, text: str, first_line: int, error: Exception) -> ZineError:
    """The error for a value YAML parsed but could not construct, e.g. `checked: 2026-13-45`."""
    found = unconstructable(text)
    if found is None:
        return ZineError(display(path), f"YAML error: {error}", "fix the value (quote it to keep it as text)")
    line, value, tag = found
    where = f"{display(path)}:{line + first_line}"
    detail = f" ({error})" if isinstance(error, ValueError) else ""
    if tag == TIMESTAMP_TAG:
        return ZineError(where, f"{value} is not a real date{detail}", "write a real date as YYYY-MM-DD")
    return ZineError(where, f"YAML cannot read {value!r} as {tag.rsplit(':', 1)[-1]}{detail}",
                     "fix the value (quote it to keep it as text)")


def unconstructable(text: str) -> tuple[int, str, str] | None:
    """The first scalar, in document order, that YAML cannot construct: (0-based line, text, tag)."""
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return None
    constructor = yaml.constructor.SafeConstructor()
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except Exception:   # noqa: BLE001 (whatever the constructor raises)
                return node.start_mark.line, node.value, node.tag
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([child for pair in node.value for child in pair]))
        else:
            stack.extend(reversed(node.value))
    return None


def require_mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ZineError(where, "expected a mapping of 'key: value' lines")
    return value


def require_str(data: dict, key: str, where: str, optional: bool = False) -> str | None:
    """A non-empty string field, or None when optional and absent."""
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        raise ZineError(f"{where}: field '{key}'", "missing or empty", "give it a text value")
    return str(value).strip()
