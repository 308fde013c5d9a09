"""The gallery: every edition in an output folder, each print file with a thumbnail, the date its lines
were checked and its toner use. Written as a static `index.html` in the output folder at the end of every
build (so it opens without a server), and shown by the web app from the same template.

Only what manifests list is shown: a manifest names its files, and a name that is not a plain PDF file
name (a path, a hidden file) is ignored, so a hand-edited manifest cannot point anywhere else."""

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .output import OutputFile

MANIFEST, INDEX = "manifest.json", "index.html"
WEB = "web"                  # builds made in the browser: <out>/web/<build-id>/<content>/<edition>/
THUMBNAILS = "gallery"       # <out>/gallery/<sha256 of the PDF>.png
THUMBNAIL_BOX = (200, 200)   # pixels
TEMPLATES = Path(__file__).resolve().parent / "templates"
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.pdf")
SHA256 = re.compile(r"[0-9a-f]{64}")
SIGNATURE = re.compile(r"<!-- zinepress gallery ([0-9a-f]{64}) -->")


@dataclass(frozen=True)
class ListedFile:
    name: str
    format: str
    kind: str                  # print, read or guide
    pages: int
    sha256: str | None
    toner: float | None        # mean % of the page, all toners together (print files)


@dataclass(frozen=True)
class GalleryEdition:
    key: str                   # the folder under the output folder, with '/': "unpacking-self-harm/US-en"
    folder: Path
    title: str
    region: str
    lang: str
    paper: str
    variants: tuple[str, ...]  # bleed, grayscale
    checked: str | None        # the oldest check of its lines (YYYY-MM-DD)
    files: tuple[ListedFile, ...]
    build: str | None = None   # the web build it came from

    @property
    def print_files(self) -> list[ListedFile]:
        return [file for file in self.files if file.kind == "print"]

    @property
    def zip_name(self) -> str:
        return f"{self.folder.parent.name}-{self.folder.name}.zip"

    def file(self, name: str) -> ListedFile | None:
        return next((file for file in self.files if file.name == name), None)


def find_editions(out: Path) -> list[GalleryEdition]:
    """The editions built with the command line (sorted), then those built in the browser (newest first)."""
    found = sorted(out.glob(f"*/*/{MANIFEST}")) + sorted(out.glob(f"{WEB}/*/*/*/{MANIFEST}"), reverse=True)
    editions = []
    for path in found:
        relative = path.parent.relative_to(out).parts
        if any(part.startswith(".") for part in relative) or (len(relative) == 2 and relative[0] == WEB):
            continue   # staging folders of a build under way, and web build folders themselves
        edition = read_edition(out, path, relative)
        if edition:
            editions.append(edition)
    return editions


def read_edition(out: Path, path: Path, relative: tuple[str, ...]) -> GalleryEdition | None:
    """An edition from its manifest; None when the manifest is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = tuple(file for file in map(listed_file, data.get("files") or []) if file)
        checks = [line.get("checked") for line in data.get("crisis_lines") or [] if isinstance(line, dict)]
        checks = [check for check in checks if isinstance(check, str)]
        return GalleryEdition(
            key="/".join(relative), folder=path.parent, title=str(data.get("title") or relative[-2]),
            region=str(data.get("region", "")), lang=str(data.get("lang", "")), paper=str(data.get("paper", "")),
            variants=tuple(name for name in ("bleed", "grayscale") if data.get(name) is True),
            checked=min(checks) if checks else None, files=files,
            build=relative[1] if relative[0] == WEB and len(relative) == 4 else None)
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def listed_file(entry: object) -> ListedFile | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not FILE_NAME.fullmatch(entry["file"]):
        return None
    ink = entry.get("ink_coverage")
    toner = ink.get("total") if isinstance(ink, dict) else None
    sha = entry.get("sha256")
    pages = entry.get("pages")
    return ListedFile(entry["file"], str(entry.get("format", "")), str(entry.get("kind", "")),
                      pages if isinstance(pages, int) else 0,
                      sha if isinstance(sha, str) and SHA256.fullmatch(sha) else None,
                      float(toner) if isinstance(toner, (int, float)) else None)


def find_file(out: Path, key: str, name: str) -> tuple[GalleryEdition, ListedFile, Path] | None:
    """The listed file `name` of the edition at `key`, if a manifest lists it and it is a regular file
    inside the output folder; else None. URL parts are only compared, never joined into a path."""
    edition = next((edition for edition in find_editions(out) if edition.key == key), None)
    file = edition.file(name) if edition else None
    if file is None:
        return None
    path = edition.folder / file.name
    if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(out.resolve()):
        return None
    return edition, file, path


def thumbnail(out: Path, edition: GalleryEdition, file: ListedFile) -> Path | None:
    """The thumbnail of a print file's first page (made once per file content); None if the file is
    missing or no longer the one its manifest describes."""
    target = thumbnail_path(out, file)
    if target is None or target.is_file():
        return target
    try:
        data = (edition.folder / file.name).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != file.sha256:
        return None
    return target if draw_thumbnail(target, data) else None


def draw_thumbnails(out: Path, files: Iterable["OutputFile"]) -> None:
    """Draw built print files' thumbnails while the build goes on (it hands over each format whose files
    passed their checks), so the gallery written at its end has only the last format's to draw. Named by
    SHA-256 as write_index looks for them: one of a file that is then not written is pruned there. One
    that cannot be drawn or written here is left to write_index, which says why."""
    for file in files:
        target = thumbnail_named(out, file.measured["sha256"]) if file.measured else None
        if file.kind == "print" and target is not None and not target.is_file():
            try:
                draw_thumbnail(target, file.data)
            except Exception:   # noqa: BLE001 - a thumbnail never fails the build it shows
                return


def draw_thumbnail(target: Path, pdf: bytes) -> bool:
    """Draw the PDF's first page at thumbnail size into `target`; False when it has no page."""
    from .pageimages import page_images  # PDFium: only when a thumbnail is missing

    images = page_images(pdf, THUMBNAIL_BOX, first_only=True)
    if images:
        write_atomic(target, images[0].png)
    return bool(images)


def thumbnail_path(out: Path, file: ListedFile) -> Path | None:
    """Where a print file's thumbnail is kept: named by the file's SHA-256, so a changed file gets a new one."""
    return thumbnail_named(out, file.sha256) if file.sha256 else None


def thumbnail_named(out: Path, sha256: str) -> Path:
    return out / THUMBNAILS / f"{sha256}.png"


@dataclass(frozen=True)
class Links:
    """Where the gallery's links point: relative files for the static page, the server's routes for the app."""
    file: Callable[[GalleryEdition, ListedFile], str]
    thumbnail: Callable[[GalleryEdition, ListedFile], str | None]
    zip: Callable[[GalleryEdition], str] | None = None
    stylesheet: str | None = None    # None: the style is written into the page


def static_links(out: Path) -> Links:
    def thumb(edition: GalleryEdition, file: ListedFile) -> str | None:
        made = thumbnail(out, edition, file)
        return f"{THUMBNAILS}/{made.name}" if made else None

    return Links(file=lambda edition, file: f"{quote(edition.key)}/{quote(file.name)}", thumbnail=thumb)


def render(editions: list[GalleryEdition], links: Links) -> str:
    """The gallery page's HTML."""
    import jinja2  # only when the gallery changed: an up-to-date build stays quick

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    css = None if links.stylesheet else (TEMPLATES / "gallery.css").read_text(encoding="utf-8")
    return environment.get_template("gallery.html.j2").render(
        shell=[e for e in editions if not e.build], browser=[e for e in editions if e.build], links=links, css=css)


def write_index(out: Path) -> Path | None:
    """Write `<out>/index.html` unless the editions are as when it was last written. None: nothing built."""
    if not out.is_dir():
        return None
    editions = find_editions(out)
    signature = signature_of(out)
    index = out / INDEX
    try:
        written = SIGNATURE.search(index.read_text(encoding="utf-8")[:200])
    except (OSError, ValueError):
        written = None
    if not (written and written[1] == signature):
        html = render(editions, static_links(out))
        write_atomic(index, f"<!-- zinepress gallery {signature} -->\n{html}".encode())
    # also when the page is as it was: a failed build's formats may have left thumbnails (draw_thumbnails)
    prune_thumbnails(out, {file.sha256 for edition in editions for file in edition.print_files})
    return index


def signature_of(out: Path) -> str:
    """What the index depends on: each manifest's path, size and modification time, and the template."""
    manifests = sorted(out.glob(f"*/*/{MANIFEST}")) + sorted(out.glob(f"{WEB}/*/*/*/{MANIFEST}"))
    hasher = hashlib.sha256()
    for path in [*manifests, *sorted(TEMPLATES.glob("gallery.*"))]:
        try:
            stat = path.stat()
        except OSError:
            continue
        hasher.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def prune_thumbnails(out: Path, kept: set[str | None]) -> None:
    """Remove thumbnails of files no manifest lists any more (only the gallery's own `<sha256>.png`)."""
    for path in (out / THUMBNAILS).glob("*.png"):
        if SHA256.fullmatch(path.stem) and path.stem not in kept:
            path.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside and rename: a reader never sees half a file, and two writers never mix theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
