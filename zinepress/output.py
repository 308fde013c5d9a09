"""Writing outputs: atomic files and the manifest that describes them."""

import json
import os
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from .edition import Edition


@dataclass(frozen=True)
class OutputFile:
    name: str           # e.g. booklet.pdf
    format: str
    kind: str           # print: the file you print; read: pages in reading order, for screens
    data: bytes
    body_size: float | None = None
    compact: bool = False
    ink: dict | None = None       # toner use per page (Ghostscript inkcov), print files only

    def describe(self) -> dict:
        """The manifest entry, measured from the PDF itself."""
        reader = PdfReader(BytesIO(self.data))
        page = reader.pages[0]
        trim, media = page.trimbox, page.mediabox   # the trim box is the media box without bleed
        entry = {"file": self.name, "format": self.format, "kind": self.kind, "pages": len(reader.pages),
                 "page_size": [round(float(trim.width), 2), round(float(trim.height), 2)]}
        if "/TrimBox" in page and (trim.width, trim.height) != (media.width, media.height):
            entry["media_size"] = [round(float(media.width), 2), round(float(media.height), 2)]
        if self.ink is not None:
            entry["ink_coverage"] = self.ink
        if self.body_size is not None:
            entry.update(body_size=self.body_size, text="compact" if self.compact else "full")
        return entry


def edition_folder(out: Path, edition: Edition) -> Path:
    """`<out>/<content>/<REGION>-<lang>`, with -bleed and -grayscale variants beside the office edition."""
    variants = "".join(f"-{name}" for name in ("bleed", "grayscale") if edition.options.get(name))
    return out / edition.content.slug / f"{edition.slug}{variants}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def manifest(edition: Edition, files: list[OutputFile], previous: dict | None) -> dict:
    """This build's files, plus earlier entries for other files of the same edition still listed."""
    entries = {entry["file"]: entry for entry in (previous or {}).get("files", [])}
    entries.update((file.name, file.describe()) for file in files)
    return {
        "content": edition.content.slug, "region": edition.region.code, "lang": edition.language,
        "paper": edition.paper, "title": edition.content.title,
        "bleed": bool(edition.options.get("bleed")), "grayscale": bool(edition.options.get("grayscale")),
        "files": [entries[name] for name in sorted(entries)],
        "crisis_lines": [{"name": line.name, "checked": line.checked.isoformat(), "source": line.source,
                          "from": line.origin} for line in edition.lines],
        "sources": [{"id": s.id, "title": s.title, **({"url": s.url} if s.url else {})}
                    for s in edition.content.sources],
    }


def write_outputs(folder: Path, edition: Edition, files: list[OutputFile]) -> Path:
    """Write every file, then the manifest; returns the manifest's path."""
    manifest_path = folder / "manifest.json"
    previous = read_previous(manifest_path, edition)
    for file in files:
        write_atomically(folder / file.name, file.data)
    text = json.dumps(manifest(edition, files, previous), indent=2, ensure_ascii=False) + "\n"
    write_atomically(manifest_path, text.encode("utf-8"))
    return manifest_path


def read_previous(path: Path, edition: Edition) -> dict | None:
    """An earlier manifest of this folder, kept only if it was for the same paper and still readable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("paper") != edition.paper:
        return None
    data["files"] = [entry for entry in data.get("files", []) if (path.parent / entry.get("file", "")).is_file()]
    return data
