"""The build: edition in, laid-out and imposed PDFs out, nothing written until all succeeded."""

from dataclasses import dataclass
from pathlib import Path

from .edition import Edition
from .errors import ZineError
from .formats import Format
from .impose import SHEET_SIZES, Sheet, card_sheets, impose, minizine_sheet, saddle_sheets
from .layout import Layouter
from .output import OutputFile, edition_folder, write_outputs

# Optional templates in a format's folder: drawn under each imposed sheet (fold and cut guides), and a
# printable how-to written as <format>-guide.pdf on request (build --with-guide).
SHEET_OVERLAY, GUIDE = "sheet.html.j2", "guide.html.j2"


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    files: list[OutputFile]
    manifest: Path
    passes: int


def sheets_for(fmt: Format, page_count: int, page_width: float, page_height: float,
               paper: str) -> list[Sheet]:
    if fmt.imposition == "saddle":
        return saddle_sheets(page_count, page_width, page_height, SHEET_SIZES[paper])
    if fmt.imposition == "minizine":
        return [minizine_sheet(page_width, page_height)]
    if fmt.imposition == "cards":   # on a portrait sheet
        try:
            return card_sheets(page_count, page_width, page_height, SHEET_SIZES[paper][::-1])
        except ValueError as error:
            raise ZineError(f"layouts/{fmt.name}/format.yaml", str(error), "check page_size and pages") from None
    raise ValueError(f"no imposition {fmt.imposition!r}")


def build_format(layouter: Layouter, fmt: Format, with_guide: bool = False) -> list[OutputFile]:
    """One format's files: the print file, and for imposed formats the reading pages (and guide) too."""
    laid = layouter.lay_out(fmt)
    reading = laid.document.write_pdf()
    size = laid.setup.body_size if fmt.autofit else None
    common = {"format": fmt.name, "body_size": size, "compact": laid.setup.compact}
    if fmt.imposition == "none":
        return [OutputFile(f"{fmt.name}.pdf", kind="print", data=reading, **common)]
    width, height = fmt.page_size_points(layouter.edition.paper)
    sheets = sheets_for(fmt, len(laid.document.pages), width, height, layouter.edition.paper)
    extras = {"sheet": sheets[0], "panel_width": width, "panel_height": height}
    overlay = layouter.render_extra(fmt, SHEET_OVERLAY, **extras) if has_template(fmt, SHEET_OVERLAY) else None
    files = [OutputFile(f"{fmt.name}.pdf", kind="print", data=impose(reading, sheets, overlay), **common),
             OutputFile(f"{fmt.name}-pages.pdf", kind="read", data=reading, **common)]
    if with_guide and has_template(fmt, GUIDE):
        files.append(OutputFile(f"{fmt.name}-guide.pdf", format=fmt.name, kind="guide",
                                data=layouter.render_extra(fmt, GUIDE, **extras)))
    return files


def has_template(fmt: Format, name: str) -> bool:
    return (fmt.folder / name).is_file()


def build(edition: Edition, formats: list[Format], out: Path, with_guide: bool = False) -> BuildResult:
    layouter = Layouter(edition)
    files = [file for fmt in formats for file in build_format(layouter, fmt, with_guide)]
    folder = edition_folder(out, edition)
    manifest = write_outputs(folder, edition, files)
    return BuildResult(folder, files, manifest, layouter.passes)
