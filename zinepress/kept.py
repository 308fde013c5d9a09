"""Values worth keeping between runs: data parsed from files that rarely change (a hyphenation pattern
file, the bundled fonts' character maps), which every new process would otherwise parse again.

Each is kept as a pickle in this user's own temporary folder (mode 0700, as Jinja keeps compiled
templates), named by a key that changes with the files and the library that parsed them. A missing,
damaged or unwritable copy only means computing the value as before: never an error. Copies under
keys no longer asked for stay, as Jinja's compiled templates do; a few hundred kilobytes each."""

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from .collector import paused
from .paths import private_folder

T = TypeVar("T")


def kept(purpose: str, key: str, compute: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """The value kept for `key`, or `compute()` (then kept); `valid` says whether a loaded one is usable."""
    value = recall(purpose, key)
    if value is not None and valid(value):
        return value
    value = compute()
    keep(purpose, key, value)
    return value


def recall(purpose: str, key: str) -> object | None:
    """The value kept for `key`, or None when there is none (or it cannot be read)."""
    try:
        return loaded(kept_path(purpose, key).read_bytes())
    except Exception:   # noqa: BLE001 - no folder, missing, or damaged in any way: as if never kept
        return None


def keep(purpose: str, key: str, value: object) -> None:
    """Keep `value` for `key`, whole or not at all (even with two processes writing at once); a folder
    that cannot be written only means it is not kept."""
    try:
        path = kept_path(purpose, key)
    except OSError:
        return
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)


def kept_path(purpose: str, key: str) -> Path:
    return private_folder(purpose) / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.pickle"


def loaded(data: bytes) -> object:
    """Unpickled without the garbage collector: the many new objects would set off full collections,
    which in a process that has imported WeasyPrint cost more than the unpickling itself."""
    with paused():
        return pickle.loads(data)


def files_key(paths: Iterable[Path], *versions: str) -> str:
    """A key that changes when any of the files (its path, size or time) or a version given changes."""
    parts = list(versions)
    for path in paths:
        info = path.stat()
        parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return "\n".join(parts)
