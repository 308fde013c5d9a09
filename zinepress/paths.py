"""Where the project's folders are, and safe resolution of names given on the command line."""

import os
import tempfile
from pathlib import Path

from .errors import UsageError, ZineError

DEFAULT_CONTENT, DEFAULT_REGION = "unpacking-self-harm", "US"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
LAYOUTS_DIR = PROJECT_ROOT / "layouts"
FONTS_DIR = PROJECT_ROOT / "fonts"
CRISIS_LINES_DIR = CONTENT_DIR / "crisis-lines"
STRINGS_DIR = CONTENT_DIR / "strings"
# Folders under content/ that hold shared data, not a zine.
DATA_FOLDERS = {"crisis-lines", "strings"}


def display(path: Path) -> str:
    """A path as users should read it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def is_region_path(value: str) -> bool:
    """`--region` names a file (a group's own region) rather than a bundled region's code."""
    return "/" in value or "\\" in value or value.lower().endswith((".yaml", ".yml"))


def is_folder_path(name_or_path: str) -> bool:
    """`--content` names a folder by path rather than one under content/ by name."""
    return "/" in name_or_path or name_or_path.startswith((".", "~"))


def safe_name(name: str, what: str) -> str:
    """Refuse a name (region, language, format) that could point outside its folder."""
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise UsageError(f"--{what} {name!r}: use letters, digits, '-' and '_' only")
    return name


def content_folder(name_or_path: str) -> Path:
    """A content folder: a plain name under content/, or a path to a folder anywhere."""
    if is_folder_path(name_or_path):
        try:
            folder = Path(name_or_path).expanduser().resolve()
        except (RuntimeError, OSError):   # '~user' with no such user, or no home folder
            raise UsageError(f"--content {name_or_path}: cannot find that folder; give its full path") from None
    else:
        safe_name(name_or_path, "content")
        folder = CONTENT_DIR / name_or_path
    if not folder.is_dir() or folder.name in DATA_FOLDERS and folder.parent == CONTENT_DIR:
        raise ZineError(f"--content {name_or_path}", "no such content folder",
                        "'python make_zine.py list' shows the contents")
    return folder


def private_folder(purpose: str) -> Path:
    """This user's own folder (mode 0700) in the temporary directory, kept between runs: like the one
    Jinja keeps compiled templates in. An OSError when it exists but is not theirs alone."""
    folder = Path(tempfile.gettempdir()) / f"zinepress-{purpose}-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(f"{folder} is not this user's own folder; remove it")
    return folder
