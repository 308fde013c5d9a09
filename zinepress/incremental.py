"""Incremental builds: which formats of an edition need building, judged by the previous manifest.

A format is up to date when its fingerprint (fingerprint.py) matches the one its manifest recorded and
every file it made is still there, byte for byte. What fitted last time is kept as a hint for auto-fit."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .edition import Edition
from .fingerprint import data_digest, format_fingerprints
from .output import edition_folder

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Plan:
    folder: Path
    fingerprints: dict[str, str]       # every requested format -> its inputs' fingerprint
    stale: list[str]                   # the formats to build, in the order asked
    hints: dict[str, dict]             # format -> {"size", "compact", "pad_pages"} that fitted last time
    seconds: dict[str, float]          # format -> how long it took last time (to schedule the slowest first)
    warnings: list[str] = field(default_factory=list)   # said of the files of the formats not rebuilt


def plan_edition(edition: Edition, formats: list[str], out: Path, with_guide: bool, force: bool,
                 hints_from: tuple[Path, ...] = ()) -> Plan:
    """`hints_from`: edition folders to take auto-fit's starting sizes from where this folder has none
    (the web page's previous build); the same edition's other print variants beside it are tried too."""
    folder = edition_folder(out, edition)
    fingerprints = format_fingerprints(edition, formats, with_guide)
    previous = read_manifest(folder / MANIFEST)
    recorded = (previous.get("build") or {}).get("formats") or {}
    stale = [name for name in formats
             if force or not is_current(folder, previous, recorded.get(name), fingerprints[name])]
    hints = {}
    for source in [recorded, *map(recorded_fits, [*hints_from, *variants_beside(folder, edition.slug)])]:
        hints |= {name: hint for name, entry in source.items() if name not in hints and (hint := fit_hint(entry))}
    seconds = {name: float(entry["seconds"]) for name, entry in recorded.items()
               if isinstance(entry, dict) and isinstance(entry.get("seconds"), (int, float))}
    current = set(formats) - set(stale)
    warnings = [entry["warning"] for entry in previous.get("files", []) if isinstance(entry, dict)
                and entry.get("format") in current and isinstance(entry.get("warning"), str)]
    return Plan(folder, fingerprints, stale, hints, seconds, warnings)


# The print variants of one edition (edition_folder): the same pages in other colours or with bleed, so the
# body sizes that fitted one are where auto-fit should start for another.
VARIANT_SUFFIXES = ("", "-bleed", "-pdfx", "-grayscale", "-bleed-grayscale", "-pdfx-grayscale")


def variants_beside(folder: Path, slug: str) -> list[Path]:
    return [folder.parent / f"{slug}{suffix}" for suffix in VARIANT_SUFFIXES
            if folder.parent / f"{slug}{suffix}" != folder]


def recorded_fits(folder: Path) -> dict:
    """What each format's build recorded in another edition folder's manifest (empty if none)."""
    formats = (read_manifest(folder / MANIFEST).get("build") or {}).get("formats")
    return formats if isinstance(formats, dict) else {}


def fit_hint(entry: object) -> dict | None:
    """What fitted last time, as FitHint's fields, from a manifest's build record; None if unreadable."""
    if not isinstance(entry, dict):
        return None
    size, pad = entry.get("body_size"), entry.get("pad_pages", 0)
    if not (size is None or isinstance(size, (int, float))) or not isinstance(pad, int) or pad < 0:
        return None
    return {"size": size, "compact": bool(entry.get("compact")), "pad_pages": pad}


def read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_current(folder: Path, previous: dict, record: dict | None, fingerprint: str) -> bool:
    """The format's recorded fingerprint matches, and each of its files is there as the manifest says."""
    if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
        return False
    entries = {entry.get("file"): entry for entry in previous.get("files", []) if isinstance(entry, dict)}
    names = record.get("files") or []
    return bool(names) and all(name in entries and file_matches(folder / name, entries[name]) for name in names)


def file_matches(path: Path, entry: dict) -> bool:
    try:
        return data_digest(path.read_bytes()) == entry.get("sha256")
    except OSError:
        return False
