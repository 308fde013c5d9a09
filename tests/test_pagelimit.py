"""pagelimit.py stops a layout once it certainly needs more pages than allowed, through WeasyPrint's
pagination (a private API). These tests pin what it relies on: an upgrade that changes it fails here."""

import pytest
import weasyprint.layout
from weasyprint import HTML

from zinepress import pagelimit
from zinepress.pagelimit import TooManyPages, pages_at_most

PAGE = "@page { size: 200pt 200pt; margin: 20pt } body { margin: 0 } p { margin: 0; height: 150pt }"


def pages(count: int) -> HTML:
    """A document of exactly `count` pages: one tall paragraph each."""
    return HTML(string=f"<style>{PAGE}</style>" + "<p>text</p>" * count)


@pytest.fixture
def laid_out(monkeypatch) -> list[int]:
    """How many pages WeasyPrint laid out, counted as its pagination yields them."""
    counted = []
    original = pagelimit._make_all_pages

    def counting(*args):
        for page in original(*args):
            counted.append(1)
            yield page

    monkeypatch.setattr(pagelimit, "_make_all_pages", counting)
    return counted


def test_weasyprint_paginates_through_the_limit():
    assert weasyprint.layout.make_all_pages is pagelimit._limited_pages


def test_a_layout_over_the_limit_stops_at_it(laid_out):
    with pages_at_most(2), pytest.raises(TooManyPages):
        pages(9).render()
    assert len(laid_out) == 2, "it went on after the second page"


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_layout_within_the_limit_is_whole(count, laid_out):
    with pages_at_most(3):
        document = pages(count).render()
    assert len(document.pages) == count == len(laid_out)


def test_without_a_limit_every_page_is_laid_out(laid_out):
    with pages_at_most(1), pytest.raises(TooManyPages):
        pages(3).render()
    laid_out.clear()
    assert len(pages(3).render().pages) == 3 == len(laid_out)


def test_the_search_stops_only_the_pass_that_ends_it():
    """A rebuild from last time's size: the pass a step above shows it does not fit without being laid
    out whole; the size found is the one a cold search finds."""
    from zinepress.edition import Selection, build_edition
    from zinepress.formats import load_format
    from zinepress.layout import SIZE_STEP, FitHint, Layouter

    edition, fmt = build_edition(Selection(region="US")), load_format("onepager")
    cold = Layouter(edition).lay_out(fmt).setup
    layouter, results = Layouter(edition), []
    render = layouter.render
    layouter.render = lambda *args: results.append((args[1].body_size, render(*args))) or results[-1][1]
    laid = layouter.lay_out(fmt, FitHint(cold.body_size, cold.compact))
    assert laid.setup == cold
    assert [(size, document is None) for size, document in results] == \
        [(cold.body_size, False), (cold.body_size + SIZE_STEP, True)]
