"""Safe YAML loading with errors that name the file and line."""

from pathlib import Path
from typing import Any

import yaml

from .errors import ZineError
from .paths import display

# libyaml's loader when PyYAML was built with it: the same safe subset, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, text: str | None = None, first_line: int = 1) -> Any:
    """Load YAML safely; a syntax error becomes a ZineError naming file and line."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + first_line}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ZineError(f"{display(path)}{line}", f"YAML error: {problem}",
                        "fix the indentation or quoting there") from None


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
