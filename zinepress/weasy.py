"""WeasyPrint, imported here for every module that uses it: its C libraries are found as they were last
time (libsearch.py), which takes a third off importing it, and two fontTools modules it imports for
cases a build never meets are loaded only if they are used (deferred.py)."""

from .deferred import deferred
from .libsearch import import_remembering

with deferred():   # fontTools modules a build does not use, loaded if ever used
    import_remembering("weasyprint")

# What zinepress uses of WeasyPrint.
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.formatting_structure.boxes import Box, MarginBox  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402
import weasyprint.layout as weasyprint_layout  # noqa: E402

from . import weasy_arrays, weasy_columns  # noqa: E402,F401  (faster, and the same output: see each)

__all__ = ["CSS", "HTML", "Box", "Document", "MarginBox", "FontConfiguration", "FatalURLFetchingError", "URLFetcher",
           "weasyprint_layout", "font_files_folder", "font_configuration"]


def font_files_folder(fonts: FontConfiguration):
    """The temporary folder where a font configuration keeps its copies of the @font-face fonts (2.7 MB for
    the bundled ones), or None before the first. Private: WeasyPrint 70 removes it only when the
    configuration is finalized, which a pool worker ending with os._exit never does;
    tests/test_font_files.py fails if WeasyPrint stops keeping it there."""
    return getattr(fonts, "_folder", None)


def font_configuration(folder) -> FontConfiguration:
    """A font configuration that keeps its copies of the fonts in `folder` (a Path), which it removes when
    it is finalized, rather than in a temporary folder of its own naming (the same private attribute)."""
    fonts = FontConfiguration()
    fonts._folder = folder
    return fonts
