"""Stamps: a build with nothing to do answers from one small file, without loading zinepress's libraries.

When a build succeeds, `write` keeps, under `<out>/.zinepress/stamps/`, what the same command would say
if run again at once ("up to date: ..."), a digest of everything it could have read (the project's
content, layouts, fonts and code, the files it was given from elsewhere, the rendering libraries'
versions) and the digest of every file it wrote. `replay` says that answer only when all of them are as
they were, on the same day (a line's check date can start a warning); otherwise the build runs as usual
and incremental.py decides, format by format, what to rebuild."""

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from .fingerprint import PACKAGE_DIR, code_digest, data_digest, digest, files_digest, tree_digest
from .paths import CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR

STAMPS = Path(".zinepress") / "stamps"
VERSION = 1
# Options that change neither the files nor what a build says about them.
IGNORED = {"jobs", "force", "command"}


def command_key(args: argparse.Namespace) -> str:
    """The command as it was given, where and when: relative paths mean another thing in another folder."""
    given = {name: str(value) for name, value in sorted(vars(args).items()) if name not in IGNORED}
    where = {"cwd": os.getcwd(), "python": sys.executable, "day": dt.date.today().isoformat(),
             "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    return data_digest(json.dumps([given, where], sort_keys=True).encode())[:32]


def stamp_file(args: argparse.Namespace) -> Path:
    return args.out / STAMPS / f"{command_key(args)}.json"


def project_digest() -> str:
    """Every file of the project a build reads, and the code and libraries that render them."""
    return digest([tree_digest(CONTENT_DIR), tree_digest(LAYOUTS_DIR), tree_digest(FONTS_DIR), code_digest()])


def in_project(path: Path) -> bool:
    """Inside the folders `project_digest` covers."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in (CONTENT_DIR, LAYOUTS_DIR, FONTS_DIR, PACKAGE_DIR))


def outside_digest(files: list[str], folders: list[str]) -> str:
    """Files given from outside the project (--contacts, --region FILE, --content PATH) and those folders."""
    present = [Path(name) for name in files if Path(name).is_file()]
    missing = sorted(set(files) - {str(path) for path in present})
    return digest([files_digest(present), *missing, *(tree_digest(Path(folder)) for folder in folders)])


def outputs_digests(paths: list[Path]) -> dict[str, str]:
    return {str(path): data_digest(path.read_bytes()) for path in paths}


def write(args: argparse.Namespace, project: str, files: list[str], folders: list[str],
          outputs: list[Path], present: list[Path], said: tuple[str, str]) -> None:
    """Record a successful build: `outputs` must stay byte for byte as they are, `present` only be there
    (the gallery page, which every other build rewrites). `project` was taken before the build started,
    so an edit made meanwhile does not pass for built. A stamp that cannot be written only costs the
    next build its shortcut."""
    record = {"version": VERSION, "project": project, "files": files, "folders": folders,
              "outside": outside_digest(files, folders), "outputs": outputs_digests(outputs),
              "present": [str(path) for path in present], "stdout": said[0], "stderr": said[1]}
    path = stamp_file(args)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def forget(args: argparse.Namespace) -> None:
    """A failed build leaves no stamp behind for the same command."""
    try:
        stamp_file(args).unlink(missing_ok=True)
    except OSError:
        pass


def replay(args: argparse.Namespace) -> bool:
    """Print what the stamped build said and return True, when nothing it depends on has changed."""
    record = read(stamp_file(args))
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
    keys = {"project", "files", "folders", "outside", "outputs", "present", "stdout", "stderr"}
    return record if isinstance(record, dict) and record.get("version") == VERSION and keys <= set(record) else None


def is_current(record: dict) -> bool:
    try:
        return (all(Path(name).is_file() for name in record["present"])
                and record["project"] == project_digest()
                and record["outside"] == outside_digest(record["files"], record["folders"])
                and outputs_digests([Path(name) for name in record["outputs"]]) == record["outputs"])
    except (OSError, TypeError, ValueError):   # an output gone or unreadable, a stamp edited by hand
        return False
