"""Output formats: each a folder under layouts/ with a template, CSS and a format.yaml."""

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError, ZineError
from .paths import LAYOUTS_DIR, display, safe_name
from .yamlfile import load_yaml, require_mapping, require_str

UNITS_IN_POINTS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
IMPOSITIONS = ("none", "saddle", "minizine", "cards")
TEXTS = ("full", "compact", "auto")


@dataclass(frozen=True)
class AutoFit:
    min_size: float
    max_size: float


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

    def page_size_points(self, paper: str) -> tuple[float, float]:
        width, height = self.page_sizes[paper]
        return to_points(width), to_points(height)


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
    return Format(
        name=name, folder=path.parent, description=require_str(data, "description", where),
        page_sizes=page_sizes(data.get("page_size"), where),
        exact_pages=pages.get("exact"), page_multiple=int(pages.get("multiple", 1)),
        text=choice(data, "text", TEXTS, where), imposition=choice(data, "imposition", IMPOSITIONS, where),
        autofit=autofit(data.get("autofit"), where), body_size=float(data.get("body_size", 10)),
        min_text_size=float(data.get("min_text_size", 6)), warn_over=pages.get("warn_over"))


def choice(data: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = str(data.get(key, allowed[0]))
    if value not in allowed:
        raise ZineError(f"{where}: field '{key}'", f"'{value}' is not one of {', '.join(allowed)}")
    return value


def page_sizes(raw: object, where: str) -> dict[str, tuple[str, str]]:
    sizes = require_mapping(raw, f"{where}: field 'page_size'")
    result = {}
    for paper in ("letter", "a4"):
        value = sizes.get(paper)
        try:
            width, height = str(value).split()
            to_points(width), to_points(height)
        except (ValueError, AttributeError):
            raise ZineError(f"{where}: field 'page_size.{paper}'", f"{value!r} is not 'WIDTH HEIGHT'",
                            "write e.g. '5.5in 8.5in' or '148mm 210mm'") from None
        result[paper] = (width, height)
    return result


def autofit(raw: object, where: str) -> AutoFit | None:
    if raw is None:
        return None
    data = require_mapping(raw, f"{where}: field 'autofit'")
    fit = AutoFit(float(data.get("min", 0)), float(data.get("max", 0)))
    if not 4 <= fit.min_size <= fit.max_size:
        raise ZineError(f"{where}: field 'autofit'", "needs min and max body sizes in points, min <= max")
    return fit
