"""Safe YAML loading with errors that name the file and line, and reading input text files safely."""

import codecs
from pathlib import Path
from typing import Any

import yaml

from .errors import ZineError
from .paths import display

# libyaml's loader when PyYAML was built with it: the same safe subset, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def read_text(path: Path) -> str:
    """An input file's text (UTF-8, with or without a byte-order mark, any line endings); a missing,
    unreadable or undecodable file becomes a ZineError naming it."""
    where = display(path)
    try:
        data = path.read_bytes()
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
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = getattr(error, "position", None)    # a ReaderError: a character YAML does not allow
        line = mark.line if mark else text[:position].count("\n") if isinstance(position, int) else None
        where = f"{display(path)}:{line + first_line}" if line is not None else display(path)
        problem = getattr(error, "problem", None) or getattr(error, "reason", None) or "not valid YAML"
        raise ZineError(where, f"YAML error: {problem}", "fix the indentation or quoting there") from None
    except RecursionError:
        raise ZineError(display(path), "YAML error: nested too deeply",
                        "flatten the lists and mappings") from None
    except Exception as error:   # noqa: BLE001 (PyYAML's constructors raise ValueError, KeyError, ...)
        raise value_error(path, text, first_line, error) from None


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
