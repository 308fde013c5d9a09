"""The fonts and parsed stylesheets that every edition's layouts share within one process."""

import os
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import fontfiles
from .ending import when_process_ends
from .weasy import CSS, FontConfiguration, font_configuration, font_files_folder


@dataclass
class Styles:
    """The bundled fonts and the parsed stylesheets, the same files for every edition: shared by all the
    layouters of a process, so a worker that moves from one edition to the next in a batch does not load
    the fonts and parse the sheets again. Each batch starts afresh (forget_styles), and a sheet whose
    file changed is parsed again (drop_changed, when a layouter is made)."""
    fonts: FontConfiguration = field(default_factory=lambda: font_configuration(fontfiles.new_folder()))
    sheets: dict[str, tuple[bytes, CSS]] = field(default_factory=dict)   # URL -> (the file's text, parsed)

    def drop_changed(self) -> None:
        """Forget the parsed sheets whose files no longer hold the text they were parsed from."""
        for url, (text, _) in list(self.sheets.items()):
            if sheet_text(url) != text:
                del self.sheets[url]


_styles: list[Styles] = []   # this process's, made on first use
# The font configurations this process made (process id, configuration): what remove_font_files removes.
_made: list[tuple[int, weakref.ref]] = []


def shared_styles() -> Styles:
    if not _styles:
        styles = Styles()
        _made.append((os.getpid(), weakref.ref(styles.fonts)))
        when_process_ends("font files", remove_font_files)
        _styles.append(styles)
    return _styles[0]


def remove_font_files() -> None:
    """Remove the copies of the fonts that this process's font configurations still hold (fontfiles.py).
    Run as the process ends."""
    for pid, made in _made:
        folder = font_files_folder(made()) if pid == os.getpid() and made() is not None else None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def forget_styles() -> None:
    """Start the next layouter with fonts and sheets of its own: a long-lived process (the web page's
    server) would otherwise keep fonts loaded before a font file was replaced."""
    _styles.clear()


def sheet_text(url: str) -> bytes | None:
    """A stylesheet's bytes, which tell an edited one from the one parsed (None: not a readable file)."""
    try:
        return Path(unquote(urlparse(url).path)).read_bytes()
    except OSError:
        return None
