"""All-or-nothing edition folders: the new folder is built beside the old one, then swapped in.

Renaming file by file can fail halfway (a full disk, an immutable file) and leave new PDFs beside an old
manifest. Instead every file, the kept ones included (hard links, so nothing is copied), goes into a
hidden staging folder; two renames then retire the old folder and put the new one in its place, and a
failure between them puts the old one back. Leftovers of a killed build are swept by the next."""

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

STAGING, RETIRED = "staging", "retired"
STALE_AFTER = 600   # seconds: a staging folder this old belongs to no running build


def replace_folder(folder: Path, contents: Mapping[str, bytes], dropped: Iterable[str] = ()) -> None:
    """Make `folder` hold its present files, less `dropped`, with `contents` (name -> bytes) written
    over them, or, if anything fails (Ctrl-C included), leave it exactly as it was."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotADirectoryError(errno.ENOTDIR, "a file or link where the edition folder goes", str(folder))
    sweep(folder)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.{STAGING}."))
    try:
        carry_over(folder, staging, set(contents) | set(dropped))
        for name, data in contents.items():
            write_file(staging / name, data)
        os.chmod(staging, 0o777 & ~current_umask())
        swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def carry_over(folder: Path, staging: Path, replaced: set[str]) -> None:
    """Link every entry of `folder` that is not being replaced (or dropped) into `staging`."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name in replaced:
            if entry.is_dir():
                raise IsADirectoryError(errno.EISDIR, "in the way of an output file", str(entry))
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, staging / entry.name, symlinks=True, copy_function=link_or_copy)
        else:
            link_or_copy(entry, staging / entry.name)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def write_file(path: Path, data: bytes) -> None:
    """Write and flush to disk, readable as the user's umask allows."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o666 & ~current_umask())


def swap_in(staging: Path, folder: Path) -> None:
    if not folder.exists():
        os.replace(staging, folder)
        return
    retired = folder.with_name(f".{folder.name}.{RETIRED}.{os.getpid()}.{time.time_ns()}")
    os.replace(folder, retired)
    try:
        os.replace(staging, folder)
    except BaseException:
        os.replace(retired, folder)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def sweep(folder: Path) -> None:
    """Remove what killed builds left beside `folder`; a retired copy whose folder is gone (killed
    between the two renames) is put back first."""
    for leftover in sorted(folder.parent.glob(f".{folder.name}.{RETIRED}.*")):
        if not folder.exists():
            os.replace(leftover, folder)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in folder.parent.glob(f".{folder.name}.{STAGING}.*"):
        if time.time() - leftover.stat().st_mtime > STALE_AFTER:
            shutil.rmtree(leftover, ignore_errors=True)


def current_umask() -> int:
    """The process's umask, read from /proc where it can be: setting it to read it (the fallback) would
    briefly make files of other threads (the web app's) world-writable."""
    try:
        for row in open("/proc/self/status", encoding="ascii"):
            if row.startswith("Umask:"):
                return int(row.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask
