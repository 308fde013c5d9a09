"""The build: edition in, laid-out and imposed PDFs out, and nothing written until all are checked.

`make_format` does one format's work in memory (a batch runs it in worker processes); checking.checked
measures and checks its files where they arrive; output.finish_edition writes an edition's files."""

import time
from io import BytesIO

import pikepdf

from .edition import Edition
from .errors import ZineError
from .formats import Format, sized
from .impose import SHEET_SIZES, Sheet, card_sheets, impose, minizine_sheet, saddle_sheets
from .layout import FitHint, Layouter
from .output import FormatBuild, OutputFile
from .pdfread import open_objects, page_box
from .guides import GUIDE, guide_file, with_guide_warning
from .pdfx import recolour, write_pdfs
from .printshop import print_shop_sheets, single_page_sheets, trimmed
from .reproducible import source_date

# Optional templates in a format's folder: drawn under each imposed sheet (fold and cut guides), and a
# printable how-to written as <format>-guide.pdf on request (build --with-guide, guides.py).
SHEET_OVERLAY = "sheet.html.j2"
MM = 72 / 25.4


def sheets_for(fmt: Format, page_count: int, page_width: float, page_height: float,
               edition: Edition) -> list[Sheet]:
    """The office sheets of a format, or its print-shop sheets (bleed, marks) when asked."""
    paper, options = edition.paper, edition.options
    if fmt.imposition == "saddle":
        sheets = saddle_sheets(page_count, page_width, page_height, SHEET_SIZES[paper],
                               creep=float(options.get("creep", 0)) * MM)
    elif fmt.imposition == "minizine":
        sheets = [minizine_sheet(page_width, page_height)]
    elif fmt.imposition == "cards":   # on a portrait sheet
        try:
            sheets = card_sheets(page_count, page_width, page_height, SHEET_SIZES[paper][::-1])
        except ValueError as error:
            raise ZineError(f"layouts/{fmt.name}/format.yaml", str(error), "check page_size and pages") from None
    else:
        sheets = single_page_sheets(page_count, page_width, page_height)
    if options.get("bleed"):
        return print_shop_sheets(sheets, page_width, page_height, float(options["bleed"]),
                                 cut_between=fmt.imposition == "cards")
    return sheets


def build_format(layouter: Layouter, fmt: Format, with_guide: bool = False,
                 hint: FitHint | None = None) -> list[OutputFile]:
    """One format's files: the print file, and for imposed formats the reading pages (and guide) too."""
    edition = layouter.edition
    laid = layouter.lay_out(fmt, hint)
    # Reading files are tagged (PDF/UA-1) for screen readers; print files of a --pdfx build are PDF/X-4.
    reading, source = write_pdfs(laid.document, edition.options)
    size = laid.setup.body_size if fmt.autofit else None
    common = {"format": fmt.name, "body_size": size, "compact": laid.setup.compact,
              "lines": printed_lines(edition, layouter.with_room(fmt))}
    fitting = fitting_warning(edition, fmt, layouter.with_room(fmt))
    if fmt.imposition == "none" and not edition.options.get("bleed"):
        return [print_file(fmt, reading, common, fitting)]
    width, height = fmt.page_size_points(edition.paper)
    sheets = sheets_for(fmt, len(laid.document.pages), width, height, edition)
    extras = {"sheet": sheets[0], "panel_width": width, "panel_height": height}
    overlay = layouter.render_extra(fmt, SHEET_OVERLAY, **extras) if has_template(fmt, SHEET_OVERLAY) else None
    if overlay:
        overlay = recolour(overlay, edition.options)
    printed = impose(source, sheets, overlay)
    warnings = [fitting, page_count_warning(fmt, len(laid.document.pages))]
    files = [print_file(fmt, printed, common, "; ".join(filter(None, warnings)) or None)]
    if fmt.imposition != "none":
        files.append(OutputFile(f"{fmt.name}-pages.pdf", kind="read", data=screen_view(reading), **common))
    if with_guide and has_template(fmt, GUIDE):   # a guide that cannot be made is left out, with a warning
        files = with_guide_warning(files, guide_file(layouter, fmt, {**extras, "sheet": trimmed(sheets[0])}))
    return files


def printed_lines(edition: Edition, fmt: Format) -> tuple[str, ...]:
    """The names of the crisis lines a format's pages print (and its tear-off tabs), for the manifest."""
    from .placement import place, tab_lines

    names = [line.name for line in place(edition.lines, fmt.name, fmt.lines).lines]
    if fmt.name == "poster" and edition.options.get("tabs", True):
        names += [line.name for line in tab_lines(edition.lines) if line.name not in names]
    return tuple(names)


def fitting_warning(edition: Edition, fmt: Format, laid_as: Format) -> str | None:
    """The lines a format left out because they did not fit even at its smallest size."""
    if laid_as.lines.most == fmt.lines.most:
        return None
    from .placement import place

    printed = {line.name for line in place(edition.lines, fmt.name, laid_as.lines).lines}
    dropped = [line.name for line in place(edition.lines, fmt.name, fmt.lines).lines if line.name not in printed]
    return (f"{fmt.name}: not printed, the lines did not fit even at the smallest size: {', '.join(dropped)}; "
            f"to choose, mark lines show_on: [{fmt.name}]")


def page_count_warning(fmt: Format, pages: int) -> str | None:
    if fmt.warn_over and pages > fmt.warn_over:
        return (f"{fmt.name}.pdf: {pages} pages, more than the {fmt.warn_over} a {fmt.name} holds well; "
                "shorten the text, or print the one-pager or several booklets")
    return None


def print_file(fmt: Format, data: bytes, common: dict, warning: str | None = None) -> OutputFile:
    """The file to print (its toner use is measured where it is checked: checking.with_ink)."""
    return OutputFile(f"{fmt.name}.pdf", kind="print", data=data, warning=warning, **common)


def screen_view(pdf: bytes) -> bytes:
    """Pages with bleed are shown trimmed on screens (CropBox = TrimBox); others are returned as they are
    (WeasyPrint gives every page a TrimBox, the page itself when there is no bleed)."""
    buffer = BytesIO()
    with open_objects(pdf) as document:   # read once: checked, and rewritten only when there is bleed
        if all(page_box(page, "/TrimBox") == page_box(page, "/MediaBox") for page in document.pages):
            return pdf
        for page in document.pages:
            page.obj.CropBox = pikepdf.Array(page_box(page, "/TrimBox"))
        document.save(buffer, deterministic_id=True, min_version=document.pdf_version)
    return buffer.getvalue()


def has_template(fmt: Format, name: str) -> bool:
    return (fmt.folder / name).is_file()


def make_format(layouter: Layouter, fmt: Format, with_guide: bool, hint: dict | None) -> FormatBuild:
    """Lay out, write and impose one format, in memory; checking.checked measures and checks its files."""
    started, passes = time.perf_counter(), layouter.passes
    edition = layouter.edition
    fmt = sized(fmt, edition.paper, edition.options.get(f"{fmt.name}_size"))   # --poster-size
    with source_date(edition):   # byte-identical PDFs for identical inputs
        files = build_format(layouter, fmt, with_guide, FitHint(**hint) if hint else None)
    flags = {name: bool(edition.options.get(name)) for name in ("bleed", "grayscale", "pdfx")}
    setup = layouter.fitted[fmt.name]
    fit = {"body_size": files[0].body_size, "compact": setup.compact, "pad_pages": setup.pad_pages,
           "layout_passes": layouter.passes - passes}
    return FormatBuild(fmt.name, files, None, fit, round(time.perf_counter() - started, 3), flags)
