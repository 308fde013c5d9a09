"""The fonts and parsed stylesheets that every edition's layouts share within one process."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from .weasy import CSS, FontConfiguration


@dataclass
class Styles:
    """The bundled fonts and the parsed stylesheets, the same files for every edition: shared by all the
    layouters of a process, so a worker that moves from one edition to the next in a batch does not load
    the fonts and parse the sheets again. Each batch starts afresh (forget_styles), and a sheet whose
    file changed is parsed again (drop_changed, when a layouter is made)."""
    fonts: FontConfiguration = field(default_factory=FontConfiguration)
    sheets: dict[str, tuple[bytes, CSS]] = field(default_factory=dict)   # URL -> (the file's text, parsed)

    def drop_changed(self) -> None:
        """Forget the parsed sheets whose files no longer hold the text they were parsed from."""
        for url, (text, _) in list(self.sheets.items()):
            if sheet_text(url) != text:
                del self.sheets[url]


_styles: list[Styles] = []   # this process's, made on first use


def shared_styles() -> Styles:
    if not _styles:
        _styles.append(Styles())
    return _styles[0]


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
