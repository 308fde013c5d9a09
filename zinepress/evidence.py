"""What stands behind a crisis line: its kind, the further pages that confirm it, and how sure we are.

A line is confirmed when pages on at least two different sites (its `source` and its `evidence` pages
that support the number) agree on its number; otherwise the data must say `confidence: low` and why,
and `check --strict` refuses to print it."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ZineError

KINDS = ("crisis", "support", "youth", "parents", "child-protection", "warmline")
SUPPORTS = ("number", "hours", "keyword", "text", "chat", "languages", "cost", "options", "name")
CONFIDENCE = ("ok", "low")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Evidence:
    url: str
    checked: dt.date
    supports: tuple[str, ...]


def web_address(value: object, where: str, warnings: list[str]) -> str | None:
    """An https address; plain http only for a local test server (127.0.0.1, localhost), with a
    warning so that `--strict` refuses it."""
    if value is None:
        return None
    if isinstance(value, str) and is_loopback_http(value):
        warnings.append(f"{where}: {value} is plain http, accepted only from a local test server; "
                        "--strict refuses it")
        return value
    if not isinstance(value, str) or not value.startswith("https://") or not urlsplit(value).hostname:
        raise ZineError(where, f"{value!r} is not an https:// address", "use the service's https page")
    return value


def is_loopback_http(value: str) -> bool:
    parts = urlsplit(value)
    try:
        name = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "http" and not parts.username and parts.password is None and \
        (name if name != "::1" else "[::1]") in LOOPBACK_HOSTS


def parse_kind(value: object, where: str) -> str | None:
    if value is None:
        return None
    if value not in KINDS:
        raise ZineError(f"{where}: field 'kind'", f"{value!r} is not a kind of line",
                        f"use one of {', '.join(KINDS)}")
    return value


def parse_evidence(raw: object, where: str, warnings: list[str], checked_date) -> tuple[Evidence, ...]:
    """`evidence:` a list of {url, checked, supports}; `checked_date` parses a date as `checked:` does."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ZineError(f"{where}: field 'evidence'", "is not a list",
                        "list the pages: - {url: https://..., checked: YYYY-MM-DD, supports: [number]}")
    return tuple(one_page(item, f"{where}: evidence[{n}]", warnings, checked_date)
                 for n, item in enumerate(raw, 1))


def one_page(item: object, where: str, warnings: list[str], checked_date) -> Evidence:
    if not isinstance(item, dict):
        raise ZineError(where, "is not a mapping", "give url, checked and supports")
    unknown = set(item) - {"url", "checked", "supports"}
    if unknown:
        warnings.append(f"{where}: unknown field '{sorted(map(str, unknown))[0]}' is ignored; "
                        "known fields: url, checked, supports")
    url = web_address(item.get("url"), f"{where}: field 'url'", warnings)
    if not url:
        raise ZineError(f"{where}: field 'url'", "missing", "give the https page")
    supports = item.get("supports") or []
    supports = [supports] if isinstance(supports, str) else supports
    if not isinstance(supports, list) or not supports or any(s not in SUPPORTS for s in supports):
        raise ZineError(f"{where}: field 'supports'", f"{item.get('supports')!r} is not a list of what the "
                        "page confirms", f"use some of {', '.join(SUPPORTS)}, e.g. [number, hours]")
    return Evidence(url, checked_date(item.get("checked"), where, warnings), tuple(supports))


def parse_confidence(data: dict, where: str) -> tuple[str, str | None]:
    level = data.get("confidence", "ok")
    note = data.get("confidence_note")
    if level not in CONFIDENCE:
        raise ZineError(f"{where}: field 'confidence'", f"{level!r} is not a confidence",
                        "write confidence: low (with a confidence_note), or leave it out")
    if level == "low" and not (isinstance(note, str) and note.strip()):
        raise ZineError(f"{where}: field 'confidence_note'", "missing",
                        "say why the line is low confidence, e.g. which pages disagree")
    return level, note.strip() if isinstance(note, str) else None


def host(url: str) -> str:
    name = (urlsplit(url).hostname or "").lower().rstrip(".")
    return name[4:] if name.startswith("www.") else name


def confirming_hosts(source: str, evidence: tuple[Evidence, ...], what: str = "number") -> set[str]:
    """The sites that confirm a line's number (or, for a chat-only line, its chat address): its
    source, and each evidence page that supports it. A subdomain (chat.988lifeline.org) is the same
    site as its parent (988lifeline.org)."""
    names = {host(source)} | {host(page.url) for page in evidence if what in page.supports}
    return {name for name in names if not any(name.endswith("." + other) for other in names)}


def confidence_warnings(where: str, source: str, evidence: tuple[Evidence, ...], level: str,
                        note: str | None, what: str = "number") -> list[str]:
    """A warning for a line marked low confidence, or one that only a single site confirms."""
    if level == "low":
        return [f"{where}: low confidence ({note}); confirm it before printing — --strict refuses it"]
    if len(confirming_hosts(source, evidence, what)) < 2:
        shown = "number" if what == "number" else "chat address"
        return [f"{where}: only one site ({host(source)}) confirms the {shown}; add an evidence: page from "
                f"another site that shows it (supports: [{what}]), or mark the line confidence: low with a "
                "confidence_note"]
    return []
