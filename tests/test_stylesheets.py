"""Every layout's CSS is understood by WeasyPrint: a declaration it drops (an invalid value, a math function
it cannot resolve) leaves text at a size or place nobody chose, and WeasyPrint only says so in its log."""

import logging

import pytest

from zinepress.batch import Job, load_job
from zinepress.edition import Selection
from zinepress.formats import format_names, load_format, sized
from zinepress.html import PageSetup
from zinepress.layout import Layouter

# base.css isolates phone numbers for browsers (the web preview); WeasyPrint does not support it yet.
UNDERSTOOD_ELSEWHERE = ("`unicode-bidi: isolate`",)


def layouts() -> list[tuple[str, str | None]]:
    """Every format, on each of its page sizes (the poster has four)."""
    return [(name, size) for name in format_names() for size in (load_format(name).sizes or [None])]


@pytest.mark.parametrize("options", [{}, {"grayscale": True}, {"pdfx": True, "bleed": 9.0}])
@pytest.mark.parametrize("name, size", layouts())
def test_weasyprint_drops_no_declaration(name, size, options, caplog):
    edition = load_job(Job(Selection(), {"tabs": True, **options}, (name,)))
    fmt = sized(load_format(name), edition.paper, size)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        Layouter(edition).render(fmt, PageSetup(fmt.autofit.min_size if fmt.autofit else fmt.body_size,
                                                compact=fmt.text == "compact"))
    dropped = [record.getMessage() for record in caplog.records if record.name == "weasyprint"
               and not any(known in record.getMessage() for known in UNDERSTOOD_ELSEWHERE)]
    assert not dropped


@pytest.mark.parametrize("size", ["letter", "tabloid"])
def test_the_posters_small_text_stops_at_8pt(size, tmp_path):
    """Sources, the 'checked' date and the QR link are 0.7 to 0.85 of the body size, but never below 8 pt:
    read from the laid-out poster at its smallest body size (where 8 pt wins) and its largest."""
    edition = load_job(Job(Selection(), {"tabs": True}, ("poster",)))
    fmt = sized(load_format("poster"), edition.paper, size)
    layouter = Layouter(edition)
    for body in (fmt.autofit.min_size, fmt.autofit.max_size):
        document = layouter.render(fmt, PageSetup(body, compact=True))
        printed = {classes: size_pt for classes, size_pt in font_sizes(document)}
        assert printed["poster-sources"] == pytest.approx(max(0.7 * body, 8))
        assert printed["checked"] == pytest.approx(max(0.8 * body, 8))
        assert printed["qr-link"] == pytest.approx(max(0.85 * body, 8))
        assert printed["line-details"] == pytest.approx(max(0.9 * body, 8))
        # The content note under the title: 0.8 of the body on Tabloid, and never below 8 pt on Letter.
        assert printed["content-note"] == pytest.approx(max(0.8 * body, 8) if size == "letter" else 0.8 * body)


def font_sizes(document) -> list[tuple[str, float]]:
    """(class attribute, font size in pt) of every laid-out element box."""
    return [(box.element.get("class"), box.style["font_size"] * 0.75)
            for page in document.pages for box in page._page_box.descendants()
            if getattr(box, "element", None) is not None and box.element.get("class")
            and getattr(box, "element_tag", None) != "html"]
