"""The build: edition in, laid-out and imposed PDFs out, nothing written until all succeeded."""

from dataclasses import dataclass
from pathlib import Path

from .edition import Edition
from .formats import Format
from .impose import SHEET_SIZES, Sheet, impose, minizine_sheet, saddle_sheets
from .layout import Layouter
from .output import OutputFile, edition_folder, write_outputs


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
    raise ValueError(f"no imposition {fmt.imposition!r}")


def build_format(layouter: Layouter, fmt: Format) -> list[OutputFile]:
    """One format's files: the print file, and for imposed formats the reading pages too."""
    laid = layouter.lay_out(fmt)
    reading = laid.document.write_pdf()
    size = laid.setup.body_size if fmt.autofit else None
    common = {"format": fmt.name, "body_size": size, "compact": laid.setup.compact}
    if fmt.imposition == "none":
        return [OutputFile(f"{fmt.name}.pdf", kind="print", data=reading, **common)]
    width, height = fmt.page_size_points(layouter.edition.paper)
    sheets = sheets_for(fmt, len(laid.document.pages), width, height, layouter.edition.paper)
    return [OutputFile(f"{fmt.name}.pdf", kind="print", data=impose(reading, sheets), **common),
            OutputFile(f"{fmt.name}-pages.pdf", kind="read", data=reading, **common)]


def build(edition: Edition, formats: list[Format], out: Path) -> BuildResult:
    layouter = Layouter(edition)
    files = [file for fmt in formats for file in build_format(layouter, fmt)]
    folder = edition_folder(out, edition)
    manifest = write_outputs(folder, edition, files)
    return BuildResult(folder, files, manifest, layouter.passes)
