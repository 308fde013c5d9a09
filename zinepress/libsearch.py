"""C libraries found as they were last time, for a library that loads them through cffi (WeasyPrint).

WeasyPrint asks cffi for each library it loads (GObject, Pango, HarfBuzz, fontconfig…) under the names
it has on every platform in turn. On Linux the first names fail, and for each cffi calls
`ctypes.util.find_library`, which runs ldconfig, gcc and ld: 22 searches, 0.15 s of every cold start,
a third of importing WeasyPrint. Their answers (a library's file name, or none) are kept (kept.py)
under a key of the dynamic loader's cache and search paths, and given again during the import. They
only name files for the system's loader to open, as the searches would. An answer can only be stale if
a library came or went without ldconfig rewriting its cache; a name then answered "none" falls through
to WeasyPrint's next name for it (on Linux the last is the library's own file name, which the loader
opens directly), and an import that fails with the answers is done again searching as usual. macOS
has no loader cache and its own search paths; the key holds them too."""

import ctypes.util
import importlib
import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, redirect_stdout

from .kept import keep, recall

PURPOSE = "libraries"
LOADER_CACHE = "/etc/ld.so.cache"   # rewritten by ldconfig whenever libraries are installed or removed
# Where the loader, gcc and ld look (and macOS's loader).
SEARCH_PATHS = ("LD_LIBRARY_PATH", "LIBRARY_PATH", "PATH", "DYLD_LIBRARY_PATH", "DYLD_FALLBACK_LIBRARY_PATH")


def loader_key() -> str:
    """What the searches' answers depend on: the platform, the loader's cache and the search paths."""
    try:
        info = os.stat(LOADER_CACHE)
        cache = f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        cache = "none"
    return "\0".join([sys.platform, cache] + [os.environ.get(name, "") for name in SEARCH_PATHS])


@contextmanager
def answering(answers: dict[str, str | None], remembered: dict) -> Iterator[None]:
    """Within the block, `find_library` answers this thread from `remembered` and records every answer it
    gives; another thread (the web page's server imports WeasyPrint while serving) searches as usual."""
    search: Callable[[str], str | None] = ctypes.util.find_library
    importing = threading.get_ident()

    def find_library(name: str) -> str | None:
        if threading.get_ident() != importing:
            return search(name)
        answers[name] = remembered[name] if name in remembered else search(name)
        return answers[name]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = search


def forget_partial_import(package: str) -> None:
    for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
        del sys.modules[name]


def import_remembering(package: str) -> None:
    """Import `package` (once per process) with the remembered answers, keeping any new ones."""
    if package in sys.modules:
        return
    key = loader_key()
    remembered = usable(recall(PURPOSE, key))
    answers: dict[str, str | None] = {}
    try:
        # WeasyPrint prints its advice on installing libraries before failing: only true of a real search.
        with answering(answers, remembered), redirect_stdout(io.StringIO()) if remembered else nullcontext():
            importlib.import_module(package)
    except Exception:   # an OSError, or a wrong library loaded whose functions do not match
        if not remembered:
            raise
        forget_partial_import(package)   # a library moved since: search as usual, and keep those answers
        remembered, answers = {}, {}
        with answering(answers, remembered):
            importlib.import_module(package)
    if answers and answers != remembered:
        keep(PURPOSE, key, answers)


def usable(value: object) -> dict[str, str | None]:
    """A kept value if it is what `answering` records (names to file names or None), else nothing."""
    if isinstance(value, dict) and all(isinstance(name, str) and (found is None or isinstance(found, str))
                                       for name, found in value.items()):
        return value
    return {}
