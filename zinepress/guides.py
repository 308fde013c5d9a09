"""Printable guides (`build --with-guide`): one per format that has a guide.html.j2, in every variant and
language, or left out with a warning. A guide explains how to print and fold a format; it never takes
that format's print files down with it.

A guide's parts must each fit on one page: its type is set at the largest of GUIDE_SCALES (of the size
the template designs it at) that does, so a language whose sentences run longer (Spanish, German) gets
slightly smaller type, not a second page."""

from dataclasses import replace

from .errors import ZineError
from .formats import Format
from .html import render_template
from .layout import Layouter, spilled_elements
from .output import GUIDE_KIND, OutputFile
from .pdfx import recolour

GUIDE = "guide.html.j2"
GUIDE_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)   # 11 pt type at most a quarter smaller: 8.25 pt
KIND = GUIDE_KIND


def guide_file(layouter: Layouter, fmt: Format, extras: dict) -> OutputFile | str:
    """`<format>-guide.pdf`, or why it could not be made (a warning's text)."""
    try:
        data = fitted_guide(layouter, fmt, extras)
    except ZineError as error:
        return left_out(fmt, error.line())
    except Exception as error:   # noqa: BLE001 - a bug in a guide is reported, and the format still built
        return left_out(fmt, f"internal error {error!r}, please report it")
    if data is None:
        return left_out(fmt, f"it does not fit its pages even with type {1 - GUIDE_SCALES[-1]:.0%} smaller; "
                        f"shorten the guide strings in content/strings/{layouter.edition.language}.yaml")
    return OutputFile(guide_name(fmt), format=fmt.name, kind=KIND, data=recolour(data, layouter.edition.options))


def fitted_guide(layouter: Layouter, fmt: Format, extras: dict) -> bytes | None:
    """The guide at the largest scale whose one-page parts each fit one page; None if none does."""
    for scale in GUIDE_SCALES:
        html = render_template(layouter.edition, fmt, GUIDE, guide_scale=scale, **extras)
        document = layouter.document(fmt, html)
        if not spilled_elements(document):
            return document.write_pdf()
    return None


def guide_name(fmt: Format) -> str:
    return f"{fmt.name}-guide.pdf"


def left_out(fmt: Format, why: str) -> str:
    return f"{guide_name(fmt)} left out: {why}; the {fmt.name} itself was built"


def with_guide_warning(files: list[OutputFile], guide: OutputFile | str) -> list[OutputFile]:
    """The format's files with its guide added, or with the print file carrying why it was left out."""
    if isinstance(guide, OutputFile):
        return [*files, guide]
    first = replace(files[0], warning="; ".join(filter(None, (files[0].warning, guide))))
    return [first, *files[1:]]
