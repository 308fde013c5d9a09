"""Output formats: each a folder under layouts/ with a template, CSS and a format.yaml."""

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import UsageError, ZineError
from .placement import Capacity
from .paths import LAYOUTS_DIR, display, safe_name
from .yamlfile import load_yaml, require_mapping, require_str

UNITS_IN_POINTS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
IMPOSITIONS = ("none", "saddle", "minizine", "cards")
TEXTS = ("full", "compact", "auto")


@dataclass(frozen=True)
class AutoFit:
    min_size: float
    max_size: float
    # How the pages a layout fills grow with the body size, as a power: 2 (the text's area) unless parts
    # that keep their size or lines that rarely wrap make it grow slower. Auto-fit guesses with it from a
    # single pass; benchmarks/growth.py measures what suits a layout.
    growth: float = 2.0


@dataclass(frozen=True)
class Format:
    name: str
    folder: Path
    description: str
    page_sizes: dict[str, tuple[str, str]]   # paper -> (width, height) as CSS lengths
    exact_pages: int | None
    page_multiple: int
    text: str
    autofit: AutoFit | None
    imposition: str
    body_size: float
    min_text_size: float      # preflight fails a file with any smaller text
    warn_over: int | None = None   # more reading pages than this is a warning (a booklet too thick to fold)
    lines: Capacity = Capacity()   # how many crisis lines it holds (`crisis_lines:`)
    sizes: dict[str, "PageChoice"] | None = None   # `sizes:` the user may choose from (--poster-size)
    size: str | None = None        # the chosen one's name, once sized() has chosen

    def page_size_points(self, paper: str) -> tuple[float, float]:
        width, height = self.page_sizes[paper]
        return to_points(width), to_points(height)


@dataclass(frozen=True)
class PageChoice:
    """One of a format's `sizes:`: its page, and the body sizes that suit that page."""
    page: tuple[str, str]
    autofit: AutoFit | None


def sized(fmt: Format, paper: str, asked: str | None) -> Format:
    """The format on the page size asked for (`--poster-size`), else on the one named like the
    edition's paper; a format without `sizes:` stays as it is."""
    if not fmt.sizes:
        return fmt
    name = asked or paper
    if name not in fmt.sizes:
        raise UsageError(f"--{fmt.name}-size {name}: choose from {', '.join(fmt.sizes)}")
    choice = fmt.sizes[name]
    return replace(fmt, page_sizes={**fmt.page_sizes, paper: choice.page},
                   autofit=choice.autofit or fmt.autofit, size=name)


def to_points(length: str) -> float:
    for unit, factor in UNITS_IN_POINTS.items():
        if length.endswith(unit):
            return float(length[: -len(unit)]) * factor
    raise ValueError(length)


def format_names() -> list[str]:
    return sorted(p.parent.name for p in LAYOUTS_DIR.glob("*/format.yaml") if not p.parent.name.startswith("_"))


def load_format(name: str) -> Format:
    path = LAYOUTS_DIR / safe_name(name, "format") / "format.yaml"
    if name.startswith("_") or not path.is_file():
        raise UsageError(f"--format {name}: unknown format; choose from {', '.join(format_names())}")
    where = display(path)
    data = require_mapping(load_yaml(path), where)
    pages = require_mapping(data.get("pages") or {}, f"{where}: field 'pages'")
    fit = autofit(data.get("autofit"), where)
    return Format(
        name=name, folder=path.parent, description=require_str(data, "description", where),
        page_sizes=page_sizes(data.get("page_size"), where),
        exact_pages=pages.get("exact"), page_multiple=int(pages.get("multiple", 1)),
        text=choice(data, "text", TEXTS, where), imposition=choice(data, "imposition", IMPOSITIONS, where),
        autofit=fit, body_size=number(data.get("body_size", 10), f"{where}: field 'body_size'"),
        min_text_size=number(data.get("min_text_size", 6), f"{where}: field 'min_text_size'"),
        warn_over=pages.get("warn_over"), lines=capacity(data.get("crisis_lines"), where),
        sizes=size_choices(data.get("sizes"), where, fit.growth if fit else AutoFit.growth))


def choice(data: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = str(data.get(key, allowed[0]))
    if value not in allowed:
        raise ZineError(f"{where}: field '{key}'", f"'{value}' is not one of {', '.join(allowed)}")
    return value


def page_sizes(raw: object, where: str) -> dict[str, tuple[str, str]]:
    sizes = require_mapping(raw, f"{where}: field 'page_size'")
    return {paper: page_size(sizes.get(paper), f"{where}: field 'page_size.{paper}'") for paper in ("letter", "a4")}


def page_size(value: object, where: str) -> tuple[str, str]:
    try:
        width, height = str(value).split()
        to_points(width), to_points(height)
    except (ValueError, AttributeError):
        raise ZineError(where, f"{value!r} is not 'WIDTH HEIGHT'", "write e.g. '5.5in 8.5in' or '148mm 210mm'") from None
    return width, height


def size_choices(raw: object, where: str, growth: float) -> dict[str, PageChoice] | None:
    """`sizes: {tabloid: {page: 11in 17in, autofit: {min: 12, max: 16}}, ...}`: pages to choose from,
    each with the format's `autofit.growth` unless it gives its own."""
    if raw is None:
        return None
    choices = {}
    for name, value in require_mapping(raw, f"{where}: field 'sizes'").items():
        data = require_mapping(value, f"{where}: field 'sizes.{name}'")
        choices[str(name)] = PageChoice(page_size(data.get("page"), f"{where}: field 'sizes.{name}.page'"),
                                        autofit(data.get("autofit"), where, growth, f"sizes.{name}."))
    return choices


def autofit(raw: object, where: str, growth: float = AutoFit.growth, within: str = "") -> AutoFit | None:
    """`autofit: {min: 8, max: 12, growth: 1.2}`: body sizes in points, and the optional growth power
    (`growth` when left out). `within`: the path to it in the file, for the errors ("sizes.a3.")."""
    if raw is None:
        return None
    field = f"{where}: field '{within}autofit"
    data = require_mapping(raw, f"{field}'")
    given = data.get("growth")
    fit = AutoFit(*(number(data.get(key, 0), f"{field}.{key}'") for key in ("min", "max")),
                  growth=growth if given is None else number(given, f"{field}.growth'"))
    if not 4 <= fit.min_size <= fit.max_size:
        raise ZineError(f"{field}'", "needs min and max body sizes in points, min <= max")
    if not 0.5 <= fit.growth <= 4:
        raise ZineError(f"{field}.growth'", f"{fit.growth:g} is out of range",
                        "give a power from 0.5 to 4 (2 when the text's area is all that grows), or leave it out")
    return fit


def number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ZineError(field, f"{value!r} is not a number", "write a number, e.g. 8 or 10.5")
    return float(value)


def capacity(raw: object, where: str) -> Capacity:
    """`crisis_lines: {max: 4, compact_over: 3, primary_first: true}`; left out: every line, in full."""
    if raw is None:
        return Capacity()
    data = require_mapping(raw, f"{where}: field 'crisis_lines'")
    values = {}
    for key in ("max", "compact_over"):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ZineError(f"{where}: field 'crisis_lines.{key}'", f"{value!r} is not a count of lines",
                            "give a whole number of at least 1, or leave it out")
        values[key] = value
    return Capacity(values["max"], values["compact_over"], bool(data.get("primary_first", False)))
