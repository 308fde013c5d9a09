"""Writing outputs: atomic files and the manifest that describes them."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .atomic import replace_folder
from .edition import Edition
from .errors import ZineError
from .paths import display

if TYPE_CHECKING:   # preflight reads PDFs; importing it here would slow the up-to-date check
    from .incremental import Plan
    from .preflight import Check


GUIDE_KIND = "guide"   # the kind of a printable guide (guides.py): print and read are the others


@dataclass(frozen=True)
class OutputFile:
    name: str           # e.g. booklet.pdf
    format: str
    kind: str           # print: the file you print; read: pages in reading order, for screens
    data: bytes
    body_size: float | None = None
    compact: bool = False
    ink: dict | None = None       # toner use per page (Ghostscript inkcov), print files only
    warning: str | None = None    # worth telling the user, e.g. why toner use is missing
    lines: tuple[str, ...] = ()   # the crisis lines its pages print, by name

    measured: dict | None = None  # its pages, page size and SHA-256, once read (checking.checked)

    def describe(self) -> dict:
        """The manifest entry: what the PDF itself measures (read once, when it is checked) and what the
        build knows of it."""
        entry = {"file": self.name, "format": self.format, "kind": self.kind,
                 **(self.measured or measure(self.data))}
        if self.lines:
            entry["crisis_lines"] = list(self.lines)
        if self.ink is not None:
            entry["ink_coverage"] = self.ink
        if self.warning:   # kept, so that --strict refuses the file later too, when it is up to date
            entry["warning"] = self.warning
        if self.body_size is not None:
            entry.update(body_size=self.body_size, text="compact" if self.compact else "full")
        return entry


def measure(data: bytes) -> dict:
    """A PDF's page count, page size (its trim box; the media box too when bleed makes it larger) and
    SHA-256, for its manifest entry."""
    from .pdfread import box_size, open_objects   # not needed to decide that a build is up to date

    with open_objects(data) as document:
        first = document.pages[0]
        pages = len(document.pages)
        trim, media = ([round(v, 2) for v in box_size(first, box)] for box in ("/TrimBox", "/MediaBox"))
    measured = {"pages": pages, "page_size": trim, "sha256": hashlib.sha256(data).hexdigest()}
    if trim != media:
        measured["media_size"] = media
    return measured


@dataclass(frozen=True)
class FormatBuild:
    """One format's files and how its body size was found (sent back from a worker), then their checks
    (checking.checked, where they arrive)."""
    format: str
    files: list[OutputFile]
    checks: "list[Check] | None"   # None until checked: such a build is never written
    fit: dict            # body_size, compact, layout_passes: remembered for the next build
    seconds: float       # laying out, writing and imposing it
    flags: dict          # bleed, grayscale, pdfx: what preflight checks for


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    files: list[OutputFile]            # the files written by this build (none when up to date)
    manifest: Path | None
    passes: int
    checks: "list[Check]"
    up_to_date: list[str] = field(default_factory=list)    # formats whose files were already current


def finish_edition(edition: Edition, plan: "Plan", built: list[FormatBuild]) -> BuildResult:
    """Write an edition's new files and manifest, unless a preflight check failed: then write nothing."""
    unchecked = [result.format for result in built if result.checks is None]
    if unchecked:   # a caller that skipped checking.checked: a bug, and nothing unchecked is written
        raise ZineError(f"{unchecked[0]} format", "its files were never checked", "please report it")
    checks = [check for result in built for check in result.checks]
    failed = [check for check in checks if not check.ok]
    if failed:
        summary = "; ".join(f"{c.file} {c.name}: {c.detail}" for c in failed[:3])
        raise ZineError(source_of(edition, failed) or "preflight", f"{len(failed)} check(s) failed ({summary})",
                        "nothing was written; fix the layout or content, then build again")
    files = [file for result in built for file in result.files]
    up_to_date = [name for name in plan.fingerprints if name not in plan.stale]
    if not built:
        return BuildResult(plan.folder, [], None, 0, [], up_to_date)
    record = {result.format: {"fingerprint": plan.fingerprints[result.format], **result.fit,
                              "seconds": result.seconds, "files": [file.name for file in result.files]}
              for result in built}
    written = write_outputs(plan.folder, edition, files, record)
    passes = sum(result.fit["layout_passes"] for result in built)
    return BuildResult(plan.folder, files, written, passes, checks, up_to_date)


QUOTED_TEXT = re.compile(r"'([^'…]{4,})")


def source_of(edition: Edition, failed: list) -> str | None:
    """'en.md:LINE' of the content line holding text a failed check quotes (a word too long to break)."""
    try:
        lines = edition.content.path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    for check in failed:
        for quoted in QUOTED_TEXT.findall(check.detail):
            number = next((n for n, line in enumerate(lines, 1) if quoted in line), None)
            if number:
                return f"{display(edition.content.path)}:{number}"
    return None


def edition_folder(out: Path, edition: Edition) -> Path:
    """`<out>/<content>/<REGION>-<lang>`, with -bleed, -pdfx (which has bleed too) and -grayscale variants
    beside the office edition."""
    options = edition.options
    variants = "".join(f"-{name}" for name in ("bleed", "pdfx", "grayscale")
                       if options.get(name) and not (name == "bleed" and options.get("pdfx")))
    return out / edition.content.slug / f"{edition.slug}{variants}"


def manifest(edition: Edition, files: list[OutputFile], previous: dict | None, record: dict | None = None) -> dict:
    """This build's files, plus earlier entries for other files of the same edition still listed.

    `record` is what the build remembers per format (inputs' fingerprint, fitted size, layout passes)."""
    entries = {entry["file"]: entry for entry in (previous or {}).get("files", [])}
    entries.update((file.name, file.describe()) for file in files)
    formats = {name: entry for name, entry in ((previous or {}).get("build") or {}).get("formats", {}).items()
               if all(listed in entries for listed in entry.get("files", []))}
    formats.update(record or {})
    return {
        "content": edition.content.slug, "region": edition.region.code, "lang": edition.language,
        "paper": edition.paper, "title": edition.content.title,
        "bleed": bool(edition.options.get("bleed")), "grayscale": bool(edition.options.get("grayscale")),
        "pdfx": bool(edition.options.get("pdfx")),
        "files": [entries[name] for name in sorted(entries)],
        "crisis_lines": [{"name": line.name, "checked": line.checked.isoformat(), "source": line.source,
                          "from": line.origin, **({"kind": line.kind} if line.kind else {}),
                          **({"primary": True} if line.primary else {}),
                          **({"confidence": "low"} if line.confidence == "low" else {})}
                         for line in edition.lines],
        "sources": [{"id": s.id, "title": s.title, **({"url": s.url} if s.url else {})}
                    for s in edition.content.sources],
        "translation": edition.content.translation.describe() if edition.content.translation else None,
        "publisher_pages": publisher_record(edition),
        "build": {"zinepress": __version__, "formats": {name: formats[name] for name in sorted(formats)}},
    }


def publisher_record(edition: Edition) -> dict | None:
    """The publisher's pages the edition prints: their pages, sources and translation."""
    pages = edition.publisher_pages
    if pages is None:
        return None
    return {"file": display(pages.path), "pages": [section.heading for section in pages.sections],
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in pages.sources],
            "translation": pages.translation.describe() if pages.translation else None}


def write_outputs(folder: Path, edition: Edition, files: list[OutputFile], record: dict | None = None) -> Path:
    """Write every file and the manifest into the edition folder, all or nothing (atomic.py): a
    failure at any point leaves the folder as it was. Returns the manifest's path."""
    manifest_path = folder / "manifest.json"
    listed = manifest(edition, files, read_previous(manifest_path, edition), record)
    text = json.dumps(listed, indent=2, ensure_ascii=False) + "\n"
    contents = {file.name: file.data for file in files} | {manifest_path.name: text.encode("utf-8")}
    # Files an earlier build made that this manifest no longer lists (another paper, other lines) go:
    # a folder never holds PDFs from two builds. Files zinepress did not make stay.
    dropped = previously_listed(manifest_path) - {entry["file"] for entry in listed["files"]}
    try:
        replace_folder(folder, contents, dropped)
    except OSError as error:
        raise ZineError(display(Path(error.filename or folder)), f"cannot write there ({error.strerror})",
                        "choose another --out folder, or free the space or permission") from None
    return manifest_path


def previously_listed(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["file"] for entry in data["files"] if isinstance(entry.get("file"), str)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def read_previous(path: Path, edition: Edition) -> dict | None:
    """An earlier manifest of this folder, kept only if it describes the same edition (paper, lines,
    sources, options): then the files it lists that this build did not remake still match."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    now = manifest(edition, [], None)
    if any(data.get(key) != now[key] for key in now if key not in ("files", "build")):
        return None
    data["files"] = [entry for entry in data.get("files", []) if (path.parent / entry.get("file", "")).is_file()]
    return data
