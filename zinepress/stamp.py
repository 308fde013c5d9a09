"""Stamps: a build with nothing to do answers from one small file, without loading zinepress's libraries.

When a build succeeds, `write` keeps, under `<out>/.zinepress/stamps/`, what the same command would say
if run again at once ("up to date: ..."), a digest of everything it could have read (the project's
content, layouts, fonts and code, the files and folder it was given from elsewhere, the rendering
libraries' versions) and the digest of every file it wrote. `replay` says that answer only when all of
them are as they were, on the same day (a line's check date can start a warning); otherwise the build
runs as usual and incremental.py decides, format by format, what to rebuild.

The digests of what a build reads are taken before it starts, so a file edited while it runs is not
stamped as built."""

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .fingerprint import PACKAGE_DIR, code_digest, data_digest, digest, file_digest, tree_digest
from .paths import CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR, is_folder_path, is_region_path

STAMPS = Path(".zinepress") / "stamps"
VERSION = 2
# Options that change neither the files nor what a build says about them.
IGNORED = {"jobs", "force", "command"}
# The trees project_digest reads, and which of their files (tree_digest leaves out dotfiles and caches).
TREES = ((CONTENT_DIR, None), (LAYOUTS_DIR, None), (FONTS_DIR, None), (PACKAGE_DIR / "templates", None),
         (PACKAGE_DIR, ".py"))


@dataclass(frozen=True)
class Inputs:
    """What a build reads, digested before it starts: the project, and what it was given from elsewhere."""
    project: str
    files: tuple[str, ...]      # as given (made absolute, links not followed: a relinked file is another)
    folders: tuple[str, ...]
    outside: str


def command_key(args: argparse.Namespace) -> str:
    """The command as it was given, where and when: relative paths mean another thing in another folder."""
    given = {name: str(value) for name, value in sorted(vars(args).items()) if name not in IGNORED}
    where = {"cwd": os.getcwd(), "python": sys.executable, "day": dt.date.today().isoformat(),
             "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
             "home": os.environ.get("HOME")}   # --content ~/zine is another folder for another user
    return data_digest(json.dumps([given, where], sort_keys=True).encode())[:32]


def stamp_file(out: Path, key: str) -> Path:
    return out / STAMPS / f"{key}.json"


def project_digest() -> str:
    """Every file of the project a build reads, and the code and libraries that render them."""
    # The gallery's templates too: a build rewrites index.html, which a replay would leave as it is.
    return digest([*(tree_digest(tree) for tree, suffix in TREES if suffix is None), code_digest()])


def linked_folder(folders: list[Path]) -> bool:
    """Whether a folder holds a link to another folder: the digests do not follow one (and a link can be
    pointed elsewhere), so such a build is not stamped."""
    for folder in folders:
        for root, names, _ in os.walk(folder):
            if any((Path(root) / name).is_symlink() for name in names):
                return True
    return False


def covered(path: Path) -> bool:
    """Whether project_digest reads this file."""
    resolved = path.resolve()
    for tree, suffix in TREES:
        if resolved.is_relative_to(tree):
            return (not resolved.name.startswith(".") and "__pycache__" not in resolved.parts
                    and suffix in (None, resolved.suffix))
    return False


def given_inputs(args: argparse.Namespace) -> Inputs:
    """Digest what the command names now, before anything is read: --contacts, a --region file, and a
    --content folder, where the project's own digest does not already cover them."""
    files = [Path(args.contacts)] if args.contacts else []
    files += [Path(value) for value in str(args.region).split(",") if is_region_path(value)]
    folders = [expanded(Path(args.content))] if is_folder_path(str(args.content)) else []
    # Every one, inside the project or not: a link given by name may be pointed at another file.
    given_files = tuple(str(path.absolute()) for path in files)
    given_folders = tuple(str(path.absolute()) for path in folders)
    return Inputs(project_digest(), given_files, given_folders, outside_digest(given_files, given_folders))


def expanded(path: Path) -> Path:
    try:
        return path.expanduser()
    except RuntimeError:   # '~user' with no such user: the build says so
        return path


def outside_digest(files: tuple[str, ...], folders: tuple[str, ...]) -> str:
    """Each file and folder by the name given, the one it resolves to, and its contents; "linked" when a
    folder holds a link to another folder (see linked_folder)."""
    if linked_folder([*(tree for tree, _ in TREES), *map(Path, folders)]):
        return "linked"
    parts = [f"{name}\0{Path(name).resolve()}\0{file_digest(Path(name)) if Path(name).is_file() else 'missing'}"
             for name in files]
    parts += [f"{name}\0{Path(name).resolve()}\0{tree_digest(Path(name))}" for name in folders]
    return digest(parts)


def holds(inputs: Inputs, path: Path) -> bool:
    """Whether the digests taken before the build cover this file it read."""
    absolute = path.absolute()
    return (covered(path) or str(absolute) in inputs.files
            or any(absolute.is_relative_to(folder) or path.resolve().is_relative_to(Path(folder).resolve())
                   for folder in inputs.folders))


def outputs_digests(paths: list[Path]) -> dict[str, str]:
    return {str(path): data_digest(path.read_bytes()) for path in paths}


def write(out: Path, key: str, inputs: Inputs, outputs: list[Path], present: list[Path],
          said: tuple[str, str]) -> None:
    """Record a successful build: `outputs` must stay byte for byte as they are, `present` only be there
    (the gallery page, which every other build rewrites). A stamp that cannot be written only costs the
    next build its shortcut."""
    if inputs.outside == "linked":
        return
    record = {"version": VERSION, "project": inputs.project, "files": inputs.files, "folders": inputs.folders,
              "outside": inputs.outside, "outputs": outputs_digests(outputs),
              "present": [str(path) for path in present], "stdout": said[0], "stderr": said[1]}
    path = stamp_file(out, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def forget(out: Path, key: str) -> None:
    """A build that is not answered from its stamp leaves none behind until it succeeds."""
    try:
        stamp_file(out, key).unlink(missing_ok=True)
    except OSError:
        pass


def replay(args: argparse.Namespace) -> bool:
    """Print what the stamped build said and return True, when nothing it depends on has changed."""
    record = read(stamp_file(args.out, command_key(args)))
    if record is None or not is_current(record):
        return False
    sys.stderr.write(record["stderr"])   # the notes came first
    sys.stderr.flush()
    sys.stdout.write(record["stdout"])
    return True


def read(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    types = {"project": str, "files": list, "folders": list, "outside": str, "outputs": dict, "present": list,
             "stdout": str, "stderr": str}
    if not (isinstance(record, dict) and record.get("version") == VERSION
            and all(isinstance(record.get(key), kind) for key, kind in types.items()) and record["outputs"]):
        return None   # written by another version, or changed by hand: the build checks for itself
    return record


def is_current(record: dict) -> bool:
    try:
        return (all(Path(name).is_file() for name in record["present"])
                and record["project"] == project_digest()
                and record["outside"] == outside_digest(tuple(record["files"]), tuple(record["folders"]))
                and outputs_digests([Path(name) for name in record["outputs"]]) == record["outputs"])
    except (OSError, TypeError, ValueError):   # an output gone or unreadable, a stamp edited by hand
        return False
