"""Fingerprints of a build's inputs, so that a build whose inputs have not changed writes nothing.

Each format's fingerprint covers what can change its files: the edition's inputs (content, crisis lines,
contacts, strings), the fonts, the shared layout files and the format's own folder, the options, and the
code that renders (zinepress's own source and WeasyPrint's version). A changed crisis line therefore
rebuilds every format; a changed layout only its own."""

import hashlib
import json
import os
import platform
from collections.abc import Iterable
from functools import lru_cache
from importlib import util
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import FONTS_DIR, LAYOUTS_DIR, PROJECT_ROOT

if TYPE_CHECKING:   # a type only: stamp.py uses this module without loading editions
    from .edition import Edition

PACKAGE_DIR = Path(__file__).resolve().parent
SHARED_LAYOUT = LAYOUTS_DIR / "_shared"
# The libraries whose version can change a build's pages or words: module -> distribution (its dist-info).
RENDERING_LIBRARIES = {
    "weasyprint": "weasyprint", "pydyf": "pydyf", "tinycss2": "tinycss2", "cssselect2": "cssselect2",
    "tinyhtml5": "tinyhtml5", "fontTools": "fonttools", "pyphen": "pyphen", "pikepdf": "pikepdf",
    "pypdfium2": "pypdfium2", "PIL": "pillow", "jinja2": "jinja2", "segno": "segno",
    "phonenumbers": "phonenumbers", "babel": "babel", "markdown_it": "markdown_it_py",
    "mdit_py_plugins": "mdit_py_plugins", "mdurl": "mdurl", "yaml": "pyyaml", "markupsafe": "markupsafe",
}


def format_fingerprints(edition: "Edition", formats: Iterable[str], with_guide: bool) -> dict[str, str]:
    """format name -> a hex digest of everything that goes into that format's files."""
    common = digest([files_digest(edition.inputs), tree_digest(FONTS_DIR), tree_digest(SHARED_LAYOUT),
                     code_digest(), options_digest(edition, with_guide)])
    return {name: digest([common, tree_digest(LAYOUTS_DIR / name)]) for name in formats}


def options_digest(edition: "Edition", with_guide: bool) -> str:
    options = {"paper": edition.paper, "language": edition.language, "with_guide": with_guide,
               # a fixed SOURCE_DATE_EPOCH sets the PDFs' dates (reproducible.py)
               "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
               **{key: edition.options[key] for key in sorted(edition.options)}}
    return digest([json.dumps(options, sort_keys=True, default=str)])


@lru_cache(maxsize=1)
def code_digest() -> str:
    """zinepress's source (a development checkout changes without a version bump) and the versions of
    the libraries that shape the bytes."""
    return digest([tree_digest(PACKAGE_DIR, "*.py"), platform.python_version(),
                   *(library_version(module, name) for module, name in RENDERING_LIBRARIES.items())])


def library_version(module: str, distribution: str) -> str:
    """A library's installed version, from its dist-info folder's name (found, not imported: importing
    WeasyPrint takes most of a second, importlib.metadata a tenth); else a digest of its __init__."""
    spec = util.find_spec(module)
    if spec is None or not spec.origin:
        return f"{module} absent"
    site = Path(spec.origin).parent.parent
    # <name>-<version>.dist-info, the name as written (PyYAML) or normalised (pyyaml)
    found = [name for name in folder_names(site)
             if name.endswith(".dist-info") and name.split("-", 1)[0].lower() == distribution]
    return " ".join(found) if found else f"{module} {file_digest(Path(spec.origin))}"


@lru_cache(maxsize=8)
def folder_names(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()


def tree_digest(folder: Path, pattern: str = "*") -> str:
    paths = [path for path in sorted(folder.rglob(pattern))
             if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")]
    return files_digest(paths)


def files_digest(paths: Iterable[Path]) -> str:
    """Names and contents: a renamed or moved file changes the digest too."""
    return digest(f"{label(path)}\0{file_digest(path)}" for path in paths)


def label(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else str(resolved)


def file_digest(path: Path) -> str:
    stat = path.stat()
    return cached_file_digest(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def cached_file_digest(path: Path, mtime_ns: int, size: int) -> str:
    """Cached by modification time and size: a batch of editions hashes the fonts once."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest(parts: Iterable[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\n")
    return hasher.hexdigest()


def data_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
