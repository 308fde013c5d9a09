"""HTML for one format of an edition, from the format's Jinja2 template."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.core import Locale
import jinja2
from jinja2 import (BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    select_autoescape)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .edition import Edition
from .formats import Format
from .placement import place, tab_lines, tabs_cycle
from .paths import LAYOUTS_DIR
from .qr import FILTERS as QR_FILTERS


@dataclass(frozen=True)
class PageSetup:
    """What varies between layout passes of one format."""
    body_size: float
    pad_pages: int = 0
    compact: bool = False


NUMBER_SLOT = "\x00"  # where a label such as "Text {keyword} to {number}" takes the number's markup


def environment(fmt: Format) -> Environment:
    return environment_for(fmt.folder)


@lru_cache(maxsize=None)
def environment_for(folder: Path) -> Environment:
    """One environment per layout folder, so each template is compiled once per process, not once per
    layout pass (Jinja still reloads a template whose file changed)."""
    # Templates come from the format's folder first, then the shared partials.
    env = Environment(loader=FileSystemLoader([folder, LAYOUTS_DIR / "_shared"]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=compiled_templates())
    env.filters.update(bare_url=bare_url, language_name=language_name, replace_number=replace_number)
    env.filters.update(QR_FILTERS)
    env.globals["slot"] = NUMBER_SLOT
    return env


class CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept between runs, as Python keeps __pycache__: compiling a format's templates
    takes a tenth of a second in every process. Jinja checks each file's source against its checksum,
    but not the environment that compiled it (its options, filters, Jinja's own version): the files'
    names carry a digest of those (`compiled_templates`). A cache that cannot be read or written is
    passed over, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:   # a damaged file (pickle, marshal): compile the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=None)
def compiled_templates() -> BytecodeCache | None:
    """Jinja's own per-user folder in the temporary directory (private, mode 0700), when it is safe; the
    files named by what compiles them: Jinja's version and zinepress's code (the environment above)."""
    from .fingerprint import PACKAGE_DIR, digest, tree_digest

    compiler = digest([jinja2.__version__, tree_digest(PACKAGE_DIR, "*.py")])[:16]
    try:
        return CompiledTemplates(pattern=f"zinepress-{compiler}-%s.cache")
    except (OSError, RuntimeError):   # no temporary folder, or one another user could write to
        return None


def bare_url(url: str) -> str:
    """A URL as people type it: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def language_name(code: str, in_language: str) -> str:
    """'es' as 'Spanish' (or 'español') in the edition's language."""
    name = Locale.parse(in_language).languages.get(code, code)
    return name[:1].upper() + name[1:]


def replace_number(label: str, number_html: str) -> Markup:
    """Escape a label and put the number's markup in its slot."""
    return Markup(str(escape(label)).replace(NUMBER_SLOT, str(number_html)))


def edition_context(edition: Edition, fmt: Format) -> dict:
    """What every template of a format sees of the edition."""
    placement = place(edition.lines, fmt.name, fmt.lines)
    return dict(edition=edition, content=edition.content, region=edition.region, lines=placement.lines,
                compact_lines=placement.compact,
                tab_lines=tabs_cycle(tab_lines(edition.lines)) if fmt.name == "poster" else [],
                t=edition.strings, lang=edition.language, dir=edition.strings.direction, fmt=fmt,
                paper=edition.paper, options=edition.options)


def render_template(edition: Edition, fmt: Format, name: str, **values: object) -> str:
    """Fill one of the format's templates; content text is data, never template source."""
    return environment(fmt).get_template(name).render(**edition_context(edition, fmt), **values)


def render_html(edition: Edition, fmt: Format, setup: PageSetup) -> str:
    """The format's pages at one body size (and padding, and text length)."""
    width, height = fmt.page_sizes[edition.paper]
    return render_template(edition, fmt, "template.html.j2", page_width=width, page_height=height,
                           body_size=setup.body_size, pad_pages=setup.pad_pages, compact=setup.compact)
