"""Hyphenation patterns kept parsed between runs.

WeasyPrint hyphenates with Pyphen, which parses a language's pattern file in every new process (0.09 s
for English, paid by each batch worker on its first layout). The parsed patterns are kept, as a pickle
named by Pyphen's version and the file's size and time, in this user's own temporary folder (as Jinja
keeps compiled templates), and put in Pyphen's cache of parsed files (`pyphen.hdcache`, by path) before
the first layout. A missing, damaged or unwritable kept copy only means parsing the file as before."""

import hashlib
import os
import pickle
from pathlib import Path

import pyphen

from .paths import private_folder


def preload(language: str) -> None:
    """Have the patterns for `language` (as WeasyPrint will ask for them) parsed in this process."""
    found = pyphen.language_fallback(language.replace("-", "_"))
    parsed = getattr(pyphen, "hdcache", None)   # tests/test_hyphenation.py fails loudly if this changes
    if found is None or not isinstance(parsed, dict):
        return
    path = Path(pyphen.LANGUAGES[found])
    if path not in parsed:
        parsed[path] = kept_patterns(path)


def kept_patterns(path: Path) -> pyphen.HyphDict:
    try:
        kept = kept_file(path)
    except OSError:   # no private folder to keep it in
        return pyphen.HyphDict(path)
    try:
        patterns = pickle.loads(kept.read_bytes())
        if isinstance(patterns, pyphen.HyphDict):
            return patterns
    except Exception:   # noqa: BLE001 - missing, or damaged in any way: parse the file again
        pass
    patterns = pyphen.HyphDict(path)
    try:
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(patterns, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(kept)   # whole or not at all, even with two processes writing at once
    except OSError:
        pass
    return patterns


def kept_file(path: Path) -> Path:
    """Where the parsed patterns of this pattern file, as this Pyphen parses it, are kept."""
    info = path.stat()
    key = f"{getattr(pyphen, '__version__', '?')}\0{path}\0{info.st_size}\0{info.st_mtime_ns}"
    return private_folder("hyphenation") / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.pickle"
